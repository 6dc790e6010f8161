package train

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// A checkpoint is one file: a magic line, a JSON header, the raw little-endian values of every
// variable in the store (weights, optimizer moments, step counter, random state), and a CRC32
// of all that came before. It is written to a temporary file, synced and renamed over the old
// one, so a crash at any moment leaves either the previous or the new checkpoint, whole.

const (
	checkpointFile  = "checkpoint.bin"
	checkpointMagic = "LMKITCKPT1\n"
)

// State is what a checkpoint records beside the variables.
type State struct {
	Step     int64   `json:"step"`
	ElapsedS float64 `json:"elapsed_s"`
	Tokens   int64   `json:"tokens"`
}

type ckptVar struct {
	Path      string `json:"path"`
	DType     string `json:"dtype"`
	Dims      []int  `json:"dims"`
	Trainable bool   `json:"trainable"`
	Bytes     int64  `json:"bytes"`
}

type ckptHeader struct {
	State State     `json:"state"`
	Vars  []ckptVar `json:"vars"`
}

// crashInSave is called half-way through writing a checkpoint. Setting
// LMKIT_FAULT_KILL_IN_SAVE=N makes the N-th save of the process kill it there with SIGKILL,
// so the resume test can prove that a crash mid-save loses nothing but the steps since the
// previous checkpoint.
var crashInSave = func(int) {}

func init() {
	n, err := strconv.Atoi(os.Getenv("LMKIT_FAULT_KILL_IN_SAVE"))
	if err != nil || n < 1 {
		return
	}
	saves := 0
	crashInSave = func(int) {
		if saves++; saves == n {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}
}

// SaveCheckpoint writes every variable of store with state to dir/checkpoint.bin, atomically.
func SaveCheckpoint(dir string, store *model.Store, state State) error {
	var vars []*model.Variable
	for v := range store.IterVariables() {
		if v.HasValue() {
			vars = append(vars, v)
		}
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].Path() < vars[j].Path() })
	header := ckptHeader{State: state}
	var body bytes.Buffer
	for _, v := range vars {
		t, err := v.Value()
		if err != nil {
			return fmt.Errorf("train: checkpoint: reading %s: %w", v.Path(), err)
		}
		before := body.Len()
		var werr error
		t.MustConstFlatData(func(flat any) { werr = binary.Write(&body, binary.LittleEndian, flat) })
		if werr != nil {
			return fmt.Errorf("train: checkpoint: encoding %s (%s): %w", v.Path(), t.Shape(), werr)
		}
		header.Vars = append(header.Vars, ckptVar{
			Path: v.Path(), DType: t.DType().String(), Dims: t.Shape().Dimensions,
			Trainable: v.Trainable, Bytes: int64(body.Len() - before),
		})
	}
	hdr, err := json.Marshal(header)
	if err != nil {
		return err
	}
	var all bytes.Buffer
	all.WriteString(checkpointMagic)
	binary.Write(&all, binary.LittleEndian, uint64(len(hdr)))
	all.Write(hdr)
	all.Write(body.Bytes())
	binary.Write(&all, binary.LittleEndian, crc32.ChecksumIEEE(all.Bytes()))
	return writeAtomicHook(filepath.Join(dir, checkpointFile), all.Bytes(), crashInSave)
}

// LoadCheckpoint reads dir/checkpoint.bin into store, creating the variables with their saved
// values, and returns the saved state. It reports (nil, nil) when there is no checkpoint.
func LoadCheckpoint(dir string, store *model.Store) (*State, error) {
	path := filepath.Join(dir, checkpointFile)
	raw, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("train: reading checkpoint: %w", err)
	}
	corrupt := func(why string) error {
		return fmt.Errorf("train: checkpoint %s is damaged (%s): delete it to start the run again", path, why)
	}
	if len(raw) < len(checkpointMagic)+12 || string(raw[:len(checkpointMagic)]) != checkpointMagic {
		return nil, corrupt("not an lmkit checkpoint")
	}
	sum := binary.LittleEndian.Uint32(raw[len(raw)-4:])
	if crc32.ChecksumIEEE(raw[:len(raw)-4]) != sum {
		return nil, corrupt("checksum mismatch")
	}
	r := bufio.NewReader(bytes.NewReader(raw[len(checkpointMagic) : len(raw)-4]))
	var n uint64
	if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
		return nil, corrupt(err.Error())
	}
	hdr := make([]byte, n)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, corrupt(err.Error())
	}
	var header ckptHeader
	if err := json.Unmarshal(hdr, &header); err != nil {
		return nil, corrupt(err.Error())
	}
	for _, cv := range header.Vars {
		dt, err := dtypes.DTypeString(cv.DType)
		if err != nil {
			return nil, corrupt(fmt.Sprintf("variable %s: dtype %q", cv.Path, cv.DType))
		}
		t := tensors.FromShape(shapes.Make(dt, cv.Dims...))
		var rerr error
		t.MustMutableFlatData(func(flat any) { rerr = binary.Read(io.LimitReader(r, cv.Bytes), binary.LittleEndian, flat) })
		if rerr != nil {
			return nil, corrupt(fmt.Sprintf("variable %s: %v", cv.Path, rerr))
		}
		if v := store.GetVariable(cv.Path); v != nil {
			if !v.Shape().Equal(t.Shape()) {
				return nil, fmt.Errorf("train: checkpoint variable %s has shape %s but the model wants %s: the run folder holds a different model; use a new -run folder",
					cv.Path, t.Shape(), v.Shape())
			}
			if err := v.SetValue(t); err != nil {
				return nil, err
			}
			v.Trainable = cv.Trainable
			continue
		}
		v, err := store.CreateVariable(cv.Path, t)
		if err != nil {
			return nil, fmt.Errorf("train: restoring %s: %w", cv.Path, err)
		}
		v.Trainable = cv.Trainable
	}
	return &header.State, nil
}

// writeAtomic writes data to path through a synced temporary file and a rename.
func writeAtomic(path string, data []byte) error { return writeAtomicHook(path, data, nil) }

// writeAtomicHook is writeAtomic calling midway(bytes written) half-way through (fault tests).
func writeAtomicHook(path string, data []byte, midway func(int)) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("train: cannot write in run folder %s: %w (choose a writable -run folder)", dir, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	half := len(data) / 2
	if _, err = f.Write(data[:half]); err == nil {
		if midway != nil {
			midway(half)
		}
		_, err = f.Write(data[half:])
	}
	if err == nil {
		err = f.Chmod(0o644) // CreateTemp makes 0600; run folders are meant to be shared
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("train: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("train: replacing %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// WriteJSON writes v as indented JSON to path, atomically.
func WriteJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, append(data, '\n'))
}
