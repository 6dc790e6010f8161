// Package spell measures how far apart two spellings are, for "did you mean" suggestions in
// error messages (a corpus name, a word outside the vocabulary).
package spell

// Distance is the Levenshtein distance between a and b in runes (insertions, deletions and
// substitutions), or limit+1 as soon as it must exceed limit; a negative limit means none.
func Distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if limit < 0 {
		limit = len(ra) + len(rb)
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit+1)
}
