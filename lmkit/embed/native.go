package embed

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// jobWords is about how many corpus words one job holds: a worker takes a job, trains it, and
// takes the next (gensim's batch size; the C tool splits the file by thread instead).
const jobWords = 10000

// job is a run of sentences trained by one worker with its own random stream.
type job struct {
	first, end int   // sentences [first, end)
	offset     int64 // words of the corpus before the job
}

// planJobs cuts the corpus into jobs of about jobWords words, on sentence boundaries.
func planJobs(c *Corpus) []job {
	var jobs []job
	start, words := 0, int64(0)
	var offset int64
	for i := range c.Len() {
		words += int64(len(c.Sentence(i)))
		if words >= jobWords || i == c.Len()-1 {
			jobs = append(jobs, job{first: start, end: i + 1, offset: offset})
			offset += words
			start, words = i+1, 0
		}
	}
	return jobs
}

// tables are what both engines share: the padded weight tables and the sampling tables.
type tables struct {
	cfg    Config
	c      *Corpus
	dim    int
	stride int       // dim rounded up to 8 floats, so SIMD loops need no tail; the padding stays 0
	syn0   []float32 // input vectors, the embeddings: word i is syn0[i*stride : i*stride+dim]
	syn1   []float32 // output vectors of negative sampling, zero at the start
	neg    aliasTable
	keep   []uint64
	total  float64 // corpus words × epochs: the learning-rate schedule's length
}

func newTables(c *Corpus, cfg Config) *tables {
	t := &tables{cfg: cfg, c: c, dim: cfg.Dim, stride: (cfg.Dim + 7) &^ 7}
	v := c.Vocab.Len()
	t.syn0 = make([]float32, v*t.stride)
	t.syn1 = make([]float32, v*t.stride)
	// gensim 4's initialisation: uniform in [-1, 1)/dim (the C tool's is half as wide);
	// output vectors zero.
	r := newRNG(cfg.Seed, math.MaxUint64)
	for i := range v {
		row := t.syn0[i*t.stride : i*t.stride+t.dim]
		for j := range row {
			row[j] = (2*r.unitFloat() - 1) / float32(t.dim)
		}
	}
	t.neg = newAliasTable(c.Vocab.Counts, 0.75)
	t.keep = keepThresholds(c.Vocab.Counts, cfg.Sample)
	t.total = float64(c.Words()) * float64(cfg.Epochs)
	return t
}

// subsample appends the words of sentence that subsampling keeps to buf.
func (t *tables) subsample(r *rng, sentence []int32, buf []int32) []int32 {
	buf = buf[:0]
	for _, w := range sentence {
		if k := t.keep[w]; k >= 1<<32 || r.next()&math.MaxUint32 < k {
			buf = append(buf, w)
		}
	}
	return buf
}

// vectors copies the input vectors out of the padded table. It fails when training
// diverged and left a NaN or an infinity.
func (t *tables) vectors() (*Vectors, error) {
	v := t.c.Vocab.Len()
	data := make([]float32, v*t.dim)
	for i := range v {
		copy(data[i*t.dim:(i+1)*t.dim], t.syn0[i*t.stride:i*t.stride+t.dim])
	}
	return newVectors(t.c.Vocab.Words, t.c.Vocab.Counts, t.dim, data)
}

// trainNative runs the C tool's algorithm: workers take jobs and update syn0 and syn1 in
// place without locks (Hogwild); collisions are rare and harmless for sparse updates.
func trainNative(ctx context.Context, c *Corpus, cfg Config) (*Vectors, Stats, error) {
	t := newTables(c, cfg)
	jobs := planJobs(c)
	nJobs := int64(len(jobs) * cfg.Epochs)
	var next, done, trained, pairs atomic.Int64
	var stop atomic.Bool
	start := time.Now()
	var wg sync.WaitGroup
	for range cfg.Workers {
		wg.Go(func() {
			w := newWorker(t)
			for !stop.Load() {
				j := next.Add(1) - 1
				if j >= nJobs {
					break
				}
				epoch := int(j / int64(len(jobs)))
				jb := jobs[j%int64(len(jobs))]
				r := newRNG(cfg.Seed, uint64(j))
				offset := int64(epoch)*c.Words() + jb.offset
				for s := jb.first; s < jb.end && !stop.Load(); s++ {
					sentence := c.Sentence(s)
					w.sentence(&r, sentence, float64(offset))
					offset += int64(len(sentence))
					done.Add(int64(len(sentence)))
				}
			}
			trained.Add(w.trained)
			pairs.Add(w.pairs)
		})
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	report := func() {
		if cfg.Progress == nil {
			return
		}
		f := float64(done.Load()) / t.total
		el := time.Since(start)
		cfg.Progress(Progress{Epoch: min(int(f*float64(cfg.Epochs))+1, cfg.Epochs), Fraction: f, Alpha: cfg.alphaAt(f),
			WordsPerSec: f * float64(c.RawWords) * float64(cfg.Epochs) / el.Seconds(), Loss: math.NaN(), Elapsed: el})
	}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	var err error
wait:
	for {
		select {
		case <-finished:
			break wait
		case <-tick.C:
			report()
		case <-ctx.Done():
			stop.Store(true)
			<-finished
			err = fmt.Errorf("embed: training interrupted at %.0f%%: %w", 100*float64(done.Load())/t.total, ctx.Err())
			break wait
		}
	}
	report()
	secs := time.Since(start).Seconds()
	frac := float64(done.Load()) / t.total
	words := int64(math.Round(frac * float64(c.RawWords) * float64(cfg.Epochs)))
	st := Stats{Engine: Native, Workers: cfg.Workers, Vocab: c.Vocab.Len(), Words: words, Trained: trained.Load(),
		Pairs: pairs.Load(), Seconds: secs, WordsPerSec: float64(words) / secs, SIMD: hasSIMD, Stopped: "epochs"}
	if err != nil {
		st.Stopped = "interrupt"
	}
	vecs, verr := t.vectors()
	if verr != nil {
		return nil, st, verr
	}
	return vecs, st, err
}

// worker holds one goroutine's scratch space.
type worker struct {
	*tables
	sen     []int32   // the sentence after subsampling
	neu1    []float32 // CBOW: mean of the context vectors
	neu1e   []float32 // the input side's accumulated gradient
	trained int64
	pairs   int64
}

func newWorker(t *tables) *worker {
	return &worker{tables: t, sen: make([]int32, 0, MaxSentence), neu1: make([]float32, t.stride), neu1e: make([]float32, t.stride)}
}

// sentence trains one sentence; offset is the number of corpus words trained before it in
// the whole schedule, which sets the learning rate.
func (w *worker) sentence(r *rng, sentence []int32, offset float64) {
	sen := w.subsample(r, sentence, w.sen)
	w.sen = sen
	if len(sen) < 2 {
		return
	}
	cfg := &w.cfg
	// The rate falls linearly over the schedule; words dropped by subsampling still count,
	// as in the C tool, so spread the sentence's raw length over its kept words.
	step := float64(len(sentence)) / float64(len(sen)) / w.total
	at := offset / w.total
	window, neg, stride := cfg.Window, cfg.Negative, w.stride
	syn0, syn1 := w.syn0, w.syn1
	neu1, neu1e := w.neu1, w.neu1e
	w.trained += int64(len(sen))
	for pos, word := range sen {
		alpha := float32(cfg.alphaAt(at + float64(pos)*step))
		b := intn(r.next(), window) // the dynamic window: this word looks b fewer words each side
		lo, hi := max(pos-window+b, 0), min(pos+window-b, len(sen)-1)
		out := int(word) * stride
		if cfg.Model == SkipGram {
			for c := lo; c <= hi; c++ {
				if c == pos {
					continue
				}
				in := int(sen[c]) * stride
				l1 := syn0[in : in+stride]
				clear(neu1e)
				l2 := syn1[out : out+stride]
				update(gradient(dot(l1, l2), 1, alpha), l1, l2, neu1e)
				for range neg {
					target := w.neg.draw(r.next())
					if target == word {
						continue
					}
					o := int(target) * stride
					l2 := syn1[o : o+stride]
					update(gradient(dot(l1, l2), 0, alpha), l1, l2, neu1e)
				}
				axpy(1, neu1e, l1)
				w.pairs++
			}
			continue
		}
		// CBOW: predict the centre word from the mean of the context vectors.
		clear(neu1)
		n := 0
		for c := lo; c <= hi; c++ {
			if c != pos {
				in := int(sen[c]) * stride
				axpy(1, syn0[in:in+stride], neu1)
				n++
			}
		}
		inv := 1 / float32(n)
		for i := range neu1 {
			neu1[i] *= inv
		}
		clear(neu1e)
		l2 := syn1[out : out+stride]
		update(gradient(dot(neu1, l2), 1, alpha), neu1, l2, neu1e)
		for range neg {
			target := w.neg.draw(r.next())
			if target == word {
				continue
			}
			o := int(target) * stride
			l2 := syn1[o : o+stride]
			update(gradient(dot(neu1, l2), 0, alpha), neu1, l2, neu1e)
		}
		for c := lo; c <= hi; c++ {
			if c != pos {
				in := int(sen[c]) * stride
				axpy(1, neu1e, syn0[in:in+stride])
			}
		}
		w.pairs++
	}
}
