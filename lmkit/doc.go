// Package lmkit is the library behind llm-map lab's notebooks: one package per idea of the
// map, with data flowing one way.
//
//	text (tokenizers) → data (corpora, splits, batches) → bigram | mlp | … (models, all lm.Model)
//	    → train (harness, runs, checkpoints) → generate, plot → notebooks, cmd/lmkit
//
// backend picks the GoMLX compute backend (XLA when a plugin is installed, else pure Go) and
// says which; models names every model so a notebook switches models by changing one word.
package lmkit
