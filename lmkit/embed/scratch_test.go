package embed_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/llm-map/lab/lmkit/embed"
)

func TestSpeedScratch(t *testing.T) {
	b, _ := os.ReadFile("/work/shared/data/sotu.txt")
	t0 := time.Now()
	s := embed.Sentences([]string{string(b)})
	c, err := embed.NewCorpus(s, 5)
	if err != nil { t.Fatal(err) }
	t.Logf("corpus %v: raw %d words %d vocab %d sentences %d", time.Since(t0), c.RawWords, c.Words(), c.Vocab.Len(), c.Len())
	cfg := embed.Defaults()
	cfg.Workers = 2
	v, st, err := embed.Train(context.Background(), c, cfg)
	if err != nil { t.Fatal(err) }
	t.Logf("%+v", st)
	for _, w := range []string{"war", "president", "tax", "america", "dog"} {
		n, err := v.Nearest(w, 8)
		t.Log(w, n, err)
	}
}
