package train

import (
	"fmt"
	"sort"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
)

// build compiles the training and evaluation steps.
func (r *Run) build() error {
	if r.trainExec != nil {
		return nil
	}
	cfg := r.Config
	opt := optimizer.Adam().WeightDecay(cfg.WeightDecay).Betas(0.9, cfg.Beta2).Done()
	var err error
	r.trainExec, err = model.NewExec(r.Backend, r.Store, func(scope *model.Scope, x, y, mask, lr *Node) (loss, gnorm *Node) {
		g := x.Graph()
		r.Store.SetTraining(g, true)
		logits := r.Model.Logits(scope, x)
		loss = lm.CrossEntropy(logits, y, mask)
		grads := scope.BuildTrainableVariablesGradientsGraph(loss)
		grads, gnorm = ClipGlobalNorm(grads, trainablePaths(scope, g), cfg.ClipNorm)
		optimizer.LearningRateVar(scope, dtypes.Float32, cfg.LR).SetNodeValue(lr)
		opt.(interface {
			UpdateGraphWithGradients(*model.Scope, []*Node, dtypes.DType)
		}).UpdateGraphWithGradients(scope, grads, loss.DType())
		return loss, gnorm
	})
	if err != nil {
		return err
	}
	r.evalExec, err = backend.NewExec(r.Backend, r.Store, func(scope *model.Scope, x, y, mask *Node) *Node {
		r.Store.SetTraining(x.Graph(), false)
		return lm.SumCrossEntropy(r.Model.Logits(scope, x), y, mask)
	})
	return err
}

// trainablePaths lists the variable paths in the order BuildTrainableVariablesGradientsGraph
// returns their gradients.
func trainablePaths(scope *model.Scope, g *Graph) []string {
	var paths []string
	for v := range scope.IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			paths = append(paths, v.Path())
		}
	}
	return paths
}

// ClipGlobalNorm scales all gradients down together so their joint L2 norm is at most maxNorm
// (GoMLX has per-value clipping only). It returns the clipped gradients and the norm before
// clipping. maxNorm 0 leaves the gradients as they are. The squares are summed in the order of
// the variables' paths, not the store's creation order, which differs after a resume: the
// norm, and so the clipping, must not depend on whether a run was interrupted.
func ClipGlobalNorm(grads []*Node, paths []string, maxNorm float64) ([]*Node, *Node) {
	g := grads[0].Graph()
	order := make([]int, len(grads))
	for i := range order {
		order[i] = i
	}
	if len(paths) == len(grads) {
		sort.Slice(order, func(a, b int) bool { return paths[order[a]] < paths[order[b]] })
	}
	sum := ScalarZero(g, grads[0].DType())
	for _, i := range order {
		sum = Add(sum, ReduceAllSum(Square(grads[i])))
	}
	norm := Sqrt(sum)
	if maxNorm <= 0 {
		return grads, norm
	}
	scale := Min(OnesLike(norm), Div(Scalar(g, norm.DType(), maxNorm), Add(norm, Scalar(g, norm.DType(), 1e-6))))
	out := make([]*Node, len(grads))
	for i, gr := range grads {
		out[i] = Mul(gr, scale)
	}
	return out, norm
}

func batchTensors(b *data.Batch) (x, y, mask *tensors.Tensor) {
	return tensors.FromFlatDataAndDimensions(b.X, b.B, b.T),
		tensors.FromFlatDataAndDimensions(b.Y, b.B, b.T),
		tensors.FromFlatDataAndDimensions(b.Mask, b.B, b.T)
}

func scalar(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("train: expected a float scalar, got %s", t.Shape()))
}
