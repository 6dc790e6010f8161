package text

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSaveLoad(t *testing.T) {
	corpus := sample + "강아지와 고양이\n"
	word, err := NewWord(corpus, WordOptions{MinCount: 2, Lower: true})
	if err != nil {
		t.Fatal(err)
	}
	bpe, err := TrainBPE(corpus, 320)
	if err != nil {
		t.Fatal(err)
	}
	probes := []string{corpus, "unseen 😀 text \xff, 강아지!", ""}
	dir := t.TempDir()
	for _, tok := range []Tokenizer{NewRune(corpus, Unk, "<pad>", "\n"), NewRune("abc"), word, bpe} {
		path := filepath.Join(dir, tok.Kind()+".json")
		if err := tok.Save(path); err != nil {
			t.Fatal(err)
		}
		got, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind() != tok.Kind() || got.VocabSize() != tok.VocabSize() {
			t.Errorf("%s: loaded kind %s, %d tokens; saved %d", tok.Kind(), got.Kind(), got.VocabSize(), tok.VocabSize())
			continue
		}
		for id := range tok.VocabSize() {
			if got.Token(id) != tok.Token(id) || got.Decode([]int{id}) != tok.Decode([]int{id}) {
				t.Errorf("%s: token %d is %q after Load, %q before", tok.Kind(), id, got.Token(id), tok.Token(id))
			}
		}
		for _, s := range probes {
			if a, b := got.Encode(s), tok.Encode(s); !slices.Equal(a, b) {
				t.Errorf("%s: Encode(%.20q) = %v after Load, %v before", tok.Kind(), s, a, b)
			}
		}
		if w, ok := got.(*Word); ok {
			for id := range w.VocabSize() {
				if w.Count(id) != word.Count(id) {
					t.Errorf("word: Count(%d) = %d after Load, %d before", id, w.Count(id), word.Count(id))
				}
			}
		}
	}
	// Atomic writes leave no temporary files behind, and overwrite in place.
	if err := bpe.Save(filepath.Join(dir, "bpe.json")); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"bpe.json", "rune.json", "word.json"}; !slices.Equal(names, want) {
		t.Errorf("directory holds %q, want only %q", names, want)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.json")
	_, err := Load(missing)
	if err == nil || !strings.Contains(err.Error(), missing) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v; want an fs.ErrNotExist error naming %s", err, missing)
	}
	for name, body := range map[string]string{
		"corrupt.json":  `{"kind": "bpe", "merg`,
		"kind.json":     `{"kind": "sentencepiece", "version": 1}`,
		"version.json":  `{"kind": "bpe", "version": 9}`,
		"merges.json":   `{"kind": "bpe", "version": 1, "merges": [[97, 98], [300, 1]]}`,
		"repeat.json":   `{"kind": "bpe", "version": 1, "merges": [[97, 98], [97, 98]]}`,
		"rune.json":     `{"kind": "rune", "version": 1, "runes": ["a", "bc"]}`,
		"runedup.json":  `{"kind": "rune", "version": 1, "runes": ["a", "a"]}`,
		"word.json":     `{"kind": "word", "version": 1, "words": ["a"], "counts": [1]}`,
		"counts.json":   `{"kind": "word", "version": 1, "words": ["<unk>", "a"], "counts": [1]}`,
		"worddup.json":  `{"kind": "word", "version": 1, "words": ["<unk>", "a", "a"], "counts": [0, 1, 1]}`,
		"notjson.json":  "\x00\x01",
		"emptyfil.json": "",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("Load(%s): %v; want an error naming the file", name, err)
		}
	}
}

func TestSaveError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "tok.json")
	err := NewRune("a").Save(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Save into a missing directory: %v; want an error naming %s", err, path)
	}
}
