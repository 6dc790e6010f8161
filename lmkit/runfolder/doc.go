// Package runfolder owns the files of a run folder, the one place a training run keeps what it
// is and what it did. Nobody else opens these files by name:
//
//	config.json     what was trained on what: model, its configuration, the data record, settings
//	tokenizer.json  the tokenizer the model reads
//	history.jsonl   one Record per logged step
//	checkpoint.bin  every variable of the model and optimizer, with a State (see SaveCheckpoint)
//	summary.json    the finished run's Summary
//	lock            held by the one process writing the folder (see Lock)
//	vectors.bin     word vectors of a word2vec run (vocab.txt, vectors.txt beside it)
//
// Every file is replaced atomically (written to a temporary file, synced, renamed), so a run
// killed at any moment leaves each file whole, old or new; the next writer removes the
// temporary files a kill left behind.
package runfolder
