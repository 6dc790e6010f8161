package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// word2vecCorpus writes a text where each line talks about one of four topics, and an
// analogy file whose questions pair words within a topic ("t0a t0b t1a t1b"): a model that
// learned the topics answers some of them, a random one almost none.
func word2vecCorpus(t *testing.T, dir string) (corpus, questions string) {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	for range 1500 {
		topic := r.IntN(4)
		for i := range 10 {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "t%dw%d", topic, r.IntN(6))
		}
		b.WriteString(".\n")
	}
	corpus = filepath.Join(dir, "topics.txt")
	if err := os.WriteFile(corpus, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	q := ": same-topic\n"
	for a := range 4 {
		for c := range 4 {
			if a != c {
				q += fmt.Sprintf("t%dw0 t%dw1 t%dw0 t%dw1\n", a, a, c, c)
			}
		}
	}
	questions = filepath.Join(dir, "questions.txt")
	if err := os.WriteFile(questions, []byte(q), 0o644); err != nil {
		t.Fatal(err)
	}
	return corpus, questions
}

func TestWord2VecWritesVectorsAndSummary(t *testing.T) {
	dir := t.TempDir()
	corpus, questions := word2vecCorpus(t, dir)
	run := filepath.Join(dir, "run")
	out, err := lmkit(t, "word2vec", "-data", corpus, "-run", run, "-dim", "16", "-epochs", "3", "-min-count", "1",
		"-sample", "0", "-workers", "1", "-questions", questions, "-quiet")
	if err != nil {
		t.Fatalf("lmkit word2vec: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(run, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s word2vecSummary
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if s.VocabSize != 24 || s.CorpusWords != 15000 || s.Words != 45000 || s.WordsPerSec <= 0 || s.Engine != "native" || s.StoppedBy != "epochs" {
		t.Errorf("summary %+v: want 24 words of vocabulary, 15000 corpus words, 45000 trained, native engine", s)
	}
	if s.Analogy == nil || s.Analogy.Seen != 12 || s.Analogy.Total != 12 {
		t.Fatalf("summary analogy %+v: want 12 questions seen", s.Analogy)
	}
	for _, f := range []string{"vectors.bin", "config.json"} {
		if _, err := os.Stat(filepath.Join(run, f)); err != nil {
			t.Errorf("run folder lacks %s: %v", f, err)
		}
	}
	// lmkit analogy reads the vectors back; a model that learned the topics answers within
	// the topic of C (any of its words fits: within a topic the words are interchangeable).
	out, err = lmkit(t, "analogy", "-run", run, "-query", "t0w0 t0w1 t2w0")
	if err != nil {
		t.Fatalf("lmkit analogy -query: %v\n%s", err, out)
	}
	first := strings.Fields(strings.SplitN(strings.SplitN(out, "\n", 2)[0], " is to ", 3)[2])[0]
	if !strings.HasPrefix(first, "t2w") {
		t.Errorf("t0w0 is to t0w1 as t2w0 is to %q, want a word of topic 2:\n%s", first, out)
	}
	// lmkit similar prints the cosine matrix as TSV: words of one topic closer than across.
	out, err = lmkit(t, "similar", "-run", run, "t0w0", "t0w1", "t2w0")
	if err != nil {
		t.Fatalf("lmkit similar: %v\n%s", err, out)
	}
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if len(rows) != 4 || rows[0] != "word\tt0w0\tt0w1\tt2w0" {
		t.Fatalf("lmkit similar: %q, want a header and three rows", out)
	}
	var self, same, across float64
	if _, err := fmt.Sscanf(rows[1], "t0w0\t%f\t%f\t%f", &self, &same, &across); err != nil || self < 0.9999 || same <= across {
		t.Errorf("row %q (%v): want 1 on the diagonal and t0w1 closer to t0w0 than t2w0", rows[1], err)
	}
	if _, err := lmkit(t, "similar", "-run", run, "t0w0", "t0wO"); err == nil || !strings.Contains(err.Error(), `"t0wO"`) || !strings.Contains(err.Error(), "close: t0w") {
		t.Errorf("an unknown word: %v, want it named with close spellings", err)
	}
	out, err = lmkit(t, "analogy", "-run", run, "-questions", questions, "-restrict", "-1")
	if err != nil || !strings.Contains(out, "same-topic") {
		t.Fatalf("lmkit analogy: %v\n%s", err, out)
	}
	var again map[string]json.RawMessage
	raw, _ = os.ReadFile(filepath.Join(run, "summary.json"))
	if err := json.Unmarshal(raw, &again); err != nil || again["analogy"] == nil || again["words_per_sec"] == nil {
		t.Errorf("lmkit analogy must keep summary.json's fields and update its analogy: %s", raw)
	}
}

func TestWord2VecBadInput(t *testing.T) {
	dir := t.TempDir()
	corpus, _ := word2vecCorpus(t, dir)
	bad := filepath.Join(dir, "bad-questions.txt")
	os.WriteFile(bad, []byte(": s\nt0w0 t0w1 t1w0 t1w1\nt0w0 t0w1 t1w0\n"), 0o644)
	trained := filepath.Join(dir, "trained")
	if out, err := lmkit(t, "word2vec", "-data", corpus, "-run", trained, "-dim", "8", "-epochs", "1", "-min-count", "1", "-questions", "none", "-quiet"); err != nil {
		t.Fatalf("lmkit word2vec: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  []string
	}{
		{"min-count empties the vocabulary", []string{"word2vec", "-data", corpus, "-run", dir + "/a", "-min-count", "100000", "-quiet"}, false,
			[]string{"vocabulary is empty with min-count 100000", "-min-count"}},
		{"malformed analogy file", []string{"word2vec", "-data", corpus, "-run", dir + "/b", "-questions", bad, "-quiet"}, false,
			[]string{"bad-questions.txt line 3", "want four words"}},
		{"malformed analogy file, analogy command", []string{"analogy", "-run", trained, "-questions", bad}, false,
			[]string{"line 3"}},
		{"word not in the vocabulary", []string{"analogy", "-run", trained, "-query", "t0w0 t0w1 t1wO"}, false,
			[]string{`"t1wO" is not in the vocabulary`, "close spellings: t1w0"}},
		{"model typo", []string{"word2vec", "-data", corpus, "-run", dir + "/c", "-model", "skipgrm"}, true, []string{"-model"}},
		{"zero window", []string{"word2vec", "-data", corpus, "-run", dir + "/d", "-window", "0"}, true, []string{"-window 0 must be between 1 and 1000"}},
		{"unknown engine", []string{"word2vec", "-data", corpus, "-run", dir + "/e", "-engine", "cuda"}, true, []string{"-engine"}},
		{"missing -run", []string{"word2vec", "-data", corpus}, true, []string{"-run is required"}},
		{"run without vectors", []string{"analogy", "-run", dir}, false, []string{"has no word vectors", "lmkit word2vec"}},
		{"missing questions file", []string{"word2vec", "-data", corpus, "-run", dir + "/f", "-questions", dir + "/nope.txt"}, false, []string{"-questions"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := lmkit(t, tc.args...)
			if err == nil {
				t.Fatalf("lmkit %s succeeded:\n%s", strings.Join(tc.args, " "), out)
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
}
