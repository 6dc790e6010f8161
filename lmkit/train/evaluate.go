package train

import (
	"context"
	"fmt"
	"strings"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
)

// Evaluate returns the mean loss per scored token over the validation windows.
func (r *Run) Evaluate() (float64, error) { return r.evaluate(context.Background()) }

// evaluate is Evaluate that gives up between batches when ctx is done (an interrupt during a
// long validation pass), returning ctx's error.
func (r *Run) evaluate(ctx context.Context) (float64, error) {
	if err := r.build(); err != nil {
		return 0, err
	}
	return meanOver(ctx, r.evalExec, r.evals, "evaluation")
}

// Accuracy is the fraction of scored positions (mask 1) where the model's most likely token
// is the target: the delayed-recall score.
func (r *Run) Accuracy(batches []*data.Batch) (float64, error) {
	if r.accExec == nil {
		var err error
		r.accExec, err = backend.NewExec(r.Backend, r.Store, func(scope *model.Scope, x, y, mask *Node) *Node {
			r.Store.SetTraining(x.Graph(), false)
			pred := ArgMax(r.Model.Logits(scope, x), -1, y.DType())
			hit := ConvertDType(Equal(pred, y), mask.DType())
			return ReduceAllSum(Mul(hit, mask))
		})
		if err != nil {
			return 0, err
		}
	}
	return meanOver(context.Background(), r.accExec, batches, "accuracy")
}

// meanOver runs exec (a graph summing something over a batch's scored positions) on each
// batch and returns the sum per scored position, giving up between batches when ctx is done.
func meanOver(ctx context.Context, exec *model.Exec, batches []*data.Batch, what string) (float64, error) {
	total, count := 0.0, 0
	for _, b := range batches {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		x, y, mask := batchTensors(b)
		out, err := exec.Exec(x, y, mask)
		if err != nil {
			return 0, fmt.Errorf("train: %s: %w", what, err)
		}
		total += scalar(out[0])
		count += b.Scored
	}
	if count == 0 {
		return 0, fmt.Errorf("train: %s: the batches have no scored positions", what)
	}
	return total / float64(count), nil
}

// EvaluateStore computes the validation loss of a trained model (its variables in store) on
// p's validation documents, windowed as training config cfg was.
func EvaluateStore(be compute.Backend, store *model.Store, m lm.Model, p *data.Prepared, cfg Config) (float64, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return 0, err
	}
	overlap := 0
	if lb := m.Lookback(); lb > 0 && lb < cfg.Context {
		overlap = lb - 1
	}
	r := &Run{Model: m, Config: cfg, Backend: be, Store: store}
	if r.evals, err = data.EvalBatches(data.Stream(p.Split.Val, p.Split.Boundary), cfg.Batch, cfg.Context, overlap, cfg.EvalWindows); err != nil {
		return 0, err
	}
	return r.Evaluate()
}

// Params counts the model's own numbers: its floating-point variables, frozen ones included,
// but not the optimizer's moments, learning rate and step counter, nor the random-number state.
func (r *Run) Params() int {
	n := 0
	for v := range r.Store.IterVariables() {
		p := v.Path()
		if strings.HasPrefix(p, "/"+optimizer.AdamDefaultScope+"/") || strings.HasPrefix(p, "/optimizers/") ||
			p == "/global_step" || !v.Shape().DType.IsFloat() {
			continue
		}
		n += v.Shape().Size()
	}
	return n
}
