package embed

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
)

// Network is word2vec as the tiny neural network it is, for the GoMLX engine. An example is
// a few context words (one for skip-gram, the window for CBOW) and 1+Negative target words:
// the real one first, then the negatives.
//
//	h      = mean of input[context]               [B, D]   the hidden layer: an embedding lookup
//	logits = h · output[target]                   [B, 1+K] one dot product a target
//	loss   = softplus(-logit_0) + Σ softplus(logit_k)       -log σ(real) - Σ log σ(-negative)
//
// The gradients are word2vec's: g = (label - σ(logit))·lr for each target; each target's
// output vector moves by g·h, and each context word's input vector by Σ g·output[target]. The
// step writes them back with scatter-adds, so only the rows in the batch are touched.
type Network struct {
	Vocab, Dim int
	Context    int // context words an example (1 for skip-gram, 2·Window for CBOW)
	Targets    int // 1 + Negative
}

// Variables in the store: the embeddings the engine returns, and the output vectors.
const (
	InputVar  = "word2vec/input"
	OutputVar = "word2vec/output"
)

// Logits builds the forward pass: the hidden vector h [B, D] of each example and its logits
// [B, T], from contexts [B, C] (int32), mask [B, C] (1 for a real context word, 0 for
// padding) and targets [B, T] (int32). Also returned: the gathered output vectors [B, T, D].
func (n Network) Logits(scope *model.Scope, contexts, mask, targets *Node) (h, logits, outVecs *Node) {
	g := contexts.Graph()
	inVar, outVar := n.variables(scope)
	in, out := inVar.NodeValue(g), outVar.NodeValue(g)
	ctxVecs := Gather(in, ExpandAxes(contexts, -1))                                  // [B, C, D]
	count := Max(ReduceSum(mask, 1), OnesLike(ReduceSum(mask, 1)))                   // [B]
	h = Div(ReduceSum(Mul(ctxVecs, ExpandAxes(mask, -1)), 1), ExpandAxes(count, -1)) // [B, D]
	outVecs = Gather(out, ExpandAxes(targets, -1))                                   // [B, T, D]
	logits = Einsum("bd,btd->bt", h, outVecs)                                        // [B, T]
	return h, logits, outVecs
}

// variables returns the two tables. The engine creates them (input as the native trainer
// starts it, output zero); in a fresh store they take the store's initializer.
func (n Network) variables(scope *model.Scope) (in, out *model.Variable) {
	scope = scope.At("word2vec")
	shape := shapes.Make(dtypes.Float32, n.Vocab, n.Dim)
	return scope.VariableWithShape("input", shape), scope.VariableWithShape("output", shape)
}

// Step builds one training step: the forward pass, the word2vec gradients, and the
// scatter-add updates of both tables. weights [B, T] is 1 for each target to train and 0 for
// padding and for negatives that drew the real target; lr is a scalar. It returns the summed
// loss of the trained targets.
func (n Network) Step(scope *model.Scope, contexts, mask, targets, weights, lr *Node) *Node {
	g := contexts.Graph()
	h, logits, outVecs := n.Logits(scope, contexts, mask, targets)
	b := contexts.Shape().Dimensions[0]
	// label 1 for the real target (column 0), 0 for the negatives; sign ±1 likewise.
	labels := Concatenate([]*Node{Ones(g, shapes.Make(dtypes.Float32, b, 1)), Zeros(g, shapes.Make(dtypes.Float32, b, n.Targets-1))}, 1)
	sign := Concatenate([]*Node{Ones(g, shapes.Make(dtypes.Float32, b, 1)), FillScalar(g, shapes.Make(dtypes.Float32, b, n.Targets-1), -1)}, 1)
	loss := ReduceAllSum(Mul(weights, Softplus(Neg(Mul(sign, logits)))))
	coef := Mul(Mul(Sub(labels, Sigmoid(logits)), weights), lr) // [B, T]
	dh := Einsum("bt,btd->bd", coef, outVecs)                   // [B, D]
	dOut := Mul(ExpandAxes(coef, -1), ExpandAxes(h, 1))         // [B, T, D]
	dIn := Mul(ExpandAxes(dh, 1), ExpandAxes(mask, -1))         // [B, C, D]: each context word gets all of it, as in the C tool
	inVar, outVar := n.variables(scope)
	inVar.SetNodeValue(ScatterSum(inVar.NodeValue(g), ExpandAxes(contexts, -1), dIn, false, false))
	outVar.SetNodeValue(ScatterSum(outVar.NodeValue(g), ExpandAxes(targets, -1), dOut, false, false))
	return loss
}

// batch is one step's examples, built on the CPU.
type batch struct {
	contexts []int32   // [B, C]
	mask     []float32 // [B, C]
	targets  []int32   // [B, T]
	weights  []float32 // [B, T]
	n        int       // real examples
	alpha    float64
	done     int64 // corpus words consumed after this batch
}

// trainGraph runs the GoMLX engine: a goroutine draws examples exactly as the native trainer
// does (subsampling, dynamic window, unigram^0.75 negatives) and the graph trains them a batch
// at a time.
func trainGraph(ctx context.Context, c *Corpus, cfg Config) (*Vectors, Stats, error) {
	b := cfg.Backend
	if b == nil {
		var err error
		if b, err = backend.Default(); err != nil {
			return nil, Stats{}, err
		}
	}
	t := newTables(c, cfg)
	net := Network{Vocab: c.Vocab.Len(), Dim: cfg.Dim, Context: 1, Targets: 1 + cfg.Negative}
	if cfg.Model == CBOW {
		net.Context = 2 * cfg.Window
	}
	store := model.NewStore()
	scope := store.RootScope().In("word2vec")
	in := make([]float32, net.Vocab*net.Dim)
	for i := range net.Vocab {
		copy(in[i*net.Dim:(i+1)*net.Dim], t.syn0[i*t.stride:i*t.stride+net.Dim])
	}
	if _, err := scope.CreateVariable("input", tensors.FromFlatDataAndDimensions(in, net.Vocab, net.Dim)); err != nil {
		return nil, Stats{}, err
	}
	if _, err := scope.CreateVariable("output", tensors.FromFlatDataAndDimensions(make([]float32, net.Vocab*net.Dim), net.Vocab, net.Dim)); err != nil {
		return nil, Stats{}, err
	}
	exec, err := backend.NewExec(b, store, func(scope *model.Scope, contexts, mask, targets, weights, lr *Node) *Node {
		return net.Step(scope, contexts, mask, targets, weights, lr)
	})
	if err != nil {
		return nil, Stats{}, err
	}
	batches := make(chan *batch, 2)
	quit := make(chan struct{})
	var stopOnce sync.Once
	// stop ends the producer and waits for it, so its counters can be read.
	stop := func() {
		stopOnce.Do(func() { close(quit) })
		for range batches {
		}
	}
	defer stop()
	var trained, pairs int64
	go func() {
		defer close(batches)
		produce(t, net, cfg.Batch, batches, quit, &trained, &pairs)
	}()
	start := time.Now()
	var lossSum, lossN float64
	var last time.Time
	var done int64
	stopped := "epochs"
	finalLoss := math.NaN()
	report := func(alpha float64) {
		el := time.Since(start)
		f := float64(done) / t.total
		if lossN > 0 {
			finalLoss = lossSum / lossN
		}
		loss := finalLoss
		if cfg.Progress != nil {
			cfg.Progress(Progress{Epoch: min(int(f*float64(cfg.Epochs))+1, cfg.Epochs), Fraction: f, Alpha: alpha,
				WordsPerSec: f * float64(c.RawWords) * float64(cfg.Epochs) / el.Seconds(), Loss: loss, Elapsed: el})
		}
		lossSum, lossN = 0, 0
	}
	var alpha float64
	for bt := range batches {
		if ctx.Err() != nil {
			stopped = "interrupt"
			break
		}
		out, err := exec.Exec(
			tensors.FromFlatDataAndDimensions(bt.contexts, cfg.Batch, net.Context),
			tensors.FromFlatDataAndDimensions(bt.mask, cfg.Batch, net.Context),
			tensors.FromFlatDataAndDimensions(bt.targets, cfg.Batch, net.Targets),
			tensors.FromFlatDataAndDimensions(bt.weights, cfg.Batch, net.Targets),
			tensors.FromScalar(float32(bt.alpha)))
		if err != nil {
			return nil, Stats{}, fmt.Errorf("embed: graph step on %s: %w", backend.Describe(b), err)
		}
		loss := float64(tensors.ToScalar[float32](out[0]))
		out[0].FinalizeAll()
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return nil, Stats{}, fmt.Errorf("embed: the loss became %v at %.0f%% of training (lower Config.Alpha, or Config.Batch)", loss, 100*float64(bt.done)/t.total)
		}
		lossSum += loss / float64(bt.n)
		lossN++
		done, alpha = bt.done, bt.alpha
		if time.Since(last) > 500*time.Millisecond {
			report(alpha)
			last = time.Now()
		}
	}
	if lossN > 0 {
		report(alpha)
	}
	secs := time.Since(start).Seconds()
	stop()
	if math.IsNaN(finalLoss) {
		finalLoss = 0
	}
	inVar := store.GetVariable("/" + InputVar)
	if inVar == nil {
		return nil, Stats{}, fmt.Errorf("embed: variable %s missing after training", InputVar)
	}
	value, err := inVar.Value()
	if err != nil {
		return nil, Stats{}, err
	}
	flat, err := tensors.CopyFlatData[float32](value)
	if err != nil {
		return nil, Stats{}, err
	}
	vecs, err := newVectors(c.Vocab.Words, c.Vocab.Counts, net.Dim, flat)
	if err != nil {
		return nil, Stats{}, err
	}
	words := int64(math.Round(float64(done) / t.total * float64(c.RawWords) * float64(cfg.Epochs)))
	st := Stats{Engine: GoMLX, Backend: backend.Describe(b), Vocab: c.Vocab.Len(), Words: words, Trained: trained, Pairs: pairs,
		Seconds: secs, WordsPerSec: float64(words) / secs, Loss: finalLoss, Stopped: stopped}
	if stopped == "interrupt" {
		return vecs, st, fmt.Errorf("embed: training interrupted at %.0f%%: %w", 100*float64(done)/t.total, ctx.Err())
	}
	return vecs, st, nil
}

// produce draws the training examples in order, job by job with the native trainer's random
// streams, and sends them in batches of size bs (the last one padded with zero weights).
func produce(t *tables, net Network, bs int, out chan<- *batch, quit <-chan struct{}, trained, pairs *int64) {
	cfg := t.cfg
	jobs := planJobs(t.c)
	newBatch := func() *batch {
		return &batch{contexts: make([]int32, bs*net.Context), mask: make([]float32, bs*net.Context),
			targets: make([]int32, bs*net.Targets), weights: make([]float32, bs*net.Targets)}
	}
	cur := newBatch()
	var done int64
	send := func() bool {
		cur.done = done
		select {
		case out <- cur:
		case <-quit:
			return false
		}
		cur = newBatch()
		return true
	}
	var sen []int32
	for e := range cfg.Epochs {
		for ji, jb := range jobs {
			r := newRNG(cfg.Seed, uint64(e*len(jobs)+ji))
			offset := float64(int64(e)*t.c.Words() + jb.offset)
			for s := jb.first; s < jb.end; s++ {
				sentence := t.c.Sentence(s)
				sen = t.subsample(&r, sentence, sen)
				step := float64(len(sentence)) / float64(max(len(sen), 1)) / t.total
				at := offset / t.total
				offset += float64(len(sentence))
				if len(sen) >= 2 {
					*trained += int64(len(sen))
				}
				for pos, word := range sen {
					if len(sen) < 2 {
						break
					}
					alpha := cfg.alphaAt(at + float64(pos)*step)
					b := intn(r.next(), cfg.Window)
					lo, hi := max(pos-cfg.Window+b, 0), min(pos+cfg.Window-b, len(sen)-1)
					example := func(contexts []int32) bool {
						i := cur.n
						copy(cur.contexts[i*net.Context:], contexts)
						for j := range contexts {
							cur.mask[i*net.Context+j] = 1
						}
						tg := cur.targets[i*net.Targets : (i+1)*net.Targets]
						wt := cur.weights[i*net.Targets : (i+1)*net.Targets]
						tg[0], wt[0] = word, 1
						for k := 1; k < net.Targets; k++ {
							tg[k] = t.neg.draw(r.next())
							if tg[k] != word {
								wt[k] = 1
							}
						}
						cur.n++
						cur.alpha = alpha
						*pairs++
						if cur.n == bs {
							return send()
						}
						return true
					}
					if cfg.Model == SkipGram {
						for c := lo; c <= hi; c++ {
							if c != pos && !example(sen[c:c+1]) {
								return
							}
						}
						continue
					}
					window := make([]int32, 0, net.Context)
					for c := lo; c <= hi; c++ {
						if c != pos {
							window = append(window, sen[c])
						}
					}
					if !example(window) {
						return
					}
				}
				done += int64(len(sentence))
			}
		}
	}
	if cur.n > 0 {
		send()
	}
}
