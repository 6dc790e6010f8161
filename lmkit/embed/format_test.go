package embed

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sampleVectors(t *testing.T) *Vectors {
	t.Helper()
	words := []string{"the", "강아지", "dog", "e=mc2", "x"}
	data := []float32{0.1, -2.5e-8, 3, 1e30, float32(math.Pi), -0, 7, 0.333333343, -1, 2, 1.5, 65504, 1e-45, -3.4e38, 0.5}
	v, err := NewVectors(words, 3, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func sameVectors(t *testing.T, got, want *Vectors) {
	t.Helper()
	if got.Dim != want.Dim || strings.Join(got.Words, " ") != strings.Join(want.Words, " ") {
		t.Fatalf("got %d words of width %d (%v), want %d of %d (%v)", got.Len(), got.Dim, got.Words, want.Len(), want.Dim, want.Words)
	}
	for i := range want.Data {
		if math.Float32bits(got.Data[i]) != math.Float32bits(want.Data[i]) {
			t.Fatalf("value %d: got %v, want %v", i, got.Data[i], want.Data[i])
		}
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	v := sampleVectors(t)
	dir := t.TempDir()
	txt, bin := filepath.Join(dir, "v.txt"), filepath.Join(dir, "v.bin")
	if err := v.SaveText(txt); err != nil {
		t.Fatal(err)
	}
	if err := v.SaveBinary(bin); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		load func(string) (*Vectors, error)
		path string
	}{{"LoadText", LoadText, txt}, {"LoadBinary", LoadBinary, bin}, {"Load text", Load, txt}, {"Load binary", Load, bin}} {
		got, err := tc.load(tc.path)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		sameVectors(t, got, v)
	}
	if st, err := os.Stat(bin); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("vectors file mode %v (%v), want 0644 so others can read it", st.Mode(), err)
	}
	head, _ := os.ReadFile(txt)
	if !bytes.HasPrefix(head, []byte("5 3\nthe 0.1 -2.5e-08 3\n")) {
		t.Errorf("text file starts %q, want the word2vec header and rows", head[:min(len(head), 40)])
	}
	raw, _ := os.ReadFile(bin)
	if len(raw) != len("5 3\n")+len("the 강아지 dog e=mc2 x ")+5*(12+1) {
		t.Errorf("binary file is %d bytes; want the C tool's layout (word, space, 12 bytes, newline)", len(raw))
	}
}

func TestVocabRoundTrip(t *testing.T) {
	v := sampleVectors(t)
	v.Counts = []int64{50, 7, 7, 3, 1}
	p := filepath.Join(t.TempDir(), "vocab.txt")
	if err := v.SaveVocab(p); err != nil {
		t.Fatal(err)
	}
	w := sampleVectors(t)
	if err := w.ReadVocab(p); err != nil {
		t.Fatal(err)
	}
	for i := range v.Counts {
		if w.Counts[i] != v.Counts[i] {
			t.Fatalf("counts %v, want %v", w.Counts, v.Counts)
		}
	}
	os.WriteFile(p, []byte("the 5\ndog\n"), 0o644)
	if err := w.ReadVocab(p); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("ReadVocab of a line without a count: %v", err)
	}
}

// gensim writes binary files without the newline after each vector.
func TestLoadGensimBinary(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("2 2\n")
	for _, r := range []struct {
		w string
		x [2]float32
	}{{"hello", [2]float32{1, 2}}, {"world", [2]float32{-3, 0.5}}} {
		b.WriteString(r.w + " ")
		binary.Write(&b, binary.LittleEndian, r.x)
	}
	p := filepath.Join(t.TempDir(), "g.bin")
	os.WriteFile(p, b.Bytes(), 0o644)
	v, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := NewVectors([]string{"hello", "world"}, 2, []float32{1, 2, -3, 0.5})
	sameVectors(t, v, want)
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	full := filepath.Join(dir, "full.bin")
	sampleVectors(t).SaveBinary(full)
	raw, _ := os.ReadFile(full)
	cut := write("cut.bin", string(raw[:len(raw)-20]))
	for _, tc := range []struct{ path, want string }{
		{write("empty.txt", ""), "empty"},
		{write("noheader.txt", "the 0.1 0.2\n"), "line 1: want the header"},
		{write("short.txt", "3 2\na 1 2\nb 3 4\n"), "ends after 2 of the 3 words"},
		{write("fields.txt", "2 2\na 1 2\nb 3\n"), "line 3: want a word and 2 numbers, got 2 fields"},
		{write("nan.txt", "1 2\na 1 zz\n"), "line 2"},
		{cut, "cut short"},
		{filepath.Join(dir, "missing.bin"), "no such file"},
	} {
		_, err := Load(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%s) = %v, want an error with %q", filepath.Base(tc.path), err, tc.want)
		}
	}
	if _, err := NewVectors([]string{"a", "a"}, 1, []float32{1, 2}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("NewVectors with a repeated word: %v", err)
	}
	if _, err := NewVectors([]string{"a b"}, 1, []float32{1}); err == nil || !strings.Contains(err.Error(), "whitespace") {
		t.Errorf("NewVectors with a space in a word: %v", err)
	}
}
