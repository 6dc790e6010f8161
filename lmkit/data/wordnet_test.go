package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The wordnet corpus is built from Debian's wordnet-base, checked, into the cache: 117,659
// glosses, in which the map's five words occur in context.
func TestWordNetGlosses(t *testing.T) {
	if _, err := os.Stat(filepath.Join(wordnetSource.dir, "data.noun")); err != nil {
		if os.Getenv("LMKIT_REQUIRE_DATA") == "1" {
			t.Fatalf("wordnet-base is not installed (%v): make test installs it; or sudo apt-get install wordnet-base", err)
		}
		t.Skipf("wordnet-base is not installed: %v", err)
	}
	t.Setenv("LMKIT_CACHE_DIR", t.TempDir())
	txt, err := ReadText(context.Background(), "wordnet", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(txt.Docs) != 117659 || !txt.Lines {
		t.Fatalf("%d glosses (lines %v), want 117659 one a line", len(txt.Docs), txt.Lines)
	}
	count := map[string]int{}
	for _, d := range txt.Docs {
		for _, w := range strings.FieldsFunc(strings.ToLower(d), func(r rune) bool { return r < 'a' || r > 'z' }) {
			count[w]++
		}
	}
	for _, w := range []string{"dog", "cat", "lion", "car", "airplane"} {
		if count[w] < 25 {
			t.Errorf("%q occurs %d times in the glosses, want at least 25", w, count[w])
		}
	}
	// A damaged system file is refused, naming the fix.
	bad := t.TempDir()
	for name := range wordnetSource.files {
		os.WriteFile(filepath.Join(bad, name), []byte("not wordnet"), 0o644)
	}
	t.Setenv("WNSEARCHDIR", bad)
	t.Setenv("LMKIT_CACHE_DIR", t.TempDir())
	if _, err := ReadText(context.Background(), "wordnet", false); err == nil || !strings.Contains(err.Error(), "reinstall wordnet-base") {
		t.Errorf("damaged WordNet files: %v", err)
	}
}
