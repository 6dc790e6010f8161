// Command rnn measures LSTM language-model training throughput, lmkit against PyTorch, side by
// side on the same machine: lmkit's LSTM (lmkit/rnn, trained by lmkit/train) and PyTorch's
// nn.LSTM of the same size (bench/rnn/torch_lstm.py: one-hot characters, nn.LSTM, a linear
// layer, cross-entropy, Adam, global-norm clipping), with the same batch and sequence length.
// PyTorch runs with 1 and 2 threads and keeps its best. The contenders take turns for a few
// rounds and each keeps its best round, so a burst of load from elsewhere on a shared machine
// hurts neither more than the other.
//
//	GOEXPERIMENT=simd go run ./bench/rnn                 # char-rnn's 2x128, batch 50, sequence 50
//	GOEXPERIMENT=simd go run ./bench/rnn -batch 128
//	GOEXPERIMENT=simd go run ./bench/rnn -rounds 1 -gomlx 3  # and GoMLX's own lstm layer
//
// It prints tokens per second for each and the ratio lmkit / PyTorch.
//
// Measured on 2026-12-02 (2-core AMD EPYC, AVX-512, nothing else running; GoMLX v0.28.16,
// compute v0.1.14, Go 1.27.3; PyTorch 1.13 on OpenBLAS's Cooperlake kernels),
// `go run ./bench/rnn -rounds 3`: lmkit 81,236 tokens/s (57.7-73.6 CPU-ms per step on 2 cores),
// PyTorch 60,903 with 1 thread (41-44 CPU-ms), 20,813 with 2: ratio 1.33. The previous stack
// (GoMLX v0.28.2), the same hour: 33,735 against 63,384, 0.53. pprof of lmkit's step: the
// matrix multiply kernels and their packing about 60%, element-wise SIMD multiplies 7%, the
// output layer's transpose 3%, slices 3% (the gate splits are gathers of one block, see
// lmkit/rnn's block: compute v0.1.14's Slice copies element by element).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
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
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/rnn"
	"github.com/llm-map/lab/lmkit/runfolder"
	"github.com/llm-map/lab/lmkit/train"
)

func main() {
	cell := flag.String("cell", string(rnn.LSTM), "cell: rnn, lstm or gru")
	vocab := flag.Int("vocab", 65, "vocabulary (Tiny Shakespeare has 65 characters)")
	hidden := flag.Int("hidden", 128, "hidden units")
	layers := flag.Int("layers", 2, "layers")
	batch := flag.Int("batch", 50, "sequences per step")
	seq := flag.Int("seq", 50, "sequence length")
	steps := flag.Int("steps", 20, "timed steps per round")
	warmup := flag.Int("warmup", 3, "untimed steps first")
	rounds := flag.Int("rounds", 3, "rounds; each contender keeps its best")
	python := flag.String("python", "/usr/bin/python3", "python with torch (Debian's python3-torch)")
	threads := flag.String("threads", "1,2", "PyTorch thread counts to try")
	profile := flag.String("cpuprofile", "", "write a pprof CPU profile of lmkit's timed steps to this file")
	gomlxSteps := flag.Int("gomlx", 0, "also time this many steps of the same model built on GoMLX's own ml/layers/lstm (0: skip; slow)")
	flag.Parse()
	cpuProfile = *profile
	if err := run(*cell, *vocab, *hidden, *layers, *batch, *seq, *steps, *warmup, *rounds, *python, *threads, *gomlxSteps); err != nil {
		fmt.Fprintln(os.Stderr, "bench/rnn:", err)
		os.Exit(1)
	}
}

var cpuProfile string

type result struct {
	tokensPerSec, secPerStep, cpuPerStep float64
}

func run(cell string, vocab, hidden, layers, batch, seq, steps, warmup, rounds int, python, threads string, gomlxSteps int) error {
	script, err := torchScript()
	if err != nil {
		return err
	}
	counts, err := peer.Threads(threads)
	if err != nil {
		return err
	}
	fmt.Printf("%s LM, %d layers x %d hidden, vocabulary %d, batch %d, sequence %d: %d timed steps after %d, best of %d rounds\n",
		cell, layers, hidden, vocab, batch, seq, steps, warmup, rounds)
	fmt.Printf("machine: %d CPUs, %s, GOMAXPROCS %d, load average %s\n", runtime.NumCPU(), backend.Vector(), runtime.GOMAXPROCS(0), loadAvg())
	m, err := rnn.New(rnn.Config{Cell: rnn.Cell(cell), Vocab: vocab, Hidden: hidden, Layers: layers, Carry: true})
	if err != nil {
		return err
	}
	lmkitRun, err := newLmkit(m, vocab, batch, seq, cpuProfile)
	if err != nil {
		return err
	}
	var gomlxRun func(int, int) (result, error)
	if gomlxSteps > 0 {
		if rnn.Cell(cell) != rnn.LSTM {
			return fmt.Errorf("-gomlx compares LSTMs: GoMLX has no %s layer", cell)
		}
		if gomlxRun, err = newLmkit(gomlxLSTM{vocab, hidden, layers}, vocab, batch, seq, ""); err != nil {
			return err
		}
	}
	bestGoMLX := result{}
	bestGo := result{}
	bestTorch := map[int]result{}
	for r := 1; r <= rounds; r++ {
		g, err := lmkitRun(warmup, steps)
		if err != nil {
			return err
		}
		fmt.Printf("round %d  lmkit (%s)      %8.0f tokens/s  %6.1f ms/step (%5.1f ms CPU)\n", r, backend.Choose().Config, g.tokensPerSec, 1e3*g.secPerStep, 1e3*g.cpuPerStep)
		if g.tokensPerSec > bestGo.tokensPerSec {
			bestGo = g
		}
		if gomlxRun != nil {
			x, err := gomlxRun(1, gomlxSteps)
			if err != nil {
				return err
			}
			fmt.Printf("round %d  GoMLX ml/layers/lstm      %8.0f tokens/s  %6.1f ms/step (%5.1f ms CPU)\n", r, x.tokensPerSec, 1e3*x.secPerStep, 1e3*x.cpuPerStep)
			if x.tokensPerSec > bestGoMLX.tokensPerSec {
				bestGoMLX = x
			}
		}
		for _, th := range counts {
			t, err := torch(python, script, cell, vocab, hidden, layers, batch, seq, steps, warmup, th)
			if err != nil {
				return err
			}
			fmt.Printf("round %d  PyTorch %s, %d thread%s %8.0f tokens/s  %6.1f ms/step (%5.1f ms CPU)\n", r, t.version, th, plural(th), t.tokensPerSec, 1e3*t.secPerStep, 1e3*t.cpuPerStep)
			if t.tokensPerSec > bestTorch[th].tokensPerSec {
				bestTorch[th] = t.result
			}
		}
	}
	bestTh, best := 0, result{}
	for th, t := range bestTorch {
		if t.tokensPerSec > best.tokensPerSec {
			bestTh, best = th, t
		}
	}
	fmt.Printf("best     lmkit %.0f tokens/s, PyTorch %.0f tokens/s (%d thread%s)\n", bestGo.tokensPerSec, best.tokensPerSec, bestTh, plural(bestTh))
	fmt.Printf("ratio    lmkit / PyTorch = %.2f\n", bestGo.tokensPerSec/best.tokensPerSec)
	if bestGoMLX.tokensPerSec > 0 {
		fmt.Printf("ratio    GoMLX ml/layers/lstm / PyTorch = %.3f; lmkit / GoMLX ml/layers/lstm = %.1f\n",
			bestGoMLX.tokensPerSec/best.tokensPerSec, bestGo.tokensPerSec/bestGoMLX.tokensPerSec)
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// newLmkit builds a model's training run under lmkit's harness once (its graph compiles
// during the first round's warm-up) and returns a function that trains and times further
// steps of it, writing a CPU profile of the timed steps to profile unless it is "".
func newLmkit(m lm.Model, vocab, batch, seq int, profile string) (func(warmup, steps int) (result, error), error) {
	rng := rand.New(rand.NewPCG(1, 1))
	stream := make([]int32, 200_000)
	for i := range stream {
		stream[i] = int32(rng.IntN(vocab))
	}
	lanes, err := data.NewLanes(stream, batch, seq)
	if err != nil {
		return nil, err
	}
	val, err := data.EvalBatches(stream[:batch*seq+1], batch, seq, 0, 1)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "bench-rnn-")
	if err != nil {
		return nil, err
	}
	cfg := train.Config{Steps: 1, Batch: batch, Context: seq, LR: 2e-3, ClipNorm: 1, Schedule: "constant",
		EvalEvery: 1 << 30, LogEvery: 1, SaveEvery: 1 << 30}
	r, err := train.OpenTask(dir, m, train.Task{Train: lanes, Val: val, Data: data.Record{Name: "random", Source: "random"}}, cfg)
	if err != nil {
		return nil, err
	}
	return func(warmup, steps int) (result, error) {
		// Time from the record after the warm-up to the one before the run's last step, which
		// also evaluates and checkpoints.
		first := r.Step() + warmup
		last := first + steps
		r.Config.Steps = last + 1
		var start, end, cpuStart, cpuEnd float64
		r.OnRecord = func(rec runfolder.Record) {
			switch rec.Step {
			case first:
				start, cpuStart = rec.ElapsedS, peer.CPUSeconds()
				if profile != "" {
					if f, err := os.Create(profile); err == nil {
						pprof.StartCPUProfile(f)
					}
				}
			case last:
				end, cpuEnd = rec.ElapsedS, peer.CPUSeconds()
				if profile != "" {
					pprof.StopCPUProfile()
				}
			}
		}
		if _, err := r.Train(context.Background()); err != nil {
			return result{}, err
		}
		dt := (end - start) / float64(steps)
		return result{tokensPerSec: float64(batch*seq) / dt, secPerStep: dt, cpuPerStep: (cpuEnd - cpuStart) / float64(steps)}, nil
	}, nil
}

type torchResult struct {
	result
	version string
}

func torch(python, script, cell string, vocab, hidden, layers, batch, seq, steps, warmup, threads int) (torchResult, error) {
	cmd := exec.Command(python, script, "--cell", cell, "--vocab", strconv.Itoa(vocab), "--hidden", strconv.Itoa(hidden),
		"--layers", strconv.Itoa(layers), "--batch", strconv.Itoa(batch), "--seq", strconv.Itoa(seq),
		"--steps", strconv.Itoa(steps), "--warmup", strconv.Itoa(warmup), "--threads", strconv.Itoa(threads))
	cmd.Stderr = os.Stderr
	cmd.Env = peer.TorchEnv(threads)
	out, err := cmd.Output()
	if err != nil {
		return torchResult{}, fmt.Errorf("%s %s: %v (install PyTorch with apt-get install -y python3-torch, or pass -python)", python, script, err)
	}
	var r struct {
		TokensPerSec float64 `json:"tokens_per_sec"`
		SecPerStep   float64 `json:"sec_per_step"`
		CPUPerStep   float64 `json:"cpu_per_step"`
		Version      string  `json:"torch"`
		BLAS         string  `json:"blas"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return torchResult{}, fmt.Errorf("reading %s's output %q: %v", script, out, err)
	}
	if err := peer.CheckBLAS(r.BLAS); err != nil {
		return torchResult{}, err
	}
	peer.ReportBLAS(r.BLAS)
	return torchResult{result{r.TokensPerSec, r.SecPerStep, r.CPUPerStep}, r.Version}, nil
}

// torchScript finds torch_lstm.py beside this file's package, from the repository root or here.
func torchScript() (string, error) {
	for _, p := range []string{"bench/rnn/torch_lstm.py", "torch_lstm.py"} {
		if _, err := os.Stat(p); err == nil {
			return filepath.Abs(p)
		}
	}
	return "", fmt.Errorf("torch_lstm.py not found: run from the repository root (go run ./bench/rnn)")
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
