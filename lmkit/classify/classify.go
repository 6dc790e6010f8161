// Package classify puts a classification head on any lmkit language-model body: the
// transfer-learning step of the map. A body pre-trained as a language model is either frozen
// (only the head learns: its features are reused as they are) or fine-tuned (everything
// learns, starting from the pre-trained weights), or trained from scratch for comparison.
package classify

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/internal/outer"
	"github.com/llm-map/lab/lmkit/lm"
)

// Pooling turns per-position features into one vector per document.
type Pooling string

const (
	Mean Pooling = "mean" // average over the document's positions
	Last Pooling = "last" // the features at the closing boundary, which has read the whole document
	// Max takes each feature's largest value over the document's positions: a feature
	// that fires anywhere in the document (a telling word, say) counts however long the
	// document is, where the mean would dilute it (Kim 2014's max-over-time pooling).
	Max Pooling = "max"
)

// Check says what is wrong with a pooling.
func (p Pooling) Check() error {
	if p != Mean && p != Last && p != Max {
		return fmt.Errorf("classify: Pooling %q: use Mean (%q), Max (%q) or Last (%q)", string(p), Mean, Max, Last)
	}
	return nil
}

// Config of a classifier.
type Config struct {
	Classes  int     `json:"classes"`
	Pooling  Pooling `json:"pooling"`
	Freeze   bool    `json:"freeze"`   // keep the body's weights fixed: only the head learns
	Boundary int     `json:"boundary"` // token before and after each document (and padding after)
	// Standardize rescales each pooled vector to mean 0 and variance 1 before the head. A GPT
	// pre-trained with a tied output layer hands over features on its language-model head's
	// scale (notebook 03's: a new head started at a loss near 6, against ln 2 for a guess), on
	// which a frozen body's head trained at the usual rates never got below ln 2.
	Standardize bool `json:"standardize,omitempty"`
}

// Model is a body plus a linear head. It meets lm.Model so the training harness can train it:
// its logits [B, T, Classes] repeat the document's class logits at every position, and a task
// scores only position 0 (see Task).
type Model struct {
	Config
	Body lm.Body
}

// New checks the configuration.
func New(body lm.Body, c Config) (*Model, error) {
	switch {
	case body == nil:
		return nil, fmt.Errorf("classify: no body model given")
	case c.Classes < 2:
		return nil, fmt.Errorf("classify: need at least 2 classes, got %d", c.Classes)
	case c.Boundary < 0 || c.Boundary >= body.VocabSize():
		return nil, fmt.Errorf("classify: boundary token %d outside the body's vocabulary of %d", c.Boundary, body.VocabSize())
	}
	if err := c.Pooling.Check(); err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	return &Model{Config: c, Body: body}, nil
}

func (m *Model) Name() string   { return "classifier" }
func (m *Model) VocabSize() int { return m.Classes }
func (m *Model) Lookback() int  { return 0 }

// Logits: tokens [B, T] (boundary, document, boundary, padding) -> [B, T, Classes].
func (m *Model) Logits(scope *model.Scope, tokens *graph.Node) *graph.Node {
	g := tokens.Graph()
	training := scope.IsTraining(g)
	if training && m.Freeze {
		scope.SetTraining(g, false) // a frozen body computes as in evaluation: no dropout
	}
	feats := m.Body.Features(scope, tokens) // [B, T, D]
	scope.SetTraining(g, training)
	if m.Freeze {
		freeze(scope.Store(), m.Body.Scope())
		feats = graph.StopGradient(feats)
	}
	pooled := Pool(feats, tokens, m.Boundary, m.Pooling) // [B, D]
	if m.Standardize {
		pooled = standardize(pooled)
	}
	logits := layers.DenseWithBias(scope.In("classifier"), pooled, m.Classes)
	dims := tokens.Shape().Dimensions
	return graph.BroadcastToDims(graph.ExpandAxes(logits, 1), dims[0], dims[1], m.Classes)
}

// freeze marks every variable under /<prefix> as not trainable.
func freeze(store *model.Store, prefix string) {
	for v := range store.IterVariables() {
		if strings.HasPrefix(v.Path(), "/"+prefix+"/") {
			v.SetTrainable(false)
		}
	}
}

// Pool reduces features [B, T, D] to [B, D] over each row's document: the opening boundary,
// the document, and the closing boundary; padding after it is ignored.
func Pool(feats, tokens *graph.Node, boundary int, how Pooling) *graph.Node {
	isB := graph.ConvertDType(graph.Equal(tokens, graph.Scalar(tokens.Graph(), tokens.DType(), boundary)), dtypes.Float32) // [B, T]
	before := graph.Sub(graph.CumSum(isB, 1), isB)                                                                         // boundaries strictly before t
	valid := graph.LessOrEqual(before, graph.OnesLike(before))                                                             // [B, T] bool
	if how == Last {
		closing := graph.LogicalAnd(valid, graph.LogicalAnd(graph.ConvertDType(isB, dtypes.Bool), graph.GreaterThan(before, graph.ZerosLike(before))))
		w := graph.ConvertDType(closing, feats.DType())
		return graph.ReduceSum(graph.Mul(feats, graph.ExpandAxes(w, -1)), 1)
	}
	// The document's positions are weighed in by multiplies rather than GoMLX's masked
	// reductions: their Where (forward and gradient) against a broadcast mask walks compute
	// v0.1.14's per-element path, which took 66% of the window network's training step.
	dims := feats.Shape().Dimensions
	b, t, d := dims[0], dims[1], dims[2]
	w := graph.ConvertDType(valid, feats.DType()) // [B, T]: 1 on the document, 0 on padding
	if how == Max {
		// Padding sinks far below any feature: w-1 is 0 or -1, spread over the features as an
		// outer product with ones (a matmul, where a broadcast walks the per-element path).
		sink := outer.Cols(graph.MulScalar(graph.AddScalar(w, -1), 1e9), d) // [B·T, D]
		return graph.ReduceMax(graph.Add(feats, graph.Reshape(sink, b, t, d)), 1)
	}
	// Mean: for each row, w [1, T] times feats [T, D], over the count of document positions.
	sum := graph.Reshape(graph.DotGeneral(graph.Reshape(w, b, 1, t), []int{2}, []int{0}, feats, []int{1}, []int{0}), b, d)
	return graph.Div(sum, graph.ExpandAxes(graph.ReduceSum(w, 1), -1))
}

// savedConfig is how a classifier is written to a run's config.json: its own settings plus
// the body's model name and configuration, so the run can be rebuilt (models.FromConfig).
type savedConfig struct {
	Config
	Body       string          `json:"body"`
	BodyConfig json.RawMessage `json:"body_config"`
}

// MarshalJSON records the body by name and configuration.
func (m *Model) MarshalJSON() ([]byte, error) {
	bc, err := json.Marshal(m.Body)
	if err != nil {
		return nil, err
	}
	return json.Marshal(savedConfig{Config: m.Config, Body: m.Body.Name(), BodyConfig: bc})
}

// Rebuild is the inverse of MarshalJSON; body rebuilds the body from its name and config.
func Rebuild(raw json.RawMessage, body func(name string, raw json.RawMessage) (lm.Model, error)) (*Model, error) {
	var s savedConfig
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("classify: config %s: %w", raw, err)
	}
	b, err := body(s.Body, s.BodyConfig)
	if err != nil {
		return nil, err
	}
	lb, ok := b.(lm.Body)
	if !ok {
		return nil, fmt.Errorf("classify: model %s has no body features to classify with", s.Body)
	}
	return New(lb, s.Config)
}

// TrainingBytes is the body's estimate (lm.Sized), which its language-model head dominates
// from above; 0 for a body that cannot estimate.
func (m *Model) TrainingBytes(batch, context int) int64 {
	if s, ok := m.Body.(lm.Sized); ok {
		return s.TrainingBytes(batch, context)
	}
	return 0
}

// standardize rescales each pooled vector to mean 0 and variance 1 over its features.
func standardize(x *graph.Node) *graph.Node {
	mean := graph.ReduceAndKeep(x, graph.ReduceMean, -1)
	c := graph.Sub(x, mean)
	v := graph.ReduceAndKeep(graph.Square(c), graph.ReduceMean, -1)
	return graph.Div(c, graph.Sqrt(graph.AddScalar(v, 1e-5)))
}
