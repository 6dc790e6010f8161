package train

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws one line, rewritten in place with a carriage return, at most 5 times a second.
type progress struct {
	w     io.Writer
	total int
	last  time.Time
	// Where this invocation started: its time budget (Config.Minutes) and its rate count
	// from here, not from the run's first step.
	startStep    int
	startElapsed float64
}

func newProgress(w io.Writer, total int, r *Run) *progress {
	return &progress{w: w, total: total, startStep: r.Step(), startElapsed: r.state.ElapsedS}
}

func (p *progress) update(r *Run) {
	if p.w == nil || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprint(p.w, "\r"+p.line(r))
}

func (p *progress) finish(r *Run) {
	if p.w == nil {
		return
	}
	fmt.Fprintln(p.w, "\r"+p.line(r))
}

func (p *progress) line(r *Run) string {
	step := r.Step()
	const width = 24
	frac := float64(step) / float64(max(1, p.total))
	budget := r.Config.Minutes * 60
	elapsed := r.state.ElapsedS - p.startElapsed
	// A run bounded by minutes that will stop before its steps counts time, not steps.
	byTime := budget > 0 && step > p.startStep && elapsed > 0 &&
		float64(p.total-step)*elapsed/float64(step-p.startStep) > budget-elapsed
	if byTime {
		frac = min(1, elapsed/budget)
	}
	filled := int(float64(width) * frac)
	bar := strings.Repeat("█", filled) + strings.Repeat("·", width-filled)
	s := fmt.Sprintf("step %d/%d %s", step, p.total, bar)
	if byTime {
		s = fmt.Sprintf("step %d %s %.0f%% of %s", step, bar, 100*frac, time.Duration(budget*float64(time.Second)).Round(time.Second))
	}
	if n := len(r.History); n > 0 {
		rec := r.History[n-1]
		s += fmt.Sprintf(" loss %.4f", rec.TrainLoss)
		for i := n - 1; i >= 0; i-- {
			if r.History[i].ValLoss != nil {
				s += fmt.Sprintf(" val %.4f", *r.History[i].ValLoss)
				break
			}
		}
		s += fmt.Sprintf(" %s tok/s", humanRate(rec.TokensPerSec))
		switch {
		case byTime:
			s += fmt.Sprintf(" ETA %s", time.Duration(max(0, budget-elapsed)*float64(time.Second)).Round(time.Second))
		case step > p.startStep && step < p.total:
			perStep := elapsed / float64(step-p.startStep)
			eta := time.Duration(perStep * float64(p.total-step) * float64(time.Second)).Round(time.Second)
			s += fmt.Sprintf(" ETA %s", eta)
		}
	}
	return s + "   "
}

func humanRate(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}
