package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/generate"
	"github.com/llm-map/lab/lmkit/models"
	"github.com/llm-map/lab/lmkit/train"
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
	boundary := t.Tok.Encode(data.Boundary)[0]
	start := []int{boundary}
	if *prompt != "" {
		start = append(start, t.Tok.Encode(*prompt)...)
	}
	be, err := backend.Default()
	if err != nil {
		return err
	}
	s, err := generate.New(be, t.Store, t.Model, generate.Options{Temperature: *temperature, TopK: *topK, TopP: *topP,
		Seed: *seed, Stop: boundary, Window: t.Config.Train.Context})
	if err != nil {
		return fmt.Errorf("%v: %w", err, errUsage)
	}
	prompts := make([][]int, *n)
	for i := range prompts {
		prompts[i] = start
	}
	outs, err := s.Sample(prompts, *maxTokens)
	if err != nil {
		return err
	}
	for _, o := range outs {
		fmt.Fprintln(stdout, *prompt+t.Tok.Decode(o))
	}
	return nil
}

func cmdEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", stderr)
	runDir := fs.String("run", "", "run folder of a trained model")
	dataName := fs.String("data", "", "corpus name or text file (default: the run's own data)")
	lines := fs.Bool("lines", false, "a text file given to -data holds one document per line (default: as the run recorded)")
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
	// By default the run's own validation split: the recorded text, read the recorded way,
	// split with the recorded seed; a text that changed since is refused, since its split is no
	// longer the one the run held out.
	rd := t.Config.Data
	own := *dataName == ""
	if own {
		*dataName = rd.Source
		if !setFlags(fs)["lines"] {
			*lines = rd.Lines
		}
	}
	txt, err := data.ReadText(ctx, *dataName, *lines)
	if err != nil {
		return err
	}
	if now := data.Fingerprint(txt.Docs); own && rd.SHA256 != "" && now != rd.SHA256 {
		return fmt.Errorf("the text of %s has changed since the run in %s trained on it (SHA-256 %.12s then, %.12s now), so its validation split is not the one the run held out: restore the text, or give -data to score other text on purpose",
			rd.Source, *runDir, rd.SHA256, now)
	}
	seed := rd.SplitSeed
	if seed == 0 {
		seed = data.SplitSeed // recorded before the split seed was
	}
	prep, err := data.PrepareWith(txt, t.Tok, seed)
	if err != nil {
		return err
	}
	be, err := backend.Default()
	if err != nil {
		return err
	}
	loss, err := train.EvaluateStore(be, t.Store, t.Model, prep, t.Config.Train)
	if err != nil {
		return err
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
