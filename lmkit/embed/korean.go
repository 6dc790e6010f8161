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
	count := map[string]int{}
	for _, s := range sentences {
		for _, w := range s {
			count[w]++
		}
	}
	split := map[string][2]string{}
	for w, n := range count {
		if !isHangul(w) {
			continue
		}
		for _, p := range particles {
			stem, ok := strings.CutSuffix(w, p)
			if !ok || utf8.RuneCountInString(stem) < 2 {
				continue
			}
			if c := count[stem]; c >= 2 && 4*c >= n {
				split[w] = [2]string{stem, p}
				break
			}
		}
	}
	out := make([][]string, len(sentences))
	for i, s := range sentences {
		var t []string
		for _, w := range s {
			if sp, ok := split[w]; ok {
				t = append(t, sp[0], sp[1])
			} else {
				t = append(t, w)
			}
		}
		out[i] = t
	}
	return out
}

func isHangul(w string) bool {
	for _, r := range w {
		if r < 0xAC00 || r > 0xD7A3 {
			return false
		}
	}
	return w != ""
}
