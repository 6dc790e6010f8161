package embed

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"time"

	"github.com/gomlx/compute"
)

// Model is the word2vec architecture.
type Model string

const (
	// SkipGram predicts each nearby word from the centre word (one context word a time).
	SkipGram Model = "skipgram"
	// CBOW predicts the centre word from the mean of the nearby words' vectors.
	CBOW Model = "cbow"
)

// Engine is the trainer that runs the model.
type Engine string

const (
	// Auto picks GoMLX when the lab's backend runs on a GPU (XLA CUDA), else Native.
	Auto Engine = ""
	// Native is the CPU trainer in the manner of the C tool: Hogwild goroutines, float32, SIMD.
	Native Engine = "native"
	// GoMLX is the batched GoMLX computation graph.
	GoMLX Engine = "gomlx"
)

// Config holds word2vec's settings. Word2Vec holds the published defaults.
type Config struct {
	Model    Model   `json:"model"`     // SkipGram or CBOW
	Dim      int     `json:"dim"`       // vector width
	Window   int     `json:"window"`    // most words either side; each centre word draws its own, 1..Window
	Negative int     `json:"negative"`  // random "negative" words per positive pair
	Sample   float64 `json:"sample"`    // subsampling threshold for frequent words (0: off)
	MinCount int     `json:"min_count"` // drop words seen fewer times (used by NewCorpus through TrainDocs)
	Epochs   int     `json:"epochs"`    // passes over the corpus
	Alpha    float64 `json:"alpha"`     // starting learning rate; 0: 0.025 for skip-gram, 0.05 for CBOW (the C tool's)
	MinAlpha float64 `json:"min_alpha"` // the rate decays linearly to this at the end; 0: 0.0001 (gensim's)
	Seed     uint64  `json:"seed"`      // initial vectors, subsampling, windows and negatives
	Workers  int     `json:"workers"`   // Native: goroutines (0: GOMAXPROCS); 1 makes runs repeatable
	Engine   Engine  `json:"engine"`    // Native, GoMLX, or Auto
	Batch    int     `json:"batch"`     // GoMLX: examples per step; 0: 4096 (16384 diverged at alpha 0.025)

	// Backend runs the GoMLX engine; nil uses the lab's (backend.Default).
	Backend compute.Backend `json:"-"`
	// Progress, when set, is called about twice a second during training and once at the end.
	Progress func(Progress) `json:"-"`
}

// Word2Vec is the configuration of the original tool and of gensim: skip-gram, 100
// dimensions, window 5, 5 negatives, sample 1e-3, min-count 5, 5 epochs, learning rate 0.025
// decaying linearly to 0.0001.
var Word2Vec = Config{
	Model: SkipGram, Dim: 100, Window: 5, Negative: 5, Sample: 1e-3, MinCount: 5, Epochs: 5,
	Alpha: 0.025, MinAlpha: 0.0001, Seed: 1,
}

// Defaults returns Word2Vec.
func Defaults() Config { return Word2Vec }

// Progress reports how far training has come.
type Progress struct {
	Epoch       int     // current epoch, from 1
	Fraction    float64 // of the whole training, 0..1
	Alpha       float64 // learning rate now
	WordsPerSec float64 // corpus words (all tokens) per second so far
	Loss        float64 // GoMLX engine: mean loss of recent steps; Native: NaN (not computed)
	Elapsed     time.Duration
}

// Stats describes a finished training run.
type Stats struct {
	Engine      Engine  `json:"engine"`
	Backend     string  `json:"backend,omitempty"` // GoMLX: the backend
	Workers     int     `json:"workers,omitempty"` // Native: goroutines
	Vocab       int     `json:"vocab"`
	Words       int64   `json:"words"`   // corpus tokens times epochs, the words/s numerator
	Trained     int64   `json:"trained"` // centre words kept by subsampling, all epochs
	Pairs       int64   `json:"pairs"`   // (input, output) word pairs trained, all epochs
	Seconds     float64 `json:"seconds"` // training time, vocabulary building excluded
	WordsPerSec float64 `json:"words_per_sec"`
	Loss        float64 `json:"loss,omitempty"` // GoMLX: mean loss of the last steps
	SIMD        bool    `json:"simd"`           // Native: AVX2/FMA inner loops in use
	Stopped     string  `json:"stopped"`        // "epochs" or "interrupt"
}

// Validate checks the settings, with the zero values standing for their defaults; the error
// names the command-line flag to fix.
func (c Config) Validate() error {
	_, err := c.withDefaults()
	return err
}

// withDefaults fills zero fields and checks the settings, naming the flag to fix.
func (c Config) withDefaults() (Config, error) {
	switch strings.ToLower(string(c.Model)) {
	case "", "skipgram", "skip-gram", "sg":
		c.Model = SkipGram
	case "cbow":
		c.Model = CBOW
	default:
		return c, fmt.Errorf("embed: Config.Model %q is not SkipGram (\"skipgram\") or CBOW (\"cbow\")", c.Model)
	}
	switch c.Engine {
	case Auto, Native, GoMLX:
	default:
		return c, fmt.Errorf("embed: Config.Engine %q is not Native (\"native\"), GoMLX (\"gomlx\") or empty for Auto", c.Engine)
	}
	if c.Alpha == 0 {
		c.Alpha = 0.025
		if c.Model == CBOW {
			c.Alpha = 0.05
		}
	}
	if c.MinAlpha == 0 {
		c.MinAlpha = 0.0001
	}
	if c.Workers == 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Batch == 0 {
		c.Batch = 4096
	}
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	switch {
	case c.Dim < 1 || c.Dim > 1<<14:
		return c, fmt.Errorf("embed: Config.Dim %d must be between 1 and 16384", c.Dim)
	case c.Window < 1 || c.Window > 1000:
		return c, fmt.Errorf("embed: Config.Window %d must be between 1 and 1000", c.Window)
	case c.Negative < 1 || c.Negative > 1000:
		return c, fmt.Errorf("embed: Config.Negative %d must be between 1 and 1000: this package trains with negative sampling only", c.Negative)
	case c.Sample < 0 || bad(c.Sample) || c.Sample >= 1:
		return c, fmt.Errorf("embed: Config.Sample %v must be in [0, 1), e.g. 1e-3, or 0 to keep every word", c.Sample)
	case c.MinCount < 0:
		return c, fmt.Errorf("embed: Config.MinCount %d must be 0 or more", c.MinCount)
	case c.Epochs < 1:
		return c, fmt.Errorf("embed: Config.Epochs %d must be at least 1", c.Epochs)
	case c.Alpha < 0 || bad(c.Alpha) || c.Alpha > 10:
		return c, fmt.Errorf("embed: Config.Alpha %v must be a positive learning rate such as 0.025", c.Alpha)
	case c.MinAlpha < 0 || bad(c.MinAlpha) || c.MinAlpha > c.Alpha:
		return c, fmt.Errorf("embed: Config.MinAlpha %v must be between 0 and Config.Alpha %v", c.MinAlpha, c.Alpha)
	case c.Workers < 1 || c.Workers > 4096:
		return c, fmt.Errorf("embed: Config.Workers %d must be between 1 and 4096", c.Workers)
	case c.Batch < 1 || c.Batch > 1<<22:
		return c, fmt.Errorf("embed: Config.Batch %d must be between 1 and 4194304", c.Batch)
	}
	return c, nil
}

// alphaAt is the linearly decaying learning rate after fraction done of the training.
func (c Config) alphaAt(done float64) float64 {
	a := c.Alpha - (c.Alpha-c.MinAlpha)*done
	return max(a, c.MinAlpha)
}
