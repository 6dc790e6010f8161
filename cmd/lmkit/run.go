package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/models"
)

func cmdSample(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sample", stderr)
	runDir := fs.String("run", "", "run folder of a trained model")
	n := fs.Int("n", 10, "number of samples")
	maxTokens := fs.Int("max-tokens", 200, "most tokens per sample")
	temperature := fs.Float64("temperature", 1, "sampling temperature (lower: safer, higher: wilder)")
	topK := fs.Int("top-k", 0, "sample among the k most likely tokens (0: all)")
	topP := fs.Float64("top-p", 0, "sample among the most likely tokens holding this much probability (0: all)")
	seed := fs.Uint64("seed", 1, "random seed")
	prompt := fs.String("prompt", "", "text to continue (default: start of a new document)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *runDir == "" {
		return fmt.Errorf("-run is required: the folder of a trained model: %w", errUsage)
	}
	if *n < 1 || *n > 10000 {
		return fmt.Errorf("-n %d must be between 1 and 10000: %w", *n, errUsage)
	}
	if *maxTokens < 1 {
		return fmt.Errorf("-max-tokens %d must be at least 1: %w", *maxTokens, errUsage)
	}
	if *temperature <= 0 {
		return fmt.Errorf("-temperature %v must be positive, e.g. 0.8: %w", *temperature, errUsage)
	}
	t, err := models.Load(*runDir)
	if err != nil {
		return err
	}
	outs, err := t.Sample(*prompt, *n, models.SampleOptions{MaxTokens: *maxTokens, Temperature: *temperature, TopK: *topK, TopP: *topP, Seed: *seed})
	if err != nil {
		return err
	}
	for i, o := range outs {
		if i > 0 && t.Stop < 0 {
			fmt.Fprintln(stdout, "---") // running text has blank lines of its own (nanoGPT's sample.py does the same)
		}
		fmt.Fprintln(stdout, o)
	}
	return nil
}

func cmdEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", stderr)
	runDir := fs.String("run", "", "run folder of a trained model")
	dataName := fs.String("data", "", "corpus name or text file (default: the run's own data)")
	lines := fs.Bool("lines", false, "a text file given to -data holds one document per line")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *runDir == "" {
		return fmt.Errorf("-run is required: the folder of a trained model: %w", errUsage)
	}
	t, err := models.Load(*runDir)
	if err != nil {
		return err
	}
	// By default the run's own validation split, as recorded (see Trained.Evaluate).
	var loss float64
	if *dataName == "" {
		*dataName = t.Config.Data.Source
		if loss, err = t.Evaluate(ctx); err != nil {
			return err
		}
	} else {
		txt, err := data.ReadText(ctx, *dataName, *lines)
		if err != nil {
			return err
		}
		prep, err := data.PrepareWith(txt, t.Tok, data.SplitSeed)
		if err != nil {
			return err
		}
		if loss, err = t.Evaluate(ctx, prep); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "%s (step %d) on %s validation: loss %.4f\n", t.Config.Model, t.State.Step, *dataName, loss)
	return nil
}

func cmdData(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "list" {
		return fmt.Errorf("use: lmkit data list (got %q): %w", strings.Join(args, " "), errUsage)
	}
	fs := newFlagSet("data list", stderr)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	return data.WriteList(stdout)
}
