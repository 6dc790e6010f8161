// Command transformer measures lmkit's GPT training throughput against the same model in
// PyTorch on this machine, side by side in one run: nanoGPT's baby configuration (4 layers,
// 4 heads, width 128, context 64, batch 12) on Tiny Shakespeare characters, tokens per
// second of whole optimizer steps (forward, backward, global-norm clipping, AdamW), PyTorch
// with 1 and then 2 threads, and the ratio of lmkit to PyTorch's best.
//
//	GOEXPERIMENT=simd LMKIT_DATA_DIR=../shared/data go run ./bench/transformer
//
// Flags change the sizes (-layers, -heads, -dim, -context, -batch), the timed steps (-steps)
// and the Python that runs PyTorch (-python, default /usr/bin/python3 with Debian's
// python3-torch).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/llm-map/lab/bench/internal/peer"
	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/runfolder"
	"github.com/llm-map/lab/lmkit/train"
	"github.com/llm-map/lab/lmkit/transformer"
)

func main() {
	layers := flag.Int("layers", 4, "transformer layers")
	heads := flag.Int("heads", 4, "attention heads")
	dim := flag.Int("dim", 128, "embedding width")
	contextLen := flag.Int("context", 64, "tokens per window")
	batch := flag.Int("batch", 12, "windows per step")
	steps := flag.Int("steps", 100, "timed optimizer steps (a multiple of -warmup)")
	warmup := flag.Int("warmup", 20, "untimed steps first (compilation, caches)")
	python := flag.String("python", "/usr/bin/python3", "python with torch (Debian: apt-get install python3-torch)")
	threads := flag.String("threads", "1,2", "PyTorch thread counts to try, comma separated")
	rounds := flag.Int("rounds", 2, "rounds of measurements; each peer keeps its best")
	skipTorch := flag.Bool("lmkit-only", false, "measure lmkit only")
	flag.Parse()
	// LMKIT_CPUPROFILE=FILE writes a pprof CPU profile, as for the lmkit command.
	if path := os.Getenv("LMKIT_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(*layers, *heads, *dim, *contextLen, *batch, *steps, *warmup, *rounds, *python, *threads, *skipTorch); err != nil {
		fmt.Fprintln(os.Stderr, "bench/transformer:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(layers, heads, dim, contextLen, batch, steps, warmup, rounds int, python, threads string, skipTorch bool) error {
	ctx := context.Background()
	prep, err := data.Prepare(ctx, "tinyshakespeare")
	if err != nil {
		return err
	}
	torchThreads, err := peer.Threads(threads)
	if err != nil {
		return err
	}
	fmt.Printf("model: %d layers, %d heads, width %d, context %d, batch %d; %d timed steps after %d untimed; %d rounds; %d CPUs, %s\n",
		layers, heads, dim, contextLen, batch, steps, warmup, rounds, runtime.NumCPU(), backend.Vector())
	// The machine may be shared: the peers take turns, round after round, and each keeps its
	// best round, so a burst of someone else's load does not decide the ratio.
	var lmkitBest float64
	torchBest := map[int]float64{}
	for round := 1; round <= rounds; round++ {
		tps, params, cpuMS, err := lmkitThroughput(prep, layers, heads, dim, contextLen, batch, steps, warmup)
		if err != nil {
			return err
		}
		fmt.Printf("round %d  lmkit (GoMLX %s): %d parameters, %.0f tokens/s, %.0f CPU-ms per step\n", round, backend.Chosen().Config, params, tps, cpuMS)
		lmkitBest = max(lmkitBest, tps)
		if skipTorch {
			continue
		}
		for _, n := range torchThreads {
			tps, err := torchThroughput(round, python, n, layers, heads, dim, contextLen, batch, steps, warmup)
			if err != nil {
				return err
			}
			torchBest[n] = max(torchBest[n], tps)
		}
	}
	fmt.Printf("best  lmkit: %.0f tokens/s\n", lmkitBest)
	if skipTorch {
		return nil
	}
	best, bestThreads := 0.0, 0
	for _, n := range torchThreads {
		fmt.Printf("best  PyTorch, %d thread(s): %.0f tokens/s\n", n, torchBest[n])
		if torchBest[n] > best {
			best, bestThreads = torchBest[n], n
		}
	}
	fmt.Printf("ratio lmkit / PyTorch (its best: %d thread(s)): %.2f\n", bestThreads, lmkitBest/best)
	return nil
}

// lmkitThroughput trains through the lab's harness, as lmkit train does, and returns the
// tokens per second of the steps after the untimed ones (validation passes excluded).
func lmkitThroughput(prep *data.Prepared, layers, heads, dim, contextLen, batch, steps, warmup int) (tps float64, params int, cpuMS float64, err error) {
	m, err := transformer.New(transformer.Config{Vocab: prep.Tok.VocabSize(), Context: contextLen,
		Layers: layers, Heads: heads, Dim: dim})
	if err != nil {
		return 0, 0, 0, err
	}
	dir, err := os.MkdirTemp("", "bench-gpt-")
	if err != nil {
		return 0, 0, 0, err
	}
	defer os.RemoveAll(dir)
	total := warmup + steps
	cfg := train.Config{Steps: total, Batch: batch, Context: contextLen, LR: 1e-3, ClipNorm: 1, Seed: 1,
		LogEvery: warmup, EvalEvery: total, SaveEvery: total, EvalWindows: batch}
	if warmup < 1 || steps%warmup != 0 {
		return 0, 0, 0, fmt.Errorf("-steps %d must be a multiple of -warmup %d (the harness logs every -warmup steps)", steps, warmup)
	}
	r, err := train.Open(dir, m, prep, cfg)
	if err != nil {
		return 0, 0, 0, err
	}
	var seconds, cpuStart, cpuEnd float64
	var tokens int
	r.OnRecord = func(rec runfolder.Record) {
		if rec.Step == warmup {
			cpuStart = peer.CPUSeconds()
		}
		if rec.Step > warmup {
			n := warmup * batch * contextLen
			tokens += n
			seconds += float64(n) / rec.TokensPerSec
			cpuEnd = peer.CPUSeconds()
		}
	}
	if _, err := r.Train(context.Background()); err != nil {
		return 0, 0, 0, err
	}
	for v := range r.Store.IterVariables() {
		if strings.HasPrefix(v.Path(), "/gpt/") {
			params += v.Shape().Size()
		}
	}
	return float64(tokens) / seconds, params, 1e3 * (cpuEnd - cpuStart) / float64(steps), nil
}

func torchThroughput(round int, python string, threads, layers, heads, dim, contextLen, batch, steps, warmup int) (float64, error) {
	_, self, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(self), "gpt.py")
	corpus := filepath.Join(os.Getenv("LMKIT_DATA_DIR"), "tinyshakespeare.txt")
	args := []string{script, "--data", corpus, "--threads", strconv.Itoa(threads),
		"--layers", strconv.Itoa(layers), "--heads", strconv.Itoa(heads), "--dim", strconv.Itoa(dim),
		"--context", strconv.Itoa(contextLen), "--batch", strconv.Itoa(batch),
		"--steps", strconv.Itoa(steps), "--warmup-steps", strconv.Itoa(warmup)}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(python, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = peer.TorchEnv(threads)
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("PyTorch peer %s %s: %v\n%s(install it with apt-get install python3-torch, or point -python at a Python with torch)",
			python, strings.Join(args, " "), err, lastLines(stderr.String(), 5))
	}
	var res struct {
		Version      string  `json:"version"`
		Params       int     `json:"params"`
		TokensPerSec float64 `json:"tokens_per_sec"`
		LastLoss     float64 `json:"last_loss"`
		CPUMS        float64 `json:"cpu_ms_per_step"`
		BLAS         string  `json:"blas"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &res); err != nil {
		return 0, fmt.Errorf("PyTorch peer printed %q, not its JSON line: %v", stdout.String(), err)
	}
	if err := peer.CheckBLAS(res.BLAS); err != nil {
		return 0, err
	}
	peer.ReportBLAS(res.BLAS)
	fmt.Printf("round %d  PyTorch %s, %d thread(s): %d parameters, %.0f tokens/s, %.0f CPU-ms per step\n", round, res.Version, threads, res.Params, res.TokensPerSec, res.CPUMS)
	return res.TokensPerSec, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n") + "\n"
}
