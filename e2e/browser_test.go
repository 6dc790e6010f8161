package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/llm-map/lab/internal/labtest"
)

// startHere is the notebook the browser test runs.
const startHere = "00_start_here.ipynb"

// TestBrowserRunsStartHere runs every cell of notebooks/00_start_here.ipynb in headless
// Chromium, through the Jupyter that lab.sh starts, in quick mode. The server serves a
// temporary copy with its outputs cleared, so the committed notebook is never touched and
// every plot seen comes from this run. It checks that every cell ran, that the inline
// plots are there and decode as images, and that no cell shows an error, then saves a
// screenshot of the whole notebook to $LMKIT_ARTIFACTS/start_here.png.
func TestBrowserRunsStartHere(t *testing.T) {
	s := needLab(t)
	chromium := needChromium(t)
	if requireLab() {
		t.Setenv("LMKIT_REQUIRE_DATA", "1") // a missing data folder fails too
	}
	dataDir := labtest.SharedData(t)

	dir := t.TempDir()
	copyCleared(t, filepath.Join(s.root, "notebooks", startHere), filepath.Join(dir, startHere))
	port := freePort(t)
	token := randomToken(t)
	srv := startLab(t, s, port, map[string]string{
		"LAB_TOKEN":      token,
		"LAB_DIR":        dir,
		"LMKIT_QUICK":    "1",
		"LMKIT_DATA_DIR": dataDir,
	})
	if srv.token != token {
		t.Fatalf("lab.sh printed the token %q, want LAB_TOKEN %q", srv.token, token)
	}
	// The server's root is the temporary folder (LAB_DIR), never the checkout's notebooks/.
	if names := served(t, srv, token); len(names) != 1 || names[0] != startHere {
		t.Fatalf("the server's root holds %v, want only the copy %s: does lab.sh serve LAB_DIR=%s?", names, startHere, dir)
	}

	ctx, cancel := context.WithTimeout(context.Background(), budget(t, 8*time.Minute))
	defer cancel()
	var chromeLog buffer
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.WindowSize(1280, 1000),
		chromedp.CombinedOutput(&chromeLog),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v\n%s", chromium, err, chromeLog.String())
	}

	url := fmt.Sprintf("http://127.0.0.1:%d/notebooks/%s?token=%s", port, startHere, token)
	if err := chromedp.Do(bctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	// Whatever happens next, keep a picture of the page for whoever reads the failure.
	defer screenshot(t, bctx, s.root)

	// The notebook is loaded and its gonb kernel connected: run every cell.
	until(t, bctx, srv, 2*time.Minute, "the notebook to load and its kernel to connect",
		`!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded &&
			Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected() &&
			Jupyter.notebook.kernel.name === "gonb")`)
	if n := evaluate[int](t, bctx, `document.querySelectorAll(".output_area img").length`); n != 0 {
		t.Fatalf("the notebook shows %d images before running: it is not the cleared copy", n)
	}
	start := time.Now()
	evaluate[bool](t, bctx, `Jupyter.notebook.execute_all_cells(), true`)

	// Done: no cell marked running and the kernel idle. Run All marks every cell running at
	// once; a cell that fails does not leave it hanging (GoNB even runs the cells after it).
	cellWait := budget(t, 6*time.Minute)
	deadline := time.Now().Add(cellWait)
	var st runState
	lastLog := time.Now()
	for {
		st = evaluate[runState](t, bctx, runStateJS)
		if st.Running == 0 && !st.Busy {
			break
		}
		if srv.exited() {
			t.Fatalf("the Jupyter server exited while the cells ran (%v):\n%s", srv.err, srv.out.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cells did not finish within %v: prompts %v, kernel busy %v, connected %v; outputs so far:\n%s",
				cellWait, st.Prompts, st.Busy, st.Connected, st.Text)
		}
		if time.Since(lastLog) > 30*time.Second {
			t.Logf("%.0f s: prompts %v", time.Since(start).Seconds(), st.Prompts)
			lastLog = time.Now()
		}
		time.Sleep(time.Second)
	}
	t.Logf("all cells ran in %.1f s: prompts %v", time.Since(start).Seconds(), st.Prompts)

	// Every code cell ran, once, in order, in this kernel.
	prev := 0
	for i, p := range st.Prompts {
		n := 0
		if _, err := fmt.Sscanf(p, "%d", &n); err != nil || n <= prev {
			t.Errorf("code cell %d has the prompt In [%s] (prompts %v): it did not run after the cell before it", i+1, p, st.Prompts)
			break
		}
		prev = n
	}
	if st.Total == 0 || len(st.Prompts) != st.Total {
		t.Errorf("found %d code cells, %d prompts", st.Total, len(st.Prompts))
	}

	// No error output, no panic and no "error:" line (notebook.Check's) in any output.
	for _, e := range st.Errors {
		t.Errorf("error output in %s", e)
	}
	if m := errorText.FindString(st.Text); m != "" {
		t.Errorf("an output says %q; all the outputs:\n%s", strings.TrimSpace(m), st.Text)
	}

	// The plots: the live loss plot (a PNG inside an HTML output) and the loss curves
	// (an image/png display), each decoded by the browser.
	var inHTML, inPNG int
	for _, img := range st.Images {
		if !strings.HasPrefix(img.Src, "data:image/png;base64,") {
			continue
		}
		if img.Width < 100 || img.Height < 100 {
			t.Errorf("a plot image did not decode to a picture: %dx%d", img.Width, img.Height)
		}
		switch img.Kind {
		case "html":
			inHTML++
		case "png":
			inPNG++
		}
	}
	t.Logf("inline PNG plots: %d in HTML outputs (live loss), %d image/png outputs (curves)", inHTML, inPNG)
	if inHTML == 0 {
		t.Errorf("no inline PNG <img> inside an HTML output (the live loss plot); images: %+v", st.Images)
	}
	if inPNG == 0 {
		t.Errorf("no image/png output (the loss curves); images: %+v", st.Images)
	}
}

// runState is the notebook as the browser shows it.
type runState struct {
	Busy      bool     `json:"busy"`
	Connected bool     `json:"connected"`
	Total     int      `json:"total"`   // non-empty code cells
	Running   int      `json:"running"` // cells marked running
	Prompts   []string `json:"prompts"` // each code cell's In [..] prompt: a number, "*" or ""
	Errors    []string `json:"errors"`  // each cell with an error output: which, and all it shows
	Text      string   `json:"text"`    // text of every output, in order
	Images    []struct {
		Src    string `json:"src"` // its first 32 characters
		Width  int    `json:"width"`
		Height int    `json:"height"`
		Kind   string `json:"kind"` // "html" (inside an HTML output), "png" (an image/png output) or ""
	} `json:"images"`
}

const runStateJS = `(() => {
	const nb = Jupyter.notebook;
	const cells = nb.get_cells().filter(c => c.cell_type === "code" && c.get_text().trim() !== "");
	const text = el => el.innerText || "";
	return {
		busy: !!nb.kernel_busy,
		connected: !!(nb.kernel && nb.kernel.is_connected()),
		total: cells.length,
		running: document.querySelectorAll(".cell.running").length,
		prompts: cells.map(c => c.input_prompt_number === undefined || c.input_prompt_number === null ? "" : String(c.input_prompt_number)),
		errors: cells.map((c, i) => [c, i]).filter(([c]) => c.element[0].querySelector(".output_error")).map(([c, i]) =>
			"code cell " + (i + 1) + " (In [" + c.input_prompt_number + "]), its outputs:\n" + text(c.output_area.element[0])),
		text: [...document.querySelectorAll(".output_subarea")].map(text).join("\n"),
		images: [...document.querySelectorAll(".output_area img")].map(i => ({
			src: i.src.slice(0, 32),
			width: i.naturalWidth,
			height: i.naturalHeight,
			kind: i.closest(".output_html") ? "html" : i.closest(".output_png") ? "png" : "",
		})),
	};
})()`

// errorText finds what a failing cell prints: a Go panic, notebook.Check's "error: ..."
// line, a traceback, or a compile error as GoNB shows it.
var errorText = regexp.MustCompile(`(?m)(panic: .*|^\s*(fatal )?error: .*|Traceback \(most recent call last\).*|^.*\.go:\d+:\d+: .*)`)

// evaluate runs the JavaScript expression js in the page and decodes its value.
func evaluate[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %.60q: %v", js, err)
	}
	return v
}

// until polls the JavaScript condition js every half second until it is true, failing t
// after d or when the server exits.
func until(t *testing.T, ctx context.Context, srv *labServer, d time.Duration, what, js string) {
	t.Helper()
	d = budget(t, d)
	deadline := time.Now().Add(d)
	for !evaluate[bool](t, ctx, js) {
		if srv.exited() {
			t.Fatalf("the Jupyter server exited (%v) while waiting for %s:\n%s", srv.err, what, srv.out.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s; server output:\n%s", d, what, srv.out.String())
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// served lists the files at the root of the lab's server, through its contents API.
func served(t *testing.T, srv *labServer, token string) []string {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/api/contents?token=%s", srv.port, token))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var dir struct {
		Content []struct {
			Name string `json:"name"`
		} `json:"content"`
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/contents: %s", resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&dir); err != nil {
		t.Fatalf("GET /api/contents: %v", err)
	}
	var names []string
	for _, c := range dir.Content {
		names = append(names, c.Name)
	}
	return names
}

// copyCleared writes the notebook src to dst with every output and execution count
// cleared, so that whatever the browser shows afterwards was produced by the test's run.
func copyCleared(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var nb map[string]any
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	cells, _ := nb["cells"].([]any)
	for _, c := range cells {
		if cell, ok := c.(map[string]any); ok && cell["cell_type"] == "code" {
			cell["outputs"] = []any{}
			cell["execution_count"] = nil
		}
	}
	out, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// screenshot saves the whole notebook page as $LMKIT_ARTIFACTS/start_here.png (default
// out/e2e/ in the checkout) and logs where.
func screenshot(t *testing.T, ctx context.Context, root string) {
	dir := os.Getenv("LMKIT_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(root, "out", "e2e")
	}
	// Notebook 6 scrolls inside #site; let the page grow so the capture holds every cell.
	_, _ = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		for (const el of [document.documentElement, document.body, document.getElementById("site")]) {
			if (el) { el.style.height = "auto"; el.style.overflow = "visible"; }
		}
	})()`))
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	path := filepath.Join(dir, "start_here.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	abs, _ := filepath.Abs(path)
	t.Logf("screenshot: %s (%d KiB)", abs, len(png)/1024)
}
