package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/embed"
	"github.com/llm-map/lab/lmkit/runfolder"
)

// word2vecSummary is RUN/summary.json for a word2vec run.
type word2vecSummary struct {
	Model       embed.Model     `json:"model"`
	Data        string          `json:"data"`
	Engine      embed.Engine    `json:"engine"`
	Backend     string          `json:"backend,omitempty"`
	Workers     int             `json:"workers,omitempty"`
	VocabSize   int             `json:"vocab_size"`
	CorpusWords int64           `json:"corpus_words"` // tokens in the text, rare words included
	Words       int64           `json:"words"`        // corpus words × epochs trained
	WordsPerSec float64         `json:"words_per_sec"`
	ElapsedS    float64         `json:"elapsed_s"` // training time, vocabulary building excluded
	StoppedBy   string          `json:"stopped_by"`
	Analogy     *analogySummary `json:"analogy,omitempty"`
}

// analogySummary is the analogy score kept in summary.json.
type analogySummary struct {
	Questions   string  `json:"questions"`
	Restrict    int     `json:"restrict"`
	Accuracy    float64 `json:"accuracy"`     // 3CosAdd, %
	AccuracyMul float64 `json:"accuracy_mul"` // 3CosMul, %
	Semantic    float64 `json:"semantic"`     // 3CosAdd, %
	Syntactic   float64 `json:"syntactic"`    // 3CosAdd, %
	Seen        int     `json:"seen"`
	Total       int     `json:"total"`
}

func cmdWord2Vec(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("word2vec", stderr)
	d := embed.Defaults()
	dataName := fs.String("data", "", "corpus name (lmkit data list) or a path to a UTF-8 text file")
	lines := fs.Bool("lines", false, "a text file given to -data holds one document per line")
	runDir := fs.String("run", "", "run folder for config.json, vectors.bin, vocab.txt and summary.json")
	model := fs.String("model", string(d.Model), "skipgram or cbow")
	dim := fs.Int("dim", d.Dim, "vector width")
	window := fs.Int("window", d.Window, "most words either side of the centre word")
	negative := fs.Int("negative", d.Negative, "negative samples per positive pair")
	sample := fs.Float64("sample", d.Sample, "subsampling threshold for frequent words (0: off)")
	minCount := fs.Int("min-count", d.MinCount, "drop words seen fewer times")
	epochs := fs.Int("epochs", d.Epochs, "passes over the corpus")
	alpha := fs.Float64("alpha", 0, "starting learning rate (default 0.025 for skipgram, 0.05 for cbow)")
	minAlpha := fs.Float64("min-alpha", d.MinAlpha, "final learning rate")
	workers := fs.Int("workers", 0, "native engine: goroutines (0: one a core; 1: repeatable)")
	seed := fs.Uint64("seed", d.Seed, "random seed")
	engine := fs.String("engine", "auto", "auto, native (CPU, the default on CPUs) or gomlx (the GoMLX graph)")
	batch := fs.Int("batch", 4096, "gomlx engine: examples per step (16384 diverged at -alpha 0.025 on sotu)")
	questions := fs.String("questions", "questions-words", "analogy questions to score after training: corpus name, file, or none")
	text := fs.Bool("text", false, "also write RUN/vectors.txt, the word2vec text format")
	quiet := fs.Bool("quiet", false, "no progress line")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *dataName == "":
		return fmt.Errorf("-data is required: a corpus name (see lmkit data list) or a text file: %w", errUsage)
	case *runDir == "":
		return fmt.Errorf("-run is required: a folder for this run, e.g. -run runs/word2vec: %w", errUsage)
	}
	eng := embed.Engine(*engine)
	if *engine == "auto" {
		eng = embed.Auto
	}
	cfg := embed.Config{Model: embed.Model(*model), Dim: *dim, Window: *window, Negative: *negative, Sample: *sample,
		MinCount: *minCount, Epochs: *epochs, Alpha: *alpha, MinAlpha: *minAlpha, Seed: *seed, Workers: *workers,
		Engine: eng, Batch: *batch}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%v: %w", err, errUsage)
	}
	// Questions are checked before training, so a typo does not cost a training run.
	var qs []embed.Question
	qpath, qerr := questionsPath(ctx, *questions)
	switch {
	case qerr != nil && isSet(fs, "questions"):
		return qerr
	case qerr != nil:
		fmt.Fprintf(stderr, "lmkit: skipping the analogy test: %v\n", qerr)
	case qpath != "":
		var err error
		if qs, err = embed.ReadQuestions(qpath); err != nil {
			return err
		}
	}
	txt, err := data.ReadText(ctx, *dataName, *lines)
	if err != nil {
		return err
	}
	if err := runfolder.Create(*runDir); err != nil {
		return err
	}
	lock, err := runfolder.Lock(*runDir)
	if err != nil {
		return err
	}
	defer lock.Release()
	c, err := embed.NewCorpus(embed.Sentences(txt.Docs), cfg.MinCount)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "lmkit: %s: %d words, vocabulary %d at min-count %d\n", txt.Name, c.RawWords, c.Vocab.Len(), cfg.MinCount)
	if err := runfolder.WriteConfig(*runDir, struct {
		Data string `json:"data"`
		embed.Config
	}{*dataName, cfg}); err != nil {
		return err
	}
	if !*quiet {
		cfg.Progress = func(p embed.Progress) {
			loss := ""
			if !math.IsNaN(p.Loss) {
				loss = fmt.Sprintf(", loss %.3f", p.Loss)
			}
			fmt.Fprintf(stderr, "\repoch %d/%d  %5.1f%%  lr %.5f  %.0f words/s%s  %s   ", p.Epoch, cfg.Epochs, 100*p.Fraction, p.Alpha, p.WordsPerSec, loss, p.Elapsed.Round(time.Second))
		}
	}
	vecs, st, err := embed.Train(ctx, c, cfg)
	if !*quiet {
		fmt.Fprintln(stderr)
	}
	if err != nil && vecs == nil {
		return err
	}
	if err != nil {
		fmt.Fprintf(stderr, "lmkit: %v; saving the vectors trained so far\n", err)
	}
	if err := vecs.SaveBinary(runfolder.Vectors(*runDir)); err != nil {
		return err
	}
	if err := vecs.SaveVocab(runfolder.Vocab(*runDir)); err != nil {
		return err
	}
	if *text {
		if err := vecs.SaveText(runfolder.VectorsText(*runDir)); err != nil {
			return err
		}
	}
	s := word2vecSummary{Model: embed.Model(strings.ToLower(*model)), Data: *dataName, Engine: st.Engine, Backend: st.Backend, Workers: st.Workers,
		VocabSize: st.Vocab, CorpusWords: c.RawWords, Words: st.Words, WordsPerSec: st.WordsPerSec, ElapsedS: st.Seconds, StoppedBy: st.Stopped}
	if s.Model == "sg" || s.Model == "skip-gram" {
		s.Model = embed.SkipGram
	}
	if qs != nil {
		rep := vecs.EvaluateAnalogies(qs, embed.AnalogyOptions{})
		s.Analogy = summarizeAnalogy(qpath, rep)
	}
	if err := runfolder.WriteSummaryOf(*runDir, s); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "word2vec %s on %s (%s engine): vocabulary %d, %.0f words/s, %.1f s", s.Model, s.Data, s.Engine, s.VocabSize, s.WordsPerSec, s.ElapsedS)
	if s.Analogy != nil {
		fmt.Fprintf(stdout, ", analogies %.2f%% (3CosAdd) %.2f%% (3CosMul) of %d seen", s.Analogy.Accuracy, s.Analogy.AccuracyMul, s.Analogy.Seen)
	}
	fmt.Fprintf(stdout, " -> %s\n", *runDir)
	if ctx.Err() != nil {
		return fmt.Errorf("stopped by interrupt; the vectors trained so far are saved in %s: %w", *runDir, errInterrupted)
	}
	return nil
}

func cmdAnalogy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("analogy", stderr)
	runDir := fs.String("run", "", "a word2vec run folder (holding vectors.bin); its summary.json gets the score")
	vectors := fs.String("vectors", "", "a word2vec .bin or .txt file instead of -run (e.g. from gensim or the C tool)")
	questions := fs.String("questions", "questions-words", "analogy questions: corpus name or file")
	restrict := fs.Int("restrict", 30000, "answer among the most frequent words only (-1: all)")
	query := fs.String("query", "", "answer one analogy instead, \"A B C\": A is to B as C is to ? (e.g. \"man king woman\")")
	if err := parse(fs, args); err != nil {
		return err
	}
	path, err := vectorsPath(*runDir, *vectors, "the folder of a word2vec run, or a vectors file")
	if err != nil {
		return err
	}
	if *restrict == 0 || *restrict < -1 {
		return fmt.Errorf("-restrict %d must be a positive number of words, or -1 for all: %w", *restrict, errUsage)
	}
	vecs, err := embed.Load(path)
	if err != nil {
		return err
	}
	if *query != "" {
		w := strings.Fields(*query)
		if len(w) != 3 {
			return fmt.Errorf("-query %q: want three words, \"A B C\" (A is to B as C is to ?): %w", *query, errUsage)
		}
		for _, m := range []embed.Method{embed.CosAdd, embed.CosMul} {
			ns, err := vecs.Analogy(w[0], w[1], w[2], 5, m)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: %s is to %s as %s is to", m, w[0], w[1], w[2])
			for _, n := range ns {
				fmt.Fprintf(stdout, " %s (%.3f)", n.Word, n.Similarity)
			}
			fmt.Fprintln(stdout)
		}
		return nil
	}
	qpath, err := questionsPath(ctx, *questions)
	if err != nil {
		return err
	}
	qs, err := embed.ReadQuestions(qpath)
	if err != nil {
		return err
	}
	rep := vecs.EvaluateAnalogies(qs, embed.AnalogyOptions{Restrict: *restrict})
	fmt.Fprint(stdout, rep.String())
	if *runDir == "" {
		return nil
	}
	// Keep summary.json's other fields as they are.
	lock, err := runfolder.Lock(*runDir)
	if err != nil {
		return err
	}
	defer lock.Release()
	s := map[string]any{}
	if err := runfolder.ReadSummaryOf(*runDir, &s); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	s["analogy"] = summarizeAnalogy(qpath, rep)
	return runfolder.WriteSummaryOf(*runDir, s)
}

func summarizeAnalogy(path string, rep embed.AnalogyReport) *analogySummary {
	return &analogySummary{Questions: filepath.Base(path), Restrict: rep.Restrict, Accuracy: rep.All.Accuracy, AccuracyMul: rep.All.AccuracyMul,
		Semantic: rep.Semantic.Accuracy, Syntactic: rep.Syntactic.Accuracy, Seen: rep.All.Seen, Total: rep.All.Total}
}

// questionsPath resolves -questions: "none" is no file, a name without a slash a corpus.
func questionsPath(ctx context.Context, q string) (string, error) {
	switch {
	case q == "none" || q == "":
		return "", nil
	case strings.ContainsRune(q, '/') || strings.ContainsRune(q, os.PathSeparator) || strings.HasSuffix(q, ".txt"):
		if _, err := os.Stat(q); err != nil {
			return "", fmt.Errorf("-questions %s: %w (give an analogy file such as questions-words.txt, or none)", q, err)
		}
		return q, nil
	}
	return data.Fetch(ctx, q)
}

// isSet reports whether the flag was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// vectorsPath is the word-vectors file of -run DIR or -vectors FILE (exactly one of them); what
// says what the two flags are, for the error when neither is given.
func vectorsPath(runDir, vectors, what string) (string, error) {
	switch {
	case runDir == "" && vectors == "":
		return "", fmt.Errorf("-run or -vectors is required: %s: %w", what, errUsage)
	case runDir != "" && vectors != "":
		return "", fmt.Errorf("give -run or -vectors, not both: %w", errUsage)
	case vectors != "":
		return vectors, nil
	}
	path := runfolder.Vectors(runDir)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("%s has no word vectors: train it first with lmkit word2vec -run %s -data ...", runDir, runDir)
	}
	return path, nil
}
