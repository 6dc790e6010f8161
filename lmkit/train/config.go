// Package train is the one harness every lmkit language model trains under: seeded batches,
// validation every N steps, a history in memory and in the run folder, atomic checkpoints with
// a resume that checks it continues the same run, a time budget, a progress line, a clear stop
// on a NaN or diverged loss, and an interrupt that stops within a step with a checkpoint.
//
// The files of a run folder belong to package runfolder; this package decides what goes in them.
package train

import (
	"fmt"
	"math"

	"github.com/gomlx/compute"
)

// Schedule is how the learning rate moves after the warm-up.
type Schedule string

const (
	Cosine   Schedule = "cosine"   // decay to MinLR along half a cosine (nanoGPT)
	Constant Schedule = "constant" // stay at LR
)

// Config holds the training hyperparameters. Steps, Batch, Context and LR must be set (Defaults
// has values for them); the other zero fields take defaults (see withDefaults).
type Config struct {
	Steps       int      `json:"steps"`           // optimizer steps to take in all (resumes count earlier steps)
	Minutes     float64  `json:"minutes"`         // wall-clock budget for this run; 0 for none
	Batch       int      `json:"batch"`           // windows per step
	Context     int      `json:"context"`         // tokens per window
	LR          float64  `json:"lr"`              // peak learning rate (AdamW)
	MinLR       float64  `json:"min_lr"`          // floor of the cosine decay; defaults to LR/10
	Warmup      int      `json:"warmup"`          // linear warm-up steps
	Schedule    Schedule `json:"schedule"`        // Cosine (default) or Constant
	WeightDecay float64  `json:"weight_decay"`    // AdamW decoupled weight decay
	Beta2       float64  `json:"beta2,omitempty"` // Adam's second-moment decay; 0 means 0.999 (nanoGPT uses 0.99)
	ClipNorm    float64  `json:"clip_norm"`       // clip gradients to this global norm; 0 for off
	Seed        uint64   `json:"seed"`
	EvalEvery   int      `json:"eval_every"`   // steps between validation passes
	EvalWindows int      `json:"eval_windows"` // most validation windows per pass; 0 for all
	LogEvery    int      `json:"log_every"`    // steps between history records
	SaveEvery   int      `json:"save_every"`   // steps between checkpoints; 0 = at every evaluation

	// Backend computes the run; nil takes backend.Default() (XLA where a plugin is installed,
	// else the pure-Go backend). It is not recorded: a run resumes on any backend.
	Backend compute.Backend `json:"-"`
}

// Defaults are sensible for the small character models of the first chapters.
func Defaults() Config {
	return Config{Steps: 2000, Batch: 32, Context: 32, LR: 1e-3, Schedule: Cosine, ClipNorm: 1, Seed: 1,
		EvalEvery: 250, EvalWindows: 0, LogEvery: 0}
}

// withDefaults fills zero fields and validates the rest, naming the field to fix.
func (c Config) withDefaults() (Config, error) {
	d := Defaults()
	if c.Schedule == "" {
		c.Schedule = d.Schedule
	}
	if c.Beta2 == 0 {
		c.Beta2 = 0.999
	}
	if c.MinLR == 0 {
		c.MinLR = c.LR / 10
	}
	if c.EvalEvery == 0 {
		c.EvalEvery = max(1, min(d.EvalEvery, c.Steps/4))
	}
	if c.LogEvery == 0 {
		c.LogEvery = max(1, min(c.EvalEvery, c.Steps/100))
	}
	if c.SaveEvery == 0 {
		c.SaveEvery = c.EvalEvery
	}
	bad := func(field string, v any, want string) (Config, error) {
		return c, fmt.Errorf("train: Config.%s %v: %s", field, v, want)
	}
	// NaN passes every comparison below as false, and JSON cannot record it: refuse it (and
	// the infinities) before anything else.
	for _, f := range []struct {
		field string
		v     float64
	}{{"Minutes", c.Minutes}, {"LR", c.LR}, {"MinLR", c.MinLR}, {"WeightDecay", c.WeightDecay}, {"Beta2", c.Beta2}, {"ClipNorm", c.ClipNorm}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return bad(f.field, f.v, "must be a finite number")
		}
	}
	switch {
	case c.Steps < 1:
		return bad("Steps", c.Steps, "must be at least 1")
	case c.Minutes < 0 || math.IsNaN(c.Minutes):
		return bad("Minutes", c.Minutes, "must be 0 (no limit) or positive")
	case c.Batch < 1 || c.Batch > 1<<16:
		return bad("Batch", c.Batch, "must be between 1 and 65536")
	case c.Context < 1 || c.Context > 1<<16:
		return bad("Context", c.Context, "must be between 1 and 65536")
	case !(c.LR > 0 && c.LR < 10):
		return bad("LR", c.LR, "must be a positive learning rate below 10, e.g. 1e-3")
	case c.MinLR < 0 || c.MinLR > c.LR:
		return bad("MinLR", c.MinLR, "must be between 0 and LR")
	case c.Warmup < 0 || c.Warmup > c.Steps:
		return bad("Warmup", c.Warmup, "must be between 0 and Steps")
	case c.Schedule != Cosine && c.Schedule != Constant:
		return bad("Schedule", c.Schedule, `must be Cosine ("cosine") or Constant ("constant")`)
	case c.WeightDecay < 0 || c.WeightDecay >= 1:
		return bad("WeightDecay", c.WeightDecay, "must be in [0, 1)")
	case !(c.Beta2 > 0 && c.Beta2 < 1):
		return bad("Beta2", c.Beta2, "must be between 0 and 1, e.g. 0.99 or 0.999")
	case c.ClipNorm < 0:
		return bad("ClipNorm", c.ClipNorm, "must be 0 (off) or positive")
	case c.EvalEvery < 1 || c.LogEvery < 1 || c.SaveEvery < 1:
		return bad("EvalEvery", c.EvalEvery, "must be at least 1")
	case c.EvalWindows < 0:
		return bad("EvalWindows", c.EvalWindows, "must be 0 (all) or positive")
	}
	return c, nil
}

// LearningRate is the schedule: linear warm-up, then cosine decay to MinLR at Steps.
func (c Config) LearningRate(step int) float64 {
	if c.Warmup > 0 && step < c.Warmup {
		return c.LR * float64(step+1) / float64(c.Warmup)
	}
	if c.Schedule == Constant {
		return c.LR
	}
	span := max(1, c.Steps-c.Warmup)
	progress := min(1, float64(step-c.Warmup)/float64(span))
	return c.MinLR + 0.5*(1+math.Cos(math.Pi*progress))*(c.LR-c.MinLR)
}

// Validate checks a configuration the way Open will, so a command line can reject bad flags
// before reading any data.
func Validate(c Config) error {
	_, err := c.withDefaults()
	return err
}
