package plot_test

import (
	"math"
	"strings"
	"testing"

	"github.com/llm-map/lab/lmkit/plot"
)

// Inconsistent input must give an error, not a panic, and the error must
// name the function, the parameter and the fix.
func TestInputErrors(t *testing.T) {
	nan := math.NaN()
	sq := [][]float64{{1, 0}, {0.5, 0.5}}
	tok2 := []string{"a", "b"}
	cases := []struct {
		name string
		call func() (*plot.Figure, error)
		want []string // substrings of the error
	}{
		{"Attention row tokens", func() (*plot.Figure, error) { return plot.Attention(sq, []string{"a"}, tok2, plot.Axes{}) },
			[]string{"Attention", "rowTokens has 1 labels", "weights has 2 query rows", "pass one label per query row"}},
		{"Attention col tokens", func() (*plot.Figure, error) { return plot.Attention(sq, tok2, []string{"a", "b", "c"}, plot.Axes{}) },
			[]string{"colTokens has 3 labels", "2 key columns"}},
		{"Attention ragged", func() (*plot.Figure, error) { return plot.Attention([][]float64{{1, 0}, {1}}, nil, nil, plot.Axes{}) },
			[]string{"weights is ragged", "row 1 has 1 values but row 0 has 2"}},
		{"Attention NaN", func() (*plot.Figure, error) {
			return plot.Attention([][]float64{{1, 0}, {nan, 1}}, nil, nil, plot.Axes{})
		},
			[]string{"weights[1][0] is NaN", "replace non-finite values"}},
		{"Attention empty", func() (*plot.Figure, error) { return plot.Attention(nil, nil, nil, plot.Axes{}) },
			[]string{"weights is empty"}},
		{"AttentionGrid no maps", func() (*plot.Figure, error) { return plot.AttentionGrid(nil, nil, nil, 2) },
			[]string{"AttentionGrid", "maps is empty"}},
		{"AttentionGrid tokens", func() (*plot.Figure, error) {
			return plot.AttentionGrid([][][]float64{sq, {{1}}}, tok2, nil, 2)
		}, []string{"tokens has 2 labels but maps[1] is 1×1"}},
		{"AttentionGrid titles", func() (*plot.Figure, error) {
			return plot.AttentionGrid([][][]float64{sq}, nil, []string{"a", "b"}, 2)
		}, []string{"titles has 2 entries but maps has 1"}},
		{"AttentionGrid Inf", func() (*plot.Figure, error) {
			return plot.AttentionGrid([][][]float64{sq, {{math.Inf(1)}}}, nil, nil, 2)
		}, []string{"maps[1][0][0] is +Inf"}},
		{"Heatmap labels", func() (*plot.Figure, error) { return plot.Heatmap(sq, nil, []string{"x"}, plot.Axes{}) },
			[]string{"Heatmap", "colLabels has 1 labels but values has 2 columns"}},
		{"LossCurves none", func() (*plot.Figure, error) { return plot.LossCurves(nil, plot.Axes{}) },
			[]string{"LossCurves", "no series"}},
		{"LossCurves lengths", func() (*plot.Figure, error) {
			return plot.LossCurves([]plot.Series{{Split: plot.Validation, X: []float64{0, 1}, Y: []float64{1}}}, plot.Axes{})
		}, []string{`series[0] ("val") has 2 X values but 1 Y values`}},
		{"LossCurves NaN", func() (*plot.Figure, error) {
			return plot.LossCurves([]plot.Series{{Split: plot.Train, X: []float64{0, 10}, Y: []float64{1, nan}}}, plot.Axes{})
		}, []string{`series[0] ("train") Y[1] is NaN at step 10`, "diverged"}},
		{"LossCurves empty", func() (*plot.Figure, error) {
			return plot.LossCurves([]plot.Series{{Split: plot.Validation}}, plot.Axes{})
		}, []string{`series[0] ("val") has no points`}},
		{"Bars lengths", func() (*plot.Figure, error) { return plot.Bars(tok2, []float64{1}, plot.Axes{}) },
			[]string{"Bars", "labels has 2 entries but values has 1"}},
		{"Bars NaN", func() (*plot.Figure, error) { return plot.Bars(tok2, []float64{1, nan}, plot.Axes{}) },
			[]string{`values[1] ("b") is NaN`}},
		{"EmbeddingMap labels", func() (*plot.Figure, error) {
			return plot.EmbeddingMap([][2]float64{{0, 0}}, tok2, nil, plot.Axes{})
		}, []string{"EmbeddingMap", "labels has 2 entries but points has 1"}},
		{"EmbeddingMap clusters", func() (*plot.Figure, error) {
			return plot.EmbeddingMap([][2]float64{{0, 0}}, nil, []int{1, 2}, plot.Axes{})
		}, []string{"clusters has 2 entries but points has 1"}},
		{"EmbeddingMap NaN", func() (*plot.Figure, error) {
			return plot.EmbeddingMap([][2]float64{{0, 0}, {1, nan}}, nil, nil, plot.Axes{})
		}, []string{"points[1][1] is NaN"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tc.call()
			if err == nil {
				t.Fatalf("got figure %v and no error", f)
			}
			if f != nil {
				t.Errorf("got a figure along with the error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "plot: ") || !strings.Contains(msg, "(") {
				t.Errorf("error %q should start with \"plot: \" and say how to fix the call in parentheses", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

// Must panics with the constructor's error.
func TestMust(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), "labels has 1 entries") {
			t.Errorf("Must did not panic with the error, got %v", r)
		}
	}()
	plot.Must(plot.Bars([]string{"a"}, []float64{1, 2}, plot.Axes{}))
}
