package models

import (
	"encoding/json"
	"errors"

	"github.com/llm-map/lab/lmkit/classify"
	"github.com/llm-map/lab/lmkit/lm"
)

func init() {
	Register("classifier", "a classification head over a language-model body (lmkit classify)",
		func(Options) (lm.Model, error) {
			return nil, errors.New("models: a classifier is built by classify.Fit, over a body model")
		},
		func(raw json.RawMessage) (lm.Model, error) { return classify.Rebuild(raw, FromConfig) })
}
