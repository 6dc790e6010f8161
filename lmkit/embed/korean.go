package embed

import (
	"strings"
	"unicode/utf8"
)

// particles are common Korean particles (조사) and the plural 들, longest first, so that
// 에서 is tried before 서 would be and 들이 before 이.
var particles = []string{
	"들에게서", "에게서는", "들에서", "들에게", "에서는", "에서도", "에게는", "으로는", "으로도", "이라고", "이라는",
	"들이", "들은", "들을", "들의", "들도", "들과", "들로", "들에", "에서", "에게", "으로", "부터", "까지", "처럼",
	"보다", "이랑", "한테", "마저", "조차", "라고", "라는", "이나", "이다", "같은",
	"들", "은", "는", "이", "가", "을", "를", "의", "에", "도", "로", "와", "과", "랑", "만",
}

// SplitParticles splits Korean words into a stem and its particle, so that 강아지가,
// 강아지를 and 강아지 all count as 강아지 (followed by the particle as a word of its own).
// Korean attaches particles (조사) to nouns, and a tokenizer that splits on spaces only sees
// each form as a different word, so the bare noun is rare. The rule is a heuristic, driven by
// the corpus itself instead of a dictionary: a word of Hangul syllables ending in a known
// particle is split when what remains is at least two syllables and occurs on its own at
// least twice, and at least a quarter as often as the word being split. So 고양이 stays whole
// (고양 is not a word of the corpus) while 고양이가 splits. A morphological analyser does
// better; this is enough for word2vec to see the nouns.
func SplitParticles(sentences [][]string) [][]string {
	p := NewParticles(sentences)
	out := make([][]string, len(sentences))
	for i, s := range sentences {
		out[i] = p.Split(s)
	}
	return out
}

// Particles is SplitParticles' rule with one corpus's counts, to cut other text (a query, a
// review to embed) the way the training text was cut.
type Particles struct {
	count map[string]int
	split map[string][2]string // the corpus's own words that the rule cuts, decided once
}

// NewParticles counts the words of sentences, for SplitParticles' rule.
func NewParticles(sentences [][]string) *Particles {
	p := &Particles{count: map[string]int{}, split: map[string][2]string{}}
	for _, s := range sentences {
		for _, w := range s {
			p.count[w]++
		}
	}
	for w := range p.count {
		if stem, pa, ok := p.cut(w); ok {
			p.split[w] = [2]string{stem, pa}
		}
	}
	return p
}

// cut returns w's stem and particle, or ok false when the rule keeps w whole. A word the
// corpus never had (n = 0) is cut whenever its stem occurs alone at least twice.
func (p *Particles) cut(w string) (stem, particle string, ok bool) {
	if !isHangul(w) {
		return "", "", false
	}
	n := p.count[w]
	for _, pa := range particles {
		stem, found := strings.CutSuffix(w, pa)
		if !found || utf8.RuneCountInString(stem) < 2 {
			continue
		}
		if c := p.count[stem]; c >= 2 && 4*c >= n {
			return stem, pa, true
		}
	}
	return "", "", false
}

// Split cuts words as the corpus's rule says: a word to split becomes its stem and particle.
func (p *Particles) Split(words []string) []string {
	var out []string
	for _, w := range words {
		sp, ok := p.split[w]
		if _, known := p.count[w]; !known { // a word the corpus never had: decide now
			sp[0], sp[1], ok = p.cut(w)
		}
		if ok {
			out = append(out, sp[0], sp[1])
		} else {
			out = append(out, w)
		}
	}
	return out
}

// Text tokenizes s (Tokenize) and splits its words, joined by spaces: text ready for
// Vectors.Embed or Index.Search with vectors trained on split text.
func (p *Particles) Text(s string) string { return strings.Join(p.Split(Tokenize(s)), " ") }

func isHangul(w string) bool {
	for _, r := range w {
		if r < 0xAC00 || r > 0xD7A3 {
			return false
		}
	}
	return w != ""
}
