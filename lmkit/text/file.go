package text

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// version is the file format. Bump it when a field changes meaning, so an
// old binary refuses a new file instead of misreading it.
const version = 1

// file is the JSON form of every tokenizer; Kind says which fields are used.
type file struct {
	Kind    string `json:"kind"`
	Version int    `json:"version"`

	// rune
	Specials []string `json:"specials,omitempty"`
	Runes    []string `json:"runes,omitempty"` // one code point each, specials excluded

	// word
	Lower  bool     `json:"lower,omitempty"`
	Words  []string `json:"words,omitempty"` // id order, "<unk>" first
	Counts []int    `json:"counts,omitempty"`

	// bpe
	Merges [][2]int `json:"merges,omitempty"` // merge i makes token 256+i
}

// Load reads a tokenizer written by Save, whatever its kind.
func Load(path string) (Tokenizer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		// The path goes in our prefix; drop it from the inner error so it is not said twice.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("text: load %s: %w (check the path; tokenizer files are written by Save)", path, err)
	}
	t, err := parse(b)
	if err != nil {
		return nil, fmt.Errorf("text: load %s: %w", path, err)
	}
	return t, nil
}

func parse(b []byte) (Tokenizer, error) {
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("not a tokenizer file: %w (write it again with Save)", err)
	}
	if f.Version != version {
		return nil, fmt.Errorf("file format version %d, this package reads %d (write it again with Save from this version)", f.Version, version)
	}
	switch f.Kind {
	case "rune":
		return runeFromFile(&f)
	case "word":
		return wordFromFile(&f)
	case "bpe":
		return bpeFromFile(&f)
	}
	return nil, fmt.Errorf("unknown tokenizer kind %q (want \"rune\", \"word\" or \"bpe\"; write it again with Save)", f.Kind)
}

// save writes f as JSON to path atomically: a reader sees the old file or
// the new one, never half of one, even if the notebook dies mid-write.
func save(path string, f *file) (err error) {
	f.Version = version
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep "<unk>" readable in the file
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("text: save %s: %w", path, err)
	}
	b := buf.Bytes()
	defer func() {
		if err != nil {
			err = fmt.Errorf("text: save %s: %w", path, err)
		}
	}()
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("%w (does the directory exist and is it writable?)", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(b); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil { // CreateTemp makes 0600; a tokenizer is not a secret
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// Make the rename itself durable. Some systems cannot sync a directory;
	// the file is complete either way, so that failure is not reported.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
