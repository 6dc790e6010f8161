package data

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corpusTestDataDir returns the absolute path of the lab's shared data
// folder: $LMKIT_DATA_DIR (absolute, or relative to this folder or to the
// repository root two levels up), else ../../../shared/data. It skips the
// test when there is none.
func corpusTestDataDir(t *testing.T) string {
	t.Helper()
	var candidates []string
	if d := os.Getenv("LMKIT_DATA_DIR"); d != "" {
		candidates = append(candidates, d)
		if !filepath.IsAbs(d) {
			candidates = append(candidates, filepath.Join("..", "..", d))
		}
	}
	candidates = append(candidates, filepath.Join("..", "..", "..", "shared", "data"))
	for _, c := range candidates {
		if fi, err := os.Stat(filepath.Join(c, "names.txt")); err == nil && fi.Mode().IsRegular() {
			abs, err := filepath.Abs(c)
			if err != nil {
				t.Fatal(err)
			}
			return abs
		}
	}
	t.Skip("no shared data folder: set LMKIT_DATA_DIR to the folder holding the lab's data files (../shared/data from the repository root)")
	return ""
}

// corpusTestIsolate points the data and cache folders at fresh temporary
// folders, so that a test never reads the user's cache or the network.
func corpusTestIsolate(t *testing.T) (cache string) {
	t.Helper()
	cache = filepath.Join(t.TempDir(), "cache")
	t.Setenv("LMKIT_DATA_DIR", "")
	t.Setenv("LMKIT_CACHE_DIR", cache)
	return cache
}

func TestCorporaTable(t *testing.T) {
	got := Corpora()
	var names []string
	for _, c := range got {
		names = append(names, c.Name)
	}
	want := []string{"ko_chatbot", "names", "nsmc_test", "nsmc_train", "nsmc_unlabeled", "opticks", "questions-words", "sotu", "tinyshakespeare", "wordnet"}
	if !slices.Equal(names, want) {
		t.Fatalf("Corpora names = %v, want %v (sorted)", names, want)
	}
	withURL := map[string]string{
		"names":           "https://raw.githubusercontent.com/karpathy/makemore/",
		"tinyshakespeare": "https://raw.githubusercontent.com/karpathy/char-rnn/",
		"questions-words": "https://raw.githubusercontent.com/tmikolov/word2vec/",
		"ko_chatbot":      "https://raw.githubusercontent.com/songys/Chatbot_data/",
	}
	for _, c := range got {
		if c.File == "" || c.License == "" || c.Description == "" || c.source == "" {
			t.Errorf("%s: File, License, Description and source must be set: %+v", c.Name, c)
		}
		if prefix, ok := withURL[c.Name]; ok {
			if !strings.HasPrefix(c.URL, prefix) {
				t.Errorf("%s: URL = %q, want prefix %q", c.Name, c.URL, prefix)
			}
		} else if c.URL != "" {
			t.Errorf("%s: URL = %q, want none (the lab built the file or it ships with Go)", c.Name, c.URL)
		}
		if c.Name == "opticks" {
			if c.SHA256 != "" || c.toolchainPath == "" {
				t.Errorf("opticks: SHA256 = %q, toolchainPath = %q; want unverified toolchain file", c.SHA256, c.toolchainPath)
			}
		} else if len(c.SHA256) != 64 {
			t.Errorf("%s: SHA256 = %q, want 64 hex digits", c.Name, c.SHA256)
		}
		wantLines := c.Name == "names" || c.Name == "nsmc_unlabeled" || c.Name == "wordnet"
		if c.Lines != wantLines {
			t.Errorf("%s: Lines = %v, want %v", c.Name, c.Lines, wantLines)
		}
	}
}

func TestCorporaReturnsCopy(t *testing.T) {
	a := Corpora()
	a[0].Name = "changed"
	if b := Corpora(); b[0].Name == "changed" {
		t.Fatal("Corpora returned the package's table, not a copy")
	}
}

// TestCorporaMatchREADME checks the table's checksums against the data
// README, the source of truth.
func TestCorporaMatchREADME(t *testing.T) {
	f, err := os.Open(filepath.Join(corpusTestDataDir(t), "README.md"))
	if err != nil {
		t.Skipf("no data README: %v", err)
	}
	defer f.Close()
	readme := map[string]string{} // file -> sha256
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 2 && len(fields[0]) == 64 {
			readme[fields[1]] = fields[0]
		}
	}
	if len(readme) < 8 {
		t.Fatalf("found %d checksums in the README, want 8", len(readme))
	}
	seen := 0
	for _, c := range Corpora() {
		if c.SHA256 == "" || c.system != nil { // system corpora are built from a Debian package
			continue
		}
		want, ok := readme[c.File]
		if !ok {
			t.Errorf("%s: %s not in the README's checksum list", c.Name, c.File)
			continue
		}
		seen++
		if c.SHA256 != want {
			t.Errorf("%s: SHA256 = %s, README says %s", c.Name, c.SHA256, want)
		}
	}
	if seen != len(readme) {
		t.Errorf("table covers %d of the README's %d files", seen, len(readme))
	}
}

func TestLookup(t *testing.T) {
	c, err := Lookup("tinyshakespeare")
	if err != nil {
		t.Fatal(err)
	}
	if c.File != "tinyshakespeare.txt" {
		t.Errorf("File = %q, want tinyshakespeare.txt", c.File)
	}

	for _, tc := range []struct {
		in, suggest string
	}{
		{"shakespeare", "tinyshakespeare"},
		{"nams", "names"},
		{"Names", "names"},
		{"nsmc_tran", "nsmc_train"},
		{"questions_words", "questions-words"},
		{"sotu.txt", "sotu"},
		{"xqzvkjw", ""},
	} {
		_, err := Lookup(tc.in)
		if err == nil {
			t.Errorf("Lookup(%q): no error", tc.in)
			continue
		}
		if !isUnknownCorpus(err) {
			t.Errorf("Lookup(%q): error %v is not an unknown-corpus error", tc.in, err)
		}
		msg := err.Error()
		for _, name := range corpusNames() {
			if !strings.Contains(msg, name) {
				t.Errorf("Lookup(%q): error does not list %q: %s", tc.in, name, msg)
			}
		}
		if !strings.Contains(msg, "path") {
			t.Errorf("Lookup(%q): error does not say a file path works: %s", tc.in, msg)
		}
		if tc.suggest != "" && !strings.Contains(msg, `did you mean "`+tc.suggest+`"`) {
			t.Errorf("Lookup(%q): error does not suggest %q: %s", tc.in, tc.suggest, msg)
		}
		if tc.suggest == "" && strings.Contains(msg, "did you mean") {
			t.Errorf("Lookup(%q): error suggests a name for gibberish: %s", tc.in, msg)
		}
	}
}

func TestDataDirAndCacheDir(t *testing.T) {
	t.Setenv("LMKIT_DATA_DIR", "/some/data")
	if got := DataDir(); got != "/some/data" {
		t.Errorf("DataDir = %q, want /some/data", got)
	}
	t.Setenv("LMKIT_DATA_DIR", "")
	if got := DataDir(); got != "" {
		t.Errorf("DataDir with LMKIT_DATA_DIR empty = %q, want \"\"", got)
	}

	t.Setenv("LMKIT_CACHE_DIR", "/some/cache")
	if got := CacheDir(); got != "/some/cache" {
		t.Errorf("CacheDir = %q, want /some/cache", got)
	}
	t.Setenv("LMKIT_CACHE_DIR", "")
	base, err := os.UserCacheDir()
	if err != nil {
		if got := CacheDir(); got != "" {
			t.Errorf("CacheDir without a user cache dir = %q, want \"\"", got)
		}
		return
	}
	if got, want := CacheDir(), filepath.Join(base, "lmkit", "data"); got != want {
		t.Errorf("CacheDir = %q, want %q", got, want)
	}
}

// corpusTestListRow returns the fields of the row for name in WriteList's output.
func corpusTestListRow(t *testing.T, out, name string) []string {
	t.Helper()
	for line := range strings.SplitSeq(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == name {
			return f
		}
	}
	t.Fatalf("no row for %q in:\n%s", name, out)
	return nil
}

func TestWriteList(t *testing.T) {
	cache := corpusTestIsolate(t)
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cache, "tinyshakespeare.txt"), make([]byte, 2000), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteList(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "NAME") || !strings.Contains(out, "LICENSE") {
		t.Errorf("no header line:\n%s", out)
	}
	if row := corpusTestListRow(t, out, "tinyshakespeare"); row[1] != "cache" || row[2] != "2" || row[3] != "KB" {
		t.Errorf("tinyshakespeare row = %q, want in cache, 2 KB", row)
	}
	if row := corpusTestListRow(t, out, "sotu"); row[1] != "missing" || row[2] != "-" {
		t.Errorf("sotu row = %q, want missing, -", row)
	}
	if _, err := corpusGoroot(filepath.Join("src", "testdata", "Isaac.Newton-Opticks.txt")); err == nil {
		if row := corpusTestListRow(t, out, "opticks"); row[1] != "toolchain" || row[4] != "public" {
			t.Errorf("opticks row = %q, want toolchain, public domain", row)
		}
	}
	if !strings.Contains(out, "cache:    "+cache) {
		t.Errorf("list does not name the cache folder %s:\n%s", cache, out)
	}

	// With LMKIT_DATA_DIR set, the data dir is the only place Fetch looks.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "names.txt"), []byte("emma\nolivia\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LMKIT_DATA_DIR", dir)
	b.Reset()
	if err := WriteList(&b); err != nil {
		t.Fatal(err)
	}
	out = b.String()
	if row := corpusTestListRow(t, out, "names"); row[1] != "data" || row[2] != "dir" || row[3] != "12" || row[4] != "B" || row[5] != "MIT" {
		t.Errorf("names row = %q, want data dir, 12 B, MIT", row)
	}
	if row := corpusTestListRow(t, out, "tinyshakespeare"); row[1] != "missing" {
		t.Errorf("tinyshakespeare row with LMKIT_DATA_DIR set = %q, want missing (Fetch ignores the cache then)", row)
	}
	if !strings.Contains(out, "data dir: "+dir) {
		t.Errorf("list does not name the data folder %s:\n%s", dir, out)
	}
}

func TestWriteListSharedData(t *testing.T) {
	dir := corpusTestDataDir(t)
	corpusTestIsolate(t)
	t.Setenv("LMKIT_DATA_DIR", dir)
	var b strings.Builder
	if err := WriteList(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, c := range Corpora() {
		if c.toolchainPath != "" || c.system != nil {
			continue
		}
		if row := corpusTestListRow(t, out, c.Name); row[1] != "data" {
			t.Errorf("%s row = %q, want data dir", c.Name, row)
		}
	}
	if row := corpusTestListRow(t, out, "tinyshakespeare"); row[3] != "1.1" || row[4] != "MB" {
		t.Errorf("tinyshakespeare row = %q, want 1.1 MB", row)
	}
}
