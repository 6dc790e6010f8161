package plot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"golang.org/x/image/font/sfnt"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Hangul must be drawn as real glyphs, never as .notdef boxes ("tofu").
// A font without Hangul draws every syllable as the same box, so the test
// renders distinct syllables and requires distinct pictures. The same
// check run on gonum's default font (Liberation, no Hangul) must see
// identical boxes, which shows the check can fail.

const hangul = "강아지 고양이"

func TestEmbeddedFontHasHangulGlyphs(t *testing.T) {
	if ok, missing := HasGlyphs(hangul); !ok {
		t.Fatalf("embedded font lacks glyphs for %q", string(missing))
	}
	f, err := sfnt.Parse(nanumGothic)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for _, r := range hangul {
		if idx, err := f.GlyphIndex(&buf, r); err != nil || idx == 0 {
			t.Errorf("GlyphIndex(%q) = %d, %v; want a real glyph", r, idx, err)
		}
	}
	// Control: gonum's default font has no Hangul.
	lib := liberation.Collection()[0].Face
	if idx, _ := lib.GlyphIndex(&buf, '강'); idx != 0 {
		t.Logf("note: Liberation now has a glyph for 강; the tofu control below may need another font")
	}
}

// renderText draws s in black on white with the given handler and font.
func renderText(h text.Handler, fnt font.Font, s string) *image.RGBA {
	c := vgimg.NewWith(vgimg.UseWH(4*vg.Centimeter, 1.5*vg.Centimeter), vgimg.UseDPI(96), vgimg.UseBackgroundColor(color.White))
	sty := text.Style{Color: color.Black, Font: fnt, Handler: h}
	dc := draw.New(c)
	dc.FillText(sty, vg.Point{X: vg.Points(4), Y: vg.Points(12)}, s)
	return c.Image().(*image.RGBA)
}

// ink returns the dark-pixel mask of img and the number of dark pixels.
func ink(img image.Image) (mask []bool, n int) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			dark := (r+g+bb)/3 < 0x8000
			mask = append(mask, dark)
			if dark {
				n++
			}
		}
	}
	return mask, n
}

func maskDiff(a, b []bool) int {
	if len(a) != len(b) {
		return max(len(a), len(b))
	}
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// syllableMasks renders each distinct syllable of hangul on its own.
func syllableMasks(t *testing.T, h text.Handler, fnt font.Font) (map[rune][]bool, map[rune]int) {
	masks, inks := map[rune][]bool{}, map[rune]int{}
	for _, r := range hangul {
		if r == ' ' || masks[r] != nil {
			continue
		}
		masks[r], inks[r] = ink(renderText(h, fnt, string(r)))
	}
	if len(masks) != 6 {
		t.Fatalf("want 6 distinct syllables in %q, got %d", hangul, len(masks))
	}
	return masks, inks
}

func TestHangulRendersAsDistinctGlyphs(t *testing.T) {
	masks, inks := syllableMasks(t, TextHandler(), Font(24))
	for r, n := range inks {
		if n < 20 {
			t.Errorf("%q drew only %d dark pixels; want a visible glyph", r, n)
		}
	}
	var alike []string
	for a, ma := range masks {
		for b, mb := range masks {
			if a < b && maskDiff(ma, mb) < 20 {
				alike = append(alike, string([]rune{a, '=', b}))
			}
		}
	}
	if len(alike) > 0 {
		t.Errorf("distinct syllables render (almost) the same picture: %v; tofu boxes instead of Hangul?", alike)
	}
	// The whole label has more ink than any one syllable.
	_, whole := ink(renderText(TextHandler(), Font(24), hangul))
	for r, n := range inks {
		if whole <= n {
			t.Errorf("%q has %d dark pixels, no more than %q alone (%d)", hangul, whole, r, n)
		}
	}
}

// TestTofuIsDetected runs the same check with gonum's default font, which
// has no Hangul: every syllable must come out as the same picture (its
// .notdef glyph, which for Liberation is blank), so the checks above would
// fail.
func TestTofuIsDetected(t *testing.T) {
	h := text.Plain{Fonts: font.NewCache(liberation.Collection())}
	masks, _ := syllableMasks(t, h, font.Font{Typeface: "Liberation", Variant: "Serif", Size: 24})
	var first []bool
	for _, m := range masks {
		if first == nil {
			first = m
			continue
		}
		if d := maskDiff(first, m); d != 0 {
			t.Skipf("Liberation drew distinct pictures for Hangul (%d pixels differ); the tofu control no longer applies", d)
		}
	}
}

func decodePNG(t *testing.T, f *Figure) image.Image {
	t.Helper()
	b, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestFiguresRenderHangul checks every text path of every figure (titles,
// tick labels, tokens, legends, point labels): two figures that differ
// only in a Hangul string of the same length must differ as pictures.
func TestFiguresRenderHangul(t *testing.T) {
	a, b := "강아지", "고양이"
	w := [][]float64{{1, 0}, {0.4, 0.6}}
	cases := []struct {
		name string
		make func(s string) (*Figure, error)
	}{
		{"Bars title", func(s string) (*Figure, error) { return Bars([]string{"x"}, []float64{1}, Axes{Title: s, Y: "y"}) }},
		{"Bars labels", func(s string) (*Figure, error) { return Bars([]string{s}, []float64{1}, Axes{Title: "t", Y: "y"}) }},
		{"Bars ylabel", func(s string) (*Figure, error) { return Bars([]string{"x"}, []float64{1}, Axes{Title: "t", Y: s}) }},
		{"LossCurves legend", func(s string) (*Figure, error) {
			return LossCurves([]Series{Series{Label: s, X: []float64{0, 1}, Y: []float64{2, 1}}}, Axes{Title: "t"})
		}},
		{"Attention tokens", func(s string) (*Figure, error) {
			tok := []string{s[:3], s[3:6]} // two syllables, 3 bytes each
			return Attention(w, tok, tok, Axes{Title: "t"})
		}},
		{"AttentionGrid titles", func(s string) (*Figure, error) {
			return AttentionGrid([][][]float64{w}, nil, []string{s}, 1)
		}},
		{"EmbeddingMap labels", func(s string) (*Figure, error) {
			return EmbeddingMap([][2]float64{{0, 0}, {1, 1}}, []string{s, "x"}, nil, Axes{Title: "t"})
		}},
		{"Heatmap title", func(s string) (*Figure, error) { return Heatmap(w, nil, nil, Axes{Title: s}) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fa, err := tc.make(a)
			if err != nil {
				t.Fatal(err)
			}
			fb, err := tc.make(b)
			if err != nil {
				t.Fatal(err)
			}
			ma, _ := ink(decodePNG(t, fa))
			mb, _ := ink(decodePNG(t, fb))
			if d := maskDiff(ma, mb); d < 20 {
				t.Errorf("%q and %q render the same (%d pixels differ): Hangul drawn as boxes?", a, b, d)
			}
		})
	}

	// Control: a plain gonum plot (Liberation) draws both titles as boxes.
	render := func(title string) image.Image {
		p := gplot.New()
		p.Title.Text = title
		c := vgimg.New(8*vg.Centimeter, 4*vg.Centimeter)
		p.Draw(draw.New(c))
		return c.Image()
	}
	ma, _ := ink(render(a))
	mb, _ := ink(render(b))
	if d := maskDiff(ma, mb); d != 0 {
		t.Logf("control: gonum's default font drew %q and %q differently (%d pixels); it may have gained Hangul", a, b, d)
	}

	// UseAsGonumDefault fixes plain gonum plots too.
	oldFont, oldHandler, oldLabels := gplot.DefaultFont, gplot.DefaultTextHandler, plotter.DefaultFont
	t.Cleanup(func() {
		gplot.DefaultFont, gplot.DefaultTextHandler, plotter.DefaultFont = oldFont, oldHandler, oldLabels
	})
	UseAsGonumDefault()
	ma, _ = ink(render(a))
	mb, _ = ink(render(b))
	if d := maskDiff(ma, mb); d < 20 {
		t.Errorf("after UseAsGonumDefault, gonum plots still draw %q and %q alike (%d pixels differ)", a, b, d)
	}
}
