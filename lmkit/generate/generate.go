// Package generate samples text from any lmkit language model: temperature, top-k and top-p
// (nucleus) sampling, seeded so a sample can be reproduced.
package generate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/lm"
)

// Options control sampling. Zero values mean: temperature 1, no top-k, no top-p.
type Options struct {
	Temperature float64 // <1 sharper, >1 flatter; 0 means 1
	TopK        int     // keep the k most likely tokens; 0 for all
	TopP        float64 // keep the smallest set whose probability reaches p; 0 for all
	Seed        uint64
	Stop        int // token that ends a sample (not included); -1 for none
	Window      int // tokens the model reads at once (the training context)
}

func (o Options) check(vocab int) error {
	switch {
	case o.Temperature < 0 || math.IsNaN(o.Temperature):
		return fmt.Errorf("generate: Options.Temperature %v must be positive, e.g. 0.8", o.Temperature)
	case o.TopK < 0 || o.TopK > vocab:
		return fmt.Errorf("generate: Options.TopK %d must be between 0 (off) and the vocabulary size %d", o.TopK, vocab)
	case o.TopP < 0 || o.TopP > 1:
		return fmt.Errorf("generate: Options.TopP %v must be in [0, 1]", o.TopP)
	case o.Window < 1:
		return fmt.Errorf("generate: window %d must be at least 1 (the model's training context)", o.Window)
	case o.Stop >= vocab:
		return fmt.Errorf("generate: stop token %d is outside the vocabulary of %d", o.Stop, vocab)
	}
	return nil
}

// Sampler draws continuations from a trained model.
type Sampler struct {
	model lm.Model
	exec  *model.Exec
	opts  Options
}

// New compiles the model's forward pass for sampling.
func New(be compute.Backend, store *model.Store, m lm.Model, opts Options) (*Sampler, error) {
	if opts.Temperature == 0 {
		opts.Temperature = 1
	}
	if err := opts.check(m.VocabSize()); err != nil {
		return nil, err
	}
	exec, err := backend.NewExec(be, store, func(scope *model.Scope, tokens, pos *Node) *Node {
		store.SetTraining(tokens.Graph(), false)
		logits := m.Logits(scope, tokens) // [B, T, V]
		// Only the logits at each row's last real position are needed.
		onehot := OneHot(pos, tokens.Shape().Dimensions[1], logits.DType()) // [B, T]
		return ReduceSum(Mul(logits, ExpandAxes(onehot, -1)), 1)            // [B, V]
	})
	if err != nil {
		return nil, err
	}
	return &Sampler{model: m, exec: exec, opts: opts}, nil
}

// Sample continues each prompt by up to n tokens (stopping early at opts.Stop) and returns
// only the new tokens. All prompts are sampled together, one batch row each.
func (s *Sampler) Sample(prompts [][]int, n int) ([][]int, error) {
	if len(prompts) == 0 || n < 1 {
		return nil, fmt.Errorf("generate: need at least one prompt and n >= 1 (got %d prompts, n=%d)", len(prompts), n)
	}
	vocab := s.model.VocabSize()
	for i, p := range prompts {
		if len(p) == 0 {
			return nil, fmt.Errorf("generate: prompt %d is empty: start it with the boundary token or some text", i)
		}
		for _, t := range p {
			if t < 0 || t >= vocab {
				return nil, fmt.Errorf("generate: prompt %d has token %d outside the vocabulary of %d", i, t, vocab)
			}
		}
	}
	rng := rand.New(rand.NewPCG(s.opts.Seed, 0x5a3b1e))
	b, w := len(prompts), s.opts.Window
	seqs := make([][]int, b)
	for i, p := range prompts {
		seqs[i] = append([]int(nil), p...)
	}
	out := make([][]int, b)
	done := make([]bool, b)
	tokens := make([]int32, b*w)
	pos := make([]int32, b)
	probs := make([]float64, vocab)
	for step := 0; step < n; step++ {
		for i, seq := range seqs {
			win := seq[max(0, len(seq)-w):]
			row := tokens[i*w : (i+1)*w]
			clear(row)
			for j, t := range win {
				row[j] = int32(t)
			}
			pos[i] = int32(len(win) - 1)
		}
		res, err := s.exec.Exec(tensors.FromFlatDataAndDimensions(tokens, b, w), tensors.FromFlatDataAndDimensions(pos, b))
		if err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
		logits := tensors.MustCopyFlatData[float32](res[0])
		alive := false
		for i := range seqs {
			if done[i] {
				continue
			}
			t := pick(logits[i*vocab:(i+1)*vocab], probs, s.opts, rng)
			if t == s.opts.Stop {
				done[i] = true
				continue
			}
			seqs[i] = append(seqs[i], t)
			out[i] = append(out[i], t)
			alive = true
		}
		if !alive {
			break
		}
	}
	return out, nil
}

// pick draws one token from logits with temperature, top-k and top-p.
func pick(logits []float32, probs []float64, o Options, rng *rand.Rand) int {
	maxL := math.Inf(-1)
	for _, l := range logits {
		maxL = math.Max(maxL, float64(l))
	}
	for i, l := range logits {
		probs[i] = math.Exp((float64(l) - maxL) / o.Temperature)
	}
	return Draw(probs, o.TopK, o.TopP, rng.Float64())
}

// Draw samples an index from unnormalised weights (modified in place) keeping the topK
// largest and then the smallest set reaching topP of the mass; u is uniform in [0, 1).
func Draw(weights []float64, topK int, topP float64, u float64) int {
	idx := make([]int, len(weights))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return weights[idx[a]] > weights[idx[b]] })
	keep := len(idx)
	if topK > 0 && topK < keep {
		keep = topK
	}
	total := 0.0
	for _, i := range idx[:keep] {
		total += weights[i]
	}
	if topP > 0 && topP < 1 {
		acc := 0.0
		for n, i := range idx[:keep] {
			acc += weights[i] / total
			if acc >= topP {
				keep = n + 1
				break
			}
		}
		total = 0
		for _, i := range idx[:keep] {
			total += weights[i]
		}
	}
	target := u * total
	for _, i := range idx[:keep] {
		target -= weights[i]
		if target < 0 {
			return i
		}
	}
	return idx[keep-1]
}
