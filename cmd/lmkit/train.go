package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/models"
	"github.com/llm-map/lab/lmkit/runfolder"
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
	// A folder that holds a run: what it recorded is the default of every flag not given, and
	// a given flag that contradicts it is refused now, before any data is read.
	var rec *train.RunConfig
	if *runDir != "" && runfolder.HasCheckpoint(*runDir) {
		var err error
		if rec, err = train.ReadRunConfig(*runDir); err != nil {
			return err
		}
		given := setFlags(fs)
		rd := rec.Data
		recTok, recBPE := rd.Tokenizer, *bpeVocab
		if n, ok := strings.CutPrefix(rd.Tokenizer, string(data.BPETokens)+" "); ok {
			recTok = string(data.BPETokens)
			fmt.Sscan(n, &recBPE)
		}
		t := rec.Train
		for _, c := range []struct {
			flag     string
			now, was any
			set      func()
		}{
			{"model", *modelName, rec.Model, func() { *modelName = rec.Model }},
			{"data", sameSource(*dataName, rd.Source), rd.Source, func() { *dataName = rd.Source }},
			{"lines", *lines, rd.Lines, func() { *lines = rd.Lines }},
			{"tokenizer", *tokenizer, recTok, func() { *tokenizer = recTok }},
			{"bpe-vocab", *bpeVocab, recBPE, func() { *bpeVocab = recBPE }},
			{"batch", *batch, t.Batch, func() { *batch = t.Batch }},
			{"context", *contextLen, t.Context, func() { *contextLen = t.Context }},
			{"seed", *seed, t.Seed, func() { *seed = t.Seed }},
		} {
			if !given[c.flag] {
				c.set()
			} else if fmt.Sprint(c.now) != fmt.Sprint(c.was) && (c.flag != "bpe-vocab" || recTok == string(data.BPETokens)) {
				return fmt.Errorf("-%s %v contradicts the run in %s, which was trained with -%s %v: leave -%s out to resume it, or train in a new -run folder: %w",
					c.flag, flagValue(fs, c.flag), *runDir, c.flag, c.was, c.flag, errUsage)
			}
		}
		// The training settings a resume may change default to the recorded ones.
		for name, set := range map[string]func(){
			"steps": func() { *steps = t.Steps }, "minutes": func() { *minutes = t.Minutes }, "lr": func() { *lr = t.LR },
			"warmup": func() { *warmup = t.Warmup }, "weight-decay": func() { *wd = t.WeightDecay }, "beta2": func() { *beta2 = t.Beta2 },
			"clip": func() { *clip = t.ClipNorm }, "eval-every": func() { *evalEvery = t.EvalEvery }, "eval-windows": func() { *evalWindows = t.EvalWindows },
		} {
			if !given[name] {
				set()
			}
		}
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
		_, err := models.Defaults(*modelName, 0, 0)
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
	if data.TokenizerKind(*tokenizer) == data.BPETokens && *bpeVocab < 256 {
		return fmt.Errorf("-bpe-vocab %d must be at least 256 (the byte alphabet): %w", *bpeVocab, errUsage)
	}
	cfg := train.Config{Steps: *steps, Minutes: *minutes, Batch: *batch, Context: *contextLen, LR: *lr,
		Warmup: *warmup, WeightDecay: *wd, Beta2: *beta2, ClipNorm: *clip, Seed: *seed, EvalEvery: *evalEvery, EvalWindows: *evalWindows}
	if err := train.Validate(cfg); err != nil {
		return fmt.Errorf("%v: %w", err, errUsage)
	}

	prep, err := data.Prepare(ctx, *dataName, data.Options{Lines: *lines, Tokenizer: data.TokenizerKind(*tokenizer), BPEVocab: *bpeVocab})
	if err != nil {
		return err
	}
	m, err := buildModel(*modelName, prep.Tok.VocabSize(), prep.Split.Boundary, sizes{Lookback: *lookback, Layers: *layers,
		Hidden: *hidden, Heads: *heads, Dim: *dim, Dropout: *dropout, Positions: *positions})
	if err != nil {
		return fmt.Errorf("%v: %w", err, errUsage)
	}
	if rec != nil {
		// A resume rebuilds the recorded model; size flags may only repeat it.
		sizes := []string{}
		fs.Visit(func(f *flag.Flag) {
			if contains(sizeFlags, f.Name) {
				sizes = append(sizes, "-"+f.Name+" "+f.Value.String())
			}
		})
		if len(sizes) == 0 {
			if m, err = models.FromConfig(rec.Model, rec.ModelConfig); err != nil {
				return err
			}
		} else if mc, _ := json.Marshal(m); !sameJSON(mc, rec.ModelConfig) {
			return fmt.Errorf("%s contradicts the run in %s, which holds %s %s: leave the size flags out to resume it, or train in a new -run folder: %w",
				strings.Join(sizes, " "), *runDir, rec.Model, rec.ModelConfig, errUsage)
		}
	}
	r, err := train.Open(*runDir, m, prep, cfg)
	if err != nil {
		return err
	}
	defer r.Close()
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
	if s.StoppedBy == "interrupt" {
		return interrupted(*runDir, s.Steps)
	}
	fmt.Fprintf(stdout, "%s on %s: %d steps, train loss %.4f, val loss %.4f, %.0f tokens/s, %.1f s (%s) -> %s\n",
		s.Model, s.Data, s.Steps, s.TrainLoss, s.ValLoss, s.TokensPerSec, s.ElapsedS, s.StoppedBy,
		runfolder.SummaryPath(*runDir))
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

// setFlags names the flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	return given
}

func flagValue(fs *flag.FlagSet, name string) string { return fs.Lookup(name).Value.String() }

// sameSource is given spelled as a run's record spells its data (a corpus name, or an
// absolute path), when the two name the same text; else given as it is.
func sameSource(given, recorded string) string {
	if given == recorded {
		return given
	}
	if abs, err := filepath.Abs(given); err == nil && abs == recorded {
		return recorded
	}
	return given
}

func sameJSON(a, b []byte) bool {
	var x, y bytes.Buffer
	return json.Compact(&x, a) == nil && json.Compact(&y, b) == nil && bytes.Equal(x.Bytes(), y.Bytes())
}

// errInterrupted marks a run stopped by Ctrl-C after saving; lmkit exits with 130, the shell's
// code for a command ended by SIGINT, so scripts can tell it from a finished run.
var errInterrupted = errors.New("interrupted")

func interrupted(dir string, step int) error {
	return fmt.Errorf("stopped by interrupt at step %d; the checkpoint in %s is saved: run the same command to resume: %w", step, dir, errInterrupted)
}
