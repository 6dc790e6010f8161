package plot

import (
	"slices"
	"testing"
)

func TestTokenLabel(t *testing.T) {
	for in, want := range map[string]string{
		"cat":         "cat",
		" cat":        "·cat",
		"cat  ":       "cat··",
		"a b":         "a b",
		" ":           "‹ ›",
		"":            "‹›",
		"\n":          "¶",
		"\t":          "→",
		"▁the":        "·the",
		"Ġthe":        "·the",
		"강아지":         "강아지",
		"\x01":        "<U+0001>",
		"x\U0001F600": "x<U+1F600>",
	} {
		if got := TokenLabel(in); got != want {
			t.Errorf("TokenLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	labelled := func(lo, hi float64) []string {
		var out []string
		for _, tk := range (niceTicks{}).Ticks(lo, hi) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	for _, tc := range []struct {
		lo, hi float64
		want   []string
	}{
		{0, 3000, []string{"0", "500", "1000", "1500", "2000", "2500", "3000"}},
		{1.38, 4.3, []string{"1.5", "2.0", "2.5", "3.0", "3.5", "4.0"}},
		{-0.97, 0.97, []string{"-0.5", "0.0", "0.5"}},
		{0, 50000, []string{"0", "10k", "20k", "30k", "40k", "50k"}},
	} {
		if got := labelled(tc.lo, tc.hi); !slices.Equal(got, tc.want) {
			t.Errorf("ticks(%g, %g) = %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestSeriesStyles(t *testing.T) {
	runs := []Series{{Label: "mlp", Split: Train}, {Label: "mlp", Split: Validation}, {Label: "rnn", Split: Train}, {Label: "rnn", Split: Validation}, {Label: "interval"}}
	st := seriesStyles(runs)
	if st[0].Color != st[1].Color || st[2].Color != st[3].Color {
		t.Errorf("train and val of one run should share a colour")
	}
	if st[0].Color == st[2].Color || st[4].Color == st[0].Color || st[4].Color == st[2].Color {
		t.Errorf("runs should get distinct colours")
	}
	if st[0].Dashes != nil || st[1].Dashes == nil || st[3].Dashes == nil {
		t.Errorf("train should be solid and val dashed: %v %v %v", st[0].Dashes, st[1].Dashes, st[3].Dashes)
	}
	if st[4].Dashes != nil {
		t.Errorf(`a series without a split should be a solid curve of its own`)
	}
}
