package data

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// A systemSource is a corpus built from files a system package installs (Debian's
// wordnet-base), checked against their SHA-256 before use. lmkit derives the corpus file from
// them once, into the cache.
type systemSource struct {
	pkg   string            // the Debian package that installs the files
	env   string            // environment variable naming another folder for them
	dir   string            // where the package puts them
	files map[string]string // file name -> SHA-256
	build func(dir string) ([]byte, error)
}

// wordnetSource is WordNet 3.0's database as Debian's wordnet-base 1:3.0-37 installs it. Its
// license (WordNet 3.0, Princeton) permits use, copying and distribution with the notice.
var wordnetSource = &systemSource{
	pkg: "wordnet-base",
	env: "WNSEARCHDIR",
	dir: "/usr/share/wordnet",
	files: map[string]string{
		"data.noun": "fea17d2f9656611334eac790e5d69e47645fa180c4aa481fb4cd9b3520754ca2",
		"data.verb": "adcf43e35b581e8036d8b5a52d63d9cd3d3b4870b2720d3c03c799df44777bc2",
		"data.adj":  "c89120dfc1f046ddff4a631bf9b7e9fa1a36b5e86565a23bf82dbe14f30b88a7",
		"data.adv":  "444a63bf3955080ab7524f5079cfc07ff9bc682cb98bdb1db73b0fb9829f1139",
	},
	build: wordnetGlosses,
}

// wordnetGlosses extracts every synset's gloss (its definition and examples, the text after
// "| " on a data line), one a line, nouns, verbs, adjectives then adverbs, in file order.
func wordnetGlosses(dir string) ([]byte, error) {
	var out bytes.Buffer
	for _, name := range []string{"data.noun", "data.verb", "data.adj", "data.adv"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<16), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "  ") { // the license header
				continue
			}
			if _, gloss, ok := strings.Cut(line, "| "); ok {
				out.WriteString(strings.TrimSpace(gloss))
				out.WriteByte('\n')
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return out.Bytes(), nil
}

// systemDir is where s's files are: $env when set, else the package's folder.
func (s *systemSource) systemDir() string {
	if d := os.Getenv(s.env); d != "" {
		return d
	}
	return s.dir
}

// fetchSystem returns the path of c's corpus file, derived from the system files into the
// cache on first use after checking them against their SHA-256.
func fetchSystem(c Corpus) (string, error) {
	s := c.system
	cache := CacheDir()
	if cache == "" {
		cache = filepath.Join(os.TempDir(), "lmkit-data")
	}
	out := filepath.Join(cache, c.File)
	if err := fetchVerifyFile(out, c.SHA256, ""); err == nil {
		return out, nil
	}
	dir := s.systemDir()
	for name, want := range s.files {
		p := filepath.Join(dir, name)
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("data: corpus %q: %s not found: install Debian's %s (sudo apt-get install %s; make test and make lab do), or set %s to the folder holding its files",
				c.Name, p, s.pkg, s.pkg, s.env)
		} else if err != nil {
			return "", fmt.Errorf("data: corpus %q: %w", c.Name, err)
		}
		if got := sha256Hex(b); got != want {
			return "", fmt.Errorf("data: corpus %q: %s has SHA-256 %s, not the %s the lab was built on (%s): reinstall %s, or point %s at its files",
				c.Name, p, got, want, "wordnet-base 1:3.0-37", s.pkg, s.env)
		}
	}
	text, err := s.build(dir)
	if err != nil {
		return "", fmt.Errorf("data: corpus %q: %w", c.Name, err)
	}
	if got := sha256Hex(text); got != c.SHA256 {
		return "", fmt.Errorf("data: corpus %q: the text built from %s has SHA-256 %s, want %s (please report it)", c.Name, dir, got, c.SHA256)
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", fmt.Errorf("data: corpus %q: %w (set LMKIT_CACHE_DIR to a writable folder)", c.Name, err)
	}
	tmp, err := os.CreateTemp(cache, "."+c.File+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("data: corpus %q: %w (set LMKIT_CACHE_DIR to a writable folder)", c.Name, err)
	}
	_, werr := tmp.Write(text)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), out)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("data: corpus %q: writing %s: %w", c.Name, out, werr)
	}
	return out, nil
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
