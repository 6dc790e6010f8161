package embed

import (
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
)

// The skip-gram negative-sampling objective (Mikolov et al. 2013), written out as the paper
// writes it: for a centre word c, its context word o and k negatives n_i,
//
//	loss = -log σ(u_o · v_c) - Σ_i log σ(-u_{n_i} · v_c)
//
// with v the input (embedding) vectors and u the output vectors. lmkit's GoMLX step
// (Network.Step) must give the same loss and move both tables exactly as gradient descent on
// it would, to 1e-5.
func TestSkipGramStepIsGradientDescentOnTheSGNSLoss(t *testing.T) {
	const vocab, dim, batch, negatives = 12, 6, 5, 3
	rng := rand.New(rand.NewPCG(4, 2))
	table := func() *tensors.Tensor {
		flat := make([]float32, vocab*dim)
		for i := range flat {
			flat[i] = float32(rng.NormFloat64() * 0.5)
		}
		return tensors.FromFlatDataAndDimensions(flat, vocab, dim)
	}
	in, out := table(), table()
	inCopy, outCopy := table(), table() // the store's own copies, overwritten below
	if err := inCopy.CopyFrom(in); err != nil {
		t.Fatal(err)
	}
	if err := outCopy.CopyFrom(out); err != nil {
		t.Fatal(err)
	}
	contexts := make([]int32, batch)
	targets := make([]int32, batch*(1+negatives))
	for b := range batch {
		contexts[b] = int32(rng.IntN(vocab))
		perm := rng.Perm(vocab) // distinct targets: the real one, then negatives
		for j := range 1 + negatives {
			targets[b*(1+negatives)+j] = int32(perm[j])
		}
	}
	mask, weights := make([]float32, batch), make([]float32, batch*(1+negatives))
	for i := range mask {
		mask[i] = 1
	}
	for i := range weights {
		weights[i] = 1
	}
	const lr = 0.05
	be := backend.MustDefault()

	// lmkit's step.
	store := model.NewStore()
	if _, err := store.CreateVariable("/"+InputVar, inCopy); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateVariable("/"+OutputVar, outCopy); err != nil {
		t.Fatal(err)
	}
	net := Network{Vocab: vocab, Dim: dim, Context: 1, Targets: 1 + negatives}
	step, err := model.NewExec(be, store, func(scope *model.Scope, c, m, tg, w, l *Node) *Node {
		return net.Step(scope, c, m, tg, w, l)
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := step.Exec(tensors.FromFlatDataAndDimensions(contexts, batch, 1), tensors.FromFlatDataAndDimensions(mask, batch, 1),
		tensors.FromFlatDataAndDimensions(targets, batch, 1+negatives), tensors.FromFlatDataAndDimensions(weights, batch, 1+negatives),
		tensors.FromValue(float32(lr)))
	if err != nil {
		t.Fatal(err)
	}
	lossMine := float64(res[0].Value().(float32))

	// The paper's loss, and gradient descent on it by autodiff.
	ref := MustNewExec(be, func(v, u, c, tg *Node) []*Node {
		vc := Gather(v, ExpandAxes(c, -1))            // [B, D]
		uo := Gather(u, ExpandAxes(tg, -1))           // [B, 1+K, D]
		dots := Einsum("bd,btd->bt", vc, uo)          // [B, 1+K]
		pos := Slice(dots, AxisRange(), AxisElem(0))  // u_o · v_c
		neg := Slice(dots, AxisRange(), AxisRange(1)) // u_n · v_c
		loss := Neg(Add(ReduceAllSum(Log(Sigmoid(pos))), ReduceAllSum(Log(Sigmoid(Neg(neg))))))
		grads := Gradient(loss, v, u)
		return []*Node{loss, Sub(v, MulScalar(grads[0], lr)), Sub(u, MulScalar(grads[1], lr))}
	})
	want := ref.MustExec(in, out, tensors.FromFlatDataAndDimensions(contexts, batch), tensors.FromFlatDataAndDimensions(targets, batch, 1+negatives))
	lossRef := float64(want[0].Value().(float32))
	if math.Abs(lossMine-lossRef) > 1e-5*math.Max(1, lossRef) {
		t.Errorf("loss: lmkit's step %.7f, the SGNS formula %.7f", lossMine, lossRef)
	}
	for i, name := range []string{"/" + InputVar, "/" + OutputVar} {
		got, err := store.GetVariable(name).Value()
		if err != nil {
			t.Fatal(err)
		}
		a, b := tensors.MustCopyFlatData[float32](got), tensors.MustCopyFlatData[float32](want[1+i])
		worst := 0.0
		for j := range a {
			worst = math.Max(worst, math.Abs(float64(a[j]-b[j])))
		}
		if worst > 1e-5 {
			t.Errorf("%s after one step differs from gradient descent on the SGNS loss by %.3g", name, worst)
		}
	}
}
