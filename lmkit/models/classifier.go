package models

import (
	"encoding/json"

	"github.com/llm-map/lab/lmkit/classify"
	"github.com/llm-map/lab/lmkit/lm"
)

// loadClassifier rebuilds a classifier run's model: its head over a body of any family. A
// classifier is made by classify.Fit, not by New.
func loadClassifier(raw json.RawMessage) (lm.Model, error) { return classify.Rebuild(raw, FromConfig) }
