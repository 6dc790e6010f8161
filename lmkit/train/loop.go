package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/runfolder"
)

// Train runs until Config.Steps, the time budget, or ctx's cancellation, checkpointing on the
// way and at the end, and writes summary.json. It holds the run folder's lock (see Open) while
// it runs, and gives it up when it returns.
//
// Ctrl-C (ctx's cancellation) is seen between steps and between the batches of a validation
// pass, so a run stops within a step or two; it saves a checkpoint, skips the summary's
// closing validation pass, and returns a summary that says "interrupt".
func (r *Run) Train(ctx context.Context) (*runfolder.Summary, error) {
	if r.writer == nil {
		w, err := runfolder.Lock(r.Dir)
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
		if err := r.appendHistory(runfolder.Record{Step: cfg.Steps, TrainLoss: trainLoss, ValLoss: &val,
			TokensPerSec: float64(len(stream)) / max(1e-9, r.state.ElapsedS), ElapsedS: r.state.ElapsedS}); err != nil {
			return nil, err
		}
		if err := runfolder.SaveCheckpoint(r.Dir, r.Store, r.state); err != nil {
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
	prog := newProgress(r.Progress, cfg.Steps, r)
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
			return nil, fmt.Errorf("train: the loss became %v at step %d (lr %.3g, last finite loss %.4f); the last checkpoint in %s is intact: lower Config.LR, keep Config.ClipNorm on, or check the data",
				loss, step, lrNow, lastFinite, r.Dir)
		}
		lastFinite = loss
		if mean, ok := diverged.add(step, loss); ok {
			return nil, fmt.Errorf("train: the training loss stayed at %.2f over the %d steps before step %d, far above %.2f, the loss of a uniform guess over %d tokens (lr %.3g); the last checkpoint in %s is intact: lower Config.LR, keep Config.ClipNorm on, or check the data",
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
			rec := runfolder.Record{Step: done, TrainLoss: sumLoss / float64(nLoss), LR: lrNow, GradNorm: sumNorm / float64(nLoss),
				TokensPerSec: float64(windowTokens) / max(1e-9, time.Since(windowStart).Seconds()), ElapsedS: r.state.ElapsedS}
			if done%cfg.EvalEvery == 0 || last {
				val, err := r.evaluate(ctx)
				switch {
				case ctx.Err() != nil && errors.Is(err, ctx.Err()):
					stoppedBy = "interrupt" // the step is done; its validation pass is not
				case err != nil:
					return nil, err
				default:
					rec.ValLoss = &val
				}
			}
			if err := r.appendHistory(rec); err != nil {
				return nil, err
			}
			sumLoss, sumNorm, nLoss = 0, 0, 0
			windowStart, windowTokens = time.Now(), 0
		}
		if stoppedBy == "interrupt" {
			break
		}
		if done%cfg.SaveEvery == 0 || last {
			if err := runfolder.SaveCheckpoint(r.Dir, r.Store, r.state); err != nil {
				return nil, err
			}
		}
		prog.update(r)
	}
	prog.finish(r)
	if stoppedBy != "steps" {
		if err := runfolder.SaveCheckpoint(r.Dir, r.Store, r.state); err != nil {
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

// writeSummary writes summary.json. Its validation loss comes from a fresh pass, except after
// an interrupt, which should stop at once: then it is the last one recorded (0 if none was).
func (r *Run) writeSummary(stoppedBy string) (*runfolder.Summary, error) {
	s := &runfolder.Summary{Model: r.Model.Name(), Data: r.Task.Data.Name, Seed: r.Config.Seed, Backend: backend.Describe(r.Backend),
		Steps: int(r.state.Step), ElapsedS: r.state.ElapsedS, Params: r.Params(), StoppedBy: stoppedBy}
	if s.ElapsedS > 0 {
		s.TokensPerSec = float64(r.state.Tokens) / s.ElapsedS
	}
	// The closing losses: the last training record's mean and a fresh validation pass.
	for i := len(r.History) - 1; i >= 0; i-- {
		s.TrainLoss = r.History[i].TrainLoss
		break
	}
	if stoppedBy == "interrupt" {
		for i := len(r.History) - 1; i >= 0; i-- {
			if v := r.History[i].ValLoss; v != nil {
				s.ValLoss = *v
				break
			}
		}
		return s, runfolder.WriteSummary(r.Dir, s)
	}
	val, err := r.Evaluate()
	if err != nil {
		return nil, err
	}
	s.ValLoss = val
	return s, runfolder.WriteSummary(r.Dir, s)
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

func (r *Run) appendHistory(rec runfolder.Record) error {
	r.History = append(r.History, rec)
	if r.OnRecord != nil {
		r.OnRecord(rec)
	}
	return runfolder.AppendHistory(r.Dir, rec)
}
