package transformer

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/runfolder"
	"github.com/llm-map/lab/lmkit/train"
)

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want []string
	}{
		{"width not divisible by heads", func(c *Config) { c.Dim, c.Heads = 130, 4 }, []string{"Config.Dim 130 is not divisible by Config.Heads 4", "Config.Dim 132"}},
		{"no vocabulary", func(c *Config) { c.Vocab = 1 }, []string{"vocabulary size 1"}},
		{"zero layers", func(c *Config) { c.Layers = 0 }, []string{"Config.Layers 0"}},
		{"dropout of 1", func(c *Config) { c.Dropout = 1 }, []string{"Config.Dropout 1"}},
		{"unknown positions", func(c *Config) { c.Positions = "sinusoid" }, []string{`"sinusoid"`, "learned", "rotary"}},
		{"odd rotary head", func(c *Config) { c.Positions, c.Dim, c.Heads = Rotary, 12, 4 }, []string{"odd", "rotary"}},
	} {
		c := BabyGPT(65)
		tc.edit(&c)
		_, err := New(c)
		if err == nil {
			t.Errorf("%s: New(%+v) succeeded", tc.name, c)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tc.name, err, w)
			}
		}
	}
	for _, c := range []Config{BabyGPT(65), ShakespeareChar(65)} {
		if _, err := New(c); err != nil {
			t.Errorf("preset %+v: %v", c, err)
		}
	}
}

// BabyGPT has nanoGPT's parameter count for 65 characters: 0.80M (804,096 with the position
// table, biases off, the output layer tied to the token embedding).
func TestBabyGPTParameters(t *testing.T) {
	m, err := New(BabyGPT(65))
	if err != nil {
		t.Fatal(err)
	}
	store := model.NewStore()
	if _, err := AttentionWeights(backend.MustDefault(), store, m, make([]int, 64)); err != nil {
		t.Fatal(err)
	}
	n := 0
	for v := range store.IterVariables() {
		if strings.HasPrefix(v.Path(), "/gpt/") {
			n += v.Shape().Size()
		}
	}
	if n != 804096 {
		t.Errorf("BabyGPT(65) has %d parameters, want nanoGPT's 804,096", n)
	}
	for _, path := range []string{"/gpt/embed/tokens", "/gpt/embed/positions", "/gpt/block_0/attention/qkv/weights",
		"/gpt/block_3/mlp/proj/weights", "/gpt/block_2/norm_2/gain", "/gpt/norm/gain"} {
		if store.GetVariable(path) == nil {
			t.Errorf("no variable %s", path)
		}
	}
}

// The first layer's attention weights equal softmax(q·k/sqrt(head width)) computed here from
// the stored variables, in plain Go: the scale is applied exactly once.
func TestAttentionScaledOnce(t *testing.T) {
	c := Config{Vocab: 11, Context: 6, Layers: 1, Heads: 2, Dim: 8}
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	store := model.NewStore()
	tokens := []int{3, 1, 4, 1, 5, 9}
	be := backend.MustDefault()
	if _, err := AttentionWeights(be, store, m, tokens); err != nil {
		t.Fatal(err)
	}
	// Larger weights than the 0.02 initialisation, so scores are of order 1 and a missing or
	// doubled scale shows.
	rng := rand.New(rand.NewPCG(3, 4))
	qkvVar := store.GetVariable("/gpt/block_0/attention/qkv/weights")
	qkvVar.MustSetValue(randTensor(rng, 0.7, 3*c.Dim, c.Dim))
	got, err := AttentionWeights(be, store, m, tokens)
	if err != nil {
		t.Fatal(err)
	}
	read := func(path string) []float32 {
		return tensors.MustCopyFlatData[float32](store.GetVariable(path).MustValue())
	}
	table, pos := read("/gpt/embed/tokens"), read("/gpt/embed/positions")
	gain, w := read("/gpt/block_0/norm_1/gain"), read("/gpt/block_0/attention/qkv/weights")
	d := c.Dim / c.Heads
	qkv := make([][]float64, len(tokens)) // per position, [3*C]
	for p, tok := range tokens {
		x := make([]float64, c.Dim)
		mean, variance := 0.0, 0.0
		for i := range x {
			x[i] = float64(table[tok*c.Dim+i] + pos[p*c.Dim+i])
			mean += x[i] / float64(c.Dim)
		}
		for i := range x {
			variance += (x[i] - mean) * (x[i] - mean) / float64(c.Dim)
		}
		for i := range x {
			x[i] = (x[i] - mean) / math.Sqrt(variance+1e-5) * float64(gain[i])
		}
		qkv[p] = make([]float64, 3*c.Dim)
		for o := range qkv[p] {
			for i := range x {
				qkv[p][o] += float64(w[o*c.Dim+i]) * x[i]
			}
		}
	}
	for h := 0; h < c.Heads; h++ {
		for q := range tokens {
			scores := make([]float64, q+1)
			total, top := 0.0, math.Inf(-1)
			for k := range scores {
				for i := 0; i < d; i++ {
					scores[k] += qkv[q][h*d+i] * qkv[k][c.Dim+h*d+i]
				}
				scores[k] /= math.Sqrt(float64(d))
				top = math.Max(top, scores[k])
			}
			for k := range scores {
				scores[k] = math.Exp(scores[k] - top)
				total += scores[k]
			}
			for k := range tokens {
				want := 0.0
				if k <= q {
					want = scores[k] / total
				}
				if diff := math.Abs(got[0][h][q][k] - want); diff > 1e-5 {
					t.Fatalf("head %d, query %d, key %d: attention %.5f, want %.5f", h, q, k, got[0][h][q][k], want)
				}
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	m, err := New(Config{Vocab: 10, Context: 8, Layers: 1, Heads: 2, Dim: 8})
	if err != nil {
		t.Fatal(err)
	}
	be := backend.MustDefault()
	store := model.NewStore()
	for _, tc := range []struct {
		name   string
		tokens []int
		want   string
	}{
		{"token outside the vocabulary", []int{1, 2, 10}, "token 10 at position 2 is outside the vocabulary of 10"},
		{"negative token", []int{-1}, "outside the vocabulary"},
		{"longer than the position table", make([]int, 9), "9 tokens are more than the model's position table of 8"},
		{"no tokens", nil, "no tokens"},
	} {
		if _, err := AttentionWeights(be, store, m, tc.tokens); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	// Training windows longer than the position table: the run stops with the same advice.
	task, _ := data.NewRecall(data.Recall{Keys: 3, Distractors: 4, Delay: 10, BatchSize: 4, Seed: 1}) // windows of 12 tokens
	small, _ := New(Config{Vocab: task.VocabSize(), Context: 8, Layers: 1, Heads: 1, Dim: 8})
	r, err := train.OpenTask(t.TempDir(), small, train.Task{Train: task, Val: task.EvalBatches(1), Data: task.Record()},
		train.Config{Steps: 1, Batch: 4, Context: task.Len(), LR: 1e-3, Backend: be})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Train(context.Background()); err == nil || !strings.Contains(err.Error(), "longer than the position table of 8 rows") {
		t.Errorf("training 12-token windows on an 8-position model: got %v", err)
	}
}

// Delayed recall (a key, distractors, then a query that asks for the key): a trained GPT
// answers it, and its attention at the query points back to the key, across the distractors
// an RNN would have to carry it through.
func TestRecallAttendsFromQueryToKey(t *testing.T) {
	for _, positions := range []Positions{Learned, Rotary} {
		t.Run(string(positions), func(t *testing.T) { recallAttendsToKey(t, positions) })
	}
}

func recallAttendsToKey(t *testing.T, positions Positions) {
	task, err := data.NewRecall(data.Recall{Keys: 4, Distractors: 8, Delay: 6, BatchSize: 32, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	// One layer: the answer at the query can only come from attending to the key.
	m, err := New(Config{Vocab: task.VocabSize(), Context: task.Len(), Layers: 1, Heads: 2, Dim: 32, Positions: positions})
	if err != nil {
		t.Fatal(err)
	}
	cfg := train.Config{Steps: 300, Batch: 32, Context: task.Len(), LR: 3e-3, Warmup: 20, Seed: 2, EvalEvery: 300}
	r, err := train.OpenTask(t.TempDir(), m, train.Task{Train: task, Val: task.EvalBatches(4), Data: task.Record()}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Train(context.Background()); err != nil {
		t.Fatal(err)
	}
	acc, err := r.Accuracy(task.EvalBatches(8))
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0.95 {
		t.Fatalf("recall accuracy %.3f after %d steps, want >= 0.95 (chance 0.25)", acc, cfg.Steps)
	}
	// Read attention on fresh sequences: at the query (last position), the head that attends
	// most to the key gives it the largest weight of the row, and most of the row.
	val := task.EvalBatches(1)[0]
	for row := 0; row < 8; row++ {
		seq := make([]int, task.Len())
		for i := range seq {
			seq[i] = int(val.X[row*val.T+i])
		}
		w, err := AttentionWeights(r.Backend, r.Store, m, seq)
		if err != nil {
			t.Fatal(err)
		}
		q := len(seq) - 1
		best, bestLayer, bestHead := 0.0, 0, 0
		for l := range w {
			for h := range w[l] {
				if w[l][h][q][0] > best {
					best, bestLayer, bestHead = w[l][h][q][0], l, h
				}
			}
		}
		rowW := w[bestLayer][bestHead][q]
		for k := 1; k < len(rowW); k++ {
			if rowW[k] >= best {
				t.Errorf("sequence %v: layer %d head %d gives key position 0 weight %.2f but position %d %.2f", seq, bestLayer, bestHead, best, k, rowW[k])
			}
		}
		if best < 0.5 {
			t.Errorf("sequence %v: the most key-attending head (layer %d, head %d) gives the key only %.2f of the query's attention", seq, bestLayer, bestHead, best)
		}
	}
}

// A run stopped halfway and resumed from its checkpoint ends exactly where an uninterrupted
// run does, including a position table sized by the training window (Context 0).
func TestResumeFollowsTheSameCurve(t *testing.T) {
	task, _ := data.NewRecall(data.Recall{Keys: 3, Distractors: 5, Delay: 4, BatchSize: 8, Seed: 9})
	cfg := train.Config{Steps: 20, Batch: 8, Context: task.Len(), LR: 3e-3, Seed: 4, EvalEvery: 5}
	newModel := func() *Model {
		m, err := New(Config{Vocab: task.VocabSize(), Layers: 1, Heads: 2, Dim: 16, Dropout: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	open := func(dir string) *train.Run {
		r, err := train.OpenTask(dir, newModel(), train.Task{Train: task, Val: task.EvalBatches(2), Data: task.Record()}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	whole, err := open(t.TempDir()).Train(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	first := open(dir)
	ctx, cancel := context.WithCancel(context.Background())
	first.OnRecord = func(rec runfolder.Record) {
		if rec.Step == 10 {
			cancel()
		}
	}
	if s, err := first.Train(ctx); err != nil || s.Steps != 10 {
		t.Fatalf("first half: %+v, %v", s, err)
	}
	resumed := open(dir)
	if resumed.Step() != 10 {
		t.Fatalf("resumed at step %d, want 10", resumed.Step())
	}
	second, err := resumed.Train(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if second.ValLoss != whole.ValLoss || second.TrainLoss != whole.TrainLoss {
		t.Errorf("resumed run ends at val %.6f train %.6f, uninterrupted at val %.6f train %.6f",
			second.ValLoss, second.TrainLoss, whole.ValLoss, whole.TrainLoss)
	}
}

// Bidirectional attention lets every position read every other, the future included; the
// default is causal: nothing above the diagonal.
func TestBidirectionalAttentionReadsTheFuture(t *testing.T) {
	for _, bi := range []bool{false, true} {
		m, err := New(Config{Vocab: 10, Layers: 1, Heads: 2, Dim: 8, Bidirectional: bi})
		if err != nil {
			t.Fatal(err)
		}
		w, err := AttentionWeights(backend.MustDefault(), model.NewStore(), m, []int{1, 2, 3, 4, 5})
		if err != nil {
			t.Fatal(err)
		}
		future, sum := 0.0, 0.0
		for k, v := range w[0][1][0] {
			sum += v
			if k > 0 {
				future += v
			}
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Errorf("bidirectional %v: the first query's weights sum to %v", bi, sum)
		}
		if bi != (future > 0.5) {
			t.Errorf("bidirectional %v: the first query puts %.3f on later positions", bi, future)
		}
	}
}

// Multi-query associative recall (data.MQAR): two layers learn to find each queried key among
// the pairs and answer its value. The learning rate matters: at 3e-3 this model stalls at 0.5,
// picking one of the values present without matching the key; at 3e-4 it answers all.
func TestGPTLearnsAssociativeRecall(t *testing.T) {
	task, err := data.NewMQAR(data.MQAR{Keys: 32, Values: 32, Pairs: 2, Queries: 2, BatchSize: 64, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Config{Vocab: task.VocabSize(), Layers: 2, Heads: 4, Dim: 64, Positions: Rotary})
	if err != nil {
		t.Fatal(err)
	}
	cfg := train.Config{Steps: 700, Batch: 64, Context: task.Len(), LR: 3e-4, Warmup: 50, ClipNorm: 1, Seed: 1, EvalEvery: 700}
	r, err := train.OpenTask(t.TempDir(), m, train.Task{Train: task, Val: task.EvalBatches(2), Data: task.Record()}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Train(context.Background()); err != nil {
		t.Fatal(err)
	}
	acc, err := r.Accuracy(task.EvalBatches(8))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("MQAR, 2 pairs among 32 keys: accuracy %.3f (chance %.3f)", acc, 1.0/32)
	if acc < 0.9 {
		t.Errorf("accuracy %.3f on held-out sequences, want at least 0.9", acc)
	}
}
