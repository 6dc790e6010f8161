package classify

import (
	"fmt"
	"strings"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/runfolder"
)

// InitFrom copies the body's weights (the variables under /<body.Scope()>) from a pre-trained
// language-model run folder into store. The run's optimizer state, step counter and output
// head use are left behind: only what the body computes with comes over. It returns how many
// variables were copied.
func InitFrom(store *model.Store, runDir string, body lm.Body) (int, error) {
	pre := model.NewStore()
	st, err := runfolder.LoadCheckpoint(runDir, pre)
	if err != nil {
		return 0, err
	}
	if st == nil {
		return 0, fmt.Errorf("classify: Setup.Init %s has no checkpoint: pre-train a language model into it first", runDir)
	}
	prefix := "/" + body.Scope() + "/"
	n := 0
	for v := range pre.IterVariables() {
		if !strings.HasPrefix(v.Path(), prefix) {
			continue
		}
		t, err := v.Value()
		if err != nil {
			return n, err
		}
		c, err := t.LocalClone()
		if err != nil {
			return n, err
		}
		if old := store.GetVariable(v.Path()); old != nil {
			if !old.Shape().Equal(c.Shape()) {
				return n, fmt.Errorf("classify: %s is %s in Setup.Init %s but %s here: the body's size differs from the pre-trained one", v.Path(), c.Shape(), runDir, old.Shape())
			}
			if err := old.SetValue(c); err != nil {
				return n, err
			}
		} else if _, err := store.CreateVariable(v.Path(), c); err != nil {
			return n, err
		}
		n++
	}
	if n == 0 {
		return 0, fmt.Errorf("classify: Setup.Init %s holds no %s weights: it was not trained with that model", runDir, body.Scope())
	}
	return n, nil
}
