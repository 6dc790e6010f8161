package embed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// planted is a corpus with topics planted in it: each sentence talks about one topic, so
// most of its words come from that topic's words ("t3w7": word 7 of topic 3), the rest from
// filler words shared by all topics. A model that learns from co-occurrence must put each
// topic's words next to each other.
func planted(topics, words, sentences, length int, seed uint64) [][]string {
	r := rand.New(rand.NewPCG(seed, 99))
	out := make([][]string, sentences)
	for s := range out {
		t := r.IntN(topics)
		sent := make([]string, length)
		for i := range sent {
			if r.Float64() < 0.25 {
				sent[i] = fmt.Sprintf("filler%d", r.IntN(8))
			} else {
				sent[i] = fmt.Sprintf("t%dw%d", t, r.IntN(words))
			}
		}
		out[s] = sent
	}
	return out
}

func topicOf(w string) string {
	if !strings.HasPrefix(w, "t") {
		return ""
	}
	return w[:strings.IndexByte(w, 'w')]
}

// topicPrecision is the share of each topic word's k nearest neighbours that belong to its
// topic, over all topic words.
func topicPrecision(t *testing.T, v *Vectors, k int) float64 {
	t.Helper()
	hit, all := 0, 0
	for _, w := range v.Words {
		topic := topicOf(w)
		if topic == "" {
			continue
		}
		near, err := v.Nearest(w, k)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range near {
			if topicOf(n.Word) == topic {
				hit++
			}
			all++
		}
	}
	return float64(hit) / float64(all)
}

func TestNearestNeighboursRecoverPlantedTopics(t *testing.T) {
	c, err := NewCorpus(planted(8, 12, 2000, 10, 1), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cfg  func(*Config)
	}{
		{"native skipgram", func(c *Config) {}},
		{"native cbow", func(c *Config) { c.Model = CBOW }},
		{"gomlx skipgram", func(c *Config) { c.Engine = GoMLX; c.Window = 2; c.Epochs = 3; c.Batch = 1024 }},
		{"gomlx cbow", func(c *Config) { c.Engine = GoMLX; c.Model = CBOW; c.Batch = 512 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Defaults()
			cfg.Dim, cfg.Sample, cfg.MinCount, cfg.Workers, cfg.Epochs = 32, 0, 1, 1, 5
			tc.cfg(&cfg)
			v, st, err := Train(context.Background(), c, cfg)
			if err != nil {
				t.Fatal(err)
			}
			p := topicPrecision(t, v, 5)
			t.Logf("%s: topic precision of 5 nearest neighbours %.3f (%.0f words/s, %d pairs)", tc.name, p, st.WordsPerSec, st.Pairs)
			if p < 0.9 {
				t.Errorf("only %.1f%% of the 5 nearest neighbours share the word's topic; want at least 90%%", 100*p)
			}
			// Untrained vectors score at chance, 11/103 ≈ 11%: the test can fail.
			if chance := topicPrecision(t, randomVectors(t, v), 5); chance > 0.3 {
				t.Errorf("random vectors reach %.2f: the test cannot tell learning from chance", chance)
			}
		})
	}
}

func randomVectors(t *testing.T, v *Vectors) *Vectors {
	r := rand.New(rand.NewPCG(5, 5))
	data := make([]float32, len(v.Data))
	for i := range data {
		data[i] = float32(r.NormFloat64())
	}
	out, err := NewVectors(v.Words, v.Dim, data)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestNativeRepeatableWithOneWorker(t *testing.T) {
	c, err := NewCorpus(planted(4, 8, 300, 8, 2), 1)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	cfg.Dim, cfg.Workers, cfg.MinCount, cfg.Epochs = 16, 1, 1, 2
	a, _, err := Train(context.Background(), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := Train(context.Background(), c, cfg)
	cfg.Seed = 2
	d, _, _ := Train(context.Background(), c, cfg)
	same, differ := true, false
	for i := range a.Data {
		same = same && a.Data[i] == b.Data[i]
		differ = differ || a.Data[i] != d.Data[i]
	}
	if !same {
		t.Error("two runs with one worker and seed 1 gave different vectors")
	}
	if !differ {
		t.Error("seeds 1 and 2 gave the same vectors")
	}
}

func TestEmptyVocabularyFromMinCount(t *testing.T) {
	_, err := NewCorpus([][]string{{"a", "b", "a"}, {"c", "a"}}, 5)
	if err == nil {
		t.Fatal("min-count 5 on a corpus whose most frequent word occurs 3 times built a vocabulary")
	}
	for _, want := range []string{"vocabulary is empty", "min-count 5", `"a"`, "3 times", "Config.MinCount 3"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := NewCorpus(Sentences([]string{"!!! ... ,,,"}), 1); err == nil || !strings.Contains(err.Error(), "no words") {
		t.Errorf("a corpus of punctuation: got %v, want a \"no words\" error", err)
	}
}

func TestUnknownWordSuggestsSpellings(t *testing.T) {
	v, err := NewVectors([]string{"king", "queen", "kingdom", "dog", "Paris"}, 2, []float32{1, 0, 0, 1, 1, 1, -1, 0, 0, -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Nearest("kign", 3)
	if err == nil {
		t.Fatal("Nearest of a word outside the vocabulary succeeded")
	}
	for _, want := range []string{`"kign" is not in the vocabulary of 5 words`, "close spellings: king", "Config.MinCount"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := v.Similarity("dog", "zebra"); err == nil || !strings.Contains(err.Error(), "no word is spelled close") {
		t.Errorf("Similarity with zebra: got %v, want an error saying no word is close", err)
	}
	if _, err := v.Vector("paris"); err == nil || !strings.Contains(err.Error(), "close spellings: Paris") {
		t.Errorf("Vector(paris): got %v, want a suggestion of Paris", err)
	}
	if _, err := v.Vector("DOG"); err == nil || !strings.Contains(err.Error(), `but "dog" is`) {
		t.Errorf("Vector(DOG): got %v, want a hint that the vocabulary is lowercase", err)
	}
}

func TestTokenizeAndSentences(t *testing.T) {
	got := strings.Join(Tokenize("Don't stop, 2 cats! 강아지가 좋아"), "|")
	if want := "don|t|stop|2|cats|강아지가|좋아"; got != want {
		t.Errorf("Tokenize = %q, want %q", got, want)
	}
	long := strings.Repeat("w ", MaxSentence+5)
	s := Sentences([]string{"a b\n\nc", long})
	if len(s) != 4 || len(s[0]) != 2 || len(s[1]) != 1 || len(s[2]) != MaxSentence || len(s[3]) != 5 {
		t.Errorf("Sentences: got %d sentences of lengths %v", len(s), lengths(s))
	}
}

func lengths(s [][]string) []int {
	out := make([]int, len(s))
	for i := range s {
		out[i] = len(s[i])
	}
	return out
}

func TestBadConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  func(*Config)
		want string
	}{
		{func(c *Config) { c.Model = "glove" }, "Config.Model"},
		{func(c *Config) { c.Dim = -1 }, "Config.Dim"},
		{func(c *Config) { c.Window = 0 }, "Config.Window"},
		{func(c *Config) { c.Negative = 0 }, "Config.Negative"},
		{func(c *Config) { c.Sample = 1.5 }, "Config.Sample"},
		{func(c *Config) { c.Epochs = 0 }, "Config.Epochs"},
		{func(c *Config) { c.Alpha = -1 }, "Config.Alpha"},
		{func(c *Config) { c.Engine = "tpu" }, "Config.Engine"},
	} {
		cfg := Defaults()
		tc.cfg(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error naming %s", cfg, err, tc.want)
		}
	}
}

func TestInterruptKeepsTheVectors(t *testing.T) {
	c, err := NewCorpus(planted(4, 8, 3000, 10, 3), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Engine{Native, GoMLX} {
		ctx, cancel := context.WithCancel(context.Background())
		cfg := Defaults()
		cfg.Engine, cfg.Dim, cfg.MinCount, cfg.Epochs, cfg.Workers, cfg.Batch = e, 8, 1, 1000, 1, 256
		calls := 0
		cfg.Progress = func(p Progress) {
			if calls++; calls == 1 {
				cancel()
			}
		}
		v, st, err := Train(ctx, c, cfg)
		cancel()
		if !errors.Is(err, context.Canceled) || v == nil || v.Len() != c.Vocab.Len() || st.Stopped != "interrupt" {
			t.Errorf("%s: interrupted training returned vectors %v, stopped %q, error %v; want the vectors so far and context.Canceled", e, v != nil, st.Stopped, err)
		}
	}
}

func TestDivergenceIsAnError(t *testing.T) {
	c, err := NewCorpus(planted(4, 8, 300, 8, 2), 1)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	cfg.Dim, cfg.Workers, cfg.MinCount, cfg.Epochs, cfg.Alpha, cfg.MinAlpha, cfg.Engine, cfg.Batch = 8, 1, 1, 20, 10, 10, GoMLX, 256
	_, _, err = Train(context.Background(), c, cfg)
	if err == nil || !strings.Contains(err.Error(), "lower Config.Alpha") {
		t.Errorf("training at learning rate 10: %v, want an error suggesting a lower Config.Alpha", err)
	}
	if err != nil {
		t.Log(err)
	}
}
