package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Text is a corpus read into memory, validated: not empty, valid UTF-8.
type Text struct {
	Name string // corpus name, or the file's base name
	Path string
	// Source reads the same text again: a corpus name, or the file's absolute path, so that
	// a run folder's record works from any working directory.
	Source  string
	Lines   bool     // split into one document per line
	Content string   // the file's text, without a leading UTF-8 byte-order mark
	Docs    []string // line corpora: the lines that are not blank (without \r); else one doc, the whole content
}

// ReadText reads a corpus into memory.
//
// nameOrPath is a known corpus name (see Corpora), which is fetched with
// Fetch and split into lines when Corpus.Lines is set, or the path of a local
// text file, which is split into lines when lines is set. A name without a
// path separator is taken as a corpus name first; write "./names" to read a
// local file that shares a corpus name.
//
// The file must be a regular file holding valid UTF-8 with some text other
// than whitespace. TSV corpora (nsmc_train, nsmc_test) come back as plain
// text; ReadLabeledTSV parses them.
func ReadText(ctx context.Context, nameOrPath string, lines bool) (*Text, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("data: reading %q: %w", nameOrPath, err)
	}
	if strings.TrimSpace(nameOrPath) == "" {
		return nil, fmt.Errorf("data: ReadText: no corpus name or file path given (use one of %s, or a path such as ./corpus.txt)", strings.Join(corpusNames(), ", "))
	}
	isPath := strings.ContainsRune(nameOrPath, '/') || strings.ContainsRune(nameOrPath, os.PathSeparator)
	if !isPath {
		c, err := Lookup(nameOrPath)
		if err == nil {
			p, err := fetchCorpus(ctx, c)
			if err != nil {
				return nil, err
			}
			t, err := readTextFile(p, c.Name, c.Lines)
			if t != nil {
				t.Source = c.Name
			}
			return t, err
		}
		if _, statErr := os.Stat(nameOrPath); errors.Is(statErr, fs.ErrNotExist) {
			hint := ""
			if s := corpusClosestName(nameOrPath); s != "" {
				hint = fmt.Sprintf("did you mean %q? ", s)
			}
			return nil, fmt.Errorf("data: %q is neither a known corpus nor an existing file (%sknown corpora: %s; or give the path of a UTF-8 text file)", nameOrPath, hint, strings.Join(corpusNames(), ", "))
		}
	}
	t, err := readTextFile(nameOrPath, filepath.Base(nameOrPath), lines)
	if t != nil {
		if t.Source, err = filepath.Abs(nameOrPath); err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
	}
	return t, err
}

// readTextFile reads and validates the text file at path.
func readTextFile(path, name string, lines bool) (*Text, error) {
	b, err := readValidatedFile(path)
	if err != nil {
		return nil, err
	}
	content := string(b)
	if strings.TrimSpace(content) == "" {
		return nil, fmt.Errorf("data: %s holds only whitespace (%d bytes): no text to use (check that the file was written completely)", path, len(b))
	}
	t := &Text{Name: name, Path: path, Content: content, Lines: lines}
	if !lines {
		t.Docs = []string{content}
		return t, nil
	}
	for line := range strings.SplitSeq(content, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		t.Docs = append(t.Docs, line)
	}
	return t, nil
}

// readValidatedFile reads the file at path and checks that it is a regular,
// non-empty file of valid UTF-8. A leading byte-order mark is dropped.
func readValidatedFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("data: file %s not found (check the path; known corpora can be given by name: %s)", path, strings.Join(corpusNames(), ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("data: %s is a directory, not a text file (give the path of a file inside it)", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("data: %s is empty (0 bytes) (check that the download or export finished)", path)
	}
	if off := readFirstInvalidUTF8(b); off >= 0 {
		line := 1 + bytes.Count(b[:off], []byte{'\n'})
		lineStart := bytes.LastIndexByte(b[:off], '\n') + 1
		before := string(b[max(lineStart, off-24):off])
		for !utf8.ValidString(before) { // the cut may split a rune
			before = before[1:]
		}
		return nil, fmt.Errorf("data: %s is not valid UTF-8: byte 0x%02x at offset %d (line %d, after %q) (convert it to UTF-8, e.g. iconv -f CP949 -t UTF-8 %s > out.txt for Korean text, or -f LATIN1 for Western text)",
			path, b[off], off, line, before, path)
	}
	return bytes.TrimPrefix(b, []byte("\ufeff")), nil
}

// readFirstInvalidUTF8 returns the byte offset of the first byte of b that
// is not part of a valid UTF-8 sequence, or -1 when b is valid.
func readFirstInvalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// Labeled is one row of a labeled TSV corpus such as nsmc_train.
type Labeled struct {
	ID    string
	Text  string
	Label int // 0 or 1
}

// labeledTSVHeader is the first line of a labeled TSV corpus.
const labeledTSVHeader = "id\tdocument\tlabel"

// ReadLabeledTSV parses a labeled TSV file: the header line
// "id\tdocument\tlabel", then one row per line with a non-empty id, the
// document text and a label 0 or 1. Blank lines are skipped. A row with an
// empty document is kept (NSMC has a few); callers that want to drop them
// can count and filter rows with Text == "".
func ReadLabeledTSV(path string) ([]Labeled, error) {
	b, err := readValidatedFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(b), "\n")
	if header := strings.TrimSuffix(lines[0], "\r"); header != labeledTSVHeader {
		return nil, fmt.Errorf("data: %s line 1: bad header %q, want %q (columns separated by tabs; is this a labeled TSV such as nsmc_train?)", path, header, labeledTSVHeader)
	}
	var rows []Labeled
	for i, line := range lines[1:] {
		n := i + 2 // line number, 1-based, after the header
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			return nil, fmt.Errorf("data: %s line %d: missing column: %d of 3 (id, document, label) in %q (separate the columns with tabs)", path, n, len(f), readShorten(line))
		}
		if len(f) > 3 {
			return nil, fmt.Errorf("data: %s line %d: %d columns, want 3 (id, document, label) in %q (a tab inside the document? replace it with a space)", path, n, len(f), readShorten(line))
		}
		if f[0] == "" {
			return nil, fmt.Errorf("data: %s line %d: empty id (every row needs an id in the first column)", path, n)
		}
		var label int
		switch f[2] {
		case "0":
			label = 0
		case "1":
			label = 1
		default:
			return nil, fmt.Errorf("data: %s line %d: label %q, want 0 or 1 (the third column)", path, n, f[2])
		}
		rows = append(rows, Labeled{ID: f[0], Text: f[1], Label: label})
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("data: %s has a header but no rows (check that the file was written completely)", path)
	}
	return rows, nil
}

// readShorten cuts s to a length fit for an error message.
func readShorten(s string) string {
	const n = 60
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
