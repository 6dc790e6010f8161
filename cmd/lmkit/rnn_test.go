package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llm-map/lab/internal/labtest"
)

// An LSTM trained from the command line on Tiny Shakespeare beats the count bigram of the
// same split (validation loss 2.48) within 200 steps, samples text from its run folder, and
// evaluates to the loss its summary recorded.
func TestLSTMOnShakespeare(t *testing.T) {
	labtest.SharedData(t)
	dir := t.TempDir()
	if out, err := lmkit(t, "train", "-model", "lstm", "-data", "tinyshakespeare", "-run", dir, "-layers", "1", "-hidden", "64",
		"-batch", "16", "-context", "32", "-steps", "200", "-lr", "1e-2", "-eval-windows", "128", "-quiet"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := summary(t, dir)
	t.Logf("lstm 1x64 on tinyshakespeare: val %.4f train %.4f in %.1f s, %.0f tokens/s", s.ValLoss, s.TrainLoss, s.ElapsedS, s.TokensPerSec)
	if s.ValLoss > 2.48 {
		t.Errorf("lstm validation loss %.4f after 200 steps, want below the count bigram's 2.48", s.ValLoss)
	}
	// Tiny Shakespeare is running text, not one document a line: a sample runs across line
	// breaks for its 60 tokens, and samples are set apart by a line "---".
	out, err := lmkit(t, "sample", "-run", dir, "-n", "4", "-max-tokens", "60", "-seed", "5", "-prompt", "O, ")
	if err != nil {
		t.Fatal(err)
	}
	samples := strings.Split(strings.TrimSuffix(out, "\n"), "\n---\n")
	for _, smp := range samples {
		if !strings.HasPrefix(smp, "O, ") || len([]rune(smp)) < len("O, ")+40 {
			t.Errorf("sample %q: want the prompt and about 60 more characters", smp)
		}
	}
	if len(samples) < 4 {
		t.Errorf("sample -n 4 -prompt \"O, \" gave %q", out)
	}
	again, _ := lmkit(t, "sample", "-run", dir, "-n", "4", "-max-tokens", "60", "-seed", "5", "-prompt", "O, ")
	if out != again {
		t.Errorf("the same seed sampled %q then %q", out, again)
	}
	eval, err := lmkit(t, "eval", "-run", dir)
	if err != nil || !strings.Contains(eval, "lstm (step 200)") {
		t.Errorf("eval: %v %q", err, eval)
	}
}

// Korean text has thousands of syllables: the model reads embeddings instead of one-hot
// vectors, trains, and samples Hangul.
func TestGRUOnKorean(t *testing.T) {
	if testing.Short() {
		t.Skip("a 2,768-syllable vocabulary makes each step slow")
	}
	labtest.SharedData(t)
	dir := t.TempDir()
	if out, err := lmkit(t, "train", "-model", "gru", "-data", "nsmc_unlabeled", "-run", dir, "-layers", "1", "-hidden", "64",
		"-batch", "8", "-context", "16", "-steps", "40", "-lr", "1e-2", "-eval-windows", "16", "-quiet"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"embed": 64`) {
		t.Errorf("a large vocabulary should switch to embeddings as wide as the hidden state: %s", raw)
	}
	s := summary(t, dir)
	if s.ValLoss > 6.5 { // ln 2768 = 7.93 at the start
		t.Errorf("gru on Korean: validation loss %.3f after 40 steps, want below 6.5", s.ValLoss)
	}
	out, err := lmkit(t, "sample", "-run", dir, "-n", "3", "-max-tokens", "30", "-seed", "2")
	if err != nil {
		t.Fatal(err)
	}
	hangul := 0
	for _, r := range out {
		if r >= 0xAC00 && r <= 0xD7A3 {
			hangul++
		}
	}
	if hangul < 10 {
		t.Errorf("samples hold %d Hangul syllables, want at least 10: %q", hangul, out)
	}
}

func TestRNNBadInput(t *testing.T) {
	labtest.SharedData(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"model name typo", []string{"-model", "lstn"}, "valid names are"},
		{"sequence length 0", []string{"-model", "lstm", "-context", "0"}, "-context 0"},
		{"a flag the model ignores", []string{"-model", "gru", "-heads", "4"}, "-heads does not apply to model gru"},
		{"negative hidden size", []string{"-model", "rnn", "-hidden", "-3"}, "-hidden -3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"train", "-data", "tinyshakespeare", "-run", t.TempDir(), "-steps", "1", "-quiet"}, tc.args...)
			_, err := lmkit(t, args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if tc.name == "model name typo" {
				for _, name := range []string{"rnn", "lstm", "gru"} {
					if !strings.Contains(err.Error(), name) {
						t.Errorf("the list of valid names misses %s: %v", name, err)
					}
				}
			}
		})
	}
	// Resuming with another batch size would hand the carried state to rows it does not
	// belong to: refused, with the fix.
	dir := t.TempDir()
	base := []string{"train", "-model", "lstm", "-data", "tinyshakespeare", "-run", dir, "-layers", "1", "-hidden", "16",
		"-context", "16", "-quiet"}
	if out, err := lmkit(t, append(base, "-steps", "2", "-batch", "8")...); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	_, err := lmkit(t, append(base, "-steps", "4", "-batch", "4")...)
	if err == nil || !strings.Contains(err.Error(), "-batch 8") {
		t.Fatalf("resuming with -batch 4 a run trained with -batch 8: got %v", err)
	}
}
