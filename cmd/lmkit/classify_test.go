package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llm-map/lab/internal/labtest"
)

func TestClassifyBadInput(t *testing.T) {
	labtest.SharedData(t)
	tmp := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(tmp, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	missingCol := write("missing.tsv", "id\tdocument\tlabel\n1\t좋은 영화\t1\n2\t별로\n")
	badLabel := write("label.tsv", "id\tdocument\tlabel\n1\t좋은 영화\t1\n2\t별로\t5\n")
	good := write("good.tsv", "id\tdocument\tlabel\n"+strings.Repeat("1\t정말 좋은 영화\t1\n2\t정말 별로인 영화\t0\n", 20))

	// A body pre-trained on English names cannot read Korean reviews.
	english := filepath.Join(tmp, "names-mlp")
	if out, err := lmkit(t, "train", "-model", "mlp", "-data", "names", "-run", english, "-steps", "2", "-quiet"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  []string
	}{
		{"missing column", []string{"-data", missingCol, "-model", "mlp", "-run", tmp + "/a"}, false, []string{"line 3"}},
		{"label not 0/1", []string{"-data", badLabel, "-model", "mlp", "-run", tmp + "/b"}, false, []string{"line 3", "label"}},
		{"vocabulary of another language", []string{"-data", good, "-init", english, "-run", tmp + "/c"}, false, []string{"pre-train on text like this"}},
		{"freeze without init", []string{"-data", good, "-model", "mlp", "-freeze", "-run", tmp + "/d"}, true, []string{"-freeze", "-init"}},
		{"init and model", []string{"-data", good, "-model", "mlp", "-init", english, "-run", tmp + "/e"}, true, []string{"exclude each other"}},
		{"init is not a run", []string{"-data", good, "-init", tmp, "-run", tmp + "/f"}, false, []string{"not a run folder"}},
		{"bad pooling", []string{"-data", good, "-model", "mlp", "-pooling", "maximum", "-run", tmp + "/g"}, true, []string{"-pooling"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"classify", "train", "-steps", "2", "-quiet"}, tc.args...)
			_, err := lmkit(t, args...)
			if err == nil {
				t.Fatalf("lmkit %s succeeded", strings.Join(args, " "))
			}
			if errors.Is(err, errUsage) != tc.usage {
				t.Errorf("usage error = %v, want %v (%v)", errors.Is(err, errUsage), tc.usage, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}

	// And the good file trains, with its accuracy in summary.json, and evaluates.
	dir := filepath.Join(tmp, "ok")
	if out, err := lmkit(t, "classify", "train", "-data", good, "-val", good, "-model", "mlp", "-run", dir, "-steps", "60", "-lr", "1e-2", "-quiet"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := summary(t, dir)
	if s.Accuracy == nil || *s.Accuracy < 0.99 {
		t.Errorf("two distinct reviews repeated: accuracy %v, want 1", s.Accuracy)
	}
	out, err := lmkit(t, "classify", "eval", "-run", dir, "-data", good)
	if err != nil || !strings.Contains(out, "accuracy 1.0000") {
		t.Errorf("classify eval: %v %q", err, out)
	}
	if s := summary(t, dir); s.Evals[good] != 1 {
		t.Errorf("summary evals %v, want %s: 1", s.Evals, good)
	}

	// -standardize reaches the saved classifier, so eval rebuilds the same head.
	std := filepath.Join(tmp, "std")
	if out, err := lmkit(t, "classify", "train", "-data", good, "-val", good, "-model", "mlp", "-standardize", "-run", std, "-steps", "60", "-lr", "1e-2", "-quiet"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if raw, err := os.ReadFile(filepath.Join(std, "config.json")); err != nil || !strings.Contains(string(raw), `"standardize": true`) {
		t.Errorf("-standardize not in the run's config.json (%v):\n%s", err, raw)
	}
	if out, err := lmkit(t, "classify", "eval", "-run", std, "-data", good); err != nil || !strings.Contains(out, "accuracy 1.0000") {
		t.Errorf("classify eval of a standardized head: %v %q", err, out)
	}
}
