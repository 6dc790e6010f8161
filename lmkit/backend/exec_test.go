package backend_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/internal/labtest"
	"github.com/llm-map/lab/lmkit/backend"
)

// A graph built by NewExec reads a variable's value at each run: set the variable between two
// runs of the same compiled graph and the second run sees the new value. model.NewExec on a
// backend that prefers constants (the Go backend) keeps the value the graph was compiled with.
func TestNewExecReadsVariablesAtRunTime(t *testing.T) {
	b := backend.MustDefault()
	store := model.NewStore()
	v, err := store.RootScope().CreateVariable("w", tensors.FromValue([]float32{1, 2}))
	if err != nil {
		t.Fatal(err)
	}
	double := func(scope *model.Scope, x *graph.Node) *graph.Node {
		return graph.Mul(x, v.NodeValue(x.Graph()))
	}
	live, err := backend.NewExec(b, store, double)
	if err != nil {
		t.Fatal(err)
	}
	baked, err := model.NewExec(b, store, double)
	if err != nil {
		t.Fatal(err)
	}
	run := func(e *model.Exec) []float32 {
		out, err := e.Exec(tensors.FromValue([]float32{10, 10}))
		if err != nil {
			t.Fatal(err)
		}
		return tensors.MustCopyFlatData[float32](out[0])
	}
	if got := run(live); got[0] != 10 || got[1] != 20 {
		t.Fatalf("first run: %v, want [10 20]", got)
	}
	run(baked)
	if err := v.SetValue(tensors.FromValue([]float32{3, 4})); err != nil {
		t.Fatal(err)
	}
	if got := run(live); got[0] != 30 || got[1] != 40 {
		t.Errorf("after setting w to [3 4] the compiled graph gives %v, want [30 40]", got)
	}
	stale := run(baked)
	t.Logf("model.NewExec on %s after the change: %v (prefers constants: %v)", b.Name(), stale, b.Capabilities().PreferConstantsForVariables)
}

// Every lmkit graph that runs while the weights change goes through backend.NewExec; only the
// training step, which marks its graph as training, may call model.NewExec.
func TestLibraryCompilesThroughNewExec(t *testing.T) {
	call := regexp.MustCompile(`\bmodel\.(Must)?NewExec\(`)
	allowed := map[string]int{"lmkit/train/graph.go": 1} // the training step
	root := labtest.Root()
	err := filepath.WalkDir(filepath.Join(root, "lmkit"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if n := len(call.FindAll(src, -1)); n > allowed[filepath.ToSlash(rel)] && rel != filepath.Join("lmkit", "backend", "exec.go") {
			t.Errorf("%s calls model.NewExec %d times: use backend.NewExec, so the graph reads the current weights", rel, n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
