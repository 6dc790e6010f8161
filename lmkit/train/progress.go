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
}

func newProgress(w io.Writer, total int) *progress { return &progress{w: w, total: total} }

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
	filled := width * step / max(1, p.total)
	bar := strings.Repeat("█", filled) + strings.Repeat("·", width-filled)
	s := fmt.Sprintf("step %d/%d %s", step, p.total, bar)
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
		if step > 0 && step < p.total {
			perStep := r.state.ElapsedS / float64(step)
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
