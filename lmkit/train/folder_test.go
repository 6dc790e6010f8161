package train_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/llm-map/lab/internal/labtest"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/mlp"
	"github.com/llm-map/lab/lmkit/runfolder"
	"github.com/llm-map/lab/lmkit/train"
	"github.com/llm-map/lab/lmkit/transformer"
)

// namesFile copies names.txt to a file of the test's own (so the test can edit it) and prepares
// it, one name a line, from a relative path.
func namesFile(t *testing.T, lines bool) (string, *data.Prepared) {
	t.Helper()
	shared := labtest.SharedData(t)
	raw, err := os.ReadFile(filepath.Join(shared, "names.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "names.txt")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	p, err := data.Prepare(context.Background(), "./names.txt", data.Options{Lines: lines})
	if err != nil {
		t.Fatal(err)
	}
	return path, p
}

// Finding 2: what decides the data and its split is recorded: one document per line, the
// absolute path (so the record works from any folder), the text's fingerprint, the tokenizer
// and the split seed.
func TestRecordKeepsWhatDecidesTheSplit(t *testing.T) {
	path, p := namesFile(t, true)
	dir := filepath.Join(t.TempDir(), "run")
	cfg := quickConfig()
	cfg.Steps = 5
	labtest.Train(t, dir, smallMLP(t, p), p, cfg)
	rc, err := train.ReadRunConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := rc.Data
	if !d.Lines || d.Source != path || len(d.SHA256) != 64 || d.Tokenizer != "rune" || d.SplitSeed != data.SplitSeed {
		t.Fatalf("recorded %+v; want lines, the absolute path %s, a SHA-256, rune and the split seed", d, path)
	}
}

// Finding 3: a resume checks what it resumes. Edited data, another line mode or another
// tokenizer are refused with what differs; a checkpoint without a record is refused.
func TestResumeChecksDataTokenizerAndRecord(t *testing.T) {
	path, p := namesFile(t, true)
	dir := filepath.Join(t.TempDir(), "run")
	cfg := quickConfig()
	cfg.Steps = 5
	labtest.Train(t, dir, smallMLP(t, p), p, cfg)
	cfg.Steps = 10
	resume := func(p *data.Prepared) error {
		r, err := train.Open(dir, smallMLP(t, p), p, cfg)
		if err == nil {
			r.Close()
		}
		return err
	}
	if err := resume(p); err != nil {
		t.Fatalf("the same data should resume: %v", err)
	}

	// The file edited: every q made a Q. The alphabet keeps its size, so the model still
	// fits, but a rebuilt tokenizer shifts the ids of every letter after Q.
	raw, _ := os.ReadFile(path)
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(raw), "q", "Q")), 0o644); err != nil {
		t.Fatal(err)
	}
	edited, err := data.Prepare(context.Background(), path, data.Options{Lines: true})
	if err != nil {
		t.Fatal(err)
	}
	err = resume(edited)
	if err == nil || !strings.Contains(err.Error(), "SHA-256") || !strings.Contains(err.Error(), "tokenizer's tokens differ") {
		t.Errorf("resuming on an edited file: %v; want a refusal naming the changed text and tokenizer", err)
	}
	os.WriteFile(path, raw, 0o644)

	// Without -lines: the whole file is one document, so the split is not the recorded one.
	whole, err := data.Prepare(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := resume(whole); err == nil || !strings.Contains(err.Error(), "one document per line true then, false now") {
		t.Errorf("resuming without line mode: %v; want a refusal naming the line mode", err)
	}

	// A checkpoint without its config: refused, never guessed.
	if err := os.Remove(filepath.Join(dir, "config.json")); err != nil {
		t.Fatal(err)
	}
	gpt, err := transformer.New(transformer.Config{Vocab: p.Tok.VocabSize(), Layers: 1, Heads: 2, Dim: 16})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := train.Open(dir, gpt, p, cfg); err == nil || !strings.Contains(err.Error(), "no config.json") {
		t.Errorf("a folder with a checkpoint and no config: %v; want a refusal", err)
	}
}

// Finding 4: a model far larger than the machine is refused before it is built, naming the
// size, instead of ending in "fatal error: out of memory".
func TestModelTooLargeForTheMachineRefused(t *testing.T) {
	p := labtest.Names(t)
	for _, tc := range []struct {
		name    string
		c       transformer.Config
		context int
	}{
		{"dim 65536", transformer.Config{Vocab: p.Tok.VocabSize(), Layers: 1, Heads: 2, Dim: 65536}, 32},
		{"context 65536", transformer.Config{Vocab: p.Tok.VocabSize(), Layers: 1, Heads: 2, Dim: 32}, 65536},
	} {
		m, err := transformer.New(tc.c)
		if err != nil {
			t.Fatal(err)
		}
		cfg := quickConfig()
		cfg.Context = tc.context
		dir := filepath.Join(t.TempDir(), "run")
		start := time.Now()
		_, err = train.Open(dir, m, p, cfg)
		if err == nil || !strings.Contains(err.Error(), "needs about") || !strings.Contains(err.Error(), "more than this machine's") {
			t.Errorf("%s: %v; want a refusal naming the memory needed", tc.name, err)
		}
		if _, serr := os.Stat(dir); serr == nil {
			t.Errorf("%s: the refused run left a folder behind", tc.name)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: refusing took %v", tc.name, d)
		}
	}
	// The estimate is not an alarm for ordinary models.
	if _, err := train.Open(t.TempDir(), smallMLP(t, p), p, quickConfig()); err != nil {
		t.Fatal(err)
	}
}

// Finding 5: an interrupt during a long validation pass stops the run within a fraction of
// the pass, with a checkpoint at the step reached, no closing validation pass, and a summary
// that says "interrupt".
func TestInterruptDuringEvaluationStopsAtOnce(t *testing.T) {
	p := labtest.Names(t)
	c := mlp.Default(p.Tok.VocabSize(), p.Split.Boundary)
	m, err := mlp.New(c)
	if err != nil {
		t.Fatal(err)
	}
	cfg := train.Config{Steps: 100000, Batch: 1, Context: 8, LR: 1e-3, Seed: 1, EvalEvery: 3}
	// A long validation set: the names' validation documents three times over.
	long := *p
	long.Split = &data.Split{Train: p.Split.Train, Boundary: p.Split.Boundary, Tok: p.Split.Tok}
	for range 3 {
		long.Split.Val = append(long.Split.Val, p.Split.Val...)
	}
	p = &long
	dir := t.TempDir()
	r, err := train.Open(dir, m, p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := r.Evaluate(); err != nil { // compiles, and times one full pass
		t.Fatal(err)
	}
	pass := time.Since(start)
	start = time.Now()
	if _, err := r.Evaluate(); err != nil {
		t.Fatal(err)
	}
	pass = min(pass, time.Since(start))
	t.Logf("one validation pass: %v", pass)
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan time.Time, 1)
	armed := false
	r.OnRecord = func(rec runfolder.Record) {
		if rec.ValLoss != nil && !armed {
			// The next validation pass starts three steps on; cancel in the middle of it.
			armed = true
			time.AfterFunc(pass/2, func() { cancelled <- time.Now(); cancel() })
		}
	}
	s, err := r.Train(ctx)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(<-cancelled)
	t.Logf("stopped %v after the interrupt, at step %d", took, s.Steps)
	if s.StoppedBy != "interrupt" {
		t.Fatalf("stopped by %q, want interrupt", s.StoppedBy)
	}
	if took > pass/2+200*time.Millisecond {
		t.Errorf("the run took %v to stop after the interrupt; a validation pass takes %v: it finished the pass (or ran another)", took, pass)
	}
	again, err := train.Open(dir, m, p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Step() != s.Steps {
		t.Errorf("the checkpoint holds step %d, the run stopped at %d", again.Step(), s.Steps)
	}
}

// A run bounded by minutes that will stop long before its steps shows time against the
// budget, not "step 89/100000 (0%), ETA 15h".
func TestProgressCountsTheBoundThatStopsTheRun(t *testing.T) {
	p := labtest.Names(t)
	cfg := quickConfig()
	cfg.Steps, cfg.Minutes = 1000000, 0.01
	r, err := train.Open(t.TempDir(), smallMLP(t, p), p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	r.Progress = &out
	if _, err := r.Train(context.Background()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\r")
	last := lines[len(lines)-1]
	if !strings.Contains(last, "of 1s") || strings.Contains(last, "/1000000") {
		t.Errorf("progress %q: want time against the 0.6 s budget, not the million steps", last)
	}
}
