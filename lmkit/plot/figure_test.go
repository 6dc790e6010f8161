package plot

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg/draw"
)

func testFigure(t *testing.T) *Figure {
	t.Helper()
	f, err := Bars("크기 size", []string{"a", "b"}, []float64{1, 2}, "v")
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
	f := newFigure(func(draw.Canvas) { panic("boom") })
	if _, err := f.PNG(); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("PNG() err = %v, want the panic as an error", err)
	}
}
