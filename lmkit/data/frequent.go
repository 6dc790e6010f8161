package data

import (
	"fmt"
	"sort"
	"strings"
)

// KeepFrequentRunes returns the documents of t whose characters are all among its n most
// frequent characters (ties broken by code point), so that a character tokenizer built on the
// result has at most n tokens plus the boundary. Korean text has thousands of distinct
// syllables, most of them rare: the 500 most frequent cover 96% of NSMC's characters and
// about 39% of its reviews whole, while a 500-token vocabulary keeps a small model's output
// layer small.
func KeepFrequentRunes(t *Text, n int) (*Text, error) {
	if n < 1 {
		return nil, fmt.Errorf("data: KeepFrequentRunes: n = %d, want at least 1 character", n)
	}
	counts := map[rune]int{}
	for _, d := range t.Docs {
		for _, r := range d {
			counts[r]++
		}
	}
	runes := make([]rune, 0, len(counts))
	for r := range counts {
		runes = append(runes, r)
	}
	sort.Slice(runes, func(i, j int) bool {
		if counts[runes[i]] != counts[runes[j]] {
			return counts[runes[i]] > counts[runes[j]]
		}
		return runes[i] < runes[j]
	})
	keep := map[rune]bool{}
	for _, r := range runes[:min(n, len(runes))] {
		keep[r] = true
	}
	var docs []string
	for _, d := range t.Docs {
		ok := true
		for _, r := range d {
			if !keep[r] {
				ok = false
				break
			}
		}
		if ok {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("data: %s: no document uses only its %d most frequent characters: raise n", t.Name, n)
	}
	return &Text{Name: fmt.Sprintf("%s (top %d characters)", t.Name, n), Path: t.Path, Source: t.Source, Lines: t.Lines, Content: strings.Join(docs, "\n"), Docs: docs}, nil
}
