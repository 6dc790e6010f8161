package embed

// The portable loops behind dot, update and axpy, four lanes unrolled.

func dotGeneric(a, b []float32) float32 {
	n := len(a)
	b = b[:n]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= n; i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < n; i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func updateGeneric(g float32, l1, l2, neu []float32) {
	n := len(l1)
	l2, neu = l2[:n], neu[:n]
	for i := range n {
		v := l2[i]
		neu[i] += g * v
		l2[i] = v + g*l1[i]
	}
}

func axpyGeneric(a float32, x, y []float32) {
	n := len(x)
	y = y[:n]
	for i := range n {
		y[i] += a * x[i]
	}
}
