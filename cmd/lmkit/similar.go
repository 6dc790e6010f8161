package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/llm-map/lab/lmkit/embed"
)

// cmdSimilar prints the cosine similarity of every pair of the given words as TSV: a header
// row of the words, then one row per word.
func cmdSimilar(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("similar", stderr)
	runDir := fs.String("run", "", "a word2vec run folder (holding its vectors)")
	vectors := fs.String("vectors", "", "a word2vec .bin or .txt file instead of -run")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%v: %w", err, errUsage)
	}
	words := fs.Args()
	if (*runDir == "") != (*vectors == "") && len(words) < 2 { // one source given, checked before its file
		return fmt.Errorf("give two or more words after the flags, e.g. lmkit similar -run %s dog cat car: %w", *runDir, errUsage)
	}
	path, err := vectorsPath(*runDir, *vectors, "lmkit similar -run DIR WORD WORD...")
	if err != nil {
		return err
	}
	vecs, err := embed.Load(path)
	if err != nil {
		return err
	}
	var missing []string
	for _, w := range words {
		if !vecs.Has(w) {
			if near := vecs.Suggest(w, 3); len(near) > 0 {
				missing = append(missing, fmt.Sprintf("%q (close: %s)", w, strings.Join(near, ", ")))
			} else {
				missing = append(missing, fmt.Sprintf("%q", w))
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("not in the vocabulary of %d words: %s", vecs.Len(), strings.Join(missing, "; "))
	}
	fmt.Fprintln(stdout, "word\t"+strings.Join(words, "\t"))
	for _, a := range words {
		row := []string{a}
		for _, b := range words {
			s, err := vecs.Similarity(a, b)
			if err != nil {
				return err
			}
			row = append(row, fmt.Sprintf("%.4f", s))
		}
		fmt.Fprintln(stdout, strings.Join(row, "\t"))
	}
	return nil
}
