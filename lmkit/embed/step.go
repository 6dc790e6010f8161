package embed

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
)

// SkipGramStep runs one step of the engine's GoMLX skip-gram graph (Network.Step) on the given
// tables, outside any training run, so that a notebook or a test can hold it against the loss
// written out by hand. in and out are the input and output tables [vocab][dim]; centres[b] is
// example b's centre word and targets[b] its real context word followed by its negatives. It
// returns the summed loss and both tables after the step.
func SkipGramStep(be compute.Backend, in, out [][]float32, centres []int32, targets [][]int32, lr float32) (loss float32, newIn, newOut [][]float32, err error) {
	switch {
	case len(in) == 0 || len(in) != len(out) || len(in[0]) != len(out[0]):
		return 0, nil, nil, fmt.Errorf("embed: SkipGramStep needs input and output tables of the same shape, got %dx? and %dx?", len(in), len(out))
	case len(centres) == 0 || len(centres) != len(targets) || len(targets[0]) < 2:
		return 0, nil, nil, fmt.Errorf("embed: SkipGramStep needs one centre word and at least two targets (the real word, a negative) per example")
	}
	store := model.NewStore()
	if _, err := store.CreateVariable("/"+InputVar, tensors.FromValue(in)); err != nil {
		return 0, nil, nil, err
	}
	if _, err := store.CreateVariable("/"+OutputVar, tensors.FromValue(out)); err != nil {
		return 0, nil, nil, err
	}
	b, t := len(centres), len(targets[0])
	net := Network{Vocab: len(in), Dim: len(in[0]), Context: 1, Targets: t}
	step, err := backend.NewExec(be, store, func(scope *model.Scope, c, m, tg, w, l *Node) *Node {
		return net.Step(scope, c, m, tg, w, l)
	})
	if err != nil {
		return 0, nil, nil, err
	}
	mask, weights := make([]float32, b), make([]float32, b*t)
	flat := make([]int32, 0, b*t)
	for i := range mask {
		mask[i] = 1
		if len(targets[i]) != t {
			return 0, nil, nil, fmt.Errorf("embed: SkipGramStep: example %d has %d targets, example 0 has %d", i, len(targets[i]), t)
		}
		flat = append(flat, targets[i]...)
	}
	for i := range weights {
		weights[i] = 1
	}
	res, err := step.Exec(tensors.FromFlatDataAndDimensions(centres, b, 1), tensors.FromFlatDataAndDimensions(mask, b, 1),
		tensors.FromFlatDataAndDimensions(flat, b, t), tensors.FromFlatDataAndDimensions(weights, b, t), tensors.FromValue(lr))
	if err != nil {
		return 0, nil, nil, err
	}
	read := func(name string) ([][]float32, error) {
		v, err := store.GetVariable(name).Value()
		if err != nil {
			return nil, err
		}
		return v.Value().([][]float32), nil
	}
	if newIn, err = read("/" + InputVar); err != nil {
		return 0, nil, nil, err
	}
	if newOut, err = read("/" + OutputVar); err != nil {
		return 0, nil, nil, err
	}
	return res[0].Value().(float32), newIn, newOut, nil
}
