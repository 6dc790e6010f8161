package models_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/llm-map/lab/internal/labtest"
	"github.com/llm-map/lab/lmkit/classify"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/models"
	"github.com/llm-map/lab/lmkit/plot"
	"github.com/llm-map/lab/lmkit/rnn"
	"github.com/llm-map/lab/lmkit/text"
	"github.com/llm-map/lab/lmkit/train"
	"github.com/llm-map/lab/lmkit/transformer"
)

// A GPT trained on names, read back as one handle: it samples names (one a line, since the
// run's data is one document per line), repeatably by seed; its attention rows are
// distributions; it evaluates on its own recorded split to the summary's loss; a prompt with
// a character it never saw is refused, naming it.
func TestTrainedGPTHandle(t *testing.T) {
	p := labtest.Names(t)
	m, err := transformer.New(transformer.Config{Vocab: p.Tok.VocabSize(), Layers: 1, Heads: 2, Dim: 32})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, s := labtest.Train(t, dir, m, p, train.Config{Steps: 150, Batch: 32, Context: 16, LR: 1e-2, Seed: 1, EvalWindows: 200})
	h, err := models.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if h.Window != 16 || h.Stop != p.Split.Boundary {
		t.Fatalf("window %d, stop %d; want the training context 16 and the newline %d", h.Window, h.Stop, p.Split.Boundary)
	}
	a, err := h.Sample("", 8, models.SampleOptions{MaxTokens: 30, Temperature: 0.8, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := h.Sample("", 8, models.SampleOptions{MaxTokens: 30, Temperature: 0.8, Seed: 3})
	named := 0
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("the same seed gave %q and %q", a[i], b[i])
		}
		if strings.Contains(a[i], "\n") {
			t.Errorf("sample %q: want one name, without a newline", a[i])
		}
		if len(a[i]) >= 2 {
			named++
		}
	}
	if named < 6 {
		t.Errorf("samples %q: want mostly names", a)
	}
	em, err := h.Sample("em", 3, models.SampleOptions{MaxTokens: 10, Seed: 1})
	if err != nil || !strings.HasPrefix(em[0], "em") {
		t.Errorf("a prompt's samples start with it: %q, %v", em, err)
	}
	if _, err := h.Sample("Zoë", 1, models.SampleOptions{}); err == nil || !strings.Contains(err.Error(), `'Z'`) || !strings.Contains(err.Error(), `'ë'`) {
		t.Errorf("a prompt with unseen characters: %v, want them named", err)
	}
	att, err := h.Attention("\nemma")
	if err != nil {
		t.Fatal(err)
	}
	if len(att.Tokens) != 5 || len(att.Weights) != 1 || len(att.Weights[0]) != 2 {
		t.Fatalf("attention over 5 tokens: %d tokens, %d layers, %d heads", len(att.Tokens), len(att.Weights), len(att.Weights[0]))
	}
	// The labels are the tokens' text, so that a plot draws the newline as ¶, not as a
	// backslash and an n (which a Korean font draws as "₩n").
	if att.Tokens[0] != "\n" || plot.TokenLabel(att.Tokens[0]) != "¶" {
		t.Errorf("the boundary's label is %q, drawn %q; want the newline itself, drawn ¶", att.Tokens[0], plot.TokenLabel(att.Tokens[0]))
	}
	for _, row := range att.Weights[0][1] {
		sum := 0.0
		for _, v := range row {
			sum += v
		}
		if math.Abs(sum-1) > 1e-4 {
			t.Errorf("an attention row sums to %v", sum)
		}
	}
	if _, err := h.States("emma"); err == nil || !strings.Contains(err.Error(), "rnn, lstm or gru") {
		t.Errorf("States of a GPT: %v", err)
	}
	loss, err := h.Evaluate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(loss-s.ValLoss) > 1e-4 {
		t.Errorf("Evaluate on the recorded split: %.5f; the run's own validation loss was %.5f", loss, s.ValLoss)
	}
}

// An LSTM's handle gives its hidden states along a text, one per token and layer.
func TestTrainedRNNStates(t *testing.T) {
	p := labtest.Names(t)
	m, err := rnn.New(rnn.Config{Cell: rnn.LSTM, Vocab: p.Tok.VocabSize(), Hidden: 16, Layers: 2})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	labtest.Train(t, dir, m, p, train.Config{Steps: 5, Batch: 8, Context: 16, LR: 1e-2, Seed: 1, EvalWindows: 16})
	h, err := models.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := h.States("olivia")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Values) != 2 || len(st.Values[1]) != 6 || len(st.Values[1][0]) != 16 || strings.Join(st.Tokens, "") != "olivia" {
		t.Fatalf("states %dx%dx%d over %q", len(st.Values), len(st.Values[1]), len(st.Values[1][0]), st.Tokens)
	}
}

// A classifier's handle scores texts: trained on reviews that say 좋아 or 싫어, it tells them apart.
func TestTrainedClassifierHandle(t *testing.T) {
	labtest.SharedData(t)
	var rows []data.Labeled
	for i := range 200 {
		if i%2 == 0 {
			rows = append(rows, data.Labeled{ID: "p", Text: "정말 좋아 최고", Label: 1})
		} else {
			rows = append(rows, data.Labeled{ID: "n", Text: "정말 싫어 최악", Label: 0})
		}
	}
	var all strings.Builder
	for _, r := range rows {
		all.WriteString(r.Text + "\n")
	}
	tok := text.NewRune(all.String(), data.Boundary)
	body, err := transformer.New(transformer.Config{Vocab: tok.VocabSize(), Layers: 1, Heads: 2, Dim: 16})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, _, err = classify.Fit(context.Background(), classify.Setup{Dir: dir, Name: "toy", Train: rows[:160], Val: rows[160:], Body: body, Tok: tok,
		Pooling: classify.Mean, MaxLen: 16, Config: train.Config{Steps: 60, Batch: 16, LR: 1e-2, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := models.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	probs, err := h.Classify([]string{"정말 좋아 최고", "정말 싫어 최악"})
	if err != nil {
		t.Fatal(err)
	}
	if probs[0] < 0.9 || probs[1] > 0.1 {
		t.Errorf("P(positive) %.3f for the positive text, %.3f for the negative one", probs[0], probs[1])
	}
	// The detectors and their votes explain the decision: with mean pooling the logit gap is the
	// votes times the mean activations (plus a bias), larger for the positive text.
	det, err := h.Detectors([]string{"정말 좋아 최고", "정말 싫어 최악"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(det.Tokens[0], "|"); got != "|정|말| |좋|아| |최|고|" {
		t.Fatalf("detector positions %q, want the boundary, the text's characters, the boundary", got)
	}
	gap := func(d int) float64 {
		var g float64
		for _, v := range det.Values[d] {
			for f, a := range v {
				g += det.Votes[f] * float64(a) / float64(len(det.Values[d]))
			}
		}
		return g
	}
	if gap(0) <= gap(1) {
		t.Errorf("votes times mean activations: %.3f for the positive text, %.3f for the negative one", gap(0), gap(1))
	}
	if _, err := h.Sample("", 1, models.SampleOptions{}); err == nil || !strings.Contains(err.Error(), "classifier") {
		t.Errorf("sampling a classifier: %v", err)
	}
}
