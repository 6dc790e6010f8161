package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/llm-map/lab/internal/labtest"
)

// A small GPT trained briefly on Tiny Shakespeare beats the count bigram's loss on it (2.48),
// samples lines with top-k and top-p, and evaluates from its run folder.
func TestGPTTrainsSamplesAndEvaluates(t *testing.T) {
	labtest.SharedData(t)
	dir := t.TempDir()
	out, err := lmkit(t, "train", "-model", "gpt", "-data", "tinyshakespeare", "-run", dir, "-layers", "2", "-heads", "2",
		"-dim", "48", "-context", "32", "-batch", "16", "-steps", "300", "-lr", "6e-3", "-warmup", "30", "-eval-windows", "256", "-quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := summary(t, dir)
	t.Logf("gpt (2 layers, width 48) on tinyshakespeare: val %.4f train %.4f in %.1f s, %.0f tokens/s", s.ValLoss, s.TrainLoss, s.ElapsedS, s.TokensPerSec)
	if s.ValLoss > 2.42 {
		t.Errorf("validation loss %.4f after 300 steps, want <= 2.42 (the count bigram reaches 2.48)", s.ValLoss)
	}
	a, err := lmkit(t, "sample", "-run", dir, "-n", "3", "-max-tokens", "60", "-temperature", "0.8", "-top-k", "10", "-top-p", "0.9", "-seed", "5")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := lmkit(t, "sample", "-run", dir, "-n", "3", "-max-tokens", "60", "-temperature", "0.8", "-top-k", "10", "-top-p", "0.9", "-seed", "5")
	if a != b || len(strings.Fields(a)) < 3 {
		t.Errorf("samples with one seed differ or are empty:\n%q\n%q", a, b)
	}
	eval, err := lmkit(t, "eval", "-run", dir)
	if err != nil || !strings.Contains(eval, "gpt (step 300) on tinyshakespeare validation: loss") {
		t.Errorf("eval: %v %q", err, eval)
	}
}

func TestGPTBadFlags(t *testing.T) {
	labtest.SharedData(t)
	tmp := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"width not divisible by heads", []string{"-dim", "130", "-heads", "4"}, []string{"-dim 130 is not divisible by -heads 4", "-dim 132"}},
		{"flag the model ignores", []string{"-lookback", "3"}, []string{"-lookback does not apply to model gpt", "-layers, -heads, -dim, -dropout"}},
		{"dropout of 1", []string{"-dropout", "1"}, []string{"-dropout 1"}},
		{"positions typo", []string{"-positions", "rotery"}, []string{`-positions "rotery"`, `"learned"`, `"rotary"`}},
		{"rotary with odd head width", []string{"-positions", "rotary", "-dim", "36", "-heads", "4"}, []string{"head width 36/4 = 9 is odd"}},
	} {
		args := append([]string{"train", "-model", "gpt", "-data", "tinyshakespeare", "-run", tmp + "/" + strings.ReplaceAll(tc.name, " ", "_"), "-steps", "2", "-quiet"}, tc.args...)
		_, err := lmkit(t, args...)
		if err == nil {
			t.Errorf("%s: lmkit %s succeeded", tc.name, strings.Join(args, " "))
			continue
		}
		if !errors.Is(err, errUsage) {
			t.Errorf("%s: %v is not a usage error", tc.name, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tc.name, err, w)
			}
		}
	}
}
