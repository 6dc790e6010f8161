// Package transformer is a decoder-only GPT (Radford et al. 2018, nanoGPT's model.py): token
// embeddings plus learned or rotary positions, pre-norm blocks of causal multi-head
// self-attention and a GELU MLP, a final layer norm and logits that may share the token
// embedding (weight tying). Every position attends to the whole window before it at once, so
// a window trains in one parallel pass, where an RNN steps through it token by token.
//
// Variables are named by scope like the model reads: gpt/embed/tokens,
// gpt/block_0/attention/qkv, gpt/block_0/mlp/fc, gpt/norm. AttentionWeights returns every
// layer's and head's attention for any input, for plot.Attention and plot.AttentionGrid.
package transformer

import (
	"errors"
	"fmt"
	"math"
)

// Positions says how the model knows where a token is: Learned or Rotary.
type Positions string

const (
	// Learned adds a trained vector per position (GPT-2, nanoGPT). The table has Context rows,
	// so the model cannot read windows longer than Context.
	Learned Positions = "learned"
	// Rotary rotates each head's queries and keys by an angle that grows with the position
	// (RoPE, Su et al. 2021): attention then depends on relative distance, and there is no
	// table to outgrow.
	Rotary Positions = "rotary"
)

// Config of the GPT. The named presets are nanoGPT's published configurations.
type Config struct {
	Vocab int `json:"vocab"`
	// Context is the longest window the model reads: the rows of the learned position table
	// (nanoGPT's block_size). 0 sizes the table by the first window the model is built for,
	// which is the training context when the model is trained first.
	Context   int       `json:"context"`
	Layers    int       `json:"layers"`
	Heads     int       `json:"heads"`
	Dim       int       `json:"dim"` // embedding width; each head gets Dim/Heads
	Dropout   float64   `json:"dropout"`
	Positions Positions `json:"positions"` // Learned (default) or Rotary
	// Untied gives the output layer its own matrix instead of reusing the token embedding
	// (nanoGPT ties them; tying saves Vocab*Dim parameters).
	Untied bool `json:"untied,omitempty"`
	// Bias adds biases to the linear layers and layer norms (nanoGPT's bias=True, GPT-2).
	Bias bool `json:"bias,omitempty"`
	// Bidirectional drops the causal mask: every position attends to every other, before
	// and after it (BERT's encoder). A language model so built sees the token it is asked to
	// predict, so it is for tasks scored elsewhere (a classifier's body, recall at a query);
	// the default, causal attention, reads only the past.
	Bidirectional bool `json:"bidirectional,omitempty"`
}

// BabyGPT is nanoGPT's "baby GPT" for a CPU (its README's shakespeare_char command for
// laptops): 4 layers, 4 heads, 128 wide, context 64, no dropout, about 0.8M parameters. On
// Tiny Shakespeare, nanoGPT's 2000 steps of batch 12 at lr 1e-3 reach a validation loss of
// 1.88 by its README; 1.92 here with learned positions (PyTorch 1.13: 1.91), 1.80 with Rotary.
func BabyGPT(vocab int) Config {
	return Config{Vocab: vocab, Context: 64, Layers: 4, Heads: 4, Dim: 128, Positions: Learned}
}

// ShakespeareChar is nanoGPT's config/train_shakespeare_char.py model: 6 layers, 6 heads,
// 384 wide, context 256, dropout 0.2, about 10.7M parameters (validation loss 1.47 after
// 5000 steps of batch 64 on a GPU).
func ShakespeareChar(vocab int) Config {
	return Config{Vocab: vocab, Context: 256, Layers: 6, Heads: 6, Dim: 384, Dropout: 0.2, Positions: Learned}
}

// HeadDim is the width of one attention head.
func (c Config) HeadDim() int { return c.Dim / c.Heads }

// Check says what is wrong with a configuration, naming the flag that sets it.
func (c Config) Check() error {
	switch {
	case c.Vocab < 2:
		return fmt.Errorf("transformer: vocabulary size %d must be at least 2 (build the model with the tokenizer's VocabSize())", c.Vocab)
	case c.Context < 0 || c.Context > 1<<16:
		return fmt.Errorf("transformer: Config.Context %d must be between 0 (size it by the training window) and 65536", c.Context)
	case c.Layers < 1:
		return fmt.Errorf("transformer: Config.Layers %d: need at least 1", c.Layers)
	case c.Heads < 1:
		return fmt.Errorf("transformer: Config.Heads %d: need at least 1", c.Heads)
	case c.Dim < 1:
		return fmt.Errorf("transformer: Config.Dim %d must be at least 1", c.Dim)
	case c.Dim%c.Heads != 0:
		return fmt.Errorf("transformer: Config.Dim %d is not divisible by Config.Heads %d: each head gets Dim/Heads features; pick Config.Dim a multiple of Config.Heads (e.g. Config.Dim %d)",
			c.Dim, c.Heads, (c.Dim/c.Heads+1)*c.Heads)
	case c.Dropout < 0 || c.Dropout >= 1 || math.IsNaN(c.Dropout):
		return fmt.Errorf("transformer: Config.Dropout %v must be in [0, 1)", c.Dropout)
	case c.Positions != Learned && c.Positions != Rotary:
		return fmt.Errorf("transformer: Config.Positions %q: use Learned (%q) or Rotary (%q)", string(c.Positions), Learned, Rotary)
	case c.Positions == Rotary && c.HeadDim()%2 != 0:
		return fmt.Errorf("transformer: rotary positions rotate pairs of features, but the head width %d/%d = %d is odd: pick Config.Dim and Config.Heads with an even width per head",
			c.Dim, c.Heads, c.HeadDim())
	}
	return nil
}

var errNoTokens = errors.New("transformer: no tokens given: pass at least one token")
