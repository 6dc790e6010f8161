package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/llm-map/lab/lmkit/text"
)

// Prepared is a corpus read, tokenized and split, ready for a language model.
type Prepared struct {
	Text   *Text
	Tok    text.Tokenizer
	Split  *Split
	Record Record // what a run folder keeps about this data
}

// Record is what a run folder keeps about its data: enough to read the same text again, split
// it the same way, and tell whether it is still the same text.
type Record struct {
	Name      string `json:"name"`                // corpus name, or the file's base name
	Source    string `json:"source"`              // corpus name, or the file's absolute path
	Lines     bool   `json:"lines"`               // one document per line
	SHA256    string `json:"sha256"`              // of the documents as read, in order
	Tokenizer string `json:"tokenizer,omitempty"` // how the tokenizer was made: "rune", "bpe 512", ...
	SplitSeed uint64 `json:"split_seed"`
}

// UnmarshalJSON also reads the bare name that run folders recorded before Record existed.
func (r *Record) UnmarshalJSON(b []byte) error {
	var name string
	if json.Unmarshal(b, &name) == nil {
		*r = Record{Name: name, Source: name}
		return nil
	}
	type plain Record
	return json.Unmarshal(b, (*plain)(r))
}

// Differences lists how r and o differ, as "what: then → now" phrases; none when they agree.
func (r Record) Differences(o Record) []string {
	var out []string
	add := func(what string, a, b any) { out = append(out, fmt.Sprintf("%s %v then, %v now", what, a, b)) }
	if r.Source != o.Source {
		add("source", r.Source, o.Source)
	}
	if r.Lines != o.Lines {
		add("one document per line", r.Lines, o.Lines)
	}
	if r.SHA256 != o.SHA256 {
		add("text SHA-256", short(r.SHA256), short(o.SHA256))
	}
	if r.Tokenizer != o.Tokenizer {
		add("tokenizer", r.Tokenizer, o.Tokenizer)
	}
	if r.SplitSeed != o.SplitSeed {
		add("split seed", r.SplitSeed, o.SplitSeed)
	}
	return out
}

func short(h string) string {
	if h == "" {
		return "(not recorded)"
	}
	return h[:min(12, len(h))]
}

// Fingerprint is the SHA-256 of docs, in order: what a Record keeps to recognise its text.
func Fingerprint(docs []string) string {
	h := sha256.New()
	for _, d := range docs {
		fmt.Fprintf(h, "%d:", len(d))
		h.Write([]byte(d))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TokenizerKind is the tokenizer Prepare builds over a corpus.
type TokenizerKind string

const (
	RuneTokens TokenizerKind = "rune" // one token a character (a Hangul syllable is one)
	BPETokens  TokenizerKind = "bpe"  // byte-level byte-pair encoding
)

// Options are what Prepare may do differently from its defaults.
type Options struct {
	// Lines: a text file given by path holds one document per line (named corpora know
	// their own layout).
	Lines     bool
	Tokenizer TokenizerKind // RuneTokens (default) or BPETokens
	BPEVocab  int           // BPETokens' vocabulary; 0 means 512
	SplitSeed uint64        // 0 means SplitSeed, the split every run shares
}

// SplitSeed fixes the train/validation split for every run, so validation losses of runs
// with different training seeds are comparable.
const SplitSeed = 1337

// Boundary is the text of the token that separates documents: a newline, so that sampled
// names or reviews come out one a line.
const Boundary = "\n"

// Prepare reads a corpus (a name from Corpora, or the path of a text file), builds a tokenizer
// over it, and splits it 90/10: data.Prepare(ctx, "names"). opts, when given, say what differs
// from the defaults (one Options value).
func Prepare(ctx context.Context, nameOrPath string, opts ...Options) (*Prepared, error) {
	var o Options
	switch len(opts) {
	case 0:
	case 1:
		o = opts[0]
	default:
		return nil, fmt.Errorf("data: Prepare takes one Options value, got %d", len(opts))
	}
	if o.SplitSeed == 0 {
		o.SplitSeed = SplitSeed
	}
	if o.BPEVocab == 0 {
		o.BPEVocab = 512
	}
	t, err := ReadText(ctx, nameOrPath, o.Lines)
	if err != nil {
		return nil, err
	}
	var tok text.Tokenizer
	switch o.Tokenizer {
	case RuneTokens, "":
		tok = text.NewRune(t.Content, Boundary)
	case BPETokens:
		if tok, err = text.TrainBPE(t.Content, o.BPEVocab); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("data: Options.Tokenizer %q: use RuneTokens (%q) or BPETokens (%q)", string(o.Tokenizer), RuneTokens, BPETokens)
	}
	p, err := PrepareWith(t, tok, o.SplitSeed)
	if err == nil && o.Tokenizer == BPETokens {
		p.Record.Tokenizer = fmt.Sprintf("%s %d", BPETokens, o.BPEVocab)
	}
	return p, err
}

// PrepareWith tokenizes an already-read text with an existing tokenizer (a run's saved one).
func PrepareWith(t *Text, tok text.Tokenizer, seed uint64) (*Prepared, error) {
	b := tok.Encode(Boundary)
	if len(b) != 1 {
		return nil, fmt.Errorf("data: the tokenizer has no single token for a newline, needed to separate documents")
	}
	docs := make([][]int, 0, len(t.Docs))
	// A run's saved vocabulary may not cover a new corpus: a character tokenizer says so
	// instead of silently dropping characters, unless it has <unk>, which was built to take
	// the rare ones.
	r, strict := tok.(*text.Rune)
	if strict {
		_, hasUnk := r.ID(text.Unk)
		strict = !hasUnk
	}
	for i, d := range t.Docs {
		var ids []int
		if strict {
			var err error
			if ids, err = r.EncodeStrict(d); err != nil {
				return nil, fmt.Errorf("data: %s, document %d: %w", t.Name, i+1, err)
			}
		} else {
			ids = tok.Encode(d)
		}
		if len(ids) > 0 {
			docs = append(docs, ids)
		}
	}
	split, err := SplitDocs(docs, b[0], 0.1, seed)
	if err != nil {
		return nil, fmt.Errorf("data: %s: %w", t.Name, err)
	}
	split.Tok = tok
	rec := Record{Name: t.Name, Source: t.Source, Lines: t.Lines, SHA256: Fingerprint(t.Docs), Tokenizer: tok.Kind(), SplitSeed: seed}
	return &Prepared{Text: t, Tok: tok, Split: split, Record: rec}, nil
}
