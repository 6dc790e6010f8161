package data

import "testing"

// Each sequence lists distinct keys with their values, then asks some of those keys again;
// only the answers are scored, and each is the value the key was paired with.
func TestMQARSequences(t *testing.T) {
	m, err := NewMQAR(MQAR{Keys: 16, Values: 16, Pairs: 6, Queries: 4, BatchSize: 8, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	b := m.Batch(5)
	if b.B != 8 || b.T != 16 || b.Scored != 32 {
		t.Fatalf("batch %dx%d scoring %d, want 8x16 scoring 32", b.B, b.T, b.Scored)
	}
	for r := range b.B {
		x, y, mask := b.X[r*b.T:(r+1)*b.T], b.Y[r*b.T:(r+1)*b.T], b.Mask[r*b.T:(r+1)*b.T]
		value := map[int32]int32{}
		for p := range 6 {
			k, v := x[2*p], x[2*p+1]
			if k < 1 || k > 16 || v <= 16 || v > 32 {
				t.Fatalf("row %d pair %d: key %d value %d out of their ranges", r, p, k, v)
			}
			if _, dup := value[k]; dup {
				t.Fatalf("row %d: key %d paired twice", r, k)
			}
			value[k] = v
		}
		scored := 0
		for pos := range b.T {
			if mask[pos] == 0 {
				continue
			}
			scored++
			if pos < 12 || value[x[pos]] != y[pos] {
				t.Errorf("row %d position %d: query %d answered %d, paired with %d", r, pos, x[pos], y[pos], value[x[pos]])
			}
		}
		if scored != 4 {
			t.Errorf("row %d scores %d positions, want 4", r, scored)
		}
	}
	if again := m.Batch(5); again.X[7] != b.X[7] || again.Y[15] != b.Y[15] {
		t.Error("batch 5 differs when drawn again")
	}
	if _, err := NewMQAR(MQAR{Keys: 4, Values: 8, Pairs: 6, Queries: 2, BatchSize: 1}); err == nil {
		t.Error("fewer keys than pairs should be refused")
	}
}
