// Package labtest holds helpers shared by the lab's tests.
package labtest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Root is the repository root (found from this file's location).
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// SharedData points LMKIT_DATA_DIR at the lab's shared data folder for the test and returns
// it: $LMKIT_DATA_DIR when set, else ../shared/data beside the repository root. Without it the
// test is skipped, or fails when LMKIT_REQUIRE_DATA=1 (as make test sets it), so a missing
// folder can never pass silently in CI.
func SharedData(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("LMKIT_DATA_DIR")
	if dir == "" {
		dir = filepath.Join(Root(), "..", "shared", "data")
	} else if !filepath.IsAbs(dir) {
		dir = filepath.Join(Root(), dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "names.txt")); err != nil {
		if os.Getenv("LMKIT_REQUIRE_DATA") == "1" {
			t.Fatalf("shared data folder missing: %v (set LMKIT_DATA_DIR to the folder holding names.txt)", err)
		}
		t.Skipf("no shared data folder (%v): set LMKIT_DATA_DIR", err)
	}
	abs, _ := filepath.Abs(dir)
	t.Setenv("LMKIT_DATA_DIR", abs)
	return abs
}
