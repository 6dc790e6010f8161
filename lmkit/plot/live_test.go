package plot

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

func TestLiveKeepsDataOutsideNotebook(t *testing.T) {
	if gonbui.IsNotebook {
		t.Skip("running inside GoNB")
	}
	l := NewLive("run")
	if l.Figure() != nil {
		t.Errorf("Figure before any Add should be nil")
	}
	if got := l.Progress(); got != "no data yet" {
		t.Errorf("Progress() = %q before any Add", got)
	}
	for step := range 100 {
		l.Add("train", float64(step), 3-float64(step)/50)
		if step%10 == 9 {
			l.Add("val", float64(step), 3.1-float64(step)/60)
		}
	}
	l.Add("train", 100, math.NaN()) // kept, not drawn.
	l.Done()

	s := l.Series()
	if len(s) != 2 || s[0].Split != Train || s[1].Split != Validation {
		t.Fatalf("Series() = %d series %v, want train then val", len(s), labels(s))
	}
	if len(s[0].X) != 101 || len(s[0].Y) != 101 || len(s[1].Y) != 10 {
		t.Errorf("kept %d/%d train points and %d val points, want 101/101 and 10", len(s[0].X), len(s[0].Y), len(s[1].Y))
	}
	if s[1].X[9] != 99 || s[1].Y[0] != 3.1-9.0/60 {
		t.Errorf("val series = %v / %v", s[1].X, s[1].Y)
	}
	s[0].Y[0] = 42 // Series returns a copy.
	if l.Series()[0].Y[0] == 42 {
		t.Errorf("Series shares memory with the Live view")
	}
	f := l.Figure()
	if f == nil {
		t.Fatal("Figure() = nil after Add")
	}
	if _, err := f.PNG(); err != nil {
		t.Fatalf("rendering the live figure: %v", err)
	}
}

func labels(s []Series) []string {
	var out []string
	for _, x := range s {
		out = append(out, x.name())
	}
	return out
}

func TestLiveProgress(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLive("run")
	l.now = func() time.Time { return clock }
	l.TotalSteps = 1000
	l.TokensPerStep = 2048

	l.Add("train", 0, 4.1)
	if got, want := l.Progress(), "step 0/1000 (0%) · train 4.1"; got != want {
		t.Errorf("Progress() = %q, want %q", got, want)
	}
	clock = clock.Add(40 * time.Second) // 200 steps in 40 s: 5 steps/s.
	l.Add("train", 200, 2.345678)
	l.Add("val", 200, 2.5)
	want := "step 200/1000 (20%) · train 2.346 · val 2.5 · 10.2k tok/s · 40s elapsed · ETA 2m40s"
	if got := l.Progress(); got != want {
		t.Errorf("Progress() =\n%q, want\n%q", got, want)
	}

	l.TokensPerStep = 0
	if got := l.Progress(); !strings.Contains(got, "5.00 steps/s") {
		t.Errorf("without TokensPerStep, Progress() = %q, want a steps/s rate", got)
	}

	// A 100-second budget stops the run long before step 1000: the line counts time.
	l.Budget = 100 * time.Second
	want = "step 200 (40% of the 1m40s budget) · train 2.346 · val 2.5 · 5.00 steps/s · 40s elapsed · ETA 1m0s"
	if got := l.Progress(); got != want {
		t.Errorf("with a budget, Progress() =\n%q, want\n%q", got, want)
	}
}

func TestLiveHTMLBlock(t *testing.T) {
	l := NewLive("run")
	l.Add("train", 0, 2)
	l.Add("train", 1, 1.5)
	l.mu.Lock()
	f := l.figureLocked()
	l.mu.Unlock()
	h, err := f.html()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, `<img src="data:image/png;base64,`) {
		t.Errorf("html() = %.60q..., want an inline PNG", h)
	}
	if !strings.HasPrefix(l.id, "lmkit_live_") {
		t.Errorf("display id %q", l.id)
	}
}

// A run measured in epochs says epochs, on the axis and in the progress line, not steps.
func TestLiveCountsWhatXSays(t *testing.T) {
	l := NewLive("word2vec")
	l.X = "epoch"
	start := time.Unix(0, 0)
	for i := range 11 {
		l.now = func() time.Time { return start.Add(time.Duration(i) * time.Second) }
		l.Add(Train, float64(i)*0.123, 4-float64(i)/10)
	}
	p := l.Progress()
	if !strings.HasPrefix(p, "epoch 1.23 ") || !strings.Contains(p, "epochs/s") || strings.Contains(p, "step") {
		t.Errorf("progress %q, want it to count epochs (epoch 1.23, epochs/s) and never steps", p)
	}
}
