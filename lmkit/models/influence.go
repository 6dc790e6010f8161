package models

import (
	"fmt"
	"math"
	"math/rand/v2"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/lm"
)

// Influence measures how much the model's next-token prediction depends on a token k steps
// back, for each k in ks: in every window, the token k steps before the last one is replaced
// by the token another window has at that position (so the text stays text), and the KL
// divergence of the next-token distribution after the last token, original against altered,
// is averaged over the windows. 0 means the token k back does not matter; a model that reads
// only the last n tokens gives exactly 0 for every k >= n.
//
// Windows are token ids, all of one length, longer than the largest k; a GPT's must fit its
// window.
func (t *Trained) Influence(windows [][]int, ks []int, seed uint64) ([]float64, error) {
	if len(windows) < 2 {
		return nil, fmt.Errorf("models: Influence needs at least 2 windows (the replacement tokens come from other windows), got %d", len(windows))
	}
	w := len(windows[0])
	for i, win := range windows {
		if len(win) != w {
			return nil, fmt.Errorf("models: Influence: window %d has %d tokens, window 0 has %d: give windows of one length", i, len(win), w)
		}
		for _, id := range win {
			if id < 0 || id >= t.Model.VocabSize() {
				return nil, fmt.Errorf("models: Influence: window %d holds token %d, outside the vocabulary of %d", i, id, t.Model.VocabSize())
			}
		}
	}
	for _, k := range ks {
		if k < 0 || k >= w {
			return nil, fmt.Errorf("models: Influence: k = %d must be in [0, %d) for windows of %d tokens", k, w, w)
		}
	}
	if _, recurrent := t.Model.(lm.Stateful); t.Model.Lookback() == 0 && t.Window > 0 && w > t.Window && !recurrent {
		return nil, fmt.Errorf("models: Influence: windows of %d tokens are longer than the model's window of %d", w, t.Window)
	}
	if err := t.ready(); err != nil {
		return nil, err
	}
	// rows: each window, then its altered copies, one per k.
	rng := rand.New(rand.NewPCG(seed, 7))
	var rows [][]int
	for i, win := range windows {
		rows = append(rows, win)
		for _, k := range ks {
			pos := w - 1 - k
			alt := append([]int(nil), win...)
			for try := 0; try < len(windows); try++ {
				j := rng.IntN(len(windows))
				if j != i && windows[j][pos] != win[pos] {
					alt[pos] = windows[j][pos]
					break
				}
			}
			rows = append(rows, alt)
		}
	}
	const chunk = 64
	store := t.Store
	exec, err := backend.NewExec(t.Backend, store, func(scope *model.Scope, tokens *Node) *Node {
		store.SetTraining(tokens.Graph(), false)
		logits := t.Model.Logits(scope, tokens) // [B, T, V]
		last := Slice(logits, AxisRange(), AxisElem(w-1))
		return LogSoftmax(Squeeze(last, 1)) // [B, V]
	})
	if err != nil {
		return nil, err
	}
	logp := make([][]float32, 0, len(rows))
	for lo := 0; lo < len(rows); lo += chunk {
		flat := make([]int32, 0, chunk*w)
		for r := lo; r < lo+chunk; r++ {
			row := rows[min(r, len(rows)-1)] // the last chunk is padded with copies
			for _, id := range row {
				flat = append(flat, int32(id))
			}
		}
		out, err := exec.Exec(tensors.FromFlatDataAndDimensions(flat, chunk, w))
		if err != nil {
			return nil, fmt.Errorf("models: Influence: %w", err)
		}
		v := out[0].Value().([][]float32)
		logp = append(logp, v[:min(chunk, len(rows)-lo)]...)
	}
	res := make([]float64, len(ks))
	per := 1 + len(ks)
	for i := range windows {
		orig := logp[i*per]
		for j := range ks {
			alt := logp[i*per+1+j]
			kl := 0.0
			for v, lp := range orig {
				kl += math.Exp(float64(lp)) * float64(lp-alt[v])
			}
			res[j] += kl / float64(len(windows))
		}
	}
	return res, nil
}
