package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/models"
	"github.com/llm-map/lab/lmkit/train"
)

// modelFlags says which size flags each model reads, so a flag that would be ignored is an error.
var modelFlags = map[string][]string{
	"bigram":  {},
	"nbigram": {},
	"mlp":     {"lookback", "hidden", "dim", "dropout"},
}

var sizeFlags = []string{"lookback", "layers", "hidden", "heads", "dim", "dropout", "positions"}

func modelList() string { return strings.Join(models.Names(), ", ") }

// newFlagSet makes a flag set whose errors come back as usage errors.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("lmkit "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return fmt.Errorf("%v: %w", err, errUsage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags go before it, e.g. -data FILE): %w", fs.Arg(0), errUsage)
	}
	return nil
}

func cmdTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train", stderr)
	d := train.Defaults()
	modelName := fs.String("model", "", "model to train: "+modelList())
	dataName := fs.String("data", "", "corpus name (lmkit data list) or a path to a UTF-8 text file")
	lines := fs.Bool("lines", false, "a text file given to -data holds one document per line (like names)")
	runDir := fs.String("run", "", "run folder for config, history, checkpoints and summary (resumed if it has a checkpoint)")
	tokenizer := fs.String("tokenizer", "rune", "tokenizer: rune (one token per character, Hangul included) or bpe")
	bpeVocab := fs.Int("bpe-vocab", 512, "vocabulary size for -tokenizer bpe (at least 256)")
	steps := fs.Int("steps", d.Steps, "optimizer steps in all")
	minutes := fs.Float64("minutes", 0, "stop after this many minutes of training (0: no limit)")
	batch := fs.Int("batch", d.Batch, "windows per step")
	contextLen := fs.Int("context", d.Context, "tokens per training window")
	lr := fs.Float64("lr", d.LR, "peak learning rate (AdamW, cosine decay to lr/10)")
	warmup := fs.Int("warmup", 0, "linear warm-up steps")
	wd := fs.Float64("weight-decay", 0, "AdamW weight decay")
	beta2 := fs.Float64("beta2", 0.999, "Adam's second-moment decay (nanoGPT: 0.99)")
	clip := fs.Float64("clip", d.ClipNorm, "clip gradients to this global norm (0: off)")
	seed := fs.Uint64("seed", d.Seed, "random seed for initialisation, batches and dropout")
	evalEvery := fs.Int("eval-every", 0, "steps between validation passes (default: steps/4, at most 250)")
	evalWindows := fs.Int("eval-windows", 0, "most validation windows per pass (0: all)")
	quiet := fs.Bool("quiet", false, "no progress line")
	lookback := fs.Int("lookback", 0, "mlp: tokens the model reads (default 3)")
	layers := fs.Int("layers", 0, "layers (rnn, transformer)")
	hidden := fs.Int("hidden", 0, "hidden units (mlp default 256)")
	heads := fs.Int("heads", 0, "attention heads (transformer)")
	dim := fs.Int("dim", 0, "embedding width (mlp default 24)")
	dropout := fs.Float64("dropout", 0, "dropout rate in [0, 1)")
	positions := fs.String("positions", "", "transformer positions: learned (a table, nanoGPT) or rotary (RoPE)")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *modelName == "":
		return fmt.Errorf("-model is required: one of %s: %w", modelList(), errUsage)
	case *dataName == "":
		return fmt.Errorf("-data is required: a corpus name (see lmkit data list) or a text file: %w", errUsage)
	case *runDir == "":
		return fmt.Errorf("-run is required: a folder for this run, e.g. -run runs/%s: %w", *modelName, errUsage)
	}
	allowed, known := modelFlags[*modelName]
	if !known {
		_, err := models.New(*modelName, models.Options{})
		return fmt.Errorf("%v: %w", err, errUsage)
	}
	var misplaced error
	fs.Visit(func(f *flag.Flag) {
		for _, s := range sizeFlags {
			if f.Name == s && !contains(allowed, s) && misplaced == nil {
				misplaced = fmt.Errorf("-%s does not apply to model %s (it reads: %s): %w", s, *modelName, flagList(allowed), errUsage)
			}
		}
	})
	if misplaced != nil {
		return misplaced
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"lookback", *lookback}, {"layers", *layers}, {"hidden", *hidden}, {"heads", *heads}, {"dim", *dim}} {
		if c.v < 0 || c.v > 1<<16 {
			return fmt.Errorf("-%s %d must be a positive size: %w", c.name, c.v, errUsage)
		}
	}
	if *dropout < 0 || *dropout >= 1 || math.IsNaN(*dropout) {
		return fmt.Errorf("-dropout %v must be in [0, 1): %w", *dropout, errUsage)
	}
	if *tokenizer == data.BPETokens && *bpeVocab < 256 {
		return fmt.Errorf("-bpe-vocab %d must be at least 256 (the byte alphabet): %w", *bpeVocab, errUsage)
	}
	cfg := train.Config{Steps: *steps, Minutes: *minutes, Batch: *batch, Context: *contextLen, LR: *lr,
		Warmup: *warmup, WeightDecay: *wd, Beta2: *beta2, ClipNorm: *clip, Seed: *seed, EvalEvery: *evalEvery, EvalWindows: *evalWindows}
	if err := train.Validate(cfg); err != nil {
		return fmt.Errorf("%v: %w", err, errUsage)
	}

	prep, err := data.Prepare(ctx, *dataName, *lines, *tokenizer, *bpeVocab, data.SplitSeed)
	if err != nil {
		return err
	}
	m, err := models.New(*modelName, models.Options{Vocab: prep.Tok.VocabSize(), Boundary: prep.Split.Boundary,
		Lookback: *lookback, Layers: *layers, Hidden: *hidden, Heads: *heads, Dim: *dim, Dropout: *dropout, Positions: *positions})
	if err != nil {
		return fmt.Errorf("%v: %w", err, errUsage)
	}
	be, err := backend.Default()
	if err != nil {
		return err
	}
	r, err := train.Open(*runDir, m, prep.Split, cfg, *dataName, be)
	if err != nil {
		return err
	}
	if !*quiet {
		r.Progress = stderr
	}
	if r.Step() > 0 {
		fmt.Fprintf(stderr, "lmkit: resuming %s from step %d\n", *runDir, r.Step())
	}
	s, err := r.Train(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s on %s: %d steps, train loss %.4f, val loss %.4f, %.0f tokens/s, %.1f s (%s) -> %s\n",
		s.Model, s.Data, s.Steps, s.TrainLoss, s.ValLoss, s.TokensPerSec, s.ElapsedS, s.StoppedBy,
		filepath.Join(*runDir, "summary.json"))
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func flagList(names []string) string {
	if len(names) == 0 {
		return "no size flags"
	}
	return "-" + strings.Join(names, ", -")
}
