package plot

import (
	"strings"
	"testing"
)

// Clusters named by their members read "dog, cat" in the legend, not "cluster 0".
func TestEmbeddingMapNamesClusters(t *testing.T) {
	pts := [][2]float64{{0, 0}, {0.1, 0.2}, {3, 3}, {3.2, 2.9}}
	fig, err := EmbeddingMap(pts, []string{"dog", "cat", "car", "bus"}, []int{0, 0, 1, 1},
		Axes{Title: "map", Groups: []string{"dog, cat", ""}})
	if err != nil {
		t.Fatal(err)
	}
	svg, err := fig.SVG()
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if !strings.Contains(s, "dog, cat") || !strings.Contains(s, "cluster 1") || strings.Contains(s, "cluster 0") {
		t.Errorf("legend: want the name given for cluster 0 and the default for cluster 1")
	}
}

// Bars coloured by group name their groups in the legend, and a wrong number of groups is an
// error that says so.
func TestBarsColouredByGroup(t *testing.T) {
	fig, err := Bars([]string{"rnn 8", "rnn 32", "gru 8", "gru 32"}, []float64{0.3, 0.25, 1, 1},
		Axes{Title: "recall", Colors: []int{0, 0, 1, 1}, Groups: []string{"Elman RNN", "GRU"}, Refs: []Ref{{Label: "chance", Y: 0.25}}})
	if err != nil {
		t.Fatal(err)
	}
	svg, err := fig.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if s := string(svg); !strings.Contains(s, "Elman RNN") || !strings.Contains(s, "GRU") || !strings.Contains(s, "chance") {
		t.Error("legend: want both groups and the chance line named")
	}
	if _, err := Bars([]string{"a", "b"}, []float64{1, 2}, Axes{Colors: []int{0}}); err == nil || !strings.Contains(err.Error(), "Colors") {
		t.Errorf("one group for two bars: %v, want an error naming Axes.Colors", err)
	}
}

// Every token of an attention map keeps its label, on both axes, even when 50 of them share a
// small figure: thinned labels turn "JULIET" into "U I T".
func TestAttentionLabelsEveryToken(t *testing.T) {
	line := []rune("JULIET:\nO Romeo, Romeo! wherefore art thou Romeo?")
	n := len(line)
	w := make([][]float64, n)
	labels := make([]string, n)
	for i := range w {
		w[i] = make([]float64, n)
		for j := 0; j <= i; j++ {
			w[i][j] = 1 / float64(i+1)
		}
		labels[i] = string(line[i])
	}
	fig, err := Attention(w, labels, labels, Axes{Title: "attention", X: "key", Y: "query"})
	if err != nil {
		t.Fatal(err)
	}
	svg, err := fig.Size(14, 12).SVG()
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"J", "U", "L", "I", "E", "T", "w", "f"} {
		if got := strings.Count(string(svg), ">"+tok+"<"); got < 2 {
			t.Errorf("token %q is labelled %d times, want at least 2 (both axes)", tok, got)
		}
	}
}
