package train

import (
	"fmt"
	"syscall"

	"github.com/llm-map/lab/lmkit/lm"
)

// machineMemory is the machine's RAM in bytes (0 if unknown); a variable so tests can shrink it.
var machineMemory = func() int64 {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return 0
	}
	return int64(si.Totalram) * int64(si.Unit)
}

// checkMemory refuses, before anything is built, a model whose training would need more memory
// than the machine has: building it would end in "fatal error: out of memory" (a crash with no
// message a user can act on) or in minutes of swapping.
func checkMemory(m lm.Model, cfg Config) error {
	sized, ok := m.(lm.Sized)
	if !ok {
		return nil
	}
	need, have := sized.TrainingBytes(cfg.Batch, cfg.Context), machineMemory()
	if have <= 0 || need <= have {
		return nil
	}
	return fmt.Errorf("train: training this %s (batch %d, windows of %d tokens) needs about %s of memory, more than this machine's %s: make the model smaller (its Config.Dim, Config.Layers or Config.Hidden), or Config.Batch or Config.Context",
		m.Name(), cfg.Batch, cfg.Context, bytesString(need), bytesString(have))
}

func bytesString(b int64) string {
	switch {
	case b >= 1<<40:
		return fmt.Sprintf("%.1f TiB", float64(b)/(1<<40))
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}
