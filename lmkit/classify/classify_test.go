package classify_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/classify"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/mlp"
	"github.com/llm-map/lab/lmkit/text"
	"github.com/llm-map/lab/lmkit/train"
	"github.com/llm-map/lab/lmkit/transformer"
)

// docs makes reviews of random letters; label 1 when the letter 'z' occurs ("a word a person
// would have to know to look for"), which a character model's features can detect.
func docs(n int, seed uint64) []data.Labeled {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]data.Labeled, n)
	for i := range out {
		var b strings.Builder
		label := rng.IntN(2)
		length := 6 + rng.IntN(10)
		zAt := rng.IntN(length)
		for j := 0; j < length; j++ {
			if label == 1 && j == zAt {
				b.WriteByte('z')
			} else {
				b.WriteByte("abcdefgh"[rng.IntN(8)])
			}
		}
		out[i] = data.Labeled{ID: "x", Text: b.String(), Label: label}
	}
	return out
}

func setup(t *testing.T, freeze bool, pooling classify.Pooling) (*classify.Model, *text.Rune, *classify.Encoded, *classify.Encoded) {
	t.Helper()
	tok := text.NewRune("abcdefghz", data.Boundary)
	body, err := mlp.New(mlp.Config{Vocab: tok.VocabSize(), Context: 2, Embed: 8, Hidden: 32, Boundary: 0})
	if err != nil {
		t.Fatal(err)
	}
	m, err := classify.New(body, classify.Config{Classes: 2, Pooling: pooling, Freeze: freeze, Boundary: 0})
	if err != nil {
		t.Fatal(err)
	}
	tr, va := sets(t, tok)
	return m, tok, tr, va
}

// sets encodes the synthetic training and validation documents.
func sets(t *testing.T, tok *text.Rune) (tr, va *classify.Encoded) {
	t.Helper()
	tr, err := classify.Encode(docs(400, 1), tok, 0, 20)
	if err != nil {
		t.Fatal(err)
	}
	va, err = classify.Encode(docs(200, 2), tok, 0, 20)
	if err != nil {
		t.Fatal(err)
	}
	return tr, va
}

func fit(t *testing.T, m *classify.Model, tr, va *classify.Encoded, steps int) *train.Run {
	t.Helper()
	cfg := train.Config{Steps: steps, Batch: 32, Context: 20, LR: 1e-2, Seed: 1, EvalEvery: steps}
	r, err := train.OpenTask(t.TempDir(), m, classify.Task(tr, va, 32, 1), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Train(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r
}

// An MLP body sees two characters at a time; averaged over the document (mean pooling), its
// features tell whether a 'z' occurred anywhere, and with max pooling one feature that fires
// on 'z' is enough wherever the 'z' is.
func TestClassifierLearnsWhatTheBodySees(t *testing.T) {
	for _, how := range []classify.Pooling{classify.Mean, classify.Max} {
		m, _, tr, va := setup(t, false, how)
		r := fit(t, m, tr, va, 150)
		acc, err := r.Accuracy(va.All(32))
		if err != nil {
			t.Fatal(err)
		}
		if acc < 0.9 {
			t.Errorf("%s pooling: validation accuracy %.3f, want >= 0.9 (chance 0.5)", how, acc)
		}
	}
}

// A GPT body reads the whole document through attention: with last-token pooling, the
// closing boundary's features alone tell whether a 'z' occurred anywhere before it.
func TestGPTBodyClassifies(t *testing.T) {
	tok := text.NewRune("abcdefghz", data.Boundary)
	body, err := transformer.New(transformer.Config{Vocab: tok.VocabSize(), Context: 20, Layers: 1, Heads: 2, Dim: 32})
	if err != nil {
		t.Fatal(err)
	}
	m, err := classify.New(body, classify.Config{Classes: 2, Pooling: classify.Last, Boundary: 0})
	if err != nil {
		t.Fatal(err)
	}
	tr, va := sets(t, tok)
	r := fit(t, m, tr, va, 150)
	acc, err := r.Accuracy(va.All(32))
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0.9 {
		t.Errorf("validation accuracy %.3f with a GPT body, want >= 0.9 (chance 0.5)", acc)
	}
	// Probabilities agree with Accuracy's hits, one per document, in order.
	probs, err := classify.Probabilities(backend.MustDefault(), r.Store, m, va, 32)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != len(va.Rows) {
		t.Fatalf("%d probabilities for %d documents", len(probs), len(va.Rows))
	}
	hits := 0
	for i, p := range probs {
		if p < 0 || p > 1 {
			t.Fatalf("probability %v outside [0, 1]", p)
		}
		if (p >= 0.5) == (va.Labels[i] == 1) {
			hits++
		}
	}
	if got := float64(hits) / float64(len(probs)); got != acc {
		t.Errorf("accuracy from probabilities %.4f, Accuracy said %.4f", got, acc)
	}
}

// Pooling reads the document and its two boundaries, never the padding after it.
func TestPoolingCoversTheDocument(t *testing.T) {
	// Row: boundary(0) 5 6 boundary(0) pad(0) pad(0); the padding holds the largest features.
	tokens := [][]int32{{0, 5, 6, 0, 0, 0}, {0, 7, 0, 0, 0, 0}}
	feats := [][][]float32{{{3}, {9}, {2}, {4}, {50}, {60}}, {{3}, {6}, {3}, {70}, {80}, {90}}}
	for _, tc := range []struct {
		how  classify.Pooling
		want [2]float32
	}{{classify.Mean, [2]float32{4.5, 4}}, {classify.Last, [2]float32{4, 3}}, {classify.Max, [2]float32{9, 6}}} {
		exec, err := graph.NewExec(backend.MustDefault(), func(f, tok *graph.Node) *graph.Node {
			return classify.Pool(f, tok, 0, tc.how)
		})
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Exec(feats, tokens)
		if err != nil {
			t.Fatal(err)
		}
		got := tensors.MustCopyFlatData[float32](out[0])
		if got[0] != tc.want[0] || got[1] != tc.want[1] {
			t.Errorf("%s pooling = %v, want %v", tc.how, got, tc.want)
		}
	}
}

// Freezing keeps the body's weights exactly as they were while the head learns.
func TestFrozenBodyDoesNotMove(t *testing.T) {
	m, _, tr, va := setup(t, true, classify.Mean)
	r := fit(t, m, tr, va, 1)
	before := tensors.MustCopyFlatData[float32](r.Store.GetVariable("/mlp/hidden/dense/weights").MustValue())
	head := tensors.MustCopyFlatData[float32](r.Store.GetVariable("/classifier/dense/weights").MustValue())
	r.Config.Steps = 30
	if _, err := r.Train(context.Background()); err != nil {
		t.Fatal(err)
	}
	after := tensors.MustCopyFlatData[float32](r.Store.GetVariable("/mlp/hidden/dense/weights").MustValue())
	headAfter := tensors.MustCopyFlatData[float32](r.Store.GetVariable("/classifier/dense/weights").MustValue())
	for i := range before {
		if before[i] != after[i] {
			t.Fatalf("frozen body weight %d moved: %v -> %v", i, before[i], after[i])
		}
	}
	moved := false
	for i := range head {
		moved = moved || head[i] != headAfter[i]
	}
	if !moved {
		t.Error("the head did not learn while the body was frozen")
	}
}

func TestInitFromCopiesTheBody(t *testing.T) {
	m, _, tr, va := setup(t, false, classify.Mean)
	pre := fit(t, m, tr, va, 20) // stands in for a pre-trained run: it has /mlp weights
	m2, _, _, _ := setup(t, true, classify.Mean)
	r, err := train.OpenTask(t.TempDir(), m2, classify.Task(tr, va, 32, 1),
		train.Config{Steps: 1, Batch: 32, Context: 20, LR: 1e-2, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	n, err := classify.InitFrom(r.Store, pre.Dir, m2.Body)
	if err != nil || n != 3 {
		t.Fatalf("copied %d variables (%v), want the MLP body's 3: embeddings, hidden weights and biases", n, err)
	}
	want := tensors.MustCopyFlatData[float32](pre.Store.GetVariable("/mlp/hidden/dense/weights").MustValue())
	got := tensors.MustCopyFlatData[float32](r.Store.GetVariable("/mlp/hidden/dense/weights").MustValue())
	for i := range want {
		if want[i] != got[i] {
			t.Fatalf("weight %d: %v, pre-trained %v", i, got[i], want[i])
		}
	}
	if _, err := classify.InitFrom(r.Store, t.TempDir(), m2.Body); err == nil || !strings.Contains(err.Error(), "no checkpoint") {
		t.Errorf("init from an empty folder: %v", err)
	}
}

func TestForeignVocabularyIsRefused(t *testing.T) {
	tok := text.NewRune("abcdefgh", data.Boundary) // an English-letters vocabulary
	err := classify.CheckCoverage([]data.Labeled{{Text: "정말 재미있는 영화", Label: 1}}, tok)
	if err == nil || !strings.Contains(err.Error(), "pre-train on text like this") {
		t.Fatalf("Korean reviews with an English vocabulary: %v", err)
	}
}

// The learned feature that votes most for "has a z" fires, in each document with a z, at a
// window holding the z: Activations and HeadWeights show what a feature responds to.
func TestStrongestFeatureFindsTheZ(t *testing.T) {
	m, tok, tr, va := setup(t, false, classify.Max)
	r := fit(t, m, tr, va, 150)
	w, err := classify.HeadWeights(r.Store, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != 32 || len(w[0]) != 2 {
		t.Fatalf("head weights %dx%d, want 32x2", len(w), len(w[0]))
	}
	best := 0
	for f := range w {
		if w[f][1]-w[f][0] > w[best][1]-w[best][0] {
			best = f
		}
	}
	acts, err := classify.Activations(backend.MustDefault(), r.Store, m, va, 32)
	if err != nil {
		t.Fatal(err)
	}
	z, _ := tok.ID("z")
	rows := docs(200, 2)
	found, withZ := 0, 0
	for d, row := range rows {
		if got, want := len(acts[d]), len([]rune(row.Text))+2; got != want {
			t.Fatalf("document %d: %d positions of activations, want %d (boundary, text, boundary)", d, got, want)
		}
		if row.Label != 1 {
			continue
		}
		withZ++
		top := 0
		for p := range acts[d] {
			if acts[d][p][best] > acts[d][top][best] {
				top = p
			}
		}
		// The body reads 2 tokens: the window at p holds tokens p-1 and p.
		if va.Rows[d][top] == int32(z) || (top > 0 && va.Rows[d][top-1] == int32(z)) {
			found++
		}
	}
	if frac := float64(found) / float64(withZ); frac < 0.9 {
		t.Errorf("feature %d (strongest vote for z) peaks on a window with the z in %.2f of documents, want >= 0.9", best, frac)
	}
}

// loud is a body without weights whose features are the one-hot token times a scale: the
// shape of a pre-trained GPT's features, which come on its language-model head's scale.
type loud struct {
	*mlp.Model
	scale float64
}

func (l loud) Features(scope *model.Scope, tokens *graph.Node) *graph.Node {
	v := l.VocabSize()
	oneHot := graph.OneHot(graph.ConvertDType(tokens, dtypes.Int32), v, dtypes.Float32)
	return graph.MulScalar(oneHot, l.scale)
}
func (l loud) Width() int { return l.VocabSize() }

// Standardize makes the head read features of any scale alike: at scale 1000 an unscaled head
// starts saturated (most probabilities at 0 or 1, as notebook 03's frozen GPT started at a
// loss near 6), while the standardized one learns the 'z' task equally from scale 1 and 1000.
func TestStandardizeReadsFeaturesOfAnyScale(t *testing.T) {
	tok := text.NewRune("abcdefghz", data.Boundary)
	tr, va := sets(t, tok)
	run := func(scale float64, standardize bool, steps int) (*classify.Model, *train.Run) {
		inner, err := mlp.New(mlp.Config{Vocab: tok.VocabSize(), Context: 2, Embed: 4, Hidden: 4, Boundary: 0})
		if err != nil {
			t.Fatal(err)
		}
		m, err := classify.New(loud{inner, scale}, classify.Config{Classes: 2, Pooling: classify.Max, Standardize: standardize, Boundary: 0})
		if err != nil {
			t.Fatal(err)
		}
		return m, fit(t, m, tr, va, steps)
	}
	saturated := func(m *classify.Model, r *train.Run) float64 {
		probs, err := classify.Probabilities(backend.MustDefault(), r.Store, m, va, 32)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range probs {
			if p < 1e-3 || p > 1-1e-3 {
				n++
			}
		}
		return float64(n) / float64(len(probs))
	}
	if s := saturated(run(1000, false, 1)); s < 0.8 {
		t.Errorf("without Standardize at scale 1000, %.2f of the probabilities are saturated after one step; want most (the failure Standardize is for)", s)
	}
	if s := saturated(run(1000, true, 1)); s > 0.1 {
		t.Errorf("with Standardize at scale 1000, %.2f of the probabilities are saturated after one step; want few", s)
	}
	var accs []float64
	for _, scale := range []float64{1, 1000} {
		_, r := run(scale, true, 150)
		acc, err := r.Accuracy(va.All(32))
		if err != nil {
			t.Fatal(err)
		}
		if acc < 0.9 {
			t.Errorf("standardized head at feature scale %g: validation accuracy %.3f, want >= 0.9", scale, acc)
		}
		accs = append(accs, acc)
	}
	if math.Abs(accs[0]-accs[1]) > 0.02 {
		t.Errorf("standardized head: accuracy %.3f at scale 1 but %.3f at scale 1000; want the same", accs[0], accs[1])
	}
}
