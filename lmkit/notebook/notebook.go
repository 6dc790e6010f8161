// Package notebook is the glue a chapter notebook needs around lmkit: quick mode for tests,
// run folders beside the notebook, a live loss view wired to a training run, and curves of
// finished runs. It sits above every other lmkit package and holds no modelling code.
package notebook

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/llm-map/lab/lmkit/plot"
	"github.com/llm-map/lab/lmkit/runfolder"
	"github.com/llm-map/lab/lmkit/train"
)

// Quick reports whether the notebook runs in quick mode (LMKIT_QUICK=1, set by make test):
// same cells, fewer steps.
func Quick() bool { return os.Getenv("LMKIT_QUICK") == "1" }

// Steps returns full, or quick in quick mode.
func Steps(full, quick int) int {
	if Quick() {
		return quick
	}
	return full
}

// RunDir is the folder of a notebook's run: runs/<name> beside the notebook, for reading a
// run back (models.Load) or resuming it.
func RunDir(name string) (string, error) {
	dir, err := filepath.Abs(filepath.Join("runs", name))
	if err != nil {
		return "", err
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// FreshRunDir is RunDir emptied first, so that rerunning a notebook trains from scratch.
func FreshRunDir(name string) (string, error) {
	dir, err := filepath.Abs(filepath.Join("runs", name))
	if err != nil {
		return "", err
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("notebook: cannot clear %s: %w", dir, err)
	}
	return RunDir(name)
}

// Watch shows a live loss plot with a progress line for run, updated in place as it trains;
// call the returned function when training ends to draw the final state.
func Watch(run *train.Run, title string) (done func()) {
	live := plot.NewLive(title)
	live.TotalSteps = run.Config.Steps
	live.Budget = time.Duration(run.Config.Minutes * float64(time.Minute))
	prev := run.OnRecord
	run.OnRecord = func(r runfolder.Record) {
		if prev != nil {
			prev(r)
		}
		live.Add(plot.Train, float64(r.Step), r.TrainLoss)
		if r.ValLoss != nil {
			live.Add(plot.Validation, float64(r.Step), *r.ValLoss)
		}
	}
	return live.Done
}

// Run names a finished run for Curves: its label in the legend and its run folder.
type Run struct {
	Label, Dir string
}

// Curves plots the training and validation losses of finished runs, one colour per run:
//
//	notebook.Curves(plot.Axes{Title: "bigram against MLP"}, notebook.Run{"bigram", dir1}, notebook.Run{"MLP", dir2})
func Curves(a plot.Axes, runs ...Run) (*plot.Figure, error) {
	if len(runs) == 0 {
		return nil, fmt.Errorf("notebook: Curves: no runs given (pass notebook.Run{Label, Dir} values)")
	}
	var series []plot.Series
	var flat []int // runs with a single record (counted models): drawn as a level line
	maxStep := 1.0
	for _, run := range runs {
		label, dir := run.Label, run.Dir
		h, err := runfolder.ReadHistory(dir)
		if err != nil {
			return nil, err
		}
		tr := plot.Series{Label: label, Split: plot.Train}
		va := plot.Series{Label: label, Split: plot.Validation}
		for _, r := range h {
			tr.X, tr.Y = append(tr.X, float64(r.Step)), append(tr.Y, r.TrainLoss)
			if r.ValLoss != nil {
				va.X, va.Y = append(va.X, float64(r.Step)), append(va.Y, *r.ValLoss)
			}
		}
		if len(tr.X) > 1 {
			series = append(series, tr)
		}
		if len(va.X) == 1 {
			flat = append(flat, len(series))
		}
		for _, x := range tr.X {
			maxStep = max(maxStep, x)
		}
		series = append(series, va)
	}
	for _, i := range flat {
		series[i].X = []float64{0, maxStep}
		series[i].Y = []float64{series[i].Y[0], series[i].Y[0]}
	}
	return plot.LossCurves(series, a)
}

// Check stops the cell with err's message (and no stack trace) when err is not nil: lmkit's
// errors already say what went wrong and how to fix it.
func Check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// Must is the notebook idiom for a call that returns a value and an error: the value, or the
// cell stops with the error's message, as Check does. It keeps a cell to the experiment:
//
//	p := notebook.Must(data.Prepare(ctx, "names"))
func Must[T any](v T, err error) T {
	Check(err)
	return v
}

// StartClock notes the time in runs/<name>.started, for Elapsed in the notebook's last cell.
// GoNB runs every cell as a new program, so the start has to outlive the cell that took it.
func StartClock(name string) error {
	if err := os.MkdirAll("runs", 0o755); err != nil {
		return err
	}
	return os.WriteFile(clockFile(name), []byte(time.Now().Format(time.RFC3339Nano)), 0o644)
}

// Elapsed is the time since StartClock(name) ran: a whole notebook's run time when StartClock
// is in its first cell and Elapsed in its last.
func Elapsed(name string) (time.Duration, error) {
	raw, err := os.ReadFile(clockFile(name))
	if err != nil {
		return 0, fmt.Errorf("notebook: no start time for %q: run the cell with notebook.StartClock(%q) first", name, name)
	}
	start, err := time.Parse(time.RFC3339Nano, string(raw))
	if err != nil {
		return 0, fmt.Errorf("notebook: %s is not a start time (%v); rerun notebook.StartClock(%q)", clockFile(name), err, name)
	}
	return time.Since(start).Round(time.Second), nil
}

func clockFile(name string) string { return filepath.Join("runs", name+".started") }
