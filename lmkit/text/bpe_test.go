package text

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestChunks(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Hello world", []string{"Hello", " world"}},
		{"a  b", []string{"a", " ", " b"}},
		{"a\n\nb", []string{"a", "\n\n", "b"}},
		{"x \n y", []string{"x", " \n", " y"}},
		{"route 66!!", []string{"route", " 66", "!!"}},
		{"강아지와 고양이.", []string{"강아지와", " 고양이", "."}},
		{"end  ", []string{"end", "  "}},
		{"a\xff\xfeb", []string{"a", "\xff\xfe", "b"}},
	} {
		if got := slices.Collect(chunks(c.in)); !slices.Equal(got, c.want) {
			t.Errorf("chunks(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	long := strings.Repeat("강", 100) // 300 bytes of letters
	got := slices.Collect(chunks(long))
	if strings.Join(got, "") != long {
		t.Fatalf("chunks of a long run do not concatenate back")
	}
	for _, c := range got {
		if len(c) > maxChunk || !strings.HasPrefix(c, "강") {
			t.Errorf("chunk of %d bytes starting %q: want at most %d bytes, cut between runes", len(c), c[:3], maxChunk)
		}
	}
}

func TestBPEFirstMerge(t *testing.T) {
	// Chunks "abab", " abab": (a,b) occurs 4 times, (b,a) twice.
	tok, err := TrainBPE("abab abab", 257)
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Token(256); got != "ab" {
		t.Errorf("first merge = %q, want \"ab\"", got)
	}
	// Ties go to the smallest pair: (' ', c) = (32, 99) beats (a, b) and (c, d).
	tok, err = TrainBPE("ab cd", 257)
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Token(256); got != " c" {
		t.Errorf("first merge on a tie = %q, want \" c\"", got)
	}
}

func TestBPEVocabSize(t *testing.T) {
	tok, err := TrainBPE(sample, 300)
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.VocabSize(); got != 300 {
		t.Errorf("VocabSize = %d, want the 300 asked for", got)
	}
	// "ab ab" is the chunks "ab" and " ab": merging "ab", then " ab", leaves no pairs.
	tok, err = TrainBPE("ab ab", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.VocabSize(); got != 258 {
		t.Errorf("VocabSize on a tiny text = %d, want 258: merges stop when no pairs are left", got)
	}
	if ids := tok.Encode("ab ab"); len(ids) != 2 {
		t.Errorf("Encode(ab ab) = %v, want one token per chunk", ids)
	}
	tok, err = TrainBPE(sample, 256)
	if err != nil || tok.VocabSize() != 256 {
		t.Errorf("TrainBPE(256) = %v, %v; want bytes only", tok, err)
	}
	if _, err := TrainBPE(sample, 100); err == nil || !strings.Contains(err.Error(), "at least 256") {
		t.Errorf("TrainBPE(100): error %v, want one asking for at least 256", err)
	}
}

func TestBPECompresses(t *testing.T) {
	tok, err := TrainBPE(sample, 400)
	if err != nil {
		t.Fatal(err)
	}
	ids := tok.Encode(sample)
	if len(ids) >= len(sample)/2 {
		t.Errorf("Encode(training text): %d tokens for %d bytes, want under half", len(ids), len(sample))
	}
	if tok.Decode(ids) != sample {
		t.Error("Decode(Encode(training text)) differs")
	}
}

// TestBPEMatchesNaive checks the incremental trainer against the textbook
// one, which recounts every pair before every merge.
func TestBPEMatchesNaive(t *testing.T) {
	for _, s := range []string{sample, "aaaa aaa aa a aaaa", "강아지와 고양이 강아지 고양이", "abcabcabc\xff\xff\xffab"} {
		tok, err := TrainBPE(s, 400)
		if err != nil {
			t.Fatal(err)
		}
		if want := naiveMerges(s, 400-256); !slices.Equal(tok.merges, want) {
			t.Errorf("TrainBPE(%.20q) merges differ from the naive trainer:\n got %v\nwant %v", s, tok.merges, want)
		}
		if got, want := tok.Encode(s), naiveEncode(tok, s); !slices.Equal(got, want) {
			t.Errorf("Encode(%.20q) differs from the naive encoder:\n got %v\nwant %v", s, got, want)
		}
	}
}

func naiveMerges(s string, n int) [][2]int {
	var words [][]int
	for c := range chunks(s) {
		w := make([]int, len(c))
		for i := range len(c) {
			w[i] = int(c[i])
		}
		words = append(words, w)
	}
	var merges [][2]int
	for len(merges) < n {
		counts := map[[2]int]int{}
		for _, w := range words {
			for i := 0; i+1 < len(w); i++ {
				counts[[2]int{w[i], w[i+1]}]++
			}
		}
		best, bestN := [2]int{}, 0
		for p, c := range counts {
			if c > bestN || c == bestN && (p[0] < best[0] || p[0] == best[0] && p[1] < best[1]) {
				best, bestN = p, c
			}
		}
		if bestN == 0 {
			break
		}
		id := 256 + len(merges)
		merges = append(merges, best)
		for i, w := range words {
			words[i] = merge(w, best[0], best[1], id)
		}
	}
	return merges
}

// naiveEncode applies the merges the textbook way: find the lowest-ranked
// pair anywhere in the chunk, merge it everywhere, repeat.
func naiveEncode(tok *BPE, s string) []int {
	var out []int
	for c := range chunks(s) {
		ids := make([]int, len(c))
		for i := range len(c) {
			ids[i] = int(c[i])
		}
		for {
			best := -1
			for i := 0; i+1 < len(ids); i++ {
				if r, ok := tok.ranks[pairKey(ids[i], ids[i+1])]; ok && (best < 0 || r < best) {
					best = r
				}
			}
			if best < 0 {
				break
			}
			ids = merge(ids, tok.merges[best][0], tok.merges[best][1], 256+best)
		}
		out = append(out, ids...)
	}
	return out
}

func TestBPERoundTrip(t *testing.T) {
	tok, err := TrainBPE(sample+"강아지와 고양이", 400)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"",
		"the quick brown fox",
		"강아지와 고양이가 함께 놀아요.",
		"\xff\xfe invalid \xc3 utf-8 \xed\xa0\x80",
		strings.Repeat(" ", 300) + strings.Repeat("a", 300),
		"tabs\tand\r\nnewlines\n\n\n",
	} {
		if got := tok.Decode(tok.Encode(s)); got != s {
			t.Errorf("Decode(Encode(%q)) = %q", s, got)
		}
	}
}

func TestBPEToken(t *testing.T) {
	tok, err := TrainBPE(strings.Repeat("강 ", 20), 260)
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Token(0xFF); got != "<0xFF>" {
		t.Errorf("Token(255) = %q, want <0xFF>", got)
	}
	if got := tok.Token('\n'); got != `\n` {
		t.Errorf("Token(10) = %q, want \\n", got)
	}
	// 강 is EA B0 95; the first merge joins two of its bytes, not a whole rune.
	if got := tok.Token(256); !strings.HasPrefix(got, "<0x") {
		t.Errorf("Token(256) = %q, want half a syllable shown as bytes", got)
	}
	ids := tok.Encode("강")
	if len(ids) != 1 || tok.Token(ids[0]) != "강" {
		t.Errorf("Encode(강) = %v, want one token printed as 강", ids)
	}
}

// TestBPEShakespeare trains on tiny Shakespeare when LMKIT_DATA_DIR is set.
func TestBPEShakespeare(t *testing.T) {
	dir := os.Getenv("LMKIT_DATA_DIR")
	if dir == "" {
		t.Skip("LMKIT_DATA_DIR is not set")
	}
	b, err := os.ReadFile(filepath.Join(dir, "tinyshakespeare.txt"))
	if err != nil {
		t.Skipf("no corpus: %v", err)
	}
	s := string(b)
	start := time.Now()
	tok, err := TrainBPE(s, 512)
	if err != nil {
		t.Fatal(err)
	}
	train := time.Since(start)
	start = time.Now()
	ids := tok.Encode(s)
	encode := time.Since(start)
	t.Logf("TrainBPE(%d bytes, 512): %v; Encode: %v, %d tokens (%.2f bytes/token)", len(s), train, encode, len(ids), float64(len(s))/float64(len(ids)))
	if tok.VocabSize() != 512 {
		t.Errorf("VocabSize = %d, want 512", tok.VocabSize())
	}
	if tok.Decode(ids) != s {
		t.Error("Decode(Encode(corpus)) differs from the corpus")
	}
	if len(ids) > len(s)*2/3 {
		t.Errorf("%d tokens for %d bytes: 256 merges should save a third", len(ids), len(s))
	}
	// Generous bounds that still catch a return to rescanning the text per merge.
	if train > 10*time.Second || encode > 5*time.Second {
		t.Errorf("too slow: training %v (want a few seconds), encoding %v", train, encode)
	}
}

func BenchmarkTrainBPE(b *testing.B) {
	s := strings.Repeat(sample, 1<<20/len(sample))
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		TrainBPE(s, 512)
	}
}

func BenchmarkBPEEncode(b *testing.B) {
	s := strings.Repeat(sample, 1<<20/len(sample))
	tok, _ := TrainBPE(s, 512)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		tok.Encode(s)
	}
}

// sample is a small English text for training.
const sample = `First Citizen:
Before we proceed any further, hear me speak.

All:
Speak, speak.

First Citizen:
You are all resolved rather to die than to famish?

All:
Resolved. resolved.

First Citizen:
First, you know Caius Marcius is chief enemy to the people.

All:
We know't, we know't.

First Citizen:
Let us kill him, and we'll have corn at our own price.
Is't a verdict?
`

// TestBPEConcurrent shares one BPE, and its cache, between goroutines;
// run it with -race.
func TestBPEConcurrent(t *testing.T) {
	tok, err := TrainBPE(sample, 320)
	if err != nil {
		t.Fatal(err)
	}
	want := tok.Encode(sample)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 20 {
				if got := tok.Encode(sample); !slices.Equal(got, want) {
					t.Error("concurrent Encode gave a different encoding")
					return
				}
			}
		})
	}
	wg.Wait()
}
