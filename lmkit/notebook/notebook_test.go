package notebook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/llm-map/lab/lmkit/plot"
)

func TestStepsFollowQuickMode(t *testing.T) {
	t.Setenv("LMKIT_QUICK", "")
	if Steps(1000, 10) != 1000 {
		t.Error("full mode should take the full step count")
	}
	t.Setenv("LMKIT_QUICK", "1")
	if !Quick() || Steps(1000, 10) != 10 {
		t.Error("LMKIT_QUICK=1 should take the quick step count")
	}
}

func TestCurvesOfRunFolders(t *testing.T) {
	dir := t.TempDir()
	mlp := filepath.Join(dir, "mlp")
	bigram := filepath.Join(dir, "bigram")
	os.MkdirAll(mlp, 0o755)
	os.MkdirAll(bigram, 0o755)
	os.WriteFile(filepath.Join(mlp, "history.jsonl"), []byte(
		`{"step":10,"train_loss":3.0,"val_loss":2.9}`+"\n"+`{"step":20,"train_loss":2.5}`+"\n"+`{"step":30,"train_loss":2.3,"val_loss":2.2}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(bigram, "history.jsonl"), []byte(`{"step":2000,"train_loss":2.45,"val_loss":2.46}`+"\n"), 0o644)
	f, err := Curves(plot.Axes{Title: "names"}, Run{"mlp", mlp}, Run{"bigram", bigram})
	if err != nil {
		t.Fatal(err)
	}
	png, err := f.PNG()
	if err != nil || len(png) < 1000 {
		t.Fatalf("PNG: %d bytes, %v", len(png), err)
	}
	if _, err := Curves(plot.Axes{}); err == nil {
		t.Error("no runs should be an error")
	}
	if _, err := Curves(plot.Axes{}, Run{"missing", filepath.Join(dir, "nope")}); err == nil || !strings.Contains(err.Error(), "run folder") {
		t.Errorf("a missing run folder should say so, got %v", err)
	}
}

func TestElapsedMeasuresFromStartClock(t *testing.T) {
	t.Chdir(t.TempDir())
	if _, err := Elapsed("ch"); err == nil || !strings.Contains(err.Error(), "StartClock") {
		t.Fatalf("Elapsed before StartClock: %v, want an error naming StartClock", err)
	}
	if err := StartClock("ch"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	d, err := Elapsed("ch")
	if err != nil || d < time.Second || d > 5*time.Second {
		t.Fatalf("Elapsed = %v, %v; want about 1 s", d, err)
	}
}
