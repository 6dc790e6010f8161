package runfolder_test

import (
	"fmt"
	"log"
	"os"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/runfolder"
)

// A checkpoint holds every variable of a store and the run's state; it is written atomically
// and read back checked against its own size. One writer at a time holds the folder's lock.
func ExampleSaveCheckpoint() {
	dir, err := os.MkdirTemp("", "runfolder-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	w, err := runfolder.Lock(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer w.Release()
	if _, err := runfolder.Lock(dir); err != nil {
		fmt.Println("a second writer is refused")
	}

	store := model.NewStore()
	if _, err := store.CreateVariable("/w", tensors.FromValue([]float32{1, 2, 3})); err != nil {
		log.Fatal(err)
	}
	if err := runfolder.SaveCheckpoint(dir, store, runfolder.State{Step: 40}); err != nil {
		log.Fatal(err)
	}
	back := model.NewStore()
	st, err := runfolder.LoadCheckpoint(dir, back)
	if err != nil {
		log.Fatal(err)
	}
	v, err := back.GetVariable("/w").Value()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("step", st.Step, v.Value())
	// Output:
	// a second writer is refused
	// step 40 [1 2 3]
}
