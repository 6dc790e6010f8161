package embed

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The word2vec file formats, read and written by the C tool (-binary 0/1), gensim
// (KeyedVectors.save_word2vec_format / load_word2vec_format) and this package. Both start with
// a line "WORDS DIM". Text then has a line a word: the word and DIM numbers, space-separated.
// Binary has, for each word, the word, a space, and DIM little-endian float32s; the C tool
// ends each with a newline, gensim does not, and readers skip it.

// SaveText writes the vectors in word2vec's text format, each number in the shortest form
// that reads back to the same float32. The file is replaced atomically.
func (v *Vectors) SaveText(path string) error {
	return writeAtomic(path, func(w *bufio.Writer) error {
		fmt.Fprintf(w, "%d %d\n", v.Len(), v.Dim)
		buf := make([]byte, 0, 32)
		for i, word := range v.Words {
			w.WriteString(word)
			for _, x := range v.Data[i*v.Dim : (i+1)*v.Dim] {
				w.WriteByte(' ')
				w.Write(strconv.AppendFloat(buf[:0], float64(x), 'g', -1, 32))
			}
			w.WriteByte('\n')
		}
		return nil
	})
}

// SaveBinary writes the vectors in word2vec's binary format, as the C tool does (with a
// newline after each vector). The file is replaced atomically.
func (v *Vectors) SaveBinary(path string) error {
	return writeAtomic(path, func(w *bufio.Writer) error {
		fmt.Fprintf(w, "%d %d\n", v.Len(), v.Dim)
		buf := make([]byte, 4*v.Dim)
		for i, word := range v.Words {
			w.WriteString(word)
			w.WriteByte(' ')
			for j, x := range v.Data[i*v.Dim : (i+1)*v.Dim] {
				binary.LittleEndian.PutUint32(buf[4*j:], math.Float32bits(x))
			}
			w.Write(buf)
			w.WriteByte('\n')
		}
		return nil
	})
}

// writeAtomic writes through a temporary file in the same folder and renames it into place,
// so a crash never leaves half a file under path.
func writeAtomic(path string, fill func(*bufio.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("embed: cannot write %s: %w (choose a writable folder)", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	if err = fill(w); err != nil {
		return err
	}
	if err = w.Flush(); err != nil {
		return fmt.Errorf("embed: writing %s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil { // CreateTemp makes it 0600
		return fmt.Errorf("embed: writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("embed: writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("embed: writing %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("embed: writing %s: %w", path, err)
	}
	return nil
}

// Load reads a word2vec file in either format, telling them apart by the bytes after the
// first word: a text file has only digits, signs, points and spaces there.
func Load(path string) (*Vectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("embed: %w (pass a word2vec .txt or .bin file, e.g. RUN/vectors.bin)", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	words, dim, err := readHeader(r, path)
	if err != nil {
		return nil, err
	}
	peek, _ := r.Peek(min(64<<10, r.Size()))
	if isText(peek) {
		return readText(r, path, words, dim)
	}
	return readBinary(r, path, words, dim)
}

// LoadText reads a word2vec text file.
func LoadText(path string) (*Vectors, error) { return load(path, readText) }

// LoadBinary reads a word2vec binary file.
func LoadBinary(path string) (*Vectors, error) { return load(path, readBinary) }

func load(path string, read func(*bufio.Reader, string, int, int) (*Vectors, error)) (*Vectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("embed: %w (pass a word2vec file, e.g. RUN/vectors.bin)", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	words, dim, err := readHeader(r, path)
	if err != nil {
		return nil, err
	}
	return read(r, path, words, dim)
}

func readHeader(r *bufio.Reader, path string) (words, dim int, err error) {
	line, err := r.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return 0, 0, fmt.Errorf("embed: %s is empty or unreadable: %v (want a word2vec file starting with \"WORDS DIM\")", path, err)
	}
	f := strings.Fields(line)
	if len(f) == 2 {
		words, err1 := strconv.Atoi(f[0])
		dim, err2 := strconv.Atoi(f[1])
		if err1 == nil && err2 == nil && words >= 0 && dim > 0 && dim <= 1<<16 && words <= 1<<28 {
			return words, dim, nil
		}
	}
	return 0, 0, fmt.Errorf("embed: %s line 1: want the header \"WORDS DIM\" (two counts, e.g. \"12065 100\"), got %q (not a word2vec file?)", path, shorten(strings.TrimSpace(line)))
}

// isText reports whether the first entry in b (after the header) reads as a line of text:
// valid UTF-8 without control characters up to the first newline. A binary vector of
// float32s almost never does.
func isText(b []byte) bool {
	if end := bytes.IndexByte(b, '\n'); end >= 0 {
		b = b[:end]
	} else {
		// A line longer than b: drop a character cut at the end.
		for k := 0; k < utf8.UTFMax-1 && len(b) > 0 && !utf8.Valid(b); k++ {
			b = b[:len(b)-1]
		}
	}
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if unicode.IsControl(r) && r != '\t' && r != '\r' {
			return false
		}
	}
	return true
}

func readText(r *bufio.Reader, path string, words, dim int) (*Vectors, error) {
	ws := make([]string, 0, words)
	data := make([]float32, 0, words*dim)
	for n := 2; len(ws) < words; n++ {
		line, err := r.ReadString('\n')
		if err != nil && (!errors.Is(err, io.EOF) || line == "") {
			return nil, fmt.Errorf("embed: %s ends after %d of the %d words its header promises (the file is cut short: write it again)", path, len(ws), words)
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != dim+1 {
			return nil, fmt.Errorf("embed: %s line %d: want a word and %d numbers, got %d fields (the file is damaged, or not a word2vec text file)", path, n, dim, len(f))
		}
		ws = append(ws, f[0])
		for j, s := range f[1:] {
			x, err := strconv.ParseFloat(s, 32)
			if err != nil {
				return nil, fmt.Errorf("embed: %s line %d: number %d, %q, is not a number", path, n, j+1, shorten(s))
			}
			data = append(data, float32(x))
		}
	}
	return newVectors(ws, nil, dim, data)
}

func readBinary(r *bufio.Reader, path string, words, dim int) (*Vectors, error) {
	ws := make([]string, 0, words)
	data := make([]float32, words*dim)
	buf := make([]byte, 4*dim)
	for i := range words {
		word, err := r.ReadString(' ')
		word = strings.TrimLeft(word, "\n")
		if err != nil || word == " " {
			return nil, fmt.Errorf("embed: %s ends after %d of the %d words its header promises (the file is cut short: write it again)", path, i, words)
		}
		ws = append(ws, strings.TrimSuffix(word, " "))
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, fmt.Errorf("embed: %s ends inside the vector of word %d, %q (the file is cut short: write it again)", path, i+1, shorten(ws[i]))
		}
		for j := range dim {
			data[i*dim+j] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*j:]))
		}
	}
	return newVectors(ws, nil, dim, data)
}

// SaveVocab writes each word and its count, one "word count" line a word: the C tool's
// -save-vocab format, which gensim's load_word2vec_format(fvocab=...) reads. Vectors without
// counts write 0s.
func (v *Vectors) SaveVocab(path string) error {
	return writeAtomic(path, func(w *bufio.Writer) error {
		for i, word := range v.Words {
			var c int64
			if v.Counts != nil {
				c = v.Counts[i]
			}
			fmt.Fprintf(w, "%s %d\n", word, c)
		}
		return nil
	})
}

// ReadVocab sets the vectors' counts from a vocabulary file written by SaveVocab (or the C
// tool's -save-vocab), so that sentence embeddings can weigh words by frequency. Words the
// file lacks count 0.
func (v *Vectors) ReadVocab(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("embed: %w (pass the vocab.txt written beside the vectors)", err)
	}
	defer f.Close()
	counts := make([]int64, v.Len())
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 {
			continue
		}
		c, err := strconv.ParseInt(fs[len(fs)-1], 10, 64)
		if len(fs) != 2 || err != nil || c < 0 {
			return fmt.Errorf("embed: %s line %d: want \"word count\", got %q", path, n, shorten(sc.Text()))
		}
		if i, ok := v.ids[fs[0]]; ok {
			counts[i] = c
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("embed: reading %s: %w", path, err)
	}
	v.Counts = counts
	return nil
}
