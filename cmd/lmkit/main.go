// Command lmkit trains, evaluates and samples the lab's language models without a notebook.
//
//	lmkit train -model mlp -data names -run runs/mlp
//	lmkit sample -run runs/mlp -n 10
//	lmkit eval -run runs/mlp -data names
//	lmkit data list
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
)

const usage = `lmkit: language-model experiments from the command line.

Usage:
  lmkit train  -model M -data D -run DIR [flags]   train (or resume) a model; see lmkit train -h
  lmkit sample -run DIR [-n N] [flags]             sample text from a trained run
  lmkit eval   -run DIR [-data D]                  validation loss of a trained run
  lmkit data list                                  the named corpora and where they are
  lmkit classify train -data F.tsv -run DIR [-init RUN [-freeze]]   sentiment-style classifier
  lmkit classify eval -run DIR -data F.tsv         its accuracy on labelled data
  lmkit backend [-install-xla]                     the compute backend lmkit picks (or install XLA)
  lmkit word2vec -data D -run DIR [flags]          train word vectors (skipgram|cbow); see lmkit word2vec -h
  lmkit analogy  -run DIR [-questions FILE]        score a word2vec run on analogies (questions-words.txt)
  lmkit similar  -run DIR WORD WORD...             cosine similarity of every pair of words, as TSV

Models: %s
`

// errUsage marks errors that are the caller's to fix; they exit with status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first Ctrl-C asks the command to stop with its work saved; from then on the default
	// action is back, so a second Ctrl-C ends the process at once.
	go func() {
		<-ctx.Done()
		stop()
	}()
	// LMKIT_CPUPROFILE=FILE writes a pprof CPU profile of the command, for speed work.
	if path := os.Getenv("LMKIT_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errInterrupted):
		fmt.Fprintln(os.Stderr, "lmkit:", strings.TrimSuffix(err.Error(), ": "+errInterrupted.Error()))
		pprof.StopCPUProfile()
		os.Exit(130)
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "lmkit:", strings.TrimSuffix(err.Error(), ": "+errUsage.Error()))
		pprof.StopCPUProfile()
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "lmkit:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	// Graph building reports mistakes by panicking; a user should see a sentence, not a trace.
	// The library's errors name Go fields; the user typed flags.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v (please report it with the command you ran)", r)
		}
		err = inFlagWords(err)
	}()
	if len(args) == 0 {
		fmt.Fprintf(stderr, usage, modelList())
		return fmt.Errorf("no command given: %w", errUsage)
	}
	switch args[0] {
	case "train":
		return cmdTrain(ctx, args[1:], stdout, stderr)
	case "sample":
		return cmdSample(ctx, args[1:], stdout, stderr)
	case "eval":
		return cmdEval(ctx, args[1:], stdout, stderr)
	case "data":
		return cmdData(ctx, args[1:], stdout, stderr)
	case "classify":
		return cmdClassify(ctx, args[1:], stdout, stderr)
	case "backend":
		return cmdBackend(ctx, args[1:], stdout, stderr)
	case "word2vec":
		return cmdWord2Vec(ctx, args[1:], stdout, stderr)
	case "analogy":
		return cmdAnalogy(ctx, args[1:], stdout, stderr)
	case "similar":
		return cmdSimilar(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprintf(stdout, usage, modelList())
		return nil
	}
	return fmt.Errorf("unknown command %q: use train, sample, eval or data: %w", args[0], errUsage)
}
