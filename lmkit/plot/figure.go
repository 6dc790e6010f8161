package plot

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"os"

	"github.com/janpfeifer/gonb/gonbui"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default figure size and resolution. A 16 cm × 10 cm figure at 96 dpi is
// 605 × 378 pixels, which fits a notebook cell without scaling.
const (
	DefaultWidthCm  = 16
	DefaultHeightCm = 10
	DefaultDPI      = 96
)

// A Figure is a finished picture: one plot, or several panels laid out
// together. It renders to PNG or SVG at any size; Size and DPI set the
// defaults used by PNG, SVG, SaveSVG and Display.
//
// The drawing is done lazily, when the figure is rendered, so a Figure is
// cheap to make and can be rendered at several sizes.
type Figure struct {
	w, h  vg.Length
	dpi   float64
	draw  func(c draw.Canvas, edit func(*gplot.Plot))
	edits []func(*gplot.Plot)
}

func newFigure(draw func(c draw.Canvas, edit func(*gplot.Plot))) *Figure {
	return &Figure{
		w:    vg.Length(DefaultWidthCm) * vg.Centimeter,
		h:    vg.Length(DefaultHeightCm) * vg.Centimeter,
		dpi:  DefaultDPI,
		draw: draw,
	}
}

// Edit reaches the gonum plot behind the figure, for anything the helpers do not do: fn is
// called on each gonum *plot.Plot the figure draws (each panel of a grid), after the helper
// has set it up and before it is drawn, e.g. to add a reference line:
//
//	fig.Edit(func(p *gplot.Plot) { p.Add(plotter.NewFunction(func(float64) float64 { return 0.5 })) })
func (f *Figure) Edit(fn func(p *gplot.Plot)) *Figure {
	f.edits = append(f.edits, fn)
	return f
}

func (f *Figure) edit(p *gplot.Plot) {
	for _, fn := range f.edits {
		fn(p)
	}
}

// Size sets the default size of the figure in centimetres and returns the
// figure, so calls can be chained: plot.Must(plot.Bars(...)).Size(12, 8).Display().
// Sizes that are not positive are ignored.
func (f *Figure) Size(wCm, hCm float64) *Figure {
	if wCm > 0 {
		f.w = vg.Length(wCm) * vg.Centimeter
	}
	if hCm > 0 {
		f.h = vg.Length(hCm) * vg.Centimeter
	}
	return f
}

// DPI sets the resolution of PNG output in dots per inch (default 96) and
// returns the figure. Values that are not positive are ignored.
func (f *Figure) DPI(dpi float64) *Figure {
	if dpi > 0 {
		f.dpi = dpi
	}
	return f
}

// PNG renders the figure as PNG at its default size and resolution.
func (f *Figure) PNG() ([]byte, error) {
	return f.render(f.w, f.h, "png")
}

// SVG renders the figure as SVG at its default size. Text is written as SVG
// text in the "NanumGothic" font family; viewers without that font fall
// back to another one, so use PNG where exact looks matter.
func (f *Figure) SVG() ([]byte, error) {
	return f.render(f.w, f.h, "svg")
}

// SavePNG writes the figure as a PNG file of wCm × hCm centimetres
// (zero or negative means the figure's default size).
func (f *Figure) SavePNG(path string, wCm, hCm float64) error {
	w, h := f.w, f.h
	if wCm > 0 {
		w = vg.Length(wCm) * vg.Centimeter
	}
	if hCm > 0 {
		h = vg.Length(hCm) * vg.Centimeter
	}
	b, err := f.render(w, h, "png")
	if err != nil {
		return err
	}
	return writeFile(path, b)
}

// SaveSVG writes the figure as an SVG file at its default size.
func (f *Figure) SaveSVG(path string) error {
	b, err := f.SVG()
	if err != nil {
		return err
	}
	return writeFile(path, b)
}

// Display shows the figure inline in a GoNB notebook cell, as PNG.
// Outside a notebook (gonbui.IsNotebook is false) it does nothing: use
// SavePNG or SaveSVG there.
func (f *Figure) Display() {
	if !gonbui.IsNotebook {
		return
	}
	b, err := f.PNG()
	if err != nil {
		gonbui.DisplayHTML(errorHTML(err))
		return
	}
	gonbui.DisplayPNG(b)
}

// html returns the figure as an <img> element with the PNG inlined, for
// display blocks that mix the figure with other HTML (see Live).
func (f *Figure) html() (string, error) {
	b, err := f.PNG()
	if err != nil {
		return "", err
	}
	return `<img src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(b) + `">`, nil
}

func errorHTML(err error) string {
	return `<pre style="color:#b00">` + html.EscapeString(err.Error()) + `</pre>`
}

func writeFile(path string, b []byte) error {
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("plot: writing %s: %w", path, err)
	}
	return nil
}

// render draws the figure on a fresh canvas of the given size and format.
// Drawing code in gonum/plot reports some problems by panicking; those are
// turned into errors here so a bad figure never takes a notebook down.
func (f *Figure) render(w, h vg.Length, format string) (out []byte, err error) {
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(int(f.dpi+0.5)))}
	case "svg":
		c = vgsvg.New(w, h)
	default:
		return nil, fmt.Errorf("plot: unknown format %q (use png or svg)", format)
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("plot: drawing the figure failed: %v", r)
		}
	}()
	f.draw(draw.New(c), f.edit)
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plot: encoding %s: %w", format, err)
	}
	return buf.Bytes(), nil
}

// Must returns f, and panics if err is not nil. It is meant for notebook
// cells, where a failed figure should stop the cell:
//
//	plot.Must(plot.Bars("loss", names, losses, "nats")).Display()
func Must(f *Figure, err error) *Figure {
	if err != nil {
		panic(err)
	}
	return f
}
