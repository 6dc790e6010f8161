package models

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/classify"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/generate"
	"github.com/llm-map/lab/lmkit/rnn"
	"github.com/llm-map/lab/lmkit/text"
	"github.com/llm-map/lab/lmkit/train"
	"github.com/llm-map/lab/lmkit/transformer"
)

// SampleOptions shape the samples of Trained.Sample. Zero values take the defaults.
type SampleOptions struct {
	MaxTokens   int     // most new tokens per sample; 0 means 200
	Temperature float64 // <1 safer, >1 wilder; 0 means 1
	TopK        int     // sample among the k most likely tokens; 0 for all
	TopP        float64 // sample among the most likely tokens holding this much probability; 0 for all
	Seed        uint64  // the same seed gives the same samples
}

// Sample draws n continuations of prompt and returns each as text, the prompt included. An
// empty prompt starts a new document. A sample ends at the model's stop token (see Trained.Stop)
// or after MaxTokens new tokens. A prompt with characters the model has never seen is an
// error that names them.
func (t *Trained) Sample(prompt string, n int, o SampleOptions) ([]string, error) {
	if n < 1 {
		return nil, fmt.Errorf("models: Sample: n %d must be at least 1", n)
	}
	if _, ok := t.Model.(*classify.Model); ok {
		return nil, fmt.Errorf("models: %s holds a classifier, which does not generate text: load a language-model run", t.Dir)
	}
	if o.MaxTokens == 0 {
		o.MaxTokens = 200
	}
	if o.MaxTokens < 0 {
		return nil, fmt.Errorf("models: SampleOptions.MaxTokens %d must be positive", o.MaxTokens)
	}
	ids, err := t.Encode(prompt)
	if err != nil {
		return nil, err
	}
	if t.boundary >= 0 {
		ids = append([]int{t.boundary}, ids...) // the context a document starts from
	} else if len(ids) == 0 {
		return nil, fmt.Errorf("models: Sample: the tokenizer has no document boundary to start from: give a prompt")
	}
	if err := t.ready(); err != nil {
		return nil, err
	}
	s := t.samplers[o]
	if s == nil {
		s, err = generate.New(t.Backend, t.Store, t.Model, generate.Options{Temperature: o.Temperature, TopK: o.TopK, TopP: o.TopP,
			Seed: o.Seed, Stop: t.Stop, Window: t.Window})
		if err != nil {
			return nil, err
		}
		if t.samplers == nil {
			t.samplers = map[SampleOptions]*generate.Sampler{}
		}
		t.samplers[o] = s
	}
	prompts := make([][]int, n)
	for i := range prompts {
		prompts[i] = ids
	}
	outs, err := s.Sample(prompts, o.MaxTokens)
	if err != nil {
		return nil, err
	}
	texts := make([]string, n)
	for i, out := range outs {
		texts[i] = prompt + t.Tok.Decode(out)
	}
	return texts, nil
}

// Encode turns text into the model's token ids. Characters outside a character vocabulary
// without <unk> are an error naming them, never dropped in silence.
func (t *Trained) Encode(s string) ([]int, error) {
	r, ok := t.Tok.(*text.Rune)
	if !ok {
		return t.Tok.Encode(s), nil
	}
	if _, hasUnk := r.ID(text.Unk); hasUnk {
		return r.Encode(s), nil
	}
	var unknown []string
	seen := map[rune]bool{}
	for _, c := range s {
		if _, ok := r.ID(string(c)); !ok && !seen[c] {
			seen[c] = true
			unknown = append(unknown, fmt.Sprintf("%q (U+%04X)", c, c))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("models: %q has characters the model in %s never saw: %s; its vocabulary has %d tokens: leave them out",
			s, t.Dir, strings.Join(unknown, ", "), r.VocabSize())
	}
	return r.Encode(s), nil
}

// Tokens is the text of each of the text's tokens, for plot labels (plot.TokenLabel draws a
// newline as ¶ and edge spaces as ·).
func (t *Trained) Tokens(s string) ([]string, error) {
	ids, err := t.Encode(s)
	if err != nil {
		return nil, err
	}
	return t.labels(ids), nil
}

// Evaluate is the model's mean loss per token on the validation split of the text it was
// trained on, read and split again as the run recorded; p, when given, is scored instead (its
// validation split, windowed as the run trained).
func (t *Trained) Evaluate(ctx context.Context, p ...*data.Prepared) (float64, error) {
	var prep *data.Prepared
	switch len(p) {
	case 0:
		rd := t.Config.Data
		txt, err := data.ReadText(ctx, rd.Source, rd.Lines)
		if err != nil {
			return 0, err
		}
		if now := data.Fingerprint(txt.Docs); rd.SHA256 != "" && now != rd.SHA256 {
			return 0, fmt.Errorf("models: the text of %s has changed since the run in %s trained on it: its validation split is not the one the run held out; pass the text to Evaluate to score it on purpose", rd.Source, t.Dir)
		}
		seed := rd.SplitSeed
		if seed == 0 {
			seed = data.SplitSeed
		}
		if prep, err = data.PrepareWith(txt, t.Tok, seed); err != nil {
			return 0, err
		}
	case 1:
		prep = p[0]
	default:
		return 0, fmt.Errorf("models: Evaluate takes at most one prepared text, got %d", len(p))
	}
	if err := t.ready(); err != nil {
		return 0, err
	}
	return train.EvaluateStore(t.Backend, t.Store, t.Model, prep, t.Config.Train)
}

// Attention is a GPT's attention over a text: Weights[layer][head][query][key] is how much the
// token at query takes from the token at key (each row sums to 1), Tokens labels the positions.
type Attention struct {
	Tokens  []string
	Weights [][][][]float64
}

// Attention runs a GPT over s and returns every layer's and head's attention.
func (t *Trained) Attention(s string) (*Attention, error) {
	m, ok := t.Model.(*transformer.Model)
	if !ok {
		return nil, fmt.Errorf("models: %s holds a %s model; attention weights come from a gpt", t.Dir, t.Model.Name())
	}
	ids, err := t.window(s, true)
	if err != nil {
		return nil, err
	}
	w, err := transformer.AttentionWeights(t.Backend, t.Store, m, ids)
	if err != nil {
		return nil, err
	}
	return &Attention{Tokens: t.labels(ids), Weights: w}, nil
}

// States is a recurrent model's hidden state along a text: Values[layer][position][unit], and
// Tokens labelling the positions.
type States struct {
	Tokens []string
	Values [][][]float32
}

// States runs an RNN, LSTM or GRU over s from a zero state and returns every layer's hidden
// state after each token.
func (t *Trained) States(s string) (*States, error) {
	m, ok := t.Model.(*rnn.Model)
	if !ok {
		return nil, fmt.Errorf("models: %s holds a %s model; hidden states come from an rnn, lstm or gru", t.Dir, t.Model.Name())
	}
	ids, err := t.window(s, false)
	if err != nil {
		return nil, err
	}
	v, err := rnn.States(t.Backend, t.Store, m, ids)
	if err != nil {
		return nil, err
	}
	return &States{Tokens: t.labels(ids), Values: v}, nil
}

// Classify returns a classifier's probability of class 1 (positive, in NSMC) for each text.
func (t *Trained) Classify(texts []string) ([]float64, error) {
	clf, set, err := t.classifierInput(texts)
	if err != nil {
		return nil, err
	}
	return classify.Probabilities(t.Backend, t.Store, clf, set, t.Config.Train.Batch)
}

// classifierInput encodes texts for the classifier t holds, refusing a language model.
func (t *Trained) classifierInput(texts []string) (*classify.Model, *classify.Encoded, error) {
	clf, ok := t.Model.(*classify.Model)
	if !ok {
		return nil, nil, fmt.Errorf("models: %s holds a %s language model, not a classifier: train one with classify.Fit", t.Dir, t.Model.Name())
	}
	rows := make([]data.Labeled, len(texts))
	for i, s := range texts {
		rows[i] = data.Labeled{ID: fmt.Sprint(i), Text: s}
	}
	set, err := classify.Encode(rows, t.Tok, clf.Boundary, t.Window)
	if err != nil {
		return nil, nil, err
	}
	return clf, set, t.ready()
}

// Detectors are a classifier body's features position by position, before pooling: what each
// learned feature responds to, and how much it votes for class 1.
type Detectors struct {
	// Tokens[d][p] is the token at position p of text d; positions start with the opening
	// boundary and end with the closing one ("" for both), as the pooling reads them.
	Tokens [][]string
	Values [][][]float32 // Values[d][p][f]: feature f at position p of text d
	Votes  []float64     // Votes[f]: what one unit of pooled feature f adds to class 1's logit over class 0's
}

// Detectors runs a two-class classifier's body over texts and returns its features before
// pooling, with each feature's vote from the head.
func (t *Trained) Detectors(texts []string) (*Detectors, error) {
	clf, set, err := t.classifierInput(texts)
	if err != nil {
		return nil, err
	}
	w, err := classify.HeadWeights(t.Store, clf)
	if err != nil {
		return nil, err
	}
	if len(w) > 0 && len(w[0]) != 2 {
		return nil, fmt.Errorf("models: %s has %d classes; votes are defined for two", t.Dir, len(w[0]))
	}
	acts, err := classify.Activations(t.Backend, t.Store, clf, set, t.Config.Train.Batch)
	if err != nil {
		return nil, err
	}
	d := &Detectors{Values: acts, Votes: make([]float64, len(w)), Tokens: make([][]string, len(acts))}
	for f := range w {
		d.Votes[f] = w[f][1] - w[f][0]
	}
	for i, doc := range acts {
		d.Tokens[i] = make([]string, len(doc))
		for p := range doc {
			if id := int(set.Rows[i][p]); id != clf.Boundary {
				d.Tokens[i][p] = t.Tok.Decode([]int{id})
			}
		}
	}
	return d, nil
}

// window encodes s for one pass of the model, refusing text longer than its window when
// bounded (a GPT's positions end there; a recurrent model reads any length).
func (t *Trained) window(s string, bounded bool) ([]int, error) {
	ids, err := t.Encode(s)
	if err != nil {
		return nil, err
	}
	if err := t.ready(); err != nil {
		return nil, err
	}
	switch {
	case len(ids) == 0:
		return nil, fmt.Errorf("models: no text given")
	case bounded && t.Window > 0 && len(ids) > t.Window:
		return nil, fmt.Errorf("models: %q is %d tokens, longer than the model's window of %d: shorten it", s, len(ids), t.Window)
	}
	return ids, nil
}

// labels is the text of each token: Decode, not Token, whose printable form writes a newline
// as a backslash and an n (drawn "₩n" by a Korean font).
func (t *Trained) labels(ids []int) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = t.Tok.Decode([]int{id})
	}
	return out
}

// ready gives a Trained built by hand (an untrained model, say) the backend Load would.
func (t *Trained) ready() error {
	if t.Backend != nil {
		return nil
	}
	be, err := backend.Default()
	t.Backend = be
	return err
}

// GradientReach is rnn.GradientReach for a recurrent model: reach[d] is the norm of the
// gradient of the batch's loss with respect to the first layer's pre-activations d steps
// before each sequence's last position.
func (t *Trained) GradientReach(b *data.Batch) ([]float64, error) {
	m, ok := t.Model.(*rnn.Model)
	if !ok {
		return nil, fmt.Errorf("models: %s holds a %s model; the gradient's reach is measured for an rnn, lstm or gru", t.Dir, t.Model.Name())
	}
	if err := t.ready(); err != nil {
		return nil, err
	}
	return rnn.GradientReach(t.Backend, t.Store, m, b)
}
