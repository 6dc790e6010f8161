package labtest

import (
	"context"
	"testing"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/runfolder"
	"github.com/llm-map/lab/lmkit/train"
)

// Names is makemore's names from the shared data folder, as characters, split 90/10.
func Names(t testing.TB) *data.Prepared {
	t.Helper()
	SharedData(t)
	p, err := data.Prepare(context.Background(), "names")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Train opens a run of m on p in dir and trains it to cfg's end, failing the test on error.
func Train(t testing.TB, dir string, m lm.Model, p *data.Prepared, cfg train.Config) (*train.Run, *runfolder.Summary) {
	t.Helper()
	r, err := train.Open(dir, m, p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.Train(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r, s
}
