package plot

import (
	"fmt"
	"html"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// Live is a training view for notebooks: loss curves and a progress line
// (step, latest value of each series, tokens/s, ETA) in one output block
// that is redrawn in place as points arrive.
//
//	live := plot.NewLive("transformer on tiny-shakespeare")
//	live.TotalSteps, live.TokensPerStep = 5000, 64*256
//	for step := range 5000 {
//		loss := trainStep()
//		live.Add("train", float64(step), loss)
//	}
//	live.Done()
//
// Redrawing renders a PNG, which takes some tens of milliseconds, so Add
// redraws at most once per Every (default one second); Done always draws
// the final state. Outside a GoNB notebook nothing is displayed: Live only
// keeps the data, which Series and Figure return. Live is safe for
// concurrent use.
type Live struct {
	// Every is the least time between two redraws (default one second).
	Every time.Duration
	// TotalSteps, if positive, adds a percentage and an ETA to the progress line.
	TotalSteps int
	// Budget, if positive, is the run's time limit: when it will stop the run before
	// TotalSteps, the progress line counts time against it instead of steps.
	Budget time.Duration
	// TokensPerStep, if positive, adds a tokens/s rate to the progress line.
	TokensPerStep int
	// WidthCm and HeightCm set the size of the curves (default 16 × 9 cm).
	WidthCm, HeightCm float64
	// X names what the x values count (default "step"): the x axis and the progress line say it.
	X string

	title string
	id    string
	now   func() time.Time // replaced by tests.

	mu              sync.Mutex
	series          []Series
	index           map[string]int
	firstAt, lastAt time.Time
	firstX, lastX   float64
	lastDraw        time.Time
}

// NewLive returns an empty live view titled title. Nothing is displayed
// until the first Add.
func NewLive(title string) *Live {
	return &Live{
		Every:    time.Second,
		WidthCm:  16,
		HeightCm: 9,
		title:    title,
		id:       "lmkit_live_" + gonbui.UniqueId(),
		now:      time.Now,
		index:    map[string]int{},
	}
}

// Add records the point (x, y) of the split's series (created on first use;
// the legend keeps the order of first use) and redraws the view if the
// last redraw is at least Every old. x is normally the training step.
// Non-finite values are kept but not drawn.
func (l *Live) Add(split Split, x, y float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	i, ok := l.index[string(split)]
	if !ok {
		i = len(l.series)
		l.index[string(split)] = i
		l.series = append(l.series, Series{Split: split})
	}
	l.series[i].X = append(l.series[i].X, x)
	l.series[i].Y = append(l.series[i].Y, y)

	now := l.now()
	if l.firstAt.IsZero() {
		l.firstAt, l.firstX = now, x
	}
	if x >= l.lastX || l.lastAt.IsZero() {
		l.lastAt, l.lastX = now, x
	}
	if gonbui.IsNotebook && now.Sub(l.lastDraw) >= l.Every {
		l.lastDraw = now
		l.displayLocked()
	}
}

// Done draws the final state of the view.
func (l *Live) Done() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if gonbui.IsNotebook {
		l.displayLocked()
	}
}

// Series returns a copy of the data recorded so far, one Series per name in
// order of first use.
func (l *Live) Series() []Series {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Series, len(l.series))
	for i, s := range l.series {
		out[i] = Series{Label: s.Label, Split: s.Split, X: append([]float64(nil), s.X...), Y: append([]float64(nil), s.Y...)}
	}
	return out
}

// Figure returns the current curves as a LossCurves figure (non-finite
// points left out), for saving or displaying once training is over. It
// returns nil before the first Add.
func (l *Live) Figure() *Figure {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.figureLocked()
}

func (l *Live) figureLocked() *Figure {
	if len(l.series) == 0 {
		return nil
	}
	runs := make([]Series, len(l.series))
	for i, s := range l.series {
		runs[i].Label, runs[i].Split = s.Label, s.Split
		for j := range s.Y {
			if finite(s.X[j]) && finite(s.Y[j]) {
				runs[i].X = append(runs[i].X, s.X[j])
				runs[i].Y = append(runs[i].Y, s.Y[j])
			}
		}
	}
	return lossFigure(Axes{Title: l.title}, or(l.X, "step"), "loss", runs).Size(l.WidthCm, l.HeightCm)
}

// Progress returns the progress line, for example
//
//	step 1200/5000 (24%) · train 1.234 · val 1.456 · 12.3k tok/s · 40s elapsed · ETA 2m10s
//
// Parts that are unknown (no TotalSteps, no TokensPerStep, a single point
// so far) are left out.
func (l *Live) Progress() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.progressLocked()
}

func (l *Live) progressLocked() string {
	if len(l.series) == 0 {
		return "no data yet"
	}
	var parts []string
	elapsed := l.lastAt.Sub(l.firstAt)
	steps := l.lastX - l.firstX
	// The run stops at whichever bound comes first: the steps, or the time budget.
	byTime := l.Budget > 0 && (l.TotalSteps <= 0 || (steps > 0 && elapsed > 0 &&
		time.Duration((float64(l.TotalSteps)-l.lastX)/(steps/elapsed.Seconds())*float64(time.Second)) > l.Budget-elapsed))
	step := fmt.Sprintf("%s %s", or(l.X, "step"), formatStep(l.lastX))
	switch {
	case byTime:
		step += fmt.Sprintf(" (%.0f%% of the %s budget)", 100*min(1, elapsed.Seconds()/l.Budget.Seconds()), roundDuration(l.Budget))
	case l.TotalSteps > 0:
		step += fmt.Sprintf("/%d (%.0f%%)", l.TotalSteps, 100*l.lastX/float64(l.TotalSteps))
	}
	parts = append(parts, step)
	for _, s := range l.series {
		if n := len(s.Y); n > 0 {
			parts = append(parts, fmt.Sprintf("%s %.4g", s.name(), s.Y[n-1]))
		}
	}
	if elapsed > 0 && steps > 0 {
		perSec := steps / elapsed.Seconds()
		if l.TokensPerStep > 0 {
			parts = append(parts, fmt.Sprintf("%s tok/s", si(perSec*float64(l.TokensPerStep))))
		} else {
			parts = append(parts, sig3(perSec)+" "+or(l.X, "step")+"s/s")
		}
		parts = append(parts, fmt.Sprintf("%s elapsed", roundDuration(elapsed)))
		switch left := float64(l.TotalSteps) - l.lastX; {
		case byTime:
			parts = append(parts, "ETA "+roundDuration(max(0, l.Budget-elapsed)).String())
		case l.TotalSteps > 0 && left > 0:
			parts = append(parts, "ETA "+roundDuration(time.Duration(left/perSec*float64(time.Second))).String())
		}
	}
	return strings.Join(parts, " · ")
}

// displayLocked replaces the view's output block with the current curves
// and progress line.
func (l *Live) displayLocked() {
	body := ""
	if f := l.figureLocked(); f != nil {
		img, err := f.html()
		if err != nil {
			body = errorHTML(err)
		} else {
			body = img
		}
	}
	gonbui.UpdateHTML(l.id, "<div>"+body+
		`<pre style="margin:4px 0 0 0">`+html.EscapeString(l.progressLocked())+"</pre></div>")
}

func formatStep(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return fmt.Sprintf("%d", int64(x))
	}
	return fmt.Sprintf("%.3g", x)
}

// si formats v with a k/M/G suffix: 12345 → "12.3k".
func si(v float64) string {
	for _, u := range []struct {
		div    float64
		suffix string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= u.div {
			return sig3(v/u.div) + u.suffix
		}
	}
	return sig3(v)
}

// sig3 formats v ≥ 0 with about three significant digits, never in
// exponent form: 1.23, 12.3, 123.
func sig3(v float64) string {
	switch {
	case v >= 99.95:
		return fmt.Sprintf("%.0f", v)
	case v >= 9.995:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Minute:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	default:
		return d.Round(time.Millisecond)
	}
}
