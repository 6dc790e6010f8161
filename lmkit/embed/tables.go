package embed

import (
	"math"
	"math/bits"
)

// rng is wyrand: one 64-bit multiply a draw, good enough for sampling and fast enough that
// drawing negatives costs less than using them.
type rng struct{ s uint64 }

func newRNG(seed, stream uint64) rng {
	r := rng{s: seed*0x9E3779B97F4A7C15 + stream*0xD1B54A32D192ED03 + 1}
	r.next()
	return r
}

func (r *rng) next() uint64 {
	r.s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.s, r.s^0xe7037ed1a0b428db)
	return hi ^ lo
}

// intn returns a number in [0, n) from the high 32 bits of x (Lemire's multiply-shift).
func intn(x uint64, n int) int { return int(((x >> 32) * uint64(n)) >> 32) }

// unitFloat returns a float in [0, 1).
func (r *rng) unitFloat() float32 { return float32(r.next()>>40) / (1 << 24) }

// aliasTable draws word i with probability proportional to count[i]^0.75 (word2vec's
// "unigram table") in O(1): one random number picks a slot and decides between the slot's
// word and its alias (Walker's alias method, Vose's construction). The C tool uses a table of
// 1e8 ints instead; this one has one entry a word, so it stays in cache.
type aliasTable struct {
	prob  []uint32 // keep the slot's own word when the low 32 random bits are below this
	alias []int32
}

func newAliasTable(counts []int64, power float64) aliasTable {
	n := len(counts)
	w := make([]float64, n)
	total := 0.0
	for i, c := range counts {
		w[i] = math.Pow(float64(c), power)
		total += w[i]
	}
	t := aliasTable{prob: make([]uint32, n), alias: make([]int32, n)}
	scaled := make([]float64, n)
	var small, large []int
	for i := range w {
		scaled[i] = w[i] / total * float64(n)
		if scaled[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		t.prob[s] = uint32(scaled[s] * (1 << 32))
		t.alias[s] = int32(l)
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range append(small, large...) {
		t.prob[i] = math.MaxUint32
		t.alias[i] = int32(i)
	}
	return t
}

// draw picks a word from one 64-bit random number.
func (t *aliasTable) draw(x uint64) int32 {
	i := intn(x, len(t.prob))
	if uint32(x) < t.prob[i] {
		return int32(i)
	}
	return t.alias[i]
}

// keepThresholds returns, for each word, the probability of keeping an occurrence of it,
// scaled to 2^32: word2vec's subsampling, (sqrt(f/t) + 1) t/f for a word of count f and
// t = sample × total words, capped at 1. sample 0 keeps every word.
func keepThresholds(counts []int64, sample float64) []uint64 {
	keep := make([]uint64, len(counts))
	var total int64
	for _, c := range counts {
		total += c
	}
	t := sample * float64(total)
	for i, c := range counts {
		p := 1.0
		if sample > 0 {
			f := float64(c)
			p = min(1, (math.Sqrt(f/t)+1)*t/f)
		}
		keep[i] = uint64(math.Round(p * (1 << 32)))
	}
	return keep
}

// The sigmoid table of the C tool: 1000 values of σ(x) for x in [-6, 6).
const (
	expTableSize = 1000
	maxExp       = 6
)

var expTable = func() [expTableSize]float32 {
	var t [expTableSize]float32
	for i := range t {
		e := math.Exp((float64(i)/expTableSize*2 - 1) * maxExp)
		t[i] = float32(e / (e + 1))
	}
	return t
}()

// gradient is (label - σ(f)) × alpha, with σ read from the table. Pairs whose dot product
// is beyond ±6 are left alone, as gensim does (the C tool saturates σ there instead): on the
// State of the Union corpus this, with gensim's wider initialisation, measured about 0.3
// analogy points better. The table index uses the exact scale 1000/12 (the C tool's integer
// arithmetic makes it 83).
func gradient(f float32, label, alpha float32) float32 {
	if f >= maxExp || f <= -maxExp {
		return 0
	}
	return (label - expTable[int((f+maxExp)*(float32(expTableSize)/maxExp/2))]) * alpha
}
