package train

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
)

// Record is one line of the history: the mean training loss since the previous record and,
// at evaluation steps, the validation loss.
type Record struct {
	Step         int      `json:"step"`
	TrainLoss    float64  `json:"train_loss"`
	ValLoss      *float64 `json:"val_loss,omitempty"`
	LR           float64  `json:"lr"`
	GradNorm     float64  `json:"grad_norm"`
	TokensPerSec float64  `json:"tokens_per_sec"`
	ElapsedS     float64  `json:"elapsed_s"`
}

// Summary is RUN/summary.json: the run's result in one place.
type Summary struct {
	Model        string  `json:"model"`
	Data         string  `json:"data"`
	Seed         uint64  `json:"seed"`
	Backend      string  `json:"backend"`
	Steps        int     `json:"steps"`
	TrainLoss    float64 `json:"train_loss"`
	ValLoss      float64 `json:"val_loss"`
	TokensPerSec float64 `json:"tokens_per_sec"`
	ElapsedS     float64 `json:"elapsed_s"`
	Params       int     `json:"params"`
	StoppedBy    string  `json:"stopped_by"` // "steps", "minutes" or "interrupt"
	// Accuracy is the validation accuracy, for tasks scored by it (classification, recall).
	Accuracy *float64 `json:"accuracy,omitempty"`
	// Evals holds accuracies measured later on other data (lmkit classify eval), by file.
	Evals map[string]float64 `json:"evals,omitempty"`
}

// SaveSummary rewrites dir/summary.json (after adding, say, an accuracy).
func SaveSummary(dir string, s *Summary) error { return WriteJSON(filepath.Join(dir, summaryFile), s) }

// Batches is a source of training batches; batch k must depend only on k (and a seed), so a
// resumed run sees the batches an uninterrupted one would. data.Sampler and data.Recall are
// Batches.
type Batches interface {
	Batch(k int64) *data.Batch
}

// Task is what a run learns from: training batches, fixed validation batches, and, for
// models fitted by counting, the training token stream.
type Task struct {
	Train  Batches
	Val    []*data.Batch
	Stream []int32
}

// TextTask windows a split's documents: random training windows of cfg.Context tokens,
// validation covering every position once (see data.EvalBatches).
func TextTask(m lm.Model, split *data.Split, cfg Config) (Task, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Task{}, err
	}
	stream := data.Stream(split.Train, split.Boundary)
	sampler, err := trainBatches(m, stream, cfg)
	if err != nil {
		return Task{}, err
	}
	overlap := 0
	if lb := m.Lookback(); lb > 0 && lb < cfg.Context {
		overlap = lb - 1
	}
	val, err := data.EvalBatches(data.Stream(split.Val, split.Boundary), cfg.Batch, cfg.Context, overlap, cfg.EvalWindows)
	if err != nil {
		return Task{}, err
	}
	return Task{Train: sampler, Val: val, Stream: stream}, nil
}

// Run is one training run in a folder: the model, its data, the store of variables and the
// history so far.
type Run struct {
	Dir     string
	Model   lm.Model
	Task    Task
	Config  Config
	Data    string          // corpus name or file, for the records
	Backend compute.Backend // nil: the caller must set it before Train
	Store   *model.Store
	History []Record

	// Progress receives the progress line (carriage-return updated); nil for none.
	Progress io.Writer
	// OnRecord, if set, is called with every history record as it is made (live plots).
	OnRecord func(Record)

	state     State
	writer    *writer // the run folder's lock, from Open until Train returns or Close
	trainExec *model.Exec
	evalExec  *model.Exec
	accExec   *model.Exec
	evals     []*data.Batch
}

// Open prepares a run in dir, resuming from dir's checkpoint when there is one. The folder is
// created if needed; the model's and training configuration are written to dir/config.json.
// One writer at a time: Open takes the folder's lock (dir/lock, naming the process), refused
// while another Run or process holds it, and held until Train returns or Close.
func Open(dir string, m lm.Model, split *data.Split, cfg Config, dataName string, be compute.Backend) (*Run, error) {
	for _, d := range split.Train {
		for _, t := range d {
			if t < 0 || t >= m.VocabSize() {
				return nil, fmt.Errorf("train: token %d is outside the model's vocabulary of %d: build the model with the tokenizer's VocabSize()", t, m.VocabSize())
			}
		}
	}
	task, err := TextTask(m, split, cfg)
	if err != nil {
		return nil, err
	}
	r, err := OpenTask(dir, m, task, cfg, dataName, be)
	if err != nil {
		return nil, err
	}
	if split.Tok != nil {
		if split.Tok.VocabSize() != m.VocabSize() {
			return nil, fmt.Errorf("train: the tokenizer has %d tokens but the model reads %d: build the model with the tokenizer's VocabSize()", split.Tok.VocabSize(), m.VocabSize())
		}
		if err := split.Tok.Save(filepath.Join(dir, TokenizerFile)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// TokenizerFile is where a run keeps the tokenizer of its text, beside config.json.
const TokenizerFile = "tokenizer.json"

// OpenTask is Open for any task, such as data.Recall.
func OpenTask(dir string, m lm.Model, task Task, cfg Config, dataName string, be compute.Backend) (*Run, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(task.Val) == 0 || task.Train == nil {
		return nil, errors.New("train: the task has no training batches or no validation batches")
	}
	if be == nil {
		return nil, errors.New("train: no backend given (use backend.Default())")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("train: cannot create run folder %s: %w (choose a writable -run folder)", dir, err)
	}
	if err := probeWritable(dir); err != nil {
		return nil, err
	}
	w, err := lockRun(dir)
	if err != nil {
		return nil, err
	}
	r, err := openLocked(dir, m, task, cfg, dataName, be, w)
	if err != nil {
		w.release()
		return nil, err
	}
	return r, nil
}

// openLocked is OpenTask's work once the run folder's lock is held.
func openLocked(dir string, m lm.Model, task Task, cfg Config, dataName string, be compute.Backend, w *writer) (*Run, error) {
	r := &Run{Dir: dir, Model: m, Task: task, Config: cfg, Data: dataName, Backend: be, Store: model.NewStore(), evals: task.Val, writer: w}
	if err := r.Store.SetRNGStateFromSeed(int64(cfg.Seed)); err != nil {
		return nil, err
	}
	if err := r.checkConfig(); err != nil {
		return nil, err
	}
	st, err := LoadCheckpoint(dir, r.Store)
	if err != nil {
		return nil, err
	}
	if st != nil {
		r.state = *st
		if r.History, err = readHistory(dir, st.Step); err != nil {
			return nil, err
		}
	} else if err := os.Remove(filepath.Join(dir, historyFile)); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	return r, nil
}

// Close gives up the run folder's lock, which Open takes and Train gives up when it returns,
// so that another Run (or process) can write the folder. A closed Run can still evaluate;
// Train takes the lock again.
func (r *Run) Close() {
	r.writer.release()
	r.writer = nil
}

// Step is the number of optimizer steps taken so far, resumes included.
func (r *Run) Step() int { return int(r.state.Step) }

const (
	configFile  = "config.json"
	historyFile = "history.jsonl"
	summaryFile = "summary.json"
)

// RunConfig is RUN/config.json.
type RunConfig struct {
	Model       string          `json:"model"`
	ModelConfig json.RawMessage `json:"model_config"`
	Data        string          `json:"data"`
	Train       Config          `json:"train"`
}

// checkConfig writes config.json, or, when the folder already holds a run, checks that it is
// the same model and data so a resume never mixes two experiments.
func (r *Run) checkConfig() error {
	mc, err := json.Marshal(r.Model)
	if err != nil {
		return err
	}
	cur := RunConfig{Model: r.Model.Name(), ModelConfig: mc, Data: r.Data, Train: r.Config}
	path := filepath.Join(r.Dir, configFile)
	if raw, err := os.ReadFile(path); err == nil {
		if _, serr := os.Stat(filepath.Join(r.Dir, checkpointFile)); serr == nil {
			var old RunConfig
			if err := json.Unmarshal(raw, &old); err != nil {
				return fmt.Errorf("train: %s is not valid JSON (%v): delete the run folder or choose another -run", path, err)
			}
			if old.Model != cur.Model || !sameJSON(old.ModelConfig, cur.ModelConfig) || old.Data != cur.Data {
				return fmt.Errorf("train: run folder %s holds a %s model on %q (%s); this is a %s model on %q (%s): choose another -run folder or delete it",
					r.Dir, old.Model, old.Data, old.ModelConfig, cur.Model, cur.Data, mc)
			}
			if old.Train.Batch != cur.Train.Batch || old.Train.Context != cur.Train.Context || old.Train.Seed != cur.Train.Seed {
				return fmt.Errorf("train: run folder %s was trained with -batch %d -context %d -seed %d; resuming needs the same values (got %d, %d, %d) or another -run folder",
					r.Dir, old.Train.Batch, old.Train.Context, old.Train.Seed, cur.Train.Batch, cur.Train.Context, cur.Train.Seed)
			}
		}
	}
	return WriteJSON(path, cur)
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y bytes.Buffer
	return json.Compact(&x, a) == nil && json.Compact(&y, b) == nil && bytes.Equal(x.Bytes(), y.Bytes())
}

func probeWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return fmt.Errorf("train: run folder %s is not writable: %w (choose another -run folder)", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// readHistory loads the records up to step, dropping any written after the checkpoint (and a
// line cut short by a crash), and rewrites the file to match.
func readHistory(dir string, upTo int64) ([]Record, error) {
	path := filepath.Join(dir, historyFile)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec Record
		if json.Unmarshal(sc.Bytes(), &rec) != nil || int64(rec.Step) > upTo {
			continue
		}
		out = append(out, rec)
	}
	var buf []byte
	for _, rec := range out {
		line, _ := json.Marshal(rec)
		buf = append(append(buf, line...), '\n')
	}
	return out, writeAtomic(path, buf)
}

func (r *Run) appendHistory(rec Record) error {
	r.History = append(r.History, rec)
	if r.OnRecord != nil {
		r.OnRecord(rec)
	}
	f, err := os.OpenFile(filepath.Join(r.Dir, historyFile), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("train: appending history: %w", err)
	}
	line, _ := json.Marshal(rec)
	_, err = f.Write(append(line, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// build compiles the training and evaluation steps.
func (r *Run) build() error {
	if r.trainExec != nil {
		return nil
	}
	cfg := r.Config
	opt := optimizer.Adam().WeightDecay(cfg.WeightDecay).Betas(0.9, cfg.Beta2).Done()
	var err error
	r.trainExec, err = model.NewExec(r.Backend, r.Store, func(scope *model.Scope, x, y, mask, lr *Node) (loss, gnorm *Node) {
		g := x.Graph()
		r.Store.SetTraining(g, true)
		logits := r.Model.Logits(scope, x, true)
		loss = lm.CrossEntropy(logits, y, mask)
		grads := scope.BuildTrainableVariablesGradientsGraph(loss)
		grads, gnorm = ClipGlobalNorm(grads, trainablePaths(scope, g), cfg.ClipNorm)
		optimizer.LearningRateVar(scope, dtypes.Float32, cfg.LR).SetNodeValue(lr)
		opt.(interface {
			UpdateGraphWithGradients(*model.Scope, []*Node, dtypes.DType)
		}).UpdateGraphWithGradients(scope, grads, loss.DType())
		return loss, gnorm
	})
	if err != nil {
		return err
	}
	r.evalExec, err = backend.NewExec(r.Backend, r.Store, func(scope *model.Scope, x, y, mask *Node) *Node {
		r.Store.SetTraining(x.Graph(), false)
		return lm.SumCrossEntropy(r.Model.Logits(scope, x, false), y, mask)
	})
	return err
}

// trainablePaths lists the variable paths in the order BuildTrainableVariablesGradientsGraph
// returns their gradients.
func trainablePaths(scope *model.Scope, g *Graph) []string {
	var paths []string
	for v := range scope.IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			paths = append(paths, v.Path())
		}
	}
	return paths
}

// ClipGlobalNorm scales all gradients down together so their joint L2 norm is at most maxNorm
// (GoMLX has per-value clipping only). It returns the clipped gradients and the norm before
// clipping. maxNorm 0 leaves the gradients as they are. The squares are summed in the order of
// the variables' paths, not the store's creation order, which differs after a resume: the
// norm, and so the clipping, must not depend on whether a run was interrupted.
func ClipGlobalNorm(grads []*Node, paths []string, maxNorm float64) ([]*Node, *Node) {
	g := grads[0].Graph()
	order := make([]int, len(grads))
	for i := range order {
		order[i] = i
	}
	if len(paths) == len(grads) {
		sort.Slice(order, func(a, b int) bool { return paths[order[a]] < paths[order[b]] })
	}
	sum := ScalarZero(g, grads[0].DType())
	for _, i := range order {
		sum = Add(sum, ReduceAllSum(Square(grads[i])))
	}
	norm := Sqrt(sum)
	if maxNorm <= 0 {
		return grads, norm
	}
	scale := Min(OnesLike(norm), Div(Scalar(g, norm.DType(), maxNorm), Add(norm, Scalar(g, norm.DType(), 1e-6))))
	out := make([]*Node, len(grads))
	for i, gr := range grads {
		out[i] = Mul(gr, scale)
	}
	return out, norm
}

func batchTensors(b *data.Batch) (x, y, mask *tensors.Tensor) {
	return tensors.FromFlatDataAndDimensions(b.X, b.B, b.T),
		tensors.FromFlatDataAndDimensions(b.Y, b.B, b.T),
		tensors.FromFlatDataAndDimensions(b.Mask, b.B, b.T)
}

// Evaluate returns the mean loss per scored token over the validation windows.
func (r *Run) Evaluate() (float64, error) {
	if err := r.build(); err != nil {
		return 0, err
	}
	total, count := 0.0, 0
	for _, b := range r.evals {
		x, y, mask := batchTensors(b)
		out, err := r.evalExec.Exec(x, y, mask)
		if err != nil {
			return 0, fmt.Errorf("train: evaluation: %w", err)
		}
		total += scalar(out[0])
		count += b.Scored
	}
	if count == 0 {
		return 0, errors.New("train: validation set has no scored positions")
	}
	return total / float64(count), nil
}

// Accuracy is the fraction of scored positions (mask 1) where the model's most likely token
// is the target: the delayed-recall score.
func (r *Run) Accuracy(batches []*data.Batch) (float64, error) {
	if r.accExec == nil {
		var err error
		r.accExec, err = backend.NewExec(r.Backend, r.Store, func(scope *model.Scope, x, y, mask *Node) *Node {
			r.Store.SetTraining(x.Graph(), false)
			pred := ArgMax(r.Model.Logits(scope, x, false), -1, y.DType())
			hit := ConvertDType(Equal(pred, y), mask.DType())
			return ReduceAllSum(Mul(hit, mask))
		})
		if err != nil {
			return 0, err
		}
	}
	hits, count := 0.0, 0
	for _, b := range batches {
		x, y, mask := batchTensors(b)
		out, err := r.accExec.Exec(x, y, mask)
		if err != nil {
			return 0, fmt.Errorf("train: accuracy: %w", err)
		}
		hits += scalar(out[0])
		count += b.Scored
	}
	if count == 0 {
		return 0, errors.New("train: no scored positions to measure accuracy on")
	}
	return hits / float64(count), nil
}

func scalar(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("train: expected a float scalar, got %s", t.Shape()))
}

// Train runs until Config.Steps, the time budget, or ctx's cancellation, checkpointing on the
// way and at the end, and writes summary.json. It holds the run folder's lock (see Open) while
// it runs, and gives it up when it returns.
func (r *Run) Train(ctx context.Context) (*Summary, error) {
	if r.writer == nil {
		w, err := lockRun(r.Dir)
		if err != nil {
			return nil, err
		}
		r.writer = w
	}
	defer r.Close()
	cfg := r.Config
	stoppedBy := "steps"
	if counted, ok := r.Model.(lm.Counted); ok && r.state.Step == 0 {
		// Counting models are fitted in one pass over the training text.
		start := time.Now()
		stream := r.Task.Stream
		if len(stream) == 0 {
			return nil, fmt.Errorf("train: model %s is fitted by counting and needs a text task", r.Model.Name())
		}
		if err := counted.Fit(r.Store, stream); err != nil {
			return nil, err
		}
		r.state.Step = int64(cfg.Steps)
		r.state.Tokens = int64(len(stream))
		r.state.ElapsedS = time.Since(start).Seconds()
		trainLoss, err := r.lossOn(stream)
		if err != nil {
			return nil, err
		}
		val, err := r.Evaluate()
		if err != nil {
			return nil, err
		}
		if err := r.appendHistory(Record{Step: cfg.Steps, TrainLoss: trainLoss, ValLoss: &val,
			TokensPerSec: float64(len(stream)) / max(1e-9, r.state.ElapsedS), ElapsedS: r.state.ElapsedS}); err != nil {
			return nil, err
		}
		if err := SaveCheckpoint(r.Dir, r.Store, r.state); err != nil {
			return nil, err
		}
	}
	if err := r.build(); err != nil {
		return nil, err
	}
	budget := time.Duration(cfg.Minutes * float64(time.Minute))
	start := time.Now()
	startElapsed := r.state.ElapsedS
	var sumLoss, sumNorm float64
	var nLoss int
	lastFinite := math.NaN()
	diverged := newDivergence(r.Model.VocabSize(), cfg.Warmup)
	prog := newProgress(r.Progress, cfg.Steps)
	windowStart, windowTokens := time.Now(), int64(0)
	for r.state.Step < int64(cfg.Steps) {
		if ctx.Err() != nil {
			stoppedBy = "interrupt"
			break
		}
		if budget > 0 && time.Since(start) >= budget {
			stoppedBy = "minutes"
			break
		}
		step := int(r.state.Step)
		lrNow := cfg.LearningRate(step)
		batch := r.Task.Train.Batch(int64(step))
		tokensPerStep := int64(batch.B * batch.T)
		x, y, mask := batchTensors(batch)
		out, err := r.trainExec.Exec(x, y, mask, tensors.FromValue(float32(lrNow)))
		if err != nil {
			return nil, fmt.Errorf("train: step %d: %w", step, err)
		}
		loss, norm := scalar(out[0]), scalar(out[1])
		if math.IsNaN(loss) || math.IsInf(loss, 0) || math.IsNaN(norm) || math.IsInf(norm, 0) {
			return nil, fmt.Errorf("train: the loss became %v at step %d (lr %.3g, last finite loss %.4f); the last checkpoint in %s is intact: lower -lr, keep -clip on, or check the data",
				loss, step, lrNow, lastFinite, r.Dir)
		}
		lastFinite = loss
		if mean, ok := diverged.add(step, loss); ok {
			return nil, fmt.Errorf("train: the training loss stayed at %.2f over the %d steps before step %d, far above %.2f, the loss of a uniform guess over %d tokens (lr %.3g); the last checkpoint in %s is intact: lower -lr, keep -clip on, or check the data",
				mean, divergenceWindow, step, math.Log(float64(r.Model.VocabSize())), r.Model.VocabSize(), lrNow, r.Dir)
		}
		r.state.Step++
		r.state.Tokens += tokensPerStep
		windowTokens += tokensPerStep
		r.state.ElapsedS = startElapsed + time.Since(start).Seconds()
		sumLoss += loss
		sumNorm += norm
		nLoss++
		done := int(r.state.Step)
		last := done == cfg.Steps || (budget > 0 && time.Since(start) >= budget)
		if done%cfg.LogEvery == 0 || done%cfg.EvalEvery == 0 || last {
			rec := Record{Step: done, TrainLoss: sumLoss / float64(nLoss), LR: lrNow, GradNorm: sumNorm / float64(nLoss),
				TokensPerSec: float64(windowTokens) / max(1e-9, time.Since(windowStart).Seconds()), ElapsedS: r.state.ElapsedS}
			if done%cfg.EvalEvery == 0 || last {
				val, err := r.Evaluate()
				if err != nil {
					return nil, err
				}
				rec.ValLoss = &val
			}
			if err := r.appendHistory(rec); err != nil {
				return nil, err
			}
			sumLoss, sumNorm, nLoss = 0, 0, 0
			windowStart, windowTokens = time.Now(), 0
		}
		if done%cfg.SaveEvery == 0 || last {
			if err := SaveCheckpoint(r.Dir, r.Store, r.state); err != nil {
				return nil, err
			}
		}
		prog.update(r)
	}
	prog.finish(r)
	if stoppedBy != "steps" {
		if err := SaveCheckpoint(r.Dir, r.Store, r.state); err != nil {
			return nil, err
		}
	}
	return r.writeSummary(stoppedBy)
}

// lossOn is the mean loss of the current model over a whole stream (used for counted models).
func (r *Run) lossOn(stream []int32) (float64, error) {
	batches, err := data.EvalBatches(stream, r.Config.Batch*8, r.Config.Context, max(0, r.Model.Lookback()-1), 0)
	if err != nil {
		return 0, err
	}
	saved := r.evals
	r.evals = batches
	defer func() { r.evals = saved }()
	return r.Evaluate()
}

func (r *Run) writeSummary(stoppedBy string) (*Summary, error) {
	s := &Summary{Model: r.Model.Name(), Data: r.Data, Seed: r.Config.Seed, Backend: backend.Describe(r.Backend),
		Steps: int(r.state.Step), ElapsedS: r.state.ElapsedS, Params: r.Params(), StoppedBy: stoppedBy}
	if s.ElapsedS > 0 {
		s.TokensPerSec = float64(r.state.Tokens) / s.ElapsedS
	}
	// The closing losses: the last training record's mean and a fresh validation pass.
	for i := len(r.History) - 1; i >= 0; i-- {
		s.TrainLoss = r.History[i].TrainLoss
		break
	}
	val, err := r.Evaluate()
	if err != nil {
		return nil, err
	}
	s.ValLoss = val
	return s, WriteJSON(filepath.Join(r.Dir, summaryFile), s)
}

// EvaluateStore computes the validation loss of a trained model (its variables in store) on
// split's validation documents, windowed as training config cfg was.
func EvaluateStore(be compute.Backend, store *model.Store, m lm.Model, split *data.Split, cfg Config) (float64, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return 0, err
	}
	overlap := 0
	if lb := m.Lookback(); lb > 0 && lb < cfg.Context {
		overlap = lb - 1
	}
	r := &Run{Model: m, Config: cfg, Backend: be, Store: store}
	if r.evals, err = data.EvalBatches(data.Stream(split.Val, split.Boundary), cfg.Batch, cfg.Context, overlap, cfg.EvalWindows); err != nil {
		return 0, err
	}
	return r.Evaluate()
}

// LoadHistory reads a run folder's history.jsonl (for plots of finished runs).
func LoadHistory(dir string) ([]Record, error) {
	f, err := os.Open(filepath.Join(dir, historyFile))
	if err != nil {
		return nil, fmt.Errorf("train: %w (is %s a run folder?)", err, dir)
	}
	defer f.Close()
	var out []Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec Record
		if json.Unmarshal(sc.Bytes(), &rec) == nil {
			out = append(out, rec)
		}
	}
	return out, sc.Err()
}

// LoadSummary reads a finished run's summary.json.
func LoadSummary(dir string) (*Summary, error) {
	raw, err := os.ReadFile(filepath.Join(dir, summaryFile))
	if err != nil {
		return nil, fmt.Errorf("train: %w (has the run in %s finished?)", err, dir)
	}
	var s Summary
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("train: %s/summary.json: %w", dir, err)
	}
	return &s, nil
}

// Params counts the model's own numbers: its floating-point variables, frozen ones included,
// but not the optimizer's moments, learning rate and step counter, nor the random-number state.
func (r *Run) Params() int {
	n := 0
	for v := range r.Store.IterVariables() {
		p := v.Path()
		if strings.HasPrefix(p, "/"+optimizer.AdamDefaultScope+"/") || strings.HasPrefix(p, "/optimizers/") ||
			p == "/global_step" || !v.Shape().DType.IsFloat() {
			continue
		}
		n += v.Shape().Size()
	}
	return n
}

// divergenceWindow is how many steps of training loss a divergence verdict averages.
const divergenceWindow = 25

// divergence spots a run that trains on but has diverged: its training loss, averaged over
// the last divergenceWindow steps after the warm-up, stays more than 2 nats above ln V, the
// loss of a uniform guess (a fresh model starts near ln V; learning only lowers it). Such a
// run wastes its budget and leaves a useless checkpoint, as a NaN would.
type divergence struct {
	limit  float64
	after  int
	recent []float64
}

func newDivergence(vocab, warmup int) *divergence {
	return &divergence{limit: math.Log(float64(max(vocab, 2))) + 2, after: warmup + divergenceWindow}
}

// add records the loss of step and says whether the run has diverged, with the mean it saw.
func (d *divergence) add(step int, loss float64) (float64, bool) {
	d.recent = append(d.recent, loss)
	if len(d.recent) > divergenceWindow {
		d.recent = d.recent[1:]
	}
	if step < d.after || len(d.recent) < divergenceWindow {
		return 0, false
	}
	sum := 0.0
	for _, l := range d.recent {
		sum += l
	}
	mean := sum / float64(len(d.recent))
	return mean, mean > d.limit
}
