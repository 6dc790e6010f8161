package train_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/internal/labtest"
	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/mlp"
	"github.com/llm-map/lab/lmkit/runfolder"
	"github.com/llm-map/lab/lmkit/train"
)

func smallMLP(t *testing.T, p *data.Prepared) lm.Model {
	t.Helper()
	c := mlp.Default(p.Tok.VocabSize(), p.Split.Boundary)
	c.Embed, c.Hidden = 8, 32
	m, err := mlp.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func quickConfig() train.Config {
	return train.Config{Steps: 40, Batch: 16, Context: 16, LR: 1e-2, Seed: 7, EvalEvery: 10, EvalWindows: 64}
}

// The same seed on the same backend gives the same loss curve, step for step.
func TestSameSeedSameCurve(t *testing.T) {
	p := labtest.Names(t)
	a, _ := labtest.Train(t, t.TempDir(), smallMLP(t, p), p, quickConfig())
	b, _ := labtest.Train(t, t.TempDir(), smallMLP(t, p), p, quickConfig())
	if len(a.History) == 0 || len(a.History) != len(b.History) {
		t.Fatalf("history lengths %d and %d", len(a.History), len(b.History))
	}
	for i := range a.History {
		x, y := a.History[i], b.History[i]
		if x.Step != y.Step || x.TrainLoss != y.TrainLoss || (x.ValLoss == nil) != (y.ValLoss == nil) ||
			(x.ValLoss != nil && *x.ValLoss != *y.ValLoss) {
			t.Fatalf("record %d differs: %+v vs %+v", i, x, y)
		}
	}
	// And the loss actually fell: from ln(27) ≈ 3.30 at the start.
	if last := a.History[len(a.History)-1]; *last.ValLoss > 2.9 {
		t.Errorf("validation loss after 40 steps = %.3f, want below 2.9", *last.ValLoss)
	}
	// The parameter count is the model's trainable weights, not Adam's moments beside them.
	want := 0
	for v := range a.Store.IterVariables() {
		if v.Trainable {
			want += v.Shape().Size()
		}
	}
	if got := a.Params(); got != want {
		for v := range a.Store.IterVariables() {
			t.Logf("%s %s trainable=%v", v.Path(), v.Shape(), v.Trainable)
		}
		t.Errorf("Params() = %d, want %d (the trainable weights)", got, want)
	}
	cfg := quickConfig()
	cfg.Seed = 8
	c, _ := labtest.Train(t, t.TempDir(), smallMLP(t, p), p, cfg)
	if c.History[0].TrainLoss == a.History[0].TrainLoss {
		t.Error("a different seed gave the same first loss: the seed is not reaching initialisation or batches")
	}
}

// An interrupted run resumed from its checkpoint ends on the same curve as one that never stopped.
func TestResumeContinuesTheSameCurve(t *testing.T) {
	p := labtest.Names(t)
	_, whole := labtest.Train(t, t.TempDir(), smallMLP(t, p), p, quickConfig())

	dir := t.TempDir()
	r, err := train.Open(dir, smallMLP(t, p), p, quickConfig())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.OnRecord = func(rec runfolder.Record) {
		if rec.Step == 20 {
			cancel()
		}
	}
	s, err := r.Train(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.StoppedBy != "interrupt" || s.Steps != 20 {
		t.Fatalf("interrupted run stopped by %q at %d, want interrupt at 20", s.StoppedBy, s.Steps)
	}
	r2, err := train.Open(dir, smallMLP(t, p), p, quickConfig())
	if err != nil {
		t.Fatal(err)
	}
	if r2.Step() != 20 || len(r2.History) != len(r.History) {
		t.Fatalf("resumed at step %d with %d records, want 20 and %d", r2.Step(), len(r2.History), len(r.History))
	}
	resumed, err := r2.Train(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if resumed.ValLoss != whole.ValLoss || resumed.TrainLoss != whole.TrainLoss {
		t.Errorf("resumed run ends at train %.6f val %.6f, uninterrupted at %.6f %.6f",
			resumed.TrainLoss, resumed.ValLoss, whole.TrainLoss, whole.ValLoss)
	}
	var sum runfolder.Summary
	raw, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &sum); err != nil || sum.Steps != 40 || sum.Backend == "" {
		t.Errorf("summary.json = %s (%v)", raw, err)
	}
}

// nanModel produces NaN logits after its weight moves: the harness must stop with a clear error.
type nanModel struct{ vocab int }

func (m nanModel) Name() string   { return "nan" }
func (m nanModel) VocabSize() int { return m.vocab }
func (m nanModel) Lookback() int  { return 1 }
func (m nanModel) Logits(scope *model.Scope, tokens *Node) *Node {
	w := scope.WithInitializer(func(g *Graph, s shapes.Shape) *Node { return Ones(g, s) }).
		VariableWithShape("w", shapes.Make(dtypes.Float32, m.vocab)).NodeValue(tokens.Graph())
	logits := Log(Sub(w, Scalar(tokens.Graph(), dtypes.Float32, 1))) // log(0) = -Inf, then NaN
	b, tt := tokens.Shape().Dimensions[0], tokens.Shape().Dimensions[1]
	return BroadcastToDims(Reshape(logits, 1, 1, m.vocab), b, tt, m.vocab)
}

func TestNaNLossStopsWithClearError(t *testing.T) {
	p := labtest.Names(t)
	dir := t.TempDir()
	r, err := train.Open(dir, nanModel{p.Tok.VocabSize()}, p, quickConfig())
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Train(context.Background())
	if err == nil || !strings.Contains(err.Error(), "loss became") || !strings.Contains(err.Error(), "Config.LR") {
		t.Fatalf("want a NaN error that suggests a fix, got %v", err)
	}
}

func TestBadInputErrors(t *testing.T) {
	p := labtest.Names(t)
	m := smallMLP(t, p)
	tiny := &data.Prepared{Split: &data.Split{Train: [][]int{{1, 2, 3}}, Val: [][]int{{1, 2}}, Boundary: 0}}
	notDir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notDir, []byte("x"), 0o644)
	for _, tc := range []struct {
		name  string
		dir   string
		split *data.Prepared
		cfg   func(*train.Config)
		want  string
	}{
		{"corpus shorter than context", t.TempDir(), tiny, func(c *train.Config) { c.Context = 64 }, "fewer than context+1"},
		{"unwritable run folder", filepath.Join(notDir, "run"), p, nil, "choose a writable folder"},
		{"negative steps", t.TempDir(), p, func(c *train.Config) { c.Steps = -5 }, "Config.Steps -5"},
		{"zero learning rate", t.TempDir(), p, func(c *train.Config) { c.LR = 0 }, "Config.LR 0"},
		{"huge batch", t.TempDir(), p, func(c *train.Config) { c.Batch = 1 << 20 }, "Config.Batch"},
		{"bad schedule", t.TempDir(), p, func(c *train.Config) { c.Schedule = "linear" }, `Config.Schedule linear: must be Cosine ("cosine") or Constant ("constant")`},
		{"warm-up beyond steps", t.TempDir(), p, func(c *train.Config) { c.Warmup = 100 }, "Config.Warmup"},
		{"beta2 of 1", t.TempDir(), p, func(c *train.Config) { c.Beta2 = 1 }, "Config.Beta2 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := quickConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			_, err := train.Open(tc.dir, m, tc.split, cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// A run folder holding another model is refused instead of mixing two experiments.
func TestRunFolderHoldingAnotherModel(t *testing.T) {
	p := labtest.Names(t)
	dir := t.TempDir()
	cfg := quickConfig()
	cfg.Steps = 10
	labtest.Train(t, dir, smallMLP(t, p), p, cfg)
	c := mlp.Default(p.Tok.VocabSize(), p.Split.Boundary)
	other, _ := mlp.New(c)
	_, err := train.Open(dir, other, p, cfg)
	if err == nil || !strings.Contains(err.Error(), "cannot resume") || !strings.Contains(err.Error(), "model mlp") {
		t.Fatalf("got %v", err)
	}
}

func TestLearningRateSchedule(t *testing.T) {
	c := train.Config{Steps: 100, LR: 1, MinLR: 0.1, Warmup: 10, Schedule: "cosine"}
	if got := c.LearningRate(0); got != 0.1 {
		t.Errorf("first warm-up step lr = %v, want 0.1", got)
	}
	if got := c.LearningRate(10); got != 1 {
		t.Errorf("peak lr = %v, want 1", got)
	}
	if got := c.LearningRate(100); got < 0.0999 || got > 0.1001 {
		t.Errorf("final lr = %v, want 0.1", got)
	}
}

// -minutes stops a run on time with a checkpoint, and the same command resumes it.
func TestTimeBudgetStopsAndResumes(t *testing.T) {
	p := labtest.Names(t)
	dir := t.TempDir()
	cfg := quickConfig()
	cfg.Steps = 100000
	cfg.Minutes = 0.01 // 0.6 s
	r, err := train.Open(dir, smallMLP(t, p), p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.Train(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.StoppedBy != "minutes" || s.Steps < 1 || s.Steps >= cfg.Steps || s.ElapsedS > 30 {
		t.Fatalf("stopped by %q after %d steps and %.1f s, want the time budget", s.StoppedBy, s.Steps, s.ElapsedS)
	}
	r2, err := train.Open(dir, smallMLP(t, p), p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Step() != s.Steps {
		t.Fatalf("resumed at step %d, want %d", r2.Step(), s.Steps)
	}
}

// A graph compiled once must see the weights as they are when it runs, not as they were when
// it was compiled: evaluate (compiling the evaluation graph), train more steps, evaluate again
// with the same graph, and compare with a graph built afresh. With GoMLX baking variables into
// non-training graphs as constants (the Go backend of compute v0.1.14 asks for that), the
// second evaluation repeated the first.
func TestEvaluationGraphSeesTheCurrentWeights(t *testing.T) {
	p := labtest.Names(t)
	cfg := quickConfig()
	cfg.Steps, cfg.EvalEvery = 10, 1000
	m := smallMLP(t, p)
	r, err := train.Open(t.TempDir(), m, p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Ten steps first, so the weights hold values when the evaluation graph is compiled.
	if _, err := r.Train(context.Background()); err != nil {
		t.Fatal(err)
	}
	before, err := r.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	r.Config.Steps = 40
	if _, err := r.Train(context.Background()); err != nil {
		t.Fatal(err)
	}
	after, err := r.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := train.EvaluateStore(backend.MustDefault(), r.Store, m, p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("validation loss: %.4f after 10 steps, %.4f after 40 (same graph), %.4f (fresh graph)", before, after, fresh)
	if math.Abs(after-fresh) > 1e-5 {
		t.Errorf("after 30 more steps the compiled evaluation graph scores %.5f, a fresh graph %.5f: the compiled graph kept old weights", after, fresh)
	}
	if before-after < 0.05 {
		t.Errorf("validation loss %.4f before and %.4f after 30 more steps: training did not reach the evaluation graph", before, after)
	}
}

// A learning rate far too high with clipping off trains on with finite losses far above a
// uniform guess; the run stops with an error that says what to change, as a NaN stop does.
func TestDivergedRunStops(t *testing.T) {
	p := labtest.Names(t)
	cfg := quickConfig()
	cfg.Steps, cfg.LR, cfg.ClipNorm, cfg.EvalEvery = 200, 9.9, 0, 1000
	r, err := train.Open(t.TempDir(), smallMLP(t, p), p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Train(context.Background())
	if err == nil || !strings.Contains(err.Error(), "uniform guess") || !strings.Contains(err.Error(), "lower Config.LR") {
		t.Fatalf("training at lr 9.9 without clipping: %v; want a stop naming the uniform guess and the fix", err)
	}
	t.Log(err)
}

// NaN and infinite settings are refused before training: NaN slips past every range check,
// and JSON cannot record it in the run's config.
func TestNaNSettingsRefused(t *testing.T) {
	for _, tc := range []struct {
		flag string
		set  func(*train.Config)
	}{
		{"Config.ClipNorm", func(c *train.Config) { c.ClipNorm = math.NaN() }},
		{"Config.WeightDecay", func(c *train.Config) { c.WeightDecay = math.NaN() }},
		{"Config.LR", func(c *train.Config) { c.LR = math.Inf(1) }},
		{"Config.Beta2", func(c *train.Config) { c.Beta2 = math.NaN() }},
		{"Config.MinLR", func(c *train.Config) { c.MinLR = math.NaN() }},
	} {
		cfg := quickConfig()
		tc.set(&cfg)
		if err := train.Validate(cfg); err == nil || !strings.Contains(err.Error(), tc.flag) || !strings.Contains(err.Error(), "finite") {
			t.Errorf("%s: %v, want an error naming %s that asks for a finite number", tc.flag, err, tc.flag)
		}
	}
}

// Two writers on one run folder: the second is refused, with the holder named, before it
// touches the folder; once the first finishes, the folder opens again. A save cut short by a
// kill leaves a temporary file, which the next writer removes.
func TestOneWriterPerRunFolder(t *testing.T) {
	p := labtest.Names(t)
	dir := t.TempDir()
	first, err := train.Open(dir, smallMLP(t, p), p, quickConfig())
	if err != nil {
		t.Fatal(err)
	}
	lock, err := os.ReadFile(filepath.Join(dir, "lock"))
	if err != nil || !strings.Contains(string(lock), fmt.Sprintf("pid %d ", os.Getpid())) {
		t.Fatalf("the lock file should name this process: %q, %v", lock, err)
	}
	if _, err := train.Open(dir, smallMLP(t, p), p, quickConfig()); err == nil || !strings.Contains(err.Error(), "already open for training") {
		t.Fatalf("a second writer on the same folder: %v, want a refusal", err)
	}
	if _, err := first.Train(context.Background()); err != nil {
		t.Fatal(err)
	}
	leftover := filepath.Join(dir, ".checkpoint.bin.tmp-12345")
	if err := os.WriteFile(leftover, []byte("half a checkpoint"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := train.Open(dir, smallMLP(t, p), p, quickConfig())
	if err != nil {
		t.Fatalf("after the first run finished: %v", err)
	}
	defer again.Close()
	if again.Step() != quickConfig().Steps {
		t.Errorf("reopened at step %d, want the first run's %d", again.Step(), quickConfig().Steps)
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("the temporary file of an interrupted save is still there: %v", err)
	}
}
