package rnn

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/support/exceptions"
)

// Truncated back-propagation through time, as char-rnn does it: the hidden state at the end of
// a training batch is where the next batch starts, so the model learns from context longer
// than one window, while gradients stop at the window's edge.
//
// Evaluation and sampling start every window from a zero state (they score windows as every
// other lmkit model does), and a model trained only on carried states meets the zero state
// as something it has never seen: an Elman RNN at 2 x 128 reached a training loss of 1.87 on
// Tiny Shakespeare while its validation loss rose from 2.39 to 3.44. So each row's carried
// state is dropped, and the row starts from zero, with probability ResetRate at every batch:
// about one window in ten, as in evaluation, nine in ten with the longer context.
//
// The state lives in
// non-trainable variables, <cell>/state/layer_<l>/{h,c} of shape [H, B], which the training
// step reads and overwrites; checkpoints save them like any variable, so a resumed run carries
// on with exactly the state an uninterrupted one would have. It only makes sense when row i of
// a batch continues row i of the batch before: the harness reads text in lanes (data.Lanes)
// for lm.Stateful models.

// stateNames are the parts of a cell's state, in the order scan takes them.
var stateNames = []string{"h", "c"}

// ResetRate is the probability that a training row's carried state is dropped at a batch.
const ResetRate = 0.1

// carried is the state variables of one training graph.
type carried struct {
	g    *Graph
	vars [][]*model.Variable // [layer][part]
	keep *Node               // [H, B]: 1 where a row keeps its carried state, 0 where it restarts
}

// carriedState finds or creates the state variables for batches of b rows. A saved state of
// another batch size is an error, unless ResetState was called.
func (m *Model) carriedState(scope *model.Scope, g *Graph, b int) *carried {
	c := &carried{g: g, vars: make([][]*model.Variable, m.Layers)}
	want := shapes.Make(dtypes.Float32, m.Hidden, b)
	draw := scope.RandomUniform(g, shapes.Make(dtypes.Float32, 1, b))
	c.keep = BroadcastToDims(ConvertDType(GreaterOrEqual(draw, Scalar(g, dtypes.Float32, ResetRate)), dtypes.Float32), m.Hidden, b)
	st := scope.In("state")
	for l := range m.Layers {
		ls := st.In("layer_%d", l).WithInitializer(Zeros)
		for _, name := range stateNames[:stateParts(m.Cell)] {
			if old := ls.GetVariable(name); old != nil && !old.Shape().Equal(want) {
				if !m.fresh {
					exceptions.Panicf("rnn: the carried state %s is for batches of %d rows but this batch has %d: resume with train.Config.Batch %d, or call ResetState on the model to start the state afresh",
						old.Path(), old.Shape().Dimensions[1], b, old.Shape().Dimensions[1])
				}
				if err := ls.DeleteVariable(name); err != nil {
					panic(fmt.Errorf("rnn: resetting %s: %w", old.Path(), err))
				}
			}
			v := ls.VariableWithShape(name, want)
			v.Trainable = false
			if m.fresh {
				// Zero it inside the graph: a saved value of the right shape is dropped too.
				v.SetValueGraph(Zeros(g, want))
			}
			c.vars[l] = append(c.vars[l], v)
		}
	}
	m.fresh = false
	return c
}

// read is layer l's state part i as the batch starts: the carried one, or zero for the rows
// that restart.
func (c *carried) read(l, i int) *Node { return Mul(c.vars[l][i].NodeValue(c.g), c.keep) }

// write keeps layer l's state part i for the next batch; no gradient flows through it.
func (c *carried) write(l, i int, v *Node) { c.vars[l][i].SetValueGraph(StopGradient(v)) }

// ResetState makes the next training graph start the carried state from zeros, replacing a
// saved state of any batch size (meets lm.Stateful). Graphs already built are not affected.
func (m *Model) ResetState() { m.fresh = true }

// Carries reports whether training carries the state across batches (Config.Carry).
func (m *Model) Carries() bool { return m.Carry }
