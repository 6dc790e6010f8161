package embed

import (
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

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
	table := func() [][]float32 {
		rows := make([][]float32, vocab)
		for i := range rows {
			rows[i] = make([]float32, dim)
			for j := range rows[i] {
				rows[i][j] = float32(rng.NormFloat64() * 0.5)
			}
		}
		return rows
	}
	in, out := table(), table()
	centres := make([]int32, batch)
	targets := make([][]int32, batch)
	flat := make([]int32, 0, batch*(1+negatives))
	for b := range batch {
		centres[b] = int32(rng.IntN(vocab))
		perm := rng.Perm(vocab) // distinct targets: the real one, then negatives
		for j := range 1 + negatives {
			targets[b] = append(targets[b], int32(perm[j]))
		}
		flat = append(flat, targets[b]...)
	}
	const lr = 0.05
	be := backend.MustDefault()

	// lmkit's step.
	lossMine, gotIn, gotOut, err := SkipGramStep(be, in, out, centres, targets, lr)
	if err != nil {
		t.Fatal(err)
	}

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
	want := ref.MustExec(in, out, centres, tensors.FromFlatDataAndDimensions(flat, batch, 1+negatives))
	lossRef := float64(want[0].Value().(float32))
	if math.Abs(float64(lossMine)-lossRef) > 1e-5*math.Max(1, lossRef) {
		t.Errorf("loss: lmkit's step %.7f, the SGNS formula %.7f", lossMine, lossRef)
	}
	for i, got := range [][][]float32{gotIn, gotOut} {
		ref := want[1+i].Value().([][]float32)
		worst := 0.0
		for r := range got {
			for j := range got[r] {
				worst = math.Max(worst, math.Abs(float64(got[r][j]-ref[r][j])))
			}
		}
		if worst > 1e-5 {
			t.Errorf("table %d after one step differs from gradient descent on the SGNS loss by %.3g", i, worst)
		}
	}
}
