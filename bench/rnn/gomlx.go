package main

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/lstm"
	"github.com/gomlx/gomlx/ml/model"
)

// gomlxLSTM is the same language model built on GoMLX's own ml/layers/lstm, the baseline
// the chapter started from: one-hot characters, stacked lstm layers, a linear layer to the
// vocabulary. It meets lm.Model so the same harness trains it.
type gomlxLSTM struct{ vocab, hidden, layers int }

func (m gomlxLSTM) Name() string   { return "gomlx-lstm" }
func (m gomlxLSTM) VocabSize() int { return m.vocab }
func (m gomlxLSTM) Lookback() int  { return 0 }

func (m gomlxLSTM) Logits(scope *model.Scope, tokens *Node) *Node {
	g := tokens.Graph()
	b, t := tokens.Shape().Dimensions[0], tokens.Shape().Dimensions[1]
	x := OneHot(tokens, m.vocab, dtypes.Float32) // [B, T, V]
	for l := range m.layers {
		all, _, _ := lstm.New(scope.In("layer_%d", l), x, m.hidden).Done() // [T, 1, B, H]
		x = Transpose(Reshape(all, t, b, m.hidden), 0, 1)                  // [B, T, H]
	}
	out := scope.In("out")
	w := out.VariableWithShape("weights", shapes.Make(dtypes.Float32, m.hidden, m.vocab)).NodeValue(g)
	bias := out.VariableWithShape("biases", shapes.Make(dtypes.Float32, m.vocab)).NodeValue(g)
	return Reshape(Add(Dot(Reshape(x, b*t, m.hidden), w).Product(), ExpandAxes(bias, 0)), b, t, m.vocab)
}
