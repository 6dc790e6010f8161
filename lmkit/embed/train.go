package embed

import (
	"context"
	"errors"
	"strings"

	"github.com/llm-map/lab/lmkit/backend"
)

// Train learns word vectors from the corpus with the configured engine. Training time is
// measured from the first update, after the tables are built. When ctx is cancelled it stops
// early and returns the vectors trained so far with an error wrapping ctx.Err().
func Train(ctx context.Context, c *Corpus, cfg Config) (*Vectors, Stats, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, Stats{}, err
	}
	if c == nil || c.Words() == 0 {
		return nil, Stats{}, errors.New("embed: Train: the corpus is empty (build it with NewCorpus)")
	}
	switch cfg.engine() {
	case GoMLX:
		return trainGraph(ctx, c, cfg)
	default:
		return trainNative(ctx, c, cfg)
	}
}

// TrainDocs tokenizes the documents (Sentences), builds the corpus with cfg.MinCount, and
// trains.
func TrainDocs(ctx context.Context, docs []string, cfg Config) (*Vectors, Stats, error) {
	c, err := NewCorpus(Sentences(docs), cfg.MinCount)
	if err != nil {
		return nil, Stats{}, err
	}
	return Train(ctx, c, cfg)
}

// engine resolves Auto: the graph engine when the backend runs on an accelerator, where it
// pays; the native trainer on CPUs, where it is far faster than a graph of small ops.
func (c Config) engine() Engine {
	if c.Engine != Auto {
		return c.Engine
	}
	desc := backend.Choose().Config
	if c.Backend != nil {
		desc = c.Backend.Name() + " " + c.Backend.Description()
	}
	desc = strings.ToLower(desc)
	for _, accel := range []string{"cuda", "gpu", "rocm", "tpu", "metal"} {
		if strings.Contains(desc, accel) {
			return GoMLX
		}
	}
	return Native
}

// String names the engine for reports.
func (e Engine) String() string {
	if e == Auto {
		return "auto"
	}
	return string(e)
}
