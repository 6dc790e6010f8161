package backend

import "testing"

// GoNB runs each cell as a new program: the backend line must appear in the first cell only,
// and again if the backend changes.
func TestBackendLineOncePerKernel(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	if !firstInKernel("lmkit: backend go") {
		t.Fatal("the first cell of a kernel must print the backend line")
	}
	if firstInKernel("lmkit: backend go") {
		t.Fatal("a later cell printed the same backend line again")
	}
	if !firstInKernel("lmkit: backend xla:cuda") {
		t.Fatal("a different backend must be reported")
	}
	t.Setenv("GONB_TMP_DIR", "")
	if !firstInKernel("lmkit: backend go") || !firstInKernel("lmkit: backend go") {
		t.Fatal("outside GoNB every program prints its line")
	}
}
