package runfolder

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
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

const checkpointMagic = "LMKITCKPT1\n"

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

	shape  shapes.Shape // set by parseCheckpoint
	offset int64
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
			return fmt.Errorf("runfolder: checkpoint: reading %s: %w", v.Path(), err)
		}
		before := body.Len()
		var werr error
		t.MustConstFlatData(func(flat any) { werr = binary.Write(&body, binary.LittleEndian, flat) })
		if werr != nil {
			return fmt.Errorf("runfolder: checkpoint: encoding %s (%s): %w", v.Path(), t.Shape(), werr)
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
//
// Checkpoints are meant to be shared, so nothing in one is trusted before it is checked: the
// header's length and every variable's size are checked against the file's size, and a
// variable the store already has against its shape, before any tensor is allocated.
func LoadCheckpoint(dir string, store *model.Store) (*State, error) {
	path := filepath.Join(dir, checkpointFile)
	raw, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("runfolder: reading checkpoint: %w", err)
	}
	header, body, err := parseCheckpoint(raw)
	if err != nil {
		return nil, fmt.Errorf("runfolder: checkpoint %s is damaged (%v): delete it to start the run again", path, err)
	}
	for _, cv := range header.Vars {
		if v := store.GetVariable(cv.Path); v != nil && !v.Shape().Equal(cv.shape) {
			return nil, fmt.Errorf("runfolder: checkpoint variable %s has shape %s but the model wants %s: the run folder holds a different model; use a new run folder",
				cv.Path, cv.shape, v.Shape())
		}
	}
	for _, cv := range header.Vars {
		t := tensors.FromShape(cv.shape)
		var rerr error
		t.MustMutableFlatData(func(flat any) {
			rerr = binary.Read(bytes.NewReader(body[cv.offset:cv.offset+cv.Bytes]), binary.LittleEndian, flat)
		})
		if rerr != nil {
			return nil, fmt.Errorf("runfolder: checkpoint %s: variable %s: %w", path, cv.Path, rerr)
		}
		if v := store.GetVariable(cv.Path); v != nil {
			if err := v.SetValue(t); err != nil {
				return nil, err
			}
			v.Trainable = cv.Trainable
			continue
		}
		v, err := store.CreateVariable(cv.Path, t)
		if err != nil {
			return nil, fmt.Errorf("runfolder: restoring %s: %w", cv.Path, err)
		}
		v.Trainable = cv.Trainable
	}
	return &header.State, nil
}

// savedDTypes are the dtypes a store's variables hold (and SaveCheckpoint writes).
var savedDTypes = map[dtypes.DType]bool{dtypes.Float32: true, dtypes.Float64: true, dtypes.Float16: true, dtypes.BFloat16: true,
	dtypes.Int8: true, dtypes.Int16: true, dtypes.Int32: true, dtypes.Int64: true,
	dtypes.Uint8: true, dtypes.Uint16: true, dtypes.Uint32: true, dtypes.Uint64: true, dtypes.Bool: true}

// maxTensorSize bounds one variable's elements (2^34 floats, 64 GiB), before the file-size
// check, so that no product of dimensions can overflow.
const maxTensorSize = 1 << 34

// parseCheckpoint checks a checkpoint's framing and header against its size and returns the
// header, with each variable's shape and offset into body, and the body. It allocates nothing
// the file's size does not bound.
func parseCheckpoint(raw []byte) (*ckptHeader, []byte, error) {
	if len(raw) < len(checkpointMagic)+12 || string(raw[:len(checkpointMagic)]) != checkpointMagic {
		return nil, nil, errors.New("not an lmkit checkpoint")
	}
	sum := binary.LittleEndian.Uint32(raw[len(raw)-4:])
	if crc32.ChecksumIEEE(raw[:len(raw)-4]) != sum {
		return nil, nil, errors.New("checksum mismatch")
	}
	rest := raw[len(checkpointMagic) : len(raw)-4]
	n := binary.LittleEndian.Uint64(rest)
	rest = rest[8:]
	if n > uint64(len(rest)) {
		return nil, nil, fmt.Errorf("header length %d is more than the %d bytes left in the file", n, len(rest))
	}
	var header ckptHeader
	if err := json.Unmarshal(rest[:n], &header); err != nil {
		return nil, nil, fmt.Errorf("header: %v", err)
	}
	body := rest[n:]
	var offset int64
	seen := map[string]bool{}
	for i := range header.Vars {
		cv := &header.Vars[i]
		if !strings.HasPrefix(cv.Path, "/") || seen[cv.Path] {
			return nil, nil, fmt.Errorf("variable %d has a bad or repeated path %q", i, cv.Path)
		}
		seen[cv.Path] = true
		dt, err := dtypes.DTypeString(cv.DType)
		if err != nil || !savedDTypes[dt] {
			return nil, nil, fmt.Errorf("variable %s: dtype %q", cv.Path, cv.DType)
		}
		size := int64(1)
		for _, d := range cv.Dims {
			if d < 0 || d > maxTensorSize || size*int64(max(d, 1)) > maxTensorSize {
				return nil, nil, fmt.Errorf("variable %s: dimensions %v are out of range", cv.Path, cv.Dims)
			}
			size *= int64(d)
		}
		if want := size * int64(dt.Size()); cv.Bytes != want {
			return nil, nil, fmt.Errorf("variable %s: %d bytes recorded for dimensions %v of %s (want %d)", cv.Path, cv.Bytes, cv.Dims, dt, want)
		}
		if cv.Bytes > int64(len(body))-offset {
			return nil, nil, fmt.Errorf("variable %s: its %d bytes run past the end of the file", cv.Path, cv.Bytes)
		}
		cv.shape = shapes.Make(dt, cv.Dims...)
		cv.offset = offset
		offset += cv.Bytes
	}
	if offset != int64(len(body)) {
		return nil, nil, fmt.Errorf("%d bytes after the last variable", int64(len(body))-offset)
	}
	return &header, body, nil
}

// writeAtomic writes data to path through a synced temporary file and a rename.
func writeAtomic(path string, data []byte) error { return writeAtomicHook(path, data, nil) }

// writeAtomicHook is writeAtomic calling midway(bytes written) half-way through (fault tests).
func writeAtomicHook(path string, data []byte, midway func(int)) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("runfolder: cannot write in run folder %s: %w (choose a writable run folder)", dir, err)
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
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("runfolder: writing %s: %w: the disk is full; the previous %s is intact: free some space and run again to resume", path, err, filepath.Base(path))
	}
	if err != nil {
		return fmt.Errorf("runfolder: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("runfolder: replacing %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// writeJSON writes v as indented JSON to path, atomically.
func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, append(data, '\n'))
}
