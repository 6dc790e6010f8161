package plot

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Category tick labels: one label per matrix row or column (tokens, hidden
// units, bar names), shrunk, rotated or thinned at render time so they never
// overlap, whatever the figure size.

const (
	minTickSize  = 5.5 // points; smaller numbered labels are thinned instead.
	minTokenSize = 3.5 // points; named labels (tokens, words) shrink this far before any is dropped
	lineFactor   = 1.2 // line height / font size.
)

// TokenLabel returns how a token is written on an axis, so that every
// token is visible and distinct: leading and trailing spaces become "·"
// (" the" → "·the"), a token of only spaces is bracketed ("‹ ›"), the empty
// token is "‹›", newline is "¶", tab is "→", other control characters and
// runes the embedded font cannot draw are written as <U+XXXX> rather than
// as boxes. (Backslash is not used for escapes: NanumGothic, like most
// Korean fonts, draws U+005C as the won sign ₩.)
func TokenLabel(tok string) string {
	if strings.Trim(tok, " ") == "" {
		return "‹" + tok + "›"
	}
	var b strings.Builder
	trimmed := strings.Trim(tok, " ")
	lead := len(tok) - len(strings.TrimLeft(tok, " "))
	trail := len(tok) - len(strings.TrimRight(tok, " "))
	b.WriteString(strings.Repeat("·", lead))
	for _, r := range trimmed {
		switch r {
		case '\n', 'Ċ':
			b.WriteString("¶")
		case '\t':
			b.WriteString("→")
		case '▁', 'Ġ': // SentencePiece and GPT-2 byte-level space markers.
			b.WriteString("·")
		default:
			if ok, _ := HasGlyphs(string(r)); ok && r >= 0x20 && r != 0x7F {
				b.WriteRune(r)
			} else {
				fmt.Fprintf(&b, "<U+%04X>", r)
			}
		}
	}
	b.WriteString(strings.Repeat("·", trail))
	return b.String()
}

// categoryLabels returns the labels to print for n categories: the given
// labels (through TokenLabel when tokens is set), or 0..n-1 when nil.
func categoryLabels(labels []string, n int, tokens bool) (out []string, numbered bool) {
	out = make([]string, n)
	for i := range out {
		switch {
		case labels == nil:
			out[i] = strconv.Itoa(i)
		case tokens:
			out[i] = TokenLabel(labels[i])
		default:
			out[i] = labels[i]
		}
	}
	return out, labels == nil
}

// categoryAxis describes tick labels for categories at positions pos(i).
type categoryAxis struct {
	labels   []string
	numbered bool // labels are 0..n-1: thin them to round strides.
	pos      func(i int) float64
}

// ticks returns the ticks with only every stride-th label shown.
func (a categoryAxis) ticks(stride int) gplot.ConstantTicks {
	t := make(gplot.ConstantTicks, len(a.labels))
	for i, l := range a.labels {
		t[i].Value = a.pos(i)
		if i%stride == 0 {
			t[i].Label = l
		}
	}
	return t
}

// fit chooses a font size and label stride for n slots of the given size
// (points per slot along the axis), for labels that stack with line
// height. It returns the font size in points and the stride.
//
// Numbered labels (0, 1, 2, ...) are thinned below minTickSize: every fifth number still
// says where a row is. Named labels, tokens above all, shrink to minTokenSize first: a
// sentence with every other token dropped ("JULIET" as "U I T") reads as fragments.
func fitSlots(slot vg.Length, numbered bool) (size float64, stride int) {
	floor := minTickSize
	if !numbered {
		floor = minTokenSize
	}
	size = math.Min(tickSize, float64(slot)/lineFactor)
	if size >= floor {
		return size, 1
	}
	stride = int(math.Ceil(floor * lineFactor / float64(slot)))
	if numbered {
		stride = niceStride(stride)
	}
	return floor, stride
}

func niceStride(k int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*p >= k {
				return m * p
			}
		}
	}
}

// setCategoryTicks puts x and y category labels on p so that they fit the
// data area p will have on canvas c: y labels shrink or thin to the row
// height; x labels stay horizontal if they fit the column width, else they
// are rotated to read upwards and shrink or thin like y labels.
func setCategoryTicks(p *gplot.Plot, c draw.Canvas, x, y *categoryAxis) {
	hide := func(a *gplot.Axis) {
		a.Tick.Length = 0
		a.Width = 0
		a.Padding = vg.Points(2)
	}
	if x != nil {
		hide(&p.X)
		p.X.Tick.Marker = x.ticks(1)
	}
	if y != nil {
		hide(&p.Y)
		p.Y.Tick.Marker = y.ticks(1)
	}
	dc := p.DataCanvas(c)
	if y != nil {
		slot := (dc.Max.Y - dc.Min.Y) / vg.Length(len(y.labels))
		size, stride := fitSlots(slot, y.numbered)
		setText(&p.Y.Tick.Label, size)
		p.Y.Tick.Label.Color = inkColor
		p.Y.Tick.Marker = y.ticks(stride)
	}
	if x != nil {
		slot := (dc.Max.X - dc.Min.X) / vg.Length(len(x.labels))
		setText(&p.X.Tick.Label, tickSize)
		p.X.Tick.Label.Color = inkColor
		var widest vg.Length
		for _, l := range x.labels {
			widest = max(widest, p.X.Tick.Label.Width(l))
		}
		if widest <= slot*0.9 {
			return
		}
		// Short labels (a character, a Hangul syllable, a small number) stay horizontal,
		// smaller, as long as they stay readable: sideways Hangul is hard to read.
		if scaled := tickSize * float64(slot*0.9/widest); scaled >= minTokenSize && shortLabels(x.labels) {
			setText(&p.X.Tick.Label, scaled)
			p.X.Tick.Label.Color = inkColor
			return
		}
		size, stride := fitSlots(slot, x.numbered)
		setText(&p.X.Tick.Label, size)
		p.X.Tick.Label.Color = inkColor
		p.X.Tick.Label.Rotation = math.Pi / 2
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
		p.X.Tick.Marker = x.ticks(stride)
	}
}

// shortLabels reports whether every label is at most three characters long.
func shortLabels(labels []string) bool {
	for _, l := range labels {
		if len([]rune(l)) > 3 {
			return false
		}
	}
	return true
}

// niceTicks is a gonum tick marker with 4–7 labelled ticks at steps of 1, 2
// or 5 times a power of ten, labelled with just the digits the step needs
// (0, 500, 1000, ...; 1.5, 2, 2.5; 10k, 20k), and one unlabelled minor tick
// between labelled ones.
type niceTicks struct{}

func (niceTicks) Ticks(lo, hi float64) []gplot.Tick {
	if !(hi > lo) || !finite(lo) || !finite(hi) {
		return gplot.DefaultTicks{}.Ticks(lo, hi)
	}
	span := hi - lo
	mag := math.Pow(10, math.Floor(math.Log10(span/7)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		step = m * mag
		if span/step <= 7 {
			break
		}
	}
	decimals := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	thousands := step >= 1000 && hi >= 10000
	label := func(v float64) string {
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		if thousands && v != 0 {
			return strconv.FormatFloat(v/1000, 'f', max(0, decimals-3), 64) + "k"
		}
		return strconv.FormatFloat(v, 'f', decimals, 64)
	}
	var ticks []gplot.Tick
	first := math.Ceil(lo/step-1e-9) * step
	if first-step/2 >= lo-1e-9*span {
		ticks = append(ticks, gplot.Tick{Value: first - step/2})
	}
	for i := 0; ; i++ {
		v := first + float64(i)*step
		if v > hi+1e-9*span {
			break
		}
		ticks = append(ticks, gplot.Tick{Value: v, Label: label(v)})
		if m := v + step/2; m <= hi+1e-9*span {
			ticks = append(ticks, gplot.Tick{Value: m})
		}
	}
	return ticks
}
