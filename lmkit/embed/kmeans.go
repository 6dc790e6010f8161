package embed

import (
	"fmt"
	"math"
)

// KMeans groups points into k clusters by cosine similarity (spherical k-means: points and
// centres are unit vectors, each point joins the centre it is most similar to). Centres start
// with k-means++ seeding from seed, and Lloyd steps run until no point moves (at most 300).
// It returns each point's cluster, numbered so that cluster 0 holds point 0, cluster 1 the
// first point not in cluster 0, and so on, which keeps colours stable between runs.
func KMeans(points [][]float32, k int, seed uint64) ([]int, error) {
	n := len(points)
	switch {
	case n == 0:
		return nil, fmt.Errorf("embed: KMeans: no points")
	case k < 1 || k > n:
		return nil, fmt.Errorf("embed: KMeans: k = %d must be between 1 and the number of points, %d", k, n)
	}
	d := len(points[0])
	units := make([][]float32, n)
	for i, p := range points {
		if len(p) != d {
			return nil, fmt.Errorf("embed: KMeans: point %d has %d values, point 0 has %d", i, len(p), d)
		}
		units[i] = normalized(p)
	}
	r := newRNG(seed, 0x6b6d65616e73)
	// k-means++: each next centre is drawn with probability proportional to its distance
	// (1 - cosine) to the nearest centre chosen so far.
	centres := [][]float32{append([]float32(nil), units[intn(r.next(), n)]...)}
	near := make([]float64, n)
	for i := range near {
		near[i] = math.Inf(1)
	}
	for len(centres) < k {
		total := 0.0
		last := centres[len(centres)-1]
		for i, u := range units {
			near[i] = min(near[i], max(0, 1-float64(dot(u, last))))
			total += near[i]
		}
		pick := 0
		if total > 0 {
			x := float64(r.next()>>11) / (1 << 53) * total
			for pick = 0; pick < n-1; pick++ {
				x -= near[pick]
				if x < 0 {
					break
				}
			}
		} else {
			pick = len(centres) // all points coincide with centres: take any other
		}
		centres = append(centres, append([]float32(nil), units[pick]...))
	}
	assign := make([]int, n)
	for i := range assign {
		assign[i] = -1
	}
	for range 300 {
		moved := 0
		for i, u := range units {
			best, bestSim := 0, float32(math.Inf(-1))
			for c, ctr := range centres {
				if s := dot(u, ctr); s > bestSim {
					best, bestSim = c, s
				}
			}
			if assign[i] != best {
				assign[i] = best
				moved++
			}
		}
		if moved == 0 {
			break
		}
		for c := range centres {
			sum := make([]float32, d)
			members := 0
			for i, u := range units {
				if assign[i] == c {
					axpy(1, u, sum)
					members++
				}
			}
			if members > 0 {
				centres[c] = normalized(sum)
			}
		}
	}
	// Renumber clusters in order of first appearance.
	order := map[int]int{}
	for i, a := range assign {
		if _, ok := order[a]; !ok {
			order[a] = len(order)
		}
		assign[i] = order[a]
	}
	return assign, nil
}
