package train

import (
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
)

// trainBatches chooses how a text task draws its training windows: at random (data.Sampler,
// as nanoGPT does), or, for a model that carries its state from one batch to the next
// (lm.Stateful that Carries, truncated back-propagation through time), in contiguous lanes (data.Lanes, as
// char-rnn does), so that row i of each batch continues row i of the batch before.
func trainBatches(m lm.Model, stream []int32, cfg Config) (Batches, error) {
	if s, ok := m.(lm.Stateful); ok && s.Carries() {
		lanes, err := data.NewLanes(stream, cfg.Batch, cfg.Context)
		if err != nil {
			return nil, err
		}
		return lanes, nil
	}
	sampler, err := data.NewSampler(stream, cfg.Batch, cfg.Context, cfg.Seed)
	if err != nil {
		return nil, err
	}
	return sampler, nil
}
