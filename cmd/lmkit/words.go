package main

import (
	"strings"
)

// The library names what to fix in its own words, the Go fields a notebook sets
// (train.Config.LR); the command line's user set flags. fieldFlags translates, so that each
// reader sees their own words.
var fieldFlags = strings.NewReplacer(
	"Config.Steps", "-steps", "Config.Minutes", "-minutes", "Config.Batch", "-batch",
	"Config.Context", "-context", "Config.LR", "-lr", "Config.MinLR", "-min-lr",
	"Config.Warmup", "-warmup", "Config.Schedule", "-schedule", "Config.WeightDecay", "-weight-decay",
	"Config.Beta2", "-beta2", "Config.ClipNorm", "-clip", "Config.Seed", "-seed",
	"Config.EvalEvery", "-eval-every", "Config.EvalWindows", "-eval-windows",
	"Setup.MaxLen", "-context", "Setup.Init", "-init", "MaxLen", "-context",
	"Batch, Context, Seed", "-batch, -context, -seed",
	"in a new run folder", "in a new -run folder", "another run folder", "another -run folder",
	"pass the text to Evaluate to score it on purpose", "give -data to score other text on purpose",
	"SampleOptions.MaxTokens", "-max-tokens",
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
