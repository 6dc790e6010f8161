package main

import (
	"strings"
)

// The library names what to fix in its own words, the Go fields a notebook sets
// (train.Config.LR); the command line's user set flags. fieldFlags translates, so that each
// reader sees their own words.
var fieldFlags = strings.NewReplacer(
	// Where one field name means different flags, the package prefix decides (first match wins).
	"mlp: Config.Context", "mlp: -lookback", "mlp: Config.Embed", "mlp: -dim",
	"rnn: Config.Embed", "rnn: -dim", "rnn: unknown Config.Cell", "rnn: unknown -model",
	"train.Config.Context", "-context", "train.Config.Batch", "-batch",
	"SampleOptions.MaxTokens", "-max-tokens", "Options.Temperature", "-temperature",
	"Options.TopK", "-top-k", "Options.TopP", "-top-p",
	"Config.Steps", "-steps", "Config.Minutes", "-minutes", "Config.Batch", "-batch",
	"Config.Context", "-context", "Config.LR", "-lr", "Config.MinLR", "-min-lr",
	"Config.Warmup", "-warmup", "Config.Schedule", "-schedule", "Config.WeightDecay", "-weight-decay",
	"Config.Beta2", "-beta2", "Config.ClipNorm", "-clip", "Config.Seed", "-seed",
	"Config.EvalEvery", "-eval-every", "Config.EvalWindows", "-eval-windows",
	"Config.Layers", "-layers", "Config.Heads", "-heads", "Config.Hidden", "-hidden",
	"Config.Dim", "-dim", "Config.Dropout", "-dropout", "Config.Positions", "-positions",
	"Config.MinCount", "-min-count", "Config.Window", "-window", "Config.Negative", "-negative",
	"Config.Sample", "-sample", "Config.Epochs", "-epochs", "Config.MinAlpha", "-min-alpha",
	"Config.Alpha", "-alpha", "Config.Workers", "-workers", "Config.Engine", "-engine", "Config.Model", "-model",
	"Options.Tokenizer", "-tokenizer", "classify: Pooling", "classify: -pooling",
	"Setup.MaxLen", "-context", "Setup.Init", "-init", "Setup.Freeze", "-freeze", "Setup.Standardize", "-standardize", "MaxLen", "-context",
	"Batch, Context, Seed", "-batch, -context, -seed",
	"in a new run folder", "in a new -run folder", "another run folder", "another -run folder",
	"pass the text to Evaluate to score it on purpose", "give -data to score other text on purpose",
	"unknown model name", "unknown -model",
)

// inFlagWords is err with the library's field names replaced by the flags that set them; it
// keeps err's identity for errors.Is.
func inFlagWords(err error) error {
	if err == nil {
		return nil
	}
	msg := fieldFlags.Replace(err.Error())
	if msg == err.Error() {
		return err
	}
	return &reworded{msg: msg, err: err}
}

type reworded struct {
	msg string
	err error
}

func (r *reworded) Error() string { return r.msg }
func (r *reworded) Unwrap() error { return r.err }
