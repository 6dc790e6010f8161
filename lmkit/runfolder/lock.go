package runfolder

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofrs/flock"
)

// The lock file marks the one process that writes a run folder. The lock is flock(2)'s, held
// on an open file: the kernel drops it when that process ends, however it ends, so a run
// killed with kill -9 never leaves a lock behind that blocks the next one.

// Writer holds a run folder's lock.
type Writer struct{ lock *flock.Flock }

// Lock takes dir's writer lock, or says who holds it. Holding it, it removes the temporary
// files that a save interrupted by a kill left (see writeAtomic): no other writer can be
// midway through one.
func Lock(dir string) (*Writer, error) {
	path := filepath.Join(dir, lockFile)
	l := flock.New(path)
	ok, err := l.TryLock()
	if err != nil {
		return nil, fmt.Errorf("runfolder: cannot lock run folder %s: %w (choose a writable run folder)", dir, err)
	}
	if !ok {
		holder := "another process"
		if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			holder = strings.TrimSpace(string(b))
		}
		if strings.HasPrefix(holder, fmt.Sprintf("pid %d ", os.Getpid())) {
			return nil, fmt.Errorf("runfolder: run folder %s is already open for training in this process; finish or Close that run first", dir)
		}
		return nil, fmt.Errorf("runfolder: run folder %s is being written by %s; wait for it to finish or stop it, or choose another run folder", dir, holder)
	}
	host, _ := os.Hostname()
	note := fmt.Sprintf("pid %d on %s: %s\n", os.Getpid(), host, strings.Join(os.Args, " "))
	if err := os.WriteFile(path, []byte(note), 0o644); err != nil {
		l.Unlock()
		return nil, fmt.Errorf("runfolder: cannot write the lock of run folder %s: %w", dir, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	for _, f := range leftovers {
		os.Remove(f)
	}
	return &Writer{lock: l}, nil
}

// Release gives the lock up; the file stays, empty, for the next writer. A nil Writer is a
// no-op.
func (w *Writer) Release() {
	if w == nil {
		return
	}
	os.WriteFile(w.lock.Path(), nil, 0o644)
	w.lock.Unlock()
}
