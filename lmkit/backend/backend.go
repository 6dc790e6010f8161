// Package backend picks the GoMLX compute backend for the whole lab, in one place.
//
// The rule: honour GOMLX_BACKEND when the user set it; otherwise use XLA when a PJRT
// plugin is already installed (CUDA when a GPU is there, else CPU), never downloading one
// behind the user's back; otherwise use the pure-Go backend with its worker pool set to
// unlimited goroutines (go:parallelism=-1). With GoMLX v0.28.2 the default bounded pool
// deadlocked intermittently on 2 cores (workers stuck in Saturate/WaitToStart). With compute
// v0.1.14 it no longer hung in 6 rounds of the rnn, transformer, train, classify, embed,
// recall and cmd/lmkit tests and both training benchmarks on 2 cores; the setting stays for
// speed: the default pool (2×GOMAXPROCS workers) trained the baby GPT at 16.1k tokens/s
// against 24.0-26.3k, and the 2x128 LSTM at 41-46k against 57-59k (AVX-512, alternating runs).
package backend

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // registers "go"
)

// GoConfig is the pure-Go backend configuration the lab uses (see the package comment).
const GoConfig = "go:parallelism=-1"

// Choice is a backend decision and the reason for it.
type Choice struct {
	Config string // value for compute.NewWithConfig, e.g. "xla:cpu" or "go:parallelism=-1"
	Reason string // why this one, for the one-line report
	Hint   string // how to get a faster one, empty when there is nothing to suggest
}

// Name is the short backend name: "go" or "xla".
func (c Choice) Name() string {
	name, _, _ := strings.Cut(c.Config, ":")
	return name
}

// String is the one line the lab prints when it starts a backend.
func (c Choice) String() string {
	reason := c.Reason
	if c.Name() == "go" {
		// Times printed after this line mean little without the CPU they were measured on.
		reason += fmt.Sprintf("; %d CPUs, %s", runtime.NumCPU(), Vector())
	}
	s := fmt.Sprintf("lmkit: backend %s (%s)", c.Config, reason)
	if c.Hint != "" {
		s += "; " + c.Hint
	}
	if c.Name() == "go" {
		if h := simdHint(); h != "" {
			s += "; " + h
		}
	}
	return s
}

// Choose decides the backend from the environment and what is installed, without starting it.
func Choose() Choice {
	if env, ok := os.LookupEnv(compute.ConfigEnvVar); ok && strings.TrimSpace(env) != "" {
		c := Choice{Config: strings.TrimSpace(env), Reason: "from $GOMLX_BACKEND"}
		if c.Config == "go" && !hasParallelism(c.Config) {
			c.Hint = "note: plain \"go\" uses a bounded worker pool that trains about a third slower on small machines; " + GoConfig + " is lmkit's default"
		}
		return c
	}
	if plugin, why := xlaPlugin(); plugin != "" {
		return Choice{Config: "xla:" + plugin, Reason: why}
	} else if why != "" {
		return Choice{Config: GoConfig, Reason: why, Hint: xlaHint}
	}
	return Choice{Config: GoConfig, Reason: "no XLA PJRT plugin installed", Hint: xlaHint}
}

func hasParallelism(config string) bool { return strings.Contains(config, "parallelism=") }

// xlaHint tells users of the Go backend how to get the faster one.
var xlaHint = "for the faster XLA backend run `make xla` (needs internet once) or set GOMLX_BACKEND"

var (
	once     sync.Once
	shared   compute.Backend
	chosen   Choice
	startErr error
	// Report is where the one-line backend report goes; nil silences it.
	Report io.Writer = os.Stderr
)

// Default returns the lab's shared backend, starting it on first use and printing one line
// that names it. Later calls return the same backend.
func Default() (compute.Backend, error) {
	once.Do(func() {
		chosen = Choose()
		shared, startErr = start(chosen)
		if startErr != nil {
			return
		}
		if Report != nil && firstInKernel(chosen.String()) {
			fmt.Fprintln(Report, chosen.String())
		}
	})
	return shared, startErr
}

// firstInKernel reports whether line has not yet been printed in this GoNB kernel. GoNB runs
// every cell as a new program, so a process-wide once would repeat the line in every cell; a
// marker in the kernel's own temporary folder (GONB_TMP_DIR) keeps it to one per notebook.
// Outside GoNB it is always true.
func firstInKernel(line string) bool {
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		return true
	}
	marker := filepath.Join(dir, "lmkit-backend-reported")
	if old, err := os.ReadFile(marker); err == nil && string(old) == line {
		return false
	}
	_ = os.WriteFile(marker, []byte(line), 0o644) // best effort: at worst the line repeats
	return true
}

// Chosen is the choice Default made (zero before Default is called).
func Chosen() Choice { return chosen }

// MustDefault is Default for notebooks and examples, where a failure should stop the cell.
func MustDefault() compute.Backend {
	b, err := Default()
	if err != nil {
		panic(err)
	}
	return b
}

// start builds the backend, turning GoMLX's panics into errors that say what to do.
func start(c Choice) (b compute.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("backend: cannot start %q: %v (unset GOMLX_BACKEND to let lmkit choose, or set it to %q)", c.Config, r, GoConfig)
		}
	}()
	b, err = quietly(func() (compute.Backend, error) { return compute.NewWithConfig(c.Config) })
	if err != nil {
		return nil, fmt.Errorf("backend: cannot start %q: %w (unset GOMLX_BACKEND to let lmkit choose, or set it to %q)", c.Config, err, GoConfig)
	}
	return b, nil
}

// quietly runs fn with standard output discarded: the Go backend prints its parallelism
// setting there, which would end up inside `lmkit sample` output.
func quietly(fn func() (compute.Backend, error)) (compute.Backend, error) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return fn()
	}
	defer devnull.Close()
	saved := os.Stdout
	os.Stdout = devnull
	defer func() { os.Stdout = saved }()
	return fn()
}

// Describe names a backend for run records: the configuration lmkit chose for the shared
// backend, else the backend's own name.
func Describe(b compute.Backend) string {
	if b != nil && b == shared {
		return chosen.Config
	}
	if b == nil {
		return ""
	}
	return b.Name()
}
