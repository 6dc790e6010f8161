package plot

import (
	_ "embed"
	"fmt"
	"sync"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// nanumGothic is NanumGothic Regular (SIL OFL 1.1, see fonts/LICENSE-OFL.txt).
// It covers Latin, Hangul syllables and the usual punctuation, so one face
// serves every label in the lab.
//
//go:embed fonts/NanumGothic.ttf
var nanumGothic []byte

// Typeface is the name under which the embedded NanumGothic face is
// registered with gonum/plot's font cache.
const Typeface font.Typeface = "NanumGothic"

var (
	fontOnce  sync.Once
	fontFace  *opentype.Font
	fontCache *font.Cache
	fontErr   error
)

func loadFont() {
	fontFace, fontErr = opentype.Parse(nanumGothic)
	if fontErr != nil {
		fontErr = fmt.Errorf("plot: embedded font fonts/NanumGothic.ttf: %w (the file is corrupt; restore it from the repository)", fontErr)
		return
	}
	coll := font.Collection{{Font: font.Font{Typeface: Typeface}, Face: fontFace}}
	fontCache = font.NewCache(coll)
	// Also register the face with gonum/plot's shared cache, so that
	// Font() can be used in styles of plots built directly with gonum/plot.
	font.DefaultCache.Add(coll)
}

// mustFont returns the parsed embedded face. The face is compiled into the
// binary, so failure means a corrupted build and is reported by panicking.
func mustFont() *opentype.Font {
	fontOnce.Do(loadFont)
	if fontErr != nil {
		panic(fontErr)
	}
	return fontFace
}

// Font returns the package font (NanumGothic Regular) at the given size.
// Every figure made by this package uses it for all text.
func Font(size vg.Length) font.Font {
	return font.Font{Typeface: Typeface, Size: size}
}

// TextHandler returns the text handler used for all text in this package's
// figures: plain text, rendered with the embedded NanumGothic face, whatever
// the font asked for (bold and italic fall back to the regular face).
func TextHandler() text.Handler {
	mustFont()
	return text.Plain{Fonts: fontCache}
}

// UseAsGonumDefault makes NanumGothic the default font of gonum/plot itself
// (plot.DefaultFont, plot.DefaultTextHandler and plotter.DefaultFont are
// process-wide), so that plots built directly with gonum/plot also render
// Hangul. Figures from this package do not need it. Call it once, before
// creating any gonum plot.
func UseAsGonumDefault() {
	mustFont()
	gplot.DefaultFont = font.Font{Typeface: Typeface}
	gplot.DefaultTextHandler = TextHandler()
	plotter.DefaultFont = gplot.DefaultFont
}

// HasGlyphs reports whether the package font has a real glyph (not the
// .notdef "tofu" box) for every rune of s, other than spaces and control
// characters. It returns the runes that are missing.
func HasGlyphs(s string) (ok bool, missing []rune) {
	f := mustFont()
	var buf sfnt.Buffer
	for _, r := range s {
		if r == ' ' || r < 0x20 {
			continue
		}
		idx, err := f.GlyphIndex(&buf, r)
		if err != nil || idx == 0 {
			missing = append(missing, r)
		}
	}
	return len(missing) == 0, missing
}
