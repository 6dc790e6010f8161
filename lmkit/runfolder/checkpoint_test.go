package runfolder

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// frame wraps a header and body as a checkpoint with a valid checksum, as a hostile or
// damaged file shared with the lab might be.
func frame(header []byte, n uint64, body []byte) []byte {
	var all bytes.Buffer
	all.WriteString(checkpointMagic)
	binary.Write(&all, binary.LittleEndian, n)
	all.Write(header)
	all.Write(body)
	binary.Write(&all, binary.LittleEndian, crc32.ChecksumIEEE(all.Bytes()))
	return all.Bytes()
}

func header(t testing.TB, vars ...ckptVar) []byte {
	b, err := json.Marshal(ckptHeader{State: State{Step: 3}, Vars: vars})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loadBytes(t testing.TB, raw []byte, store *model.Store) (*State, error) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, checkpointFile), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return LoadCheckpoint(dir, store)
}

func TestCheckpointRoundTrip(t *testing.T) {
	dir := t.TempDir()
	store := model.NewStore()
	if _, err := store.CreateVariable("/w", tensors.FromValue([][]float32{{1, 2}, {3, 4}})); err != nil {
		t.Fatal(err)
	}
	if err := SaveCheckpoint(dir, store, State{Step: 7, Tokens: 99}); err != nil {
		t.Fatal(err)
	}
	back := model.NewStore()
	st, err := LoadCheckpoint(dir, back)
	if err != nil || st.Step != 7 || st.Tokens != 99 {
		t.Fatalf("state %+v, %v", st, err)
	}
	v, _ := back.GetVariable("/w").Value()
	if got := v.Value().([][]float32); got[1][0] != 3 {
		t.Errorf("restored %v", got)
	}
}

// Finding 4: a checkpoint with a valid checksum whose header claims 2^40 bytes, or a tensor of
// 2^20 x 2^20 floats, is refused as damaged, before anything of that size is allocated (the
// reader used to end in "fatal error: out of memory").
func TestHostileCheckpointsRefusedBeforeAllocating(t *testing.T) {
	body := make([]byte, 16)
	ok := header(t, ckptVar{Path: "/w", DType: "Float32", Dims: []int{2, 2}, Bytes: 16})
	for _, tc := range []struct {
		name string
		raw  []byte
		want string
	}{
		{"header of 2^40 bytes", frame(ok, 1<<40, body), "header length"},
		{"dims 2^20 x 2^20", frame(header(t, ckptVar{Path: "/w", DType: "Float32", Dims: []int{1 << 20, 1 << 20}, Bytes: 1 << 42}), uint64(len(header(t, ckptVar{Path: "/w", DType: "Float32", Dims: []int{1 << 20, 1 << 20}, Bytes: 1 << 42}))), body), "out of range"},
		{"dims 2^16 x 2^16", frame(header(t, ckptVar{Path: "/w", DType: "Float32", Dims: []int{1 << 16, 1 << 16}, Bytes: 1 << 34}), uint64(len(header(t, ckptVar{Path: "/w", DType: "Float32", Dims: []int{1 << 16, 1 << 16}, Bytes: 1 << 34}))), body), "past the end"},
		{"bytes that disagree with dims", frame(header(t, ckptVar{Path: "/w", DType: "Float32", Dims: []int{4, 4}, Bytes: 16}), uint64(len(header(t, ckptVar{Path: "/w", DType: "Float32", Dims: []int{4, 4}, Bytes: 16}))), body), "want 64"},
		{"negative dim", frame(header(t, ckptVar{Path: "/w", DType: "Float32", Dims: []int{-4, -1}, Bytes: 16}), uint64(len(header(t, ckptVar{Path: "/w", DType: "Float32", Dims: []int{-4, -1}, Bytes: 16}))), body), "out of range"},
		{"trailing bytes", frame(ok, uint64(len(ok)), append(body, 1, 2, 3)), "after the last variable"},
		{"unknown dtype", frame(header(t, ckptVar{Path: "/w", DType: "Int4", Dims: []int{32}, Bytes: 16}), uint64(len(header(t, ckptVar{Path: "/w", DType: "Int4", Dims: []int{32}, Bytes: 16}))), body), "dtype"},
		{"not a checkpoint", []byte("hello"), "not an lmkit checkpoint"},
	} {
		_, err := loadBytes(t, tc.raw, model.NewStore())
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "damaged") {
			t.Errorf("%s: %v; want a damaged-checkpoint error containing %q", tc.name, err, tc.want)
		}
	}
	// The well-formed one loads.
	if st, err := loadBytes(t, frame(ok, uint64(len(ok)), body), model.NewStore()); err != nil || st.Step != 3 {
		t.Fatalf("a well-formed checkpoint: %v", err)
	}
	// A variable of another shape than the model's is refused before it is read.
	store := model.NewStore()
	store.CreateVariable("/w", tensors.FromValue([]float32{1, 2, 3}))
	if _, err := loadBytes(t, frame(ok, uint64(len(ok)), body), store); err == nil || !strings.Contains(err.Error(), "different model") {
		t.Errorf("a checkpoint of another shape: %v", err)
	}
}

// FuzzCheckpointReader: whatever a checkpoint file holds, reading it returns a state or an
// error; it never panics, and never allocates beyond what the file's size bounds. The
// checksum is recomputed for each input, so the fuzzer reaches the header and tensor parsing
// instead of stopping at the CRC.
func FuzzCheckpointReader(f *testing.F) {
	ok := header(f, ckptVar{Path: "/w", DType: "Float32", Dims: []int{2, 2}, Bytes: 16})
	f.Add(ok, uint64(len(ok)), make([]byte, 16))
	f.Add([]byte(`{"vars":[{"path":"/a","dtype":"Int32","dims":[3],"bytes":12}]}`), uint64(63), make([]byte, 12))
	f.Add([]byte(`{}`), uint64(1<<40), []byte{})
	f.Fuzz(func(t *testing.T, hdr []byte, n uint64, body []byte) {
		raw := frame(hdr, n, body)
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, checkpointFile), raw, 0o644); err != nil {
			t.Fatal(err)
		}
		LoadCheckpoint(dir, model.NewStore())
	})
}
