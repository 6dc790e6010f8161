//go:build linux || darwin

package plot

import (
	"encoding/gob"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// fakeGoNB stands in for the GoNB kernel: it makes the two named pipes that
// gonbui talks through and returns the display messages the package sends.
// gonbui opens the pipes once per process, so the fake kernel is shared by
// all tests (and by -count=N reruns).
func fakeGoNB(t *testing.T) <-chan *protocol.DisplayData {
	t.Helper()
	if gonbui.IsNotebook {
		t.Skip("already running inside GoNB")
	}
	kernelOnce.Do(startFakeKernel)
	if kernelErr != nil {
		t.Skipf("cannot fake a GoNB kernel: %v", kernelErr)
	}
	gonbui.IsNotebook = true
	t.Cleanup(func() { gonbui.IsNotebook = false })
	return kernelMsgs
}

var (
	kernelOnce sync.Once
	kernelErr  error
	kernelMsgs = make(chan *protocol.DisplayData, 100)
)

func startFakeKernel() {
	dir, err := os.MkdirTemp("", "lmkit-plot-gonb")
	if err != nil {
		kernelErr = err
		return
	}
	toKernel, fromKernel := filepath.Join(dir, "out"), filepath.Join(dir, "back")
	for _, p := range []string{toKernel, fromKernel} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			kernelErr = err
			return
		}
	}
	os.Setenv(protocol.GONB_PIPE_ENV, toKernel)
	os.Setenv(protocol.GONB_PIPE_BACK_ENV, fromKernel)
	go func() {
		r, err := os.Open(toKernel) // blocks until gonbui opens its end.
		if err != nil {
			return
		}
		dec := gob.NewDecoder(r)
		for {
			var d protocol.DisplayData
			if err := dec.Decode(&d); err != nil {
				return
			}
			kernelMsgs <- &d
		}
	}()
	go func() {
		// gonbui reads replies from the back pipe; hold its writing end
		// open for the life of the test process.
		_, _ = os.OpenFile(fromKernel, os.O_WRONLY, 0)
	}()
}

func next(t *testing.T, msgs <-chan *protocol.DisplayData) *protocol.DisplayData {
	t.Helper()
	select {
	case d, ok := <-msgs:
		if !ok {
			t.Fatal("display pipe closed")
		}
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("no display message within 10s")
	}
	return nil
}

func TestNotebookDisplay(t *testing.T) {
	msgs := fakeGoNB(t)

	// Figure.Display sends one PNG.
	testFigure(t).Display()
	d := next(t, msgs)
	if b, ok := d.Data[protocol.MIMEImagePNG].([]byte); !ok || len(b) < 1000 {
		t.Errorf("Display sent %v, want a PNG", keys(d))
	}

	// Live redraws one block in place, at most once per Every.
	l := NewLive("live 손실")
	l.Every = time.Hour
	l.TotalSteps = 50
	for step := range 50 {
		l.Add("train", float64(step), 3-float64(step)/30)
	}
	first := next(t, msgs) // drawn at the first Add only.
	l.Done()
	final := next(t, msgs)
	for _, d := range []*protocol.DisplayData{first, final} {
		if d.DisplayID != l.id {
			t.Errorf("DisplayID = %q, want the view's id %q", d.DisplayID, l.id)
		}
		h, _ := d.Data[protocol.MIMETextHTML].(string)
		if !strings.Contains(h, `<img src="data:image/png;base64,`) || !strings.Contains(h, "<pre") {
			t.Errorf("live block %.80q... lacks the inline PNG or the progress line", h)
		}
	}
	if h := first.Data[protocol.MIMETextHTML].(string); !strings.Contains(h, "step 0/50") {
		t.Errorf("first draw should show step 0: %q", h[strings.Index(h, "<pre"):])
	}
	if h := final.Data[protocol.MIMETextHTML].(string); !strings.Contains(h, "step 49/50 (98%)") {
		t.Errorf("final draw should show step 49: %q", h[strings.Index(h, "<pre"):])
	}
	select {
	case d := <-msgs:
		t.Errorf("unexpected extra display message %v: Every should throttle redraws", keys(d))
	case <-time.After(100 * time.Millisecond):
	}
}

func keys(d *protocol.DisplayData) []protocol.MIMEType {
	var out []protocol.MIMEType
	for k := range d.Data {
		out = append(out, k)
	}
	return out
}
