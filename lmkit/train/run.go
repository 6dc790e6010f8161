package train

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/runfolder"
	"github.com/llm-map/lab/lmkit/text"
)

// Batches is a source of training batches; batch k must depend only on k (and a seed), so a
// resumed run sees the batches an uninterrupted one would. data.Sampler and data.Recall are
// Batches.
type Batches interface {
	Batch(k int64) *data.Batch
}

// Task is what a run learns from: training batches, fixed validation batches, and, for
// models fitted by counting, the training token stream. Data and Tok are what the run folder
// records, so that a resume can check it continues on the same data with the same tokens.
type Task struct {
	Train  Batches
	Val    []*data.Batch
	Stream []int32
	Data   data.Record
	Tok    text.Tokenizer // saved in the run folder; nil for tasks without text
}

// TextTask windows a prepared corpus: random training windows of cfg.Context tokens,
// validation covering every position once (see data.EvalBatches).
func TextTask(m lm.Model, p *data.Prepared, cfg Config) (Task, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Task{}, err
	}
	split := p.Split
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
	return Task{Train: sampler, Val: val, Stream: stream, Data: p.Record, Tok: p.Tok}, nil
}

// Run is one training run in a folder: the model, its data, the store of variables and the
// history so far.
type Run struct {
	Dir     string
	Model   lm.Model
	Task    Task
	Config  Config
	Backend compute.Backend
	Store   *model.Store
	History []runfolder.Record

	// Progress receives the progress line (carriage-return updated); nil for none.
	Progress io.Writer
	// OnRecord, if set, is called with every history record as it is made (live plots).
	OnRecord func(runfolder.Record)

	state     runfolder.State
	writer    *runfolder.Writer // the run folder's lock, from Open until Train returns or Close
	trainExec *model.Exec
	evalExec  *model.Exec
	accExec   *model.Exec
	evals     []*data.Batch
}

// Open prepares a run of model m on the prepared corpus p in dir, resuming from dir's
// checkpoint when there is one; the backend is cfg.Backend, or backend.Default() when nil.
// The folder is created if needed, and records the model, the data (where it came from, its
// fingerprint, the tokenizer) and cfg in config.json. A folder that already holds a run
// resumes only with the same model, data, tokenizer, batch, context and seed; anything else is
// refused, saying what differs.
//
// One writer at a time: Open takes the folder's lock (naming the process), refused while
// another Run or process holds it, and held until Train returns or Close.
func Open(dir string, m lm.Model, p *data.Prepared, cfg Config) (*Run, error) {
	if p == nil || p.Split == nil {
		return nil, errors.New("train: Open needs a prepared corpus (data.Prepare)")
	}
	if p.Tok != nil && p.Tok.VocabSize() != m.VocabSize() {
		return nil, fmt.Errorf("train: the tokenizer has %d tokens but the model reads %d: build the model with the tokenizer's VocabSize()", p.Tok.VocabSize(), m.VocabSize())
	}
	for _, d := range p.Split.Train {
		for _, t := range d {
			if t < 0 || t >= m.VocabSize() {
				return nil, fmt.Errorf("train: token %d is outside the model's vocabulary of %d: build the model with the tokenizer's VocabSize()", t, m.VocabSize())
			}
		}
	}
	task, err := TextTask(m, p, cfg)
	if err != nil {
		return nil, err
	}
	return OpenTask(dir, m, task, cfg)
}

// OpenTask is Open for any task, such as data.Recall.
func OpenTask(dir string, m lm.Model, task Task, cfg Config) (*Run, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(task.Val) == 0 || task.Train == nil {
		return nil, errors.New("train: the task has no training batches or no validation batches")
	}
	if err := checkMemory(m, cfg); err != nil {
		return nil, err
	}
	be := cfg.Backend
	if be == nil {
		if be, err = backend.Default(); err != nil {
			return nil, err
		}
	}
	if err := runfolder.Create(dir); err != nil {
		return nil, err
	}
	w, err := runfolder.Lock(dir)
	if err != nil {
		return nil, err
	}
	r, err := openLocked(dir, m, task, cfg, be, w)
	if err != nil {
		w.Release()
		return nil, err
	}
	return r, nil
}

// openLocked is OpenTask's work once the run folder's lock is held.
func openLocked(dir string, m lm.Model, task Task, cfg Config, be compute.Backend, w *runfolder.Writer) (*Run, error) {
	r := &Run{Dir: dir, Model: m, Task: task, Config: cfg, Backend: be, Store: model.NewStore(), evals: task.Val, writer: w}
	if err := r.Store.SetRNGStateFromSeed(int64(cfg.Seed)); err != nil {
		return nil, err
	}
	if err := r.checkConfig(); err != nil {
		return nil, err
	}
	if task.Tok != nil {
		if err := runfolder.SaveTokenizer(dir, task.Tok); err != nil {
			return nil, err
		}
	}
	st, err := runfolder.LoadCheckpoint(dir, r.Store)
	if err != nil {
		return nil, err
	}
	if st != nil {
		r.state = *st
		if r.History, err = runfolder.TrimHistory(dir, st.Step); err != nil {
			return nil, err
		}
	} else if err := runfolder.RemoveHistory(dir); err != nil {
		return nil, err
	}
	return r, nil
}

// Close gives up the run folder's lock, which Open takes and Train gives up when it returns,
// so that another Run (or process) can write the folder. A closed Run can still evaluate;
// Train takes the lock again.
func (r *Run) Close() {
	r.writer.Release()
	r.writer = nil
}

// Step is the number of optimizer steps taken so far, resumes included.
func (r *Run) Step() int { return int(r.state.Step) }

// RunConfig is what a run folder records in config.json: the model, its data and how it
// trains.
type RunConfig struct {
	Model       string          `json:"model"`
	ModelConfig json.RawMessage `json:"model_config"`
	Data        data.Record     `json:"data"`
	Train       Config          `json:"train"`
}

// ReadRunConfig reads the record of the run in dir.
func ReadRunConfig(dir string) (*RunConfig, error) {
	var c RunConfig
	if err := runfolder.ReadConfig(dir, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// checkConfig writes config.json, or, when the folder already holds a run (a checkpoint),
// checks that this run continues it: the same model, data, tokenizer, batch, context and seed.
// A checkpoint without a record is refused: what it holds cannot be known.
func (r *Run) checkConfig() error {
	mc, err := json.Marshal(r.Model)
	if err != nil {
		return err
	}
	cur := RunConfig{Model: r.Model.Name(), ModelConfig: mc, Data: r.Task.Data, Train: r.Config}
	if runfolder.HasCheckpoint(r.Dir) {
		old, err := ReadRunConfig(r.Dir)
		if err != nil {
			return err
		}
		var diffs []string
		if old.Model != cur.Model || !sameJSON(old.ModelConfig, cur.ModelConfig) {
			diffs = append(diffs, fmt.Sprintf("model %s %s then, %s %s now", old.Model, old.ModelConfig, cur.Model, mc))
		}
		if r.Task.Tok != nil && old.Data.SHA256 == "" { // a text task recorded by an older lmkit
			diffs = append(diffs, "the data was recorded without a fingerprint (an older lmkit), so it cannot be checked")
		} else {
			diffs = append(diffs, old.Data.Differences(cur.Data)...)
		}
		if r.Task.Tok != nil {
			same, err := runfolder.SameTokenizer(r.Dir, r.Task.Tok)
			if err != nil {
				return err
			}
			if !same {
				diffs = append(diffs, "the tokenizer's tokens differ from the saved tokenizer.json (ids would shift)")
			}
		}
		if o, c := old.Train, cur.Train; o.Batch != c.Batch || o.Context != c.Context || o.Seed != c.Seed {
			diffs = append(diffs, fmt.Sprintf("Config.Batch, Context, Seed %d, %d, %d then, %d, %d, %d now", o.Batch, o.Context, o.Seed, c.Batch, c.Context, c.Seed))
		}
		if len(diffs) > 0 {
			return fmt.Errorf("train: cannot resume the run in %s: it was trained differently: %s. Resume with what it recorded (config.json), or train in a new run folder",
				r.Dir, strings.Join(diffs, "; "))
		}
	}
	return runfolder.WriteConfig(r.Dir, cur)
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y bytes.Buffer
	return json.Compact(&x, a) == nil && json.Compact(&y, b) == nil && bytes.Equal(x.Bytes(), y.Bytes())
}
