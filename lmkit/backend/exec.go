package backend

import (
	"fmt"
	"reflect"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Why this file exists: from compute v0.1.14 on, the Go backend says it prefers constants for
// variables (Capabilities().PreferConstantsForVariables), and GoMLX then bakes the current value
// of every variable into a graph that is not marked as training. lmkit compiles evaluation,
// sampling, probe and classifier graphs once and runs them many times between training steps;
// with baked weights they would go on scoring the weights they were compiled with, silently.

// NewExec is model.NewExec for the graphs lmkit compiles once and runs many times while the
// weights change: evaluation, sampling, attention and state probes, classifiers. Before fn
// builds the graph, every variable of the store that holds a value is bound to the graph as a
// parameter, so each run reads the variables' current values whatever the backend prefers.
//
// Training steps mark their graph as training (model.Store.SetTraining), which GoMLX never
// bakes; they use model.NewExec, so that variables they do not use get no gradient.
//
// fn's first argument is the *model.Scope, as for model.NewExec; the graph is taken from its
// first *graph.Node (or *graph.Graph) argument.
func NewExec[F model.ExecGraphFn](b compute.Backend, store *model.Store, fn F) (*model.Exec, error) {
	if b == nil {
		return nil, fmt.Errorf("backend: no backend given (pass backend.Default())")
	}
	if store == nil {
		return nil, fmt.Errorf("backend: no model.Store given (pass the store that holds the model's variables)")
	}
	return model.NewExec(b, store, bindingWeights(fn))
}

// bindingWeights returns fn with the same signature, binding the store's variables to the
// graph (see bindWeights) before fn runs.
func bindingWeights[F model.ExecGraphFn](fn F) F {
	fv := reflect.ValueOf(fn)
	wrapped := reflect.MakeFunc(fv.Type(), func(args []reflect.Value) []reflect.Value {
		var scope *model.Scope
		var g *graph.Graph
		for _, a := range args {
			switch x := a.Interface().(type) {
			case *model.Scope:
				scope = x
			case *graph.Graph:
				g = x
			case *graph.Node:
				if g == nil && x != nil {
					g = x.Graph()
				}
			case []*graph.Node:
				if g == nil && len(x) > 0 && x[0] != nil {
					g = x[0].Graph()
				}
			}
		}
		if scope != nil && g != nil {
			bindWeights(scope.Store(), g)
		}
		return fv.Call(args)
	})
	return wrapped.Interface().(F)
}

// bindWeights makes every variable of store that has a value a parameter of g (GoMLX creates
// parameters, not constants, for the variables it first meets while a graph is training), and
// then restores g's training flag.
func bindWeights(store *model.Store, g *graph.Graph) {
	was := store.IsTraining(g)
	store.SetTraining(g, true)
	for v := range store.IterVariables() {
		if v.HasValue() {
			v.NodeValue(g)
		}
	}
	store.SetTraining(g, was)
}
