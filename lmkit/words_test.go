package lmkit_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/llm-map/lab/internal/labtest"
)

// The library speaks to notebooks: its error messages name the Go field or argument to fix
// (train.Config.LR), never a command-line flag (-lr) or command (lmkit train) that a notebook
// user never typed. cmd/lmkit maps the fields to its flags.
func TestLibraryErrorsNameNoFlags(t *testing.T) {
	flag := regexp.MustCompile(`(^|[\s(])-[a-z][a-z0-9-]*|\blmkit (train|sample|eval|classify|word2vec|analogy|backend)\b`)
	root := filepath.Join(labtest.Root(), "lmkit")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch sel.Sel.Name {
			case "Errorf", "New", "Panicf", "Errorf2":
			default:
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			msg, _ := strconv.Unquote(lit.Value)
			checked++
			// A shell command to run (iconv to convert a file) is the user's to type in any reader.
			if m := flag.FindString(msg); m != "" && !strings.Contains(msg, "iconv ") {
				rel, _ := filepath.Rel(labtest.Root(), path)
				t.Errorf("%s:%d: error names %q, a command-line word: name the Go field instead: %q", rel, fset.Position(lit.Pos()).Line, strings.TrimSpace(m), msg)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("checked only %d error messages: the scan is not finding them", checked)
	}
	t.Logf("%d library error messages checked", checked)
}
