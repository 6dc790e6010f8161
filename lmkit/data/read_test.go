package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// readTestWrite writes content to a new file name in a temporary folder.
func readTestWrite(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadTextFile(t *testing.T) {
	corpusTestIsolate(t)
	content := "\ufeffemma\r\nolivia\n\n   \nava\r\n"
	p := readTestWrite(t, "kids.txt", content)

	whole, err := ReadText(context.Background(), p, false)
	if err != nil {
		t.Fatal(err)
	}
	wantContent := strings.TrimPrefix(content, "\ufeff")
	if whole.Name != "kids.txt" || whole.Path != p || whole.Content != wantContent {
		t.Errorf("ReadText = %+v, want name kids.txt, path %s, content without BOM", whole, p)
	}
	if !slices.Equal(whole.Docs, []string{wantContent}) {
		t.Errorf("Docs = %q, want the whole content as one doc", whole.Docs)
	}

	lines, err := ReadText(context.Background(), p, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"emma", "olivia", "ava"}; !slices.Equal(lines.Docs, want) {
		t.Errorf("Docs = %q, want %q", lines.Docs, want)
	}
}

func TestReadTextBareFileName(t *testing.T) {
	corpusTestIsolate(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "local.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	txt, err := ReadText(context.Background(), "local.txt", false)
	if err != nil {
		t.Fatalf("a file in the working folder, given without a separator: %v", err)
	}
	if txt.Content != "hello" || txt.Name != "local.txt" {
		t.Errorf("ReadText = %+v", txt)
	}
}

func TestReadTextErrors(t *testing.T) {
	corpusTestIsolate(t)
	dir := t.TempDir()
	ctx := context.Background()

	_, err := ReadText(ctx, "shakespear", false)
	fetchTestContains(t, err, `"shakespear" is neither a known corpus nor an existing file`, `did you mean "tinyshakespeare"`, "names", "path")

	missing := filepath.Join(dir, "missing.txt")
	_, err = ReadText(ctx, missing, false)
	fetchTestContains(t, err, "file "+missing+" not found")

	_, err = ReadText(ctx, dir, false)
	fetchTestContains(t, err, dir+" is a directory, not a text file")

	empty := readTestWrite(t, "empty.txt", "")
	_, err = ReadText(ctx, empty, false)
	fetchTestContains(t, err, empty+" is empty (0 bytes)")

	blank := readTestWrite(t, "blank.txt", " \n\t\r\n  ")
	_, err = ReadText(ctx, blank, true)
	fetchTestContains(t, err, blank+" holds only whitespace (7 bytes)")

	_, err = ReadText(ctx, "", false)
	fetchTestContains(t, err, "no corpus name or file path given")

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := ReadText(canceled, blank, false); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: error = %v, want context.Canceled", err)
	}

	// A known corpus whose file is missing reports Fetch's error.
	t.Setenv("LMKIT_DATA_DIR", dir)
	_, err = ReadText(ctx, "names", true)
	fetchTestContains(t, err, `corpus "names"`, "names.txt not found in LMKIT_DATA_DIR")
}

func TestReadTextInvalidUTF8(t *testing.T) {
	corpusTestIsolate(t)
	// "héllo\n" is 7 bytes and "world\n" 6, so the bad byte after "ab" is at offset 15, on line 3.
	p := readTestWrite(t, "latin1.txt", "h\u00e9llo\nworld\nab\xffcd\n")
	_, err := ReadText(context.Background(), p, false)
	fetchTestContains(t, err, p+" is not valid UTF-8", "byte 0xff at offset 15", "line 3", `after "ab"`, "iconv -f CP949 -t UTF-8")

	// CP949 Korean ("한국" is c7 d1 b1 b9 in EUC-KR) after a valid first line.
	p = readTestWrite(t, "cp949.txt", "ok\n\xc7\xd1\xb1\xb9")
	_, err = ReadText(context.Background(), p, false)
	fetchTestContains(t, err, "byte 0xc7 at offset 3", "line 2")
}

func TestReadFirstInvalidUTF8(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", -1},
		{"plain ascii", -1},
		{"한국어 텍스트", -1},
		{"\ufffd is a valid rune", -1},
		{"\xff", 0},
		{"a\xea\xb0", 1},               // "가" cut short at the end
		{"가\xea\xb0a", 3},              // cut short in the middle
		{"ab\xc0\xafcd", 2},            // overlong encoding of '/'
		{"x\xed\xa0\x80", 1},           // a UTF-16 surrogate
		{"한\n국\n\x80어", len("한\n국\n")}, // stray continuation byte
	} {
		if got := readFirstInvalidUTF8([]byte(tc.in)); got != tc.want {
			t.Errorf("readFirstInvalidUTF8(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestReadTextSharedCorpora(t *testing.T) {
	dir := corpusTestDataDir(t)
	corpusTestIsolate(t)
	t.Setenv("LMKIT_DATA_DIR", dir)
	ctx := context.Background()

	names, err := ReadText(ctx, "names", false) // lines come from the corpus, not the argument
	if err != nil {
		t.Fatal(err)
	}
	// 32,033 names, as makemore's splitlines() counts: the file has no final
	// newline, so `wc -l` (and the data README) say 32,032.
	if names.Name != "names" || len(names.Docs) != 32033 || names.Docs[0] != "emma" || names.Docs[len(names.Docs)-1] != "zzyzx" {
		t.Errorf("names: name %q, %d docs, first %q, last %q; want names, 32033, emma, zzyzx", names.Name, len(names.Docs), names.Docs[0], names.Docs[len(names.Docs)-1])
	}

	shakespeare, err := ReadText(ctx, "tinyshakespeare", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(shakespeare.Content) != 1115394 || len(shakespeare.Docs) != 1 {
		t.Errorf("tinyshakespeare: %d bytes, %d docs; want 1115394, 1", len(shakespeare.Content), len(shakespeare.Docs))
	}
	if !strings.HasPrefix(shakespeare.Content, "First Citizen:") {
		t.Errorf("tinyshakespeare starts %q", shakespeare.Content[:20])
	}

	unlabeled, err := ReadText(ctx, "nsmc_unlabeled", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(unlabeled.Docs) != 120000 {
		t.Errorf("nsmc_unlabeled: %d docs, want 120000", len(unlabeled.Docs))
	}

	train, err := ReadText(ctx, "nsmc_train", false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(train.Content, labeledTSVHeader+"\n") || len(train.Docs) != 1 {
		t.Errorf("nsmc_train as text: %d docs, starts %q", len(train.Docs), train.Content[:20])
	}
}

func TestReadLabeledTSVShared(t *testing.T) {
	dir := corpusTestDataDir(t)
	for _, tc := range []struct {
		file string
		rows int
	}{
		{"nsmc_train.tsv", 50000},
		{"nsmc_test.tsv", 10000},
	} {
		rows, err := ReadLabeledTSV(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != tc.rows {
			t.Errorf("%s: %d rows, want %d", tc.file, len(rows), tc.rows)
		}
		var ones, empty int
		ids := make(map[string]bool, len(rows))
		for _, r := range rows {
			ones += r.Label
			if r.Text == "" {
				empty++
			}
			ids[r.ID] = true
		}
		if ones != tc.rows/2 {
			t.Errorf("%s: %d positive rows, want %d (balanced)", tc.file, ones, tc.rows/2)
		}
		if len(ids) != tc.rows {
			t.Errorf("%s: %d distinct ids in %d rows", tc.file, len(ids), tc.rows)
		}
		t.Logf("%s: %d rows, %d with an empty document", tc.file, len(rows), empty)
	}
}

func TestReadLabeledTSV(t *testing.T) {
	p := readTestWrite(t, "ok.tsv", "id\tdocument\tlabel\r\n1\t좋아요\t1\r\n2\t\t0\r\n\r\n3\t별로\t0")
	rows, err := ReadLabeledTSV(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []Labeled{{"1", "좋아요", 1}, {"2", "", 0}, {"3", "별로", 0}}
	if !slices.Equal(rows, want) {
		t.Errorf("rows = %+v, want %+v (empty documents kept, blank lines skipped, CRLF accepted)", rows, want)
	}

	header := "id\tdocument\tlabel\n"
	for _, tc := range []struct {
		name, content string
		want          []string
	}{
		{"bad header", "id,document,label\n1,a,1\n", []string{"line 1: bad header", `"id,document,label"`}},
		{"missing column", header + "1\tgood\t1\n2\tno label\n", []string{"line 3: missing column: 2 of 3"}},
		{"extra column", header + "1\ta\tb\t1\n", []string{"line 2: 4 columns, want 3"}},
		{"label 2", header + "1\tok\t1\n\n7\tmeh\t2\n", []string{"line 4: label \"2\", want 0 or 1"}},
		{"label word", header + "1\tok\tpositive\n", []string{"line 2: label \"positive\""}},
		{"empty id", header + "\tno id\t1\n", []string{"line 2: empty id"}},
		{"no rows", header, []string{"has a header but no rows"}},
		{"empty", "", []string{"is empty (0 bytes)"}},
		{"invalid UTF-8", header + "1\t\xc7\xd1\t1\n", []string{"not valid UTF-8", "offset 20", "line 2"}},
	} {
		p := readTestWrite(t, "bad.tsv", tc.content)
		_, err := ReadLabeledTSV(p)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range append(tc.want, p) {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error does not contain %q:\n%v", tc.name, w, err)
			}
		}
	}
	_, err = ReadLabeledTSV(filepath.Join(t.TempDir(), "nope.tsv"))
	fetchTestContains(t, err, "nope.tsv not found")
}
