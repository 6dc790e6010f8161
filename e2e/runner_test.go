package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBrokenCellFailsRun runs a notebook whose second cell does not compile through
// kernel-setup/run-notebooks.sh: the run must fail and say which notebook, which cell and
// what the compiler said, as plain text.
func TestBrokenCellFailsRun(t *testing.T) {
	s := needLab(t)
	dir := t.TempDir()
	nb := filepath.Join(dir, "broken.ipynb")
	writeNotebook(t, nb,
		"%%\nfmt.Println(\"this cell compiles\")",
		"%%\nfmt.Println(undefinedInThisNotebook)",
	)
	rt := t.TempDir()
	p := startProc(t, s, environ(map[string]string{
		"LMKIT_NB_OUT":        t.TempDir(),
		"LMKIT_NB_TIMEOUT":    "120",
		"JUPYTER_RUNTIME_DIR": rt,
	}), rt, "run-notebooks.sh", "--quick", nb)
	wait := budget(t, 4*time.Minute)
	if !p.wait(wait) {
		t.Fatalf("run-notebooks.sh did not finish within %v; its output:\n%s", wait, p.out.String())
	}
	out := p.out.String()
	t.Logf("run-notebooks.sh exited %d after %.1f s; its output:\n%s", p.exitCode(), time.Since(p.started).Seconds(), out)

	if p.exitCode() == 0 {
		t.Errorf("run-notebooks.sh exited 0 on a notebook with a compile error")
	}
	for _, want := range []string{
		nb + ": cell 2 ",                       // the notebook and the failing cell
		"fmt.Println(undefinedInThisNotebook)", // the cell's source
		"undefined: undefinedInThisNotebook",   // the compiler's message
		"1 of 1 notebook(s) failed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q", want)
		}
	}
	if strings.Contains(out, nb+": cell 1 ") {
		t.Errorf("the output blames cell 1, which compiles")
	}
	// Readable: no HTML markup or terminal colour codes around the compiler's message.
	for _, noise := range []string{"<div", "<span", "<pre", "\x1b["} {
		if strings.Contains(out, noise) {
			t.Errorf("the output holds %q: the error is not plain text", noise)
		}
	}
}

// writeNotebook writes a notebook for the gonb kernel with one code cell per source.
func writeNotebook(t *testing.T, path string, sources ...string) {
	t.Helper()
	var cells []map[string]any
	for _, src := range sources {
		cells = append(cells, map[string]any{
			"cell_type": "code", "execution_count": nil, "metadata": map[string]any{},
			"outputs": []any{}, "source": src,
		})
	}
	b, err := json.MarshalIndent(map[string]any{
		"cells": cells,
		"metadata": map[string]any{
			"kernelspec":    map[string]any{"display_name": "Go (llm-map lab)", "language": "go", "name": "gonb"},
			"language_info": map[string]any{"name": "go"},
		},
		"nbformat": 4, "nbformat_minor": 4,
	}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
