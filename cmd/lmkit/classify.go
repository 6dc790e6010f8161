package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/llm-map/lab/lmkit/classify"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/models"
	"github.com/llm-map/lab/lmkit/runfolder"
	"github.com/llm-map/lab/lmkit/text"
	"github.com/llm-map/lab/lmkit/train"
)

// cmdClassify: lmkit classify train|eval.
func cmdClassify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "train" && args[0] != "eval") {
		return fmt.Errorf("use: lmkit classify train -data FILE.tsv -run DIR [-init RUN] ..., or lmkit classify eval -run DIR -data FILE.tsv: %w", errUsage)
	}
	if args[0] == "eval" {
		return cmdClassifyEval(ctx, args[1:], stdout, stderr)
	}
	fs := newFlagSet("classify train", stderr)
	d := train.Defaults()
	dataPath := fs.String("data", "", "labelled training data: TSV with columns id, document, label (0/1), like NSMC")
	valPath := fs.String("val", "", "labelled validation data (default: 10% of -data, held out with the seed)")
	limit := fs.Int("limit", 0, "use only this many labelled training examples (0: all)")
	runDir := fs.String("run", "", "run folder for the classifier")
	initRun := fs.String("init", "", "pre-trained language-model run whose body (and tokenizer) to start from")
	freeze := fs.Bool("freeze", false, "keep the pre-trained body fixed and train only the head (transfer learning)")
	standardize := fs.Bool("standardize", false, "rescale each pooled vector to mean 0, variance 1 before the head (a frozen GPT body's features are on its language-model head's scale)")
	modelName := fs.String("model", "", "body model when training from scratch (no -init)")
	pooling := fs.String("pooling", string(classify.Mean), "how a document's positions become one vector: mean, max or last")
	steps := fs.Int("steps", 1000, "optimizer steps")
	minutes := fs.Float64("minutes", 0, "stop after this many minutes (0: no limit)")
	batch := fs.Int("batch", d.Batch, "documents per step")
	maxLen := fs.Int("context", 0, "tokens per document, boundaries included, longer ones cut (default: the -init run's window, else 64)")
	lr := fs.Float64("lr", 1e-3, "peak learning rate")
	seed := fs.Uint64("seed", d.Seed, "random seed")
	lookback := fs.Int("lookback", 0, "tokens each position of an mlp body reads (scratch)")
	layers := fs.Int("layers", 0, "body layers (scratch)")
	hidden := fs.Int("hidden", 0, "body hidden units (scratch)")
	heads := fs.Int("heads", 0, "body attention heads (scratch)")
	dim := fs.Int("dim", 0, "body embedding width (scratch)")
	dropout := fs.Float64("dropout", 0, "dropout rate (scratch)")
	quiet := fs.Bool("quiet", false, "no progress line")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	switch {
	case *dataPath == "":
		return fmt.Errorf("-data is required: a TSV file with columns id, document, label: %w", errUsage)
	case *runDir == "":
		return fmt.Errorf("-run is required: a folder for the classifier run: %w", errUsage)
	case *initRun == "" && *modelName == "":
		return fmt.Errorf("give -init RUN (a pre-trained language model) or -model M (train from scratch): %w", errUsage)
	case *initRun != "" && *modelName != "":
		return fmt.Errorf("-init and -model exclude each other: the body comes from the -init run: %w", errUsage)
	case *freeze && *initRun == "":
		return fmt.Errorf("-freeze keeps a pre-trained body fixed: it needs -init: %w", errUsage)
	case *limit < 0:
		return fmt.Errorf("-limit %d must be 0 (all) or positive: %w", *limit, errUsage)
	}
	rows, err := data.ReadLabeledTSV(*dataPath)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(*seed, 0xc1a55))
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	var val []data.Labeled
	if *valPath != "" {
		if val, err = data.ReadLabeledTSV(*valPath); err != nil {
			return err
		}
	} else {
		n := len(rows) / 10
		if n < 1 {
			return fmt.Errorf("%s has %d rows: too few to hold out validation; give -val: %w", *dataPath, len(rows), errUsage)
		}
		val, rows = rows[:n], rows[n:]
	}
	if *limit > 0 && *limit < len(rows) {
		rows = rows[:*limit]
	}

	var body lm.Body
	var tok text.Tokenizer
	if *initRun != "" {
		pre, err := models.Load(*initRun)
		if err != nil {
			return err
		}
		b, ok := pre.Model.(lm.Body)
		if !ok {
			return fmt.Errorf("-init %s holds a %s model, which has no body features to classify with: pre-train a gpt or mlp: %w", *initRun, pre.Model.Name(), errUsage)
		}
		body, tok = b, pre.Tok
	} else {
		var all strings.Builder
		for _, r := range rows {
			all.WriteString(r.Text)
		}
		tok = text.NewRune(all.String(), data.Boundary)
		m, err := buildModel(*modelName, tok.VocabSize(), 0, sizes{Lookback: *lookback, Layers: *layers,
			Hidden: *hidden, Heads: *heads, Dim: *dim, Dropout: *dropout})
		if err != nil {
			return fmt.Errorf("%v: %w", err, errUsage)
		}
		b, ok := m.(lm.Body)
		if !ok {
			return fmt.Errorf("model %s has no body features to classify with: %w", *modelName, errUsage)
		}
		body = b
	}
	cfg := train.Config{Steps: *steps, Minutes: *minutes, Batch: *batch, Context: *maxLen, LR: *lr, Seed: *seed}
	if cfg.Context == 0 { // settled by classify.Fit from the -init run's record
		cfg.Context = classify.DefaultMaxLen
	}
	if err := train.Validate(cfg); err != nil {
		return fmt.Errorf("%v: %w", err, errUsage)
	}
	if err := classify.Pooling(*pooling).Check(); err != nil {
		return fmt.Errorf("%v: %w", err, errUsage)
	}
	setup := classify.Setup{Dir: *runDir, Name: *dataPath, Train: rows, Val: val, Body: body, Tok: tok, Init: *initRun,
		Freeze: *freeze, Standardize: *standardize, Pooling: classify.Pooling(*pooling), MaxLen: *maxLen, Config: cfg}
	setup.Config.Context = 0
	if !*quiet {
		setup.Progress = stderr
	}
	_, s, err := classify.Fit(ctx, setup)
	if err != nil {
		return err
	}
	if s.StoppedBy == "interrupt" {
		return interrupted(*runDir, s.Steps)
	}
	acc := *s.Accuracy
	fmt.Fprintf(stdout, "classifier on %d labelled examples: validation accuracy %.4f, loss %.4f, %d steps in %.1f s -> %s\n",
		len(rows), acc, s.ValLoss, s.Steps, s.ElapsedS, runfolder.SummaryPath(*runDir))
	return nil
}

func cmdClassifyEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("classify eval", stderr)
	runDir := fs.String("run", "", "classifier run folder")
	dataPath := fs.String("data", "", "labelled TSV to score")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *runDir == "" || *dataPath == "" {
		return fmt.Errorf("-run and -data are required: %w", errUsage)
	}
	t, err := models.Load(*runDir)
	if err != nil {
		return err
	}
	if _, ok := t.Model.(*classify.Model); !ok {
		return fmt.Errorf("%s holds a %s model, not a classifier: use lmkit eval for language models: %w", *runDir, t.Model.Name(), errUsage)
	}
	rows, err := data.ReadLabeledTSV(*dataPath)
	if err != nil {
		return err
	}
	if err := classify.CheckCoverage(rows, t.Tok); err != nil {
		return err
	}
	texts := make([]string, len(rows))
	for i, r := range rows {
		texts[i] = r.Text
	}
	probs, err := t.Classify(texts)
	if err != nil {
		return err
	}
	hits := 0
	for i, r := range rows {
		if (probs[i] >= 0.5) == (r.Label == 1) {
			hits++
		}
	}
	acc := float64(hits) / float64(len(rows))
	fmt.Fprintf(stdout, "accuracy %.4f on %d examples of %s\n", acc, len(rows), *dataPath)
	s, err := runfolder.ReadSummary(*runDir)
	if err != nil {
		return err
	}
	if s.Evals == nil {
		s.Evals = map[string]float64{}
	}
	s.Evals[*dataPath] = acc
	return runfolder.WriteSummary(*runDir, s)
}
