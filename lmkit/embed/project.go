package embed

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// PCA projects points onto their first two principal components (the directions of most
// variance), for a 2-D map, with gonum's stat.PC (an SVD of the centred points). It is
// deterministic: each component's sign is chosen so that its largest coordinate is positive.
func PCA(points [][]float32) ([][2]float64, error) {
	x, err := centered(points, "PCA")
	if err != nil {
		return nil, err
	}
	n, d := len(x), len(x[0])
	out := make([][2]float64, n)
	if n < 2 {
		return out, nil // one point: no direction of variance
	}
	flat := make([]float64, 0, n*d)
	for _, p := range x {
		flat = append(flat, p...)
	}
	data := mat.NewDense(n, d, flat)
	var pc stat.PC
	if !pc.PrincipalComponents(data, nil) {
		return nil, errors.New("embed: PCA: the decomposition did not converge (are the vectors finite?)")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs) // d x min(n, d), by decreasing variance
	_, k := vecs.Dims()
	for c := range min(2, k) {
		v := mat.Col(nil, c, &vecs)
		big := 0
		for i := range v {
			if math.Abs(v[i]) > math.Abs(v[big]) {
				big = i
			}
		}
		if v[big] < 0 {
			for i := range v {
				v[i] = -v[i]
			}
		}
		for i, p := range x {
			out[i][c] = floats.Dot(p, v)
		}
	}
	return out, nil
}

// centered copies points to float64 and subtracts their mean, checking their shape.
func centered(points [][]float32, fn string) ([][]float64, error) {
	if len(points) == 0 {
		return nil, fmt.Errorf("embed: %s: no points (pass at least one vector)", fn)
	}
	d := len(points[0])
	if d == 0 {
		return nil, fmt.Errorf("embed: %s: the vectors are empty", fn)
	}
	mean := make([]float64, d)
	for i, p := range points {
		if len(p) != d {
			return nil, fmt.Errorf("embed: %s: point %d has %d values, point 0 has %d (pass vectors of one width)", fn, i, len(p), d)
		}
		for j, v := range p {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(len(points))
	}
	x := make([][]float64, len(points))
	for i, p := range points {
		x[i] = make([]float64, d)
		for j, v := range p {
			x[i][j] = float64(v) - mean[j]
		}
	}
	return x, nil
}

// TSNEOptions set t-SNE's knobs; zero values take the defaults in brackets.
type TSNEOptions struct {
	Perplexity float64 // effective number of neighbours each point keeps close [30, or (n-1)/3 when smaller]
	Iterations int     // gradient steps [1000]
}

// TSNE maps points to 2-D with exact t-SNE (van der Maaten and Hinton 2008), which keeps
// neighbours together better than PCA. It compares points by cosine distance, starts from the
// PCA map scaled small (Kobak and Berens 2019), so the result is deterministic, exaggerates
// the neighbour attractions 12-fold for the first 250 steps, and uses momentum and per-axis
// gains. It is O(n²) a step: meant for maps of up to a few thousand words.
func TSNE(points [][]float32, opt TSNEOptions) ([][2]float64, error) {
	n := len(points)
	if n < 4 {
		return nil, fmt.Errorf("embed: TSNE: %d points; t-SNE needs at least 4 (use PCA for fewer)", n)
	}
	if n > 5000 {
		return nil, fmt.Errorf("embed: TSNE: %d points is too many for exact t-SNE (at most 5000; map the most frequent words, or use PCA)", n)
	}
	perp := opt.Perplexity
	if perp == 0 {
		perp = min(30, float64(n-1)/3)
	}
	if perp <= 0 || perp >= float64(n) || math.IsNaN(perp) {
		return nil, fmt.Errorf("embed: TSNE: perplexity %v must be above 0 and below the number of points, %d", perp, n)
	}
	iters := opt.Iterations
	if iters == 0 {
		iters = 1000
	}
	if iters < 0 {
		return nil, errors.New("embed: TSNE: iterations must be positive")
	}
	start, err := PCA(points)
	if err != nil {
		return nil, err
	}
	// Cosine distances between unit vectors.
	units := make([][]float32, n)
	for i, p := range points {
		units[i] = normalized(p)
	}
	dist := make([]float64, n*n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			d := 1 - float64(dot(units[i], units[j]))
			dist[i*n+j], dist[j*n+i] = d, d
		}
	}
	p := affinities(dist, n, perp)
	// Start from PCA, scaled so the first coordinate has standard deviation 1e-4.
	y := make([][2]float64, n)
	var sd float64
	for _, s := range start {
		sd += s[0] * s[0]
	}
	sd = math.Sqrt(sd / float64(n))
	if sd == 0 {
		sd = 1
	}
	for i := range y {
		y[i] = [2]float64{start[i][0] / sd * 1e-4, start[i][1] / sd * 1e-4}
	}
	lr := max(float64(n)/12, 50)
	vel := make([][2]float64, n)
	gains := make([][2]float64, n)
	for i := range gains {
		gains[i] = [2]float64{1, 1}
	}
	q := make([]float64, n*n)
	grad := make([][2]float64, n)
	for it := range iters {
		exag, momentum := 1.0, 0.8
		if it < 250 {
			exag, momentum = 12, 0.5
		}
		sum := 0.0
		for i := range n {
			for j := i + 1; j < n; j++ {
				dx, dy := y[i][0]-y[j][0], y[i][1]-y[j][1]
				v := 1 / (1 + dx*dx + dy*dy)
				q[i*n+j], q[j*n+i] = v, v
				sum += 2 * v
			}
		}
		for i := range n {
			var gx, gy float64
			for j := range n {
				if i == j {
					continue
				}
				w := q[i*n+j]
				f := (exag*p[i*n+j] - w/sum) * w
				gx += f * (y[i][0] - y[j][0])
				gy += f * (y[i][1] - y[j][1])
			}
			grad[i] = [2]float64{4 * gx, 4 * gy}
		}
		for i := range n {
			for k := range 2 {
				if (grad[i][k] > 0) != (vel[i][k] > 0) {
					gains[i][k] += 0.2
				} else {
					gains[i][k] = max(gains[i][k]*0.8, 0.01)
				}
				vel[i][k] = momentum*vel[i][k] - lr*gains[i][k]*grad[i][k]
				y[i][k] += vel[i][k]
			}
		}
	}
	return y, nil
}

// affinities returns t-SNE's symmetric P: for each point a Gaussian over the others whose
// width gives the wanted perplexity (found by bisection), then (P + Pᵀ)/2n.
func affinities(dist []float64, n int, perp float64) []float64 {
	p := make([]float64, n*n)
	target := math.Log(perp)
	row := make([]float64, n)
	for i := range n {
		lo, hi, beta := 0.0, math.Inf(1), 1.0
		for range 100 {
			sum, h := 0.0, 0.0
			for j := range n {
				if j == i {
					row[j] = 0
					continue
				}
				row[j] = math.Exp(-beta * dist[i*n+j])
				sum += row[j]
			}
			if sum == 0 {
				sum = 1e-300
			}
			for j := range n {
				if j != i && row[j] > 0 {
					pj := row[j] / sum
					h -= pj * math.Log(pj)
				}
			}
			for j := range n {
				row[j] /= sum
			}
			if math.Abs(h-target) < 1e-5 {
				break
			}
			if h > target {
				lo = beta
				if math.IsInf(hi, 1) {
					beta *= 2
				} else {
					beta = (beta + hi) / 2
				}
			} else {
				hi = beta
				beta = (beta + lo) / 2
			}
		}
		copy(p[i*n:(i+1)*n], row)
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			v := max((p[i*n+j]+p[j*n+i])/(2*float64(n)), 1e-12)
			p[i*n+j], p[j*n+i] = v, v
		}
	}
	return p
}
