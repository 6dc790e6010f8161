// Scratch (not committed): lmkit's GPT trained with nanoGPT's full recipe (beta2 0.99,
// warm-up 100, weight decay 0.1), to see what the harness's fixed beta2 costs.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/train"
	"github.com/llm-map/lab/lmkit/transformer"
)

func main() {
	beta2 := flag.Float64("beta2", 0.99, "")
	warm := flag.Int("warmup", 100, "")
	wd := flag.Float64("wd", 0.1, "")
	steps := flag.Int("steps", 2000, "")
	flag.Parse()
	ctx := context.Background()
	p, err := data.Prepare(ctx, "tinyshakespeare", false, data.RuneTokens, 0, data.SplitSeed)
	check(err)
	m, err := transformer.New(transformer.BabyGPT(p.Tok.VocabSize()))
	check(err)
	be := backend.MustDefault()
	store := model.NewStore()
	check(store.SetRNGStateFromSeed(1))
	cfg := train.Config{Steps: *steps, Batch: 12, Context: 64, LR: 1e-3, MinLR: 1e-4, Warmup: *warm, Schedule: "cosine"}
	sampler, err := data.NewSampler(data.Stream(p.Split.Train, p.Split.Boundary), 12, 64, 1)
	check(err)
	opt := optimizer.Adam().Betas(0.9, *beta2).WeightDecay(*wd).Done()
	exec, err := model.NewExec(be, store, func(scope *model.Scope, x, y, mask, lr *Node) *Node {
		store.SetTraining(x.Graph(), true)
		loss := lm.CrossEntropy(m.Logits(scope, x, true), y, mask)
		grads := scope.BuildTrainableVariablesGradientsGraph(loss)
		grads, _ = train.ClipGlobalNorm(grads, nil, 1)
		optimizer.LearningRateVar(scope, dtypes.Float32, 1e-3).SetNodeValue(lr)
		opt.(interface {
			UpdateGraphWithGradients(*model.Scope, []*Node, dtypes.DType)
		}).UpdateGraphWithGradients(scope, grads, loss.DType())
		return loss
	})
	check(err)
	start := time.Now()
	for s := 0; s < *steps; s++ {
		b := sampler.Batch(int64(s))
		out, err := exec.Exec(tensors.FromFlatDataAndDimensions(b.X, b.B, b.T), tensors.FromFlatDataAndDimensions(b.Y, b.B, b.T),
			tensors.FromFlatDataAndDimensions(b.Mask, b.B, b.T), tensors.FromValue(float32(cfg.LearningRate(s))))
		check(err)
		if (s+1)%250 == 0 {
			val, err := train.EvaluateStore(be, store, m, p.Split, train.Config{Steps: 1, Batch: 12, Context: 64, LR: 1e-3})
			check(err)
			fmt.Printf("%d loss %.4f val %.4f %.0fs\n", s+1, out[0].Value(), val, time.Since(start).Seconds())
		}
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
