package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/llm-map/lab/internal/labtest"
)

// Finding 2: -lines and the absolute data path are recorded; lmkit eval -run, from another
// folder, scores the split the run trained on (the summary's validation loss), and a resume
// without -lines keeps the run's line mode.
func TestEvalAndResumeUseTheRecord(t *testing.T) {
	shared := labtest.SharedData(t)
	work := t.TempDir()
	raw, err := os.ReadFile(filepath.Join(shared, "names.txt"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(work, "names.txt"), raw, 0o644)
	run := filepath.Join(work, "run")
	t.Chdir(work)
	train := []string{"train", "-model", "mlp", "-data", "names.txt", "-lines", "-steps", "20", "-batch", "16", "-context", "16",
		"-hidden", "32", "-dim", "8", "-eval-windows", "64", "-quiet", "-run", run}
	if out, err := lmkit(t, train...); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := summary(t, run)
	t.Chdir(t.TempDir()) // elsewhere: the relative path names.txt is not here
	out, err := lmkit(t, "eval", "-run", run)
	if err != nil {
		t.Fatalf("eval from another folder: %v\n%s", err, out)
	}
	var loss float64
	if i := strings.Index(out, "loss "); i < 0 || parseFloat(out[i+5:], &loss) != nil || loss-s.ValLoss > 5e-4 || s.ValLoss-loss > 5e-4 {
		t.Fatalf("eval says %q; the run's own validation loss was %.4f", out, s.ValLoss)
	}
	// The text edited since: eval refuses to score a split that is no longer the run's.
	os.WriteFile(filepath.Join(work, "names.txt"), []byte(strings.ReplaceAll(string(raw), "q", "Q")), 0o644)
	if _, err := lmkit(t, "eval", "-run", run); err == nil || !strings.Contains(err.Error(), "has changed since the run") {
		t.Errorf("eval on an edited file: %v, want a refusal", err)
	}
	os.WriteFile(filepath.Join(work, "names.txt"), raw, 0o644)
	// Resume with -run and -steps alone: every other setting comes from the record.
	out, err = lmkit(t, "train", "-run", run, "-steps", "30", "-quiet")
	if err != nil || !strings.Contains(out, "resuming "+run+" from step 20") || !strings.Contains(out, "30 steps") {
		t.Fatalf("resume from the record: %v\n%s", err, out)
	}
}

func parseFloat(s string, v *float64) error {
	f := strings.Fields(s)
	if len(f) == 0 {
		return errors.New("empty")
	}
	_, err := fmt.Sscan(f[0], v)
	return err
}

// Finding 3: flags that contradict the run's record are refused before any data is read, and a
// folder with a checkpoint but no config is refused instead of guessed.
func TestResumeRefusesWhatContradictsTheRecord(t *testing.T) {
	labtest.SharedData(t)
	run := filepath.Join(t.TempDir(), "run")
	if out, err := lmkit(t, "train", "-model", "gpt", "-layers", "1", "-heads", "2", "-dim", "16", "-context", "16",
		"-batch", "8", "-data", "names", "-lines", "-steps", "3", "-quiet", "-run", run); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-model", "mlp"}, "-model mlp contradicts the run"},
		{[]string{"-data", "tinyshakespeare"}, "-data tinyshakespeare contradicts"},
		{[]string{"-lines=false"}, "-lines false contradicts"},
		{[]string{"-context", "32"}, "-context 32 contradicts"},
		{[]string{"-tokenizer", "bpe"}, "-tokenizer bpe contradicts"},
		{[]string{"-dim", "32"}, "-dim 32 contradicts the run"},
	} {
		out, err := lmkit(t, append([]string{"train", "-run", run, "-steps", "6", "-quiet"}, tc.args...)...)
		if err == nil || !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v\n%s\nwant a usage error containing %q", tc.args, err, out, tc.want)
		}
	}
	os.Remove(filepath.Join(run, "config.json"))
	if _, err := lmkit(t, "train", "-model", "mlp", "-data", "names", "-run", run, "-steps", "6", "-quiet"); err == nil || !strings.Contains(err.Error(), "no config.json") {
		t.Errorf("a checkpoint without a config: %v, want a refusal", err)
	}
}

// Finding 4: a GPT with -dim 65536 or -context 65536 is refused at once, naming the memory it
// would need, instead of ending in "fatal error: out of memory".
func TestModelTooLargeRefused(t *testing.T) {
	labtest.SharedData(t)
	for _, flags := range [][]string{{"-dim", "65536", "-heads", "2"}, {"-context", "65536"}} {
		args := append([]string{"train", "-model", "gpt", "-layers", "1", "-data", "names", "-steps", "2", "-quiet", "-run", filepath.Join(t.TempDir(), "r")}, flags...)
		start := time.Now()
		_, err := lmkit(t, args...)
		if err == nil || !strings.Contains(err.Error(), "needs about") || !strings.Contains(err.Error(), "-batch") {
			t.Errorf("%v: %v; want a refusal naming the memory and the flags to lower", flags, err)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%v: refused only after %v", flags, d)
		}
	}
}

// Finding 5: Ctrl-C stops a run within a second or two, with its checkpoint saved, and lmkit
// exits with 130; the same command then resumes it.
func TestInterruptedRunExits130(t *testing.T) {
	labtest.SharedData(t)
	dir := t.TempDir()
	args := []string{"train", "-model", "mlp", "-data", "names", "-steps", "100000", "-batch", "4", "-context", "8",
		"-eval-every", "5", "-quiet", "-run", dir}
	var out strings.Builder
	cmd := startTraining(t, dir, &out, args)
	time.Sleep(300 * time.Millisecond)
	sent := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	took := time.Since(sent)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("after Ctrl-C: %v\n%s\nwant exit status 130", err, out.String())
	}
	if took > 2*time.Second || !strings.Contains(out.String(), "stopped by interrupt at step") {
		t.Errorf("stopped %v after Ctrl-C:\n%s", took, out.String())
	}
	s := summary(t, dir)
	if s.StoppedBy != "interrupt" {
		t.Errorf("summary says stopped by %q", s.StoppedBy)
	}
	again := exec.Command(os.Args[0], append(args[:len(args)-2], "-steps", "1", "-run", dir)...)
	again.Env = cmd.Env
	got, _ := again.CombinedOutput()
	if !strings.Contains(string(got), "resuming "+dir+" from step") {
		t.Errorf("the interrupted run does not resume:\n%s", got)
	}
}

// Finding 8: a classifier started from a pre-trained GPT takes its window from the run's record
// (the default 64 used to fail inside graph compilation against a 32-row position table), and a
// -context longer than the body's position table is refused before anything is built.
func TestClassifierTakesTheWindowOfItsInitRun(t *testing.T) {
	labtest.SharedData(t)
	tmp := t.TempDir()
	pre := filepath.Join(tmp, "pre")
	if out, err := lmkit(t, "train", "-model", "gpt", "-layers", "1", "-heads", "2", "-dim", "16", "-context", "16",
		"-batch", "8", "-data", "nsmc_unlabeled", "-steps", "2", "-eval-windows", "8", "-quiet", "-run", pre); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	tsv := filepath.Join(os.Getenv("LMKIT_DATA_DIR"), "nsmc_train.tsv")
	out, err := lmkit(t, "classify", "train", "-data", tsv, "-limit", "200", "-init", pre, "-steps", "2", "-quiet", "-run", filepath.Join(tmp, "clf"))
	if err != nil {
		t.Fatalf("classifier with the init run's window: %v\n%s", err, out)
	}
	start := time.Now()
	_, err = lmkit(t, "classify", "train", "-data", tsv, "-limit", "200", "-init", pre, "-context", "64", "-steps", "2", "-quiet", "-run", filepath.Join(tmp, "clf64"))
	if err == nil || !strings.Contains(err.Error(), "-context 64 is longer than the 16 positions") {
		t.Fatalf("-context 64 on a 16-position body: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("refused after %v: it should be refused before compiling", d)
	}
}
