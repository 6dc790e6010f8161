package spell

import "testing"

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"kitten", "sitting", -1, 3},
		{"names", "nmaes", -1, 2},
		{"", "abc", -1, 3},
		{"강아지", "강아지가", -1, 1},
		{"kitten", "sitting", 1, 2}, // past the limit: limit+1
		{"same", "same", 0, 0},
		{"", "", -1, 0},
		{"abc", "", -1, 3},
		{"nams", "names", -1, 1},
		{"한국어", "한국", -1, 1}, // runes, not bytes
	} {
		if got := Distance(tc.a, tc.b, tc.limit); got != tc.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.limit, got, tc.want)
		}
	}
}
