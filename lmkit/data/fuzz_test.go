package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadLabeledTSV: whatever a labelled file holds, ReadLabeledTSV returns rows or an error
// naming the file; it never panics, and every row it returns is well-formed: an id, valid
// UTF-8 text without tabs or newlines, a label of 0 or 1.
func FuzzReadLabeledTSV(f *testing.F) {
	f.Add([]byte("id\tdocument\tlabel\n1\t좋은 영화\t1\n2\t별로\t0\n"))
	f.Add([]byte("id\tdocument\tlabel\r\n1\t\t1\r\n\r\n"))
	f.Add([]byte("\ufeffid\tdocument\tlabel\n1\ta\tb\tc\n"))
	f.Add([]byte("id\tdocument\tlabel\n1\t\xff\t0\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		path := filepath.Join(t.TempDir(), "f.tsv")
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		rows, err := ReadLabeledTSV(path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		for _, r := range rows {
			if r.ID == "" || (r.Label != 0 && r.Label != 1) || !utf8.ValidString(r.Text) || strings.ContainsAny(r.Text, "\t\n") {
				t.Errorf("malformed row %+v", r)
			}
		}
	})
}
