package embed

import (
	"math"
	"testing"
)

// groups makes 3 clusters of 10 points around three orthogonal directions in 8-D.
func groups() ([][]float32, []string, []int) {
	r := newRNG(3, 3)
	var pts [][]float32
	var names []string
	var truth []int
	for g := range 3 {
		for i := range 10 {
			p := make([]float32, 8)
			p[g] = 5
			for j := range p {
				p[j] += r.unitFloat() - 0.5
			}
			pts = append(pts, p)
			names = append(names, string(rune('a'+g))+string(rune('0'+i)))
			truth = append(truth, g)
		}
	}
	return pts, names, truth
}

func TestKMeansFindsGroups(t *testing.T) {
	pts, _, truth := groups()
	got, err := KMeans(pts, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i] != truth[i] {
			t.Fatalf("point %d in cluster %d, want %d (clusters %v)", i, got[i], truth[i], got)
		}
	}
	if _, err := KMeans(pts, 31, 1); err == nil {
		t.Error("KMeans with more clusters than points succeeded")
	}
}

func TestProjectionsKeepGroupsApart(t *testing.T) {
	pts, _, truth := groups()
	for name, project := range map[string]func([][]float32) ([][2]float64, error){
		"PCA":  PCA,
		"TSNE": func(p [][]float32) ([][2]float64, error) { return TSNE(p, TSNEOptions{Perplexity: 5, Iterations: 500}) },
	} {
		xy, err := project(pts)
		if err != nil {
			t.Fatal(err)
		}
		// Every point's nearest other point on the map is in its own group.
		for i := range xy {
			best, bestD := -1, math.Inf(1)
			for j := range xy {
				if d := math.Hypot(xy[i][0]-xy[j][0], xy[i][1]-xy[j][1]); i != j && d < bestD {
					best, bestD = j, d
				}
			}
			if truth[best] != truth[i] {
				t.Errorf("%s: point %d's nearest neighbour on the map is %d, of another group", name, i, best)
			}
		}
	}
	// PCA of points on a line recovers the line.
	line := [][]float32{{0, 0, 0}, {1, 2, 0}, {2, 4, 0}, {3, 6, 0}}
	xy, err := PCA(line)
	if err != nil {
		t.Fatal(err)
	}
	for i := range xy {
		if want := (float64(i) - 1.5) * math.Sqrt(5); math.Abs(math.Abs(xy[i][0])-math.Abs(want)) > 1e-6 || math.Abs(xy[i][1]) > 1e-6 {
			t.Errorf("PCA of a line: point %d at %v, want (±%.3f, 0)", i, xy[i], want)
		}
	}
}

func TestSearchFindsDocumentsByMeaning(t *testing.T) {
	v := family(t)
	docs := []string{"the king and the queen", "a boy and a girl", "Nothing known here.", "the prince"}
	ix := NewIndex(v, docs)
	hits, err := ix.Search("royal princess", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 || hits[0].Doc != 3 && hits[0].Doc != 0 {
		t.Errorf("search for princess: %+v, want the royal documents first", hits)
	}
	hits, _ = ix.Search("woman", 4)
	if len(hits) != 3 {
		t.Errorf("search gave %d hits; the document with no known word must not be one", len(hits))
	}
	if _, err := ix.Search("emperor", 1); err == nil {
		t.Error("a query with no known word succeeded")
	}
}

// Liking two royal documents recommends the other royal ones before the common ones, and
// never a liked document itself.
func TestLikeRecommendsSimilarDocuments(t *testing.T) {
	v := family(t)
	docs := []string{"the king", "the man", "Nothing known here.", "the princess", "the queen", "the girl", "the prince"}
	ix := NewIndex(v, docs)
	hits, err := ix.Like([]int{0, 3}, 10)
	if err != nil {
		t.Fatal(err)
	}
	royal := map[int]bool{4: true, 6: true}
	if len(hits) != 4 || !royal[hits[0].Doc] || !royal[hits[1].Doc] {
		t.Errorf("liking %q and %q recommended %+v, want the queen and the prince first, and neither the liked nor the unknown document", docs[0], docs[3], hits)
	}
	if _, err := ix.Like([]int{2}, 1); err == nil {
		t.Error("liking only a document with no known word succeeded")
	}
	if _, err := ix.Like([]int{9}, 1); err == nil {
		t.Error("liking a document outside the index succeeded")
	}
}
