// Command word2vec benchmarks lmkit's word2vec engines against gensim 4.2 on the same corpus
// with the same settings, run side by side in one process tree, and prints a table of
// words/s (with the ratio to gensim) and analogy accuracy.
//
//	GOEXPERIMENT=simd LMKIT_DATA_DIR=../shared/data go run ./bench/word2vec
//	go run ./bench/word2vec -engines native -repeat 3      # the CPU engine only, three rounds
//
// Each round runs gensim (an iterable corpus, -workers threads), lmkit native (-workers
// goroutines) and, when asked, lmkit gomlx, in turn. The corpus is tokenized once by lmkit
// (embed.Sentences) and written to OUT/corpus.txt, one sentence a line; gensim reads that file
// with LineSentence, so both train on exactly the same tokens. words/s is the corpus's tokens
// times epochs over the training time (vocabulary building excluded, for both). Accuracy is
// questions-words.txt restricted to the 30,000 most frequent words, 3CosAdd, each tool scoring
// its own vectors; the row "gensim vectors, lmkit scoring" re-scores gensim's saved vectors
// with lmkit's evaluator, as a check that the two evaluators agree.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/embed"
)

type result struct {
	Name        string   `json:"name"`
	Round       int      `json:"round"`
	Vocab       int      `json:"vocab"`
	Seconds     float64  `json:"seconds"`
	WordsPerSec float64  `json:"words_per_sec"`
	Analogy     float64  `json:"analogy"`               // 3CosAdd %, the tool's own evaluator
	AnalogyMul  *float64 `json:"analogy_mul,omitempty"` // 3CosMul %, lmkit's evaluator
	Seen        int      `json:"seen"`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "bench/word2vec:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	dataName := flag.String("data", "sotu", "corpus name (lmkit data list) or a UTF-8 text file")
	lines := flag.Bool("lines", false, "a file given to -data holds one document per line")
	questions := flag.String("questions", "questions-words", "analogy questions: corpus name or file")
	engines := flag.String("engines", "native", "lmkit engines to run beside gensim: native, gomlx, or native,gomlx")
	model := flag.String("model", "skipgram", "skipgram or cbow")
	dim := flag.Int("dim", 100, "vector width")
	window := flag.Int("window", 5, "window")
	negative := flag.Int("negative", 5, "negatives per pair")
	sample := flag.Float64("sample", 1e-3, "subsampling threshold")
	minCount := flag.Int("min-count", 5, "minimum word count")
	epochs := flag.Int("epochs", 5, "epochs")
	workers := flag.Int("workers", 2, "gensim workers and lmkit native goroutines")
	batch := flag.Int("batch", 0, "gomlx engine: examples per step (0: the engine's default)")
	repeat := flag.Int("repeat", 1, "rounds, with seeds 1..N; the table shows each engine's median words/s and mean accuracy")
	gomlxRounds := flag.Int("gomlx-rounds", 1, "run the gomlx engine in the first N rounds only (it takes about 20 minutes on 2 cores)")
	corpusFile := flag.Bool("corpus-file", false, "also run gensim in corpus_file mode (its file reader a worker)")
	python := flag.String("python", "/usr/bin/python3", "the Python that has Debian's python3-gensim")
	out := flag.String("out", "out/bench-word2vec", "folder for the tokenized corpus, the vectors and results.json")
	flag.Parse()

	cfg := embed.Defaults()
	cfg.Model, cfg.Dim, cfg.Window, cfg.Negative, cfg.Sample = embed.Model(*model), *dim, *window, *negative, *sample
	cfg.MinCount, cfg.Epochs, cfg.Workers, cfg.Batch = *minCount, *epochs, *workers, *batch
	var runEngines []embed.Engine
	for e := range strings.SplitSeq(*engines, ",") {
		switch e = strings.TrimSpace(e); e {
		case "native", "gomlx":
			runEngines = append(runEngines, embed.Engine(e))
		case "":
		default:
			return fmt.Errorf("-engines %q: %q is not native or gomlx", *engines, e)
		}
	}
	script, err := scriptPath()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("cannot create -out %s: %w", *out, err)
	}
	txt, err := data.ReadText(ctx, *dataName, *lines)
	if err != nil {
		return err
	}
	qpath := *questions
	if !strings.ContainsRune(qpath, '/') {
		if qpath, err = data.Fetch(ctx, *questions); err != nil {
			return err
		}
	}
	qs, err := embed.ReadQuestions(qpath)
	if err != nil {
		return err
	}
	sentences := embed.Sentences(txt.Docs)
	corpusPath := filepath.Join(*out, "corpus.txt")
	if err := writeCorpus(corpusPath, sentences); err != nil {
		return err
	}
	c, err := embed.NewCorpus(sentences, cfg.MinCount)
	if err != nil {
		return err
	}
	fmt.Printf("corpus %s: %d words, %d sentences, vocabulary %d at min-count %d; %s, dim %d, window %d, negative %d, sample %g, %d epochs; %d workers; GOMAXPROCS %d, %d CPUs\n",
		txt.Name, c.RawWords, c.Len(), c.Vocab.Len(), cfg.MinCount, cfg.Model, cfg.Dim, cfg.Window, cfg.Negative, cfg.Sample, cfg.Epochs, cfg.Workers, runtime.GOMAXPROCS(0), runtime.NumCPU())

	gensimArgs := []string{script, "--corpus", corpusPath, "--questions", qpath, "--model", string(cfg.Model),
		"--dim", fmt.Sprint(cfg.Dim), "--window", fmt.Sprint(cfg.Window), "--negative", fmt.Sprint(cfg.Negative),
		"--sample", fmt.Sprint(cfg.Sample), "--min-count", fmt.Sprint(cfg.MinCount), "--epochs", fmt.Sprint(cfg.Epochs),
		"--workers", fmt.Sprint(cfg.Workers)}
	if cfg.Model == embed.CBOW {
		gensimArgs = append(gensimArgs, "--alpha", "0.05")
	}
	var results []result
	for round := 1; round <= *repeat; round++ {
		cfg.Seed = uint64(round)
		gensimVecs := filepath.Join(*out, "gensim.bin")
		g, err := runGensim(ctx, *python, append(slices.Clone(gensimArgs), "--seed", fmt.Sprint(round), "--save", gensimVecs))
		if err != nil {
			return err
		}
		g.Name, g.Round = fmt.Sprintf("gensim %s (%d workers)", g.version, cfg.Workers), round
		results = append(results, g.result)
		report(g.result)
		{
			gv, err := embed.Load(gensimVecs)
			if err != nil {
				return err
			}
			rep := gv.EvaluateAnalogies(qs, embed.AnalogyOptions{})
			r := result{Name: "gensim vectors, lmkit scoring", Round: round, Vocab: gv.Len(), Analogy: rep.All.Accuracy, AnalogyMul: &rep.All.AccuracyMul, Seen: rep.All.Seen}
			results = append(results, r)
			report(r)
		}
		if *corpusFile {
			g, err := runGensim(ctx, *python, append(slices.Clone(gensimArgs), "--seed", fmt.Sprint(round), "--corpus-file"))
			if err != nil {
				return err
			}
			g.Name, g.Round = fmt.Sprintf("gensim %s corpus_file (%d workers)", g.version, cfg.Workers), round
			results = append(results, g.result)
			report(g.result)
		}
		for _, e := range runEngines {
			if e == embed.GoMLX && round > *gomlxRounds {
				continue
			}
			cfg := cfg
			cfg.Engine = e
			var last time.Time
			cfg.Progress = func(p embed.Progress) {
				if time.Since(last) > time.Minute {
					last = time.Now()
					fmt.Fprintf(os.Stderr, "  %s: %.0f%% after %s, %.0f words/s\n", e, 100*p.Fraction, p.Elapsed.Round(time.Second), p.WordsPerSec)
				}
			}
			vecs, st, err := embed.Train(ctx, c, cfg)
			if err != nil {
				return err
			}
			rep := vecs.EvaluateAnalogies(qs, embed.AnalogyOptions{})
			name := fmt.Sprintf("lmkit native (%d goroutines, SIMD %v)", st.Workers, st.SIMD)
			if e == embed.GoMLX {
				name = fmt.Sprintf("lmkit gomlx (%s, batch %d)", st.Backend, cfg.Batch)
				if cfg.Batch == 0 {
					name = fmt.Sprintf("lmkit gomlx (%s)", st.Backend)
				}
			}
			r := result{Name: name, Round: round, Vocab: vecs.Len(), Seconds: st.Seconds, WordsPerSec: st.WordsPerSec,
				Analogy: rep.All.Accuracy, AnalogyMul: &rep.All.AccuracyMul, Seen: rep.All.Seen}
			results = append(results, r)
			report(r)
			if round == 1 {
				if err := vecs.SaveBinary(filepath.Join(*out, "lmkit-"+string(e)+".bin")); err != nil {
					return err
				}
			}
		}
	}
	table(results)
	b, _ := json.MarshalIndent(results, "", "  ")
	return os.WriteFile(filepath.Join(*out, "results.json"), b, 0o644)
}

// scriptPath finds gensim_w2v.py beside this file, from the repository root or this folder.
func scriptPath() (string, error) {
	for _, p := range []string{"bench/word2vec/gensim_w2v.py", "gensim_w2v.py"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("gensim_w2v.py not found: run from the repository root (go run ./bench/word2vec)")
}

func writeCorpus(path string, sentences [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cannot write the corpus for gensim: %w (choose a writable -out)", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for _, s := range sentences {
		w.WriteString(strings.Join(s, " "))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type gensimResult struct {
	result
	version string
}

func runGensim(ctx context.Context, python string, args []string) (gensimResult, error) {
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	outb, err := cmd.Output()
	if err != nil {
		return gensimResult{}, fmt.Errorf("gensim run failed after %s: %w (needs Debian's gensim: apt-get install -y python3-gensim; -python %s)", time.Since(start).Round(time.Second), err, python)
	}
	lines := strings.Split(strings.TrimSpace(string(outb)), "\n")
	var g struct {
		Gensim      string  `json:"gensim"`
		Vocab       int     `json:"vocab"`
		Seconds     float64 `json:"seconds"`
		WordsPerSec float64 `json:"words_per_sec"`
		Analogy     float64 `json:"analogy"`
		Seen        int     `json:"analogy_seen"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &g); err != nil {
		return gensimResult{}, fmt.Errorf("cannot read gensim_w2v.py's result %q: %w", lines[len(lines)-1], err)
	}
	return gensimResult{result: result{Vocab: g.Vocab, Seconds: g.Seconds, WordsPerSec: g.WordsPerSec, Analogy: g.Analogy, Seen: g.Seen}, version: g.Gensim}, nil
}

func report(r result) {
	fmt.Fprintf(os.Stderr, "round %d: %-44s %9.0f words/s %7.1f s  analogy %.2f%% (%d seen)\n", r.Round, r.Name, r.WordsPerSec, r.Seconds, r.Analogy, r.Seen)
}

// table prints each engine's median words/s, as a ratio to the first row's, and its mean
// accuracy over the rounds with the range.
func table(results []result) {
	var names []string
	by := map[string][]result{}
	for _, r := range results {
		if _, ok := by[r.Name]; !ok {
			names = append(names, r.Name)
		}
		by[r.Name] = append(by[r.Name], r)
	}
	median := func(rs []result, f func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	acc := func(rs []result, f func(result) float64) string {
		lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
		for _, r := range rs {
			x := f(r)
			lo, hi, sum = min(lo, x), max(hi, x), sum+x
		}
		if len(rs) == 1 {
			return fmt.Sprintf("%.2f", sum)
		}
		return fmt.Sprintf("%.2f (%.2f-%.2f)", sum/float64(len(rs)), lo, hi)
	}
	base := median(by[names[0]], func(r result) float64 { return r.WordsPerSec })
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "| engine\t| words/s\t| ratio\t| train s\t| vocab\t| 3CosAdd %\t| 3CosMul %\t| seen\t| rounds\t|")
	fmt.Fprintln(tw, "|---\t|---:\t|---:\t|---:\t|---:\t|---:\t|---:\t|---:\t|---:\t|")
	for _, n := range names {
		rs := by[n]
		wps := median(rs, func(r result) float64 { return r.WordsPerSec })
		secs := median(rs, func(r result) float64 { return r.Seconds })
		mul := "-"
		if rs[0].AnalogyMul != nil {
			mul = acc(rs, func(r result) float64 { return *r.AnalogyMul })
		}
		speed := "-\t| -\t| -"
		if wps > 0 {
			speed = fmt.Sprintf("%.0f\t| %.2f\t| %.1f", wps, wps/base, secs)
		}
		fmt.Fprintf(tw, "| %s\t| %s\t| %d\t| %s\t| %s\t| %d\t| %d\t|\n", n, speed, rs[0].Vocab,
			acc(rs, func(r result) float64 { return r.Analogy }), mul, rs[0].Seen, len(rs))
	}
	tw.Flush()
	fmt.Println("words/s: corpus tokens × epochs / training seconds (vocabulary building excluded), median of the rounds;")
	fmt.Println("ratio: to the first row; accuracy: questions-words.txt among the 30,000 most frequent words, mean (min-max) of the rounds, seeds 1..N.")
}
