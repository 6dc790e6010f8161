package plot

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

func testFigure(t *testing.T) *Figure {
	t.Helper()
	f, err := Bars([]string{"a", "b"}, []float64{1, 2}, Axes{Title: "크기 size", Y: "v"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func pngSize(t *testing.T, b []byte) (int, int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

func TestFigureSizes(t *testing.T) {
	f := testFigure(t)
	b, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	// 16 cm × 10 cm at 96 dpi.
	if w, h := pngSize(t, b); w != 605 || h != 378 {
		t.Errorf("default PNG is %d×%d, want 605×378", w, h)
	}
	b, err = f.Size(8, 5).DPI(192).PNG()
	if err != nil {
		t.Fatal(err)
	}
	if w, h := pngSize(t, b); w != 605 || h != 378 {
		t.Errorf("8×5 cm at 192 dpi is %d×%d, want 605×378", w, h)
	}

	dir := t.TempDir()
	p := filepath.Join(dir, "f.png")
	if err := f.DPI(96).SavePNG(p, 4, 3); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(p)
	if w, h := pngSize(t, b); w != 151 || h != 113 {
		t.Errorf("SavePNG 4×3 cm is %d×%d, want 151×113", w, h)
	}

	s := filepath.Join(dir, "f.svg")
	if err := f.SaveSVG(s); err != nil {
		t.Fatal(err)
	}
	svg, _ := os.ReadFile(s)
	if !bytes.Contains(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("크기 size")) || !bytes.Contains(svg, []byte("NanumGothic")) {
		t.Errorf("SVG lacks <svg>, the Hangul title or the font family:\n%.400s", svg)
	}
	if err := f.SavePNG(filepath.Join(dir, "missing", "f.png"), 0, 0); err == nil || !strings.Contains(err.Error(), "plot: writing") {
		t.Errorf("SavePNG into a missing directory: err = %v", err)
	}
}

func TestDisplayOutsideNotebookIsHarmless(t *testing.T) {
	testFigure(t).Display()
}

func TestRenderPanicBecomesError(t *testing.T) {
	f := newFigure(func(draw.Canvas, func(*gplot.Plot)) { panic("boom") })
	if _, err := f.PNG(); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("PNG() err = %v, want the panic as an error", err)
	}
}

// A log axis takes values across orders of magnitude and refuses what it cannot place; Edit
// reaches the gonum plot of every panel before it is drawn.
func TestLogAxesAndEdit(t *testing.T) {
	s := []Series{{Label: "fine-tune", X: []float64{500, 2000, 10000, 50000}, Y: []float64{0.70, 0.76, 0.81, 0.85}}}
	f, err := Lines(s, Axes{Title: "accuracy by labels", X: "labels", Y: "accuracy", LogX: true})
	if err != nil {
		t.Fatal(err)
	}
	var edited []*gplot.Plot
	f.Edit(func(p *gplot.Plot) { edited = append(edited, p) })
	if _, err := f.PNG(); err != nil {
		t.Fatal(err)
	}
	if len(edited) != 1 {
		t.Fatalf("Edit saw %d plots, want 1", len(edited))
	}
	if _, ok := edited[0].X.Scale.(gplot.LogScale); !ok || edited[0].X.Label.Text != "labels" || edited[0].Title.Text != "accuracy by labels" {
		t.Errorf("X scale %T, label %q, title %q: want a log scale and the Axes' words", edited[0].X.Scale, edited[0].X.Label.Text, edited[0].Title.Text)
	}
	s[0].X[0] = 0
	if _, err := Lines(s, Axes{LogX: true}); err == nil || !strings.Contains(err.Error(), "log axis") {
		t.Errorf("a zero on a log axis: %v", err)
	}
	if _, err := Bars([]string{"a"}, []float64{1}, Axes{LogY: true}); err == nil {
		t.Error("Bars with a log axis should be refused")
	}
	g, _ := AttentionGrid([][][]float64{{{1}}, {{1}}}, nil, nil, 2)
	n := 0
	g.Edit(func(*gplot.Plot) { n++ })
	if _, err := g.PNG(); err != nil || n != 2 {
		t.Errorf("Edit on a grid of 2 panels ran %d times (%v)", n, err)
	}
}

// Reference lines and error bars: drawn, named in the legend, and checked.
func TestRefsAndErrorBars(t *testing.T) {
	s := []Series{{Label: "fine-tune", X: []float64{500, 2000, 10000}, Y: []float64{0.70, 0.76, 0.81}, Err: []float64{0.01, 0.02, 0.005}}}
	a := Axes{Title: "accuracy", LogX: true, Refs: []Ref{{"chance", 0.5}, {"word lists", 0.724}}}
	f, err := Lines(s, a)
	if err != nil {
		t.Fatal(err)
	}
	var ymin float64
	f.Edit(func(p *gplot.Plot) { ymin = p.Y.Min })
	with, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if ymin > 0.5 {
		t.Errorf("the Y axis starts at %g: the chance line at 0.5 is out of view", ymin)
	}
	g, _ := Lines(s, Axes{Title: "accuracy", LogX: true})
	without, _ := g.PNG()
	if bytes.Equal(with, without) {
		t.Error("the reference lines changed nothing in the picture")
	}
	if _, err := Bars([]string{"a", "b"}, []float64{0.6, 0.8}, Axes{Refs: []Ref{{"chance", 0.5}}}); err != nil {
		t.Error(err)
	}
	s[0].Err = []float64{0.1}
	if _, err := Lines(s, Axes{}); err == nil || !strings.Contains(err.Error(), "Err values") {
		t.Errorf("a mismatched Err: %v", err)
	}
}
