package transformer

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/ml/nn"
)

// layerNorm normalizes the last axis to zero mean and unit variance, then scales by a learned
// gain (and shifts by a learned bias when Config.Bias).
func (m *Model) layerNorm(scope *model.Scope, x *Node, train bool) *Node {
	g := x.Graph()
	c := x.Shape().Dimensions[x.Rank()-1]
	gain := scope.WithInitializer(initializer.One).VariableWithShape("gain", shapes.Make(x.DType(), c)).ValueGraph(g)
	var bias *Node
	if m.Bias {
		bias = scope.WithInitializer(initializer.Zero).VariableWithShape("bias", shapes.Make(x.DType(), c)).ValueGraph(g)
	}
	return nn.LayerNorm(x, []int{-1}, 1e-5, gain, bias, nil)
}

// softmax over the last axis.
func softmax(x *Node, train bool) *Node { return Softmax(x, -1) }

// gelu is the exact GELU, x * Φ(x), as nanoGPT's nn.GELU().
func gelu(x *Node, train bool) *Node { return activation.Gelu(x) }

var (
	_ = math.Pi
	_ = dtypes.Float32
)
