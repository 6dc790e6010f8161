// Package embed trains word embeddings with word2vec (Mikolov et al. 2013) and puts them to
// use: nearest neighbours and cosine similarity, analogies (3CosAdd and 3CosMul) with the
// questions-words.txt benchmark, 2-D maps (PCA and t-SNE), k-means clusters, sentence search,
// and the word2vec text and binary file formats shared with gensim and the original C tool.
//
// An embedding turns a word into a vector so that words used alike sit close together.
// word2vec learns it with a tiny network: look up the input word's vector, dot it with an
// output vector for a word seen nearby (and with a few words drawn at random, the
// "negatives"), and push the sigmoid of each dot product toward 1 for the real neighbour and
// 0 for the negatives.
//
// Two engines train it behind one API (Train) and give the same Vectors type:
//
//   - Native: a CPU trainer in the manner of the original C tool. Goroutines take 10,000 words
//     at a time and update shared float32 tables without locks (Hogwild), with a sigmoid
//     table, negatives drawn from the unigram^0.75 distribution (an alias table), subsampling
//     of frequent words, a dynamic window and a linearly decaying learning rate. With
//     GOEXPERIMENT=simd on amd64 its inner loops use AVX2 FMA instructions. Two small choices
//     follow gensim 4 rather than the C tool (initial vectors in ±1/dim, pairs whose dot
//     product is beyond ±6 skipped), which measured slightly better analogies. It is the
//     default on CPUs.
//   - GoMLX: the same model as a batched GoMLX computation graph (Network: gather, dot,
//     sigmoid, scatter-add), the engine for XLA and GPUs.
//
// Text goes in through Sentences (lowercase words, one sentence a line) and NewCorpus (the
// vocabulary, min-count); SplitParticles splits Korean particles off nouns first.
//
//	c, _ := embed.NewCorpus(embed.Sentences(docs), 5)
//	vecs, stats, _ := embed.Train(ctx, c, embed.Defaults())
//	near, _ := vecs.Nearest("war", 10)
//	qs, _ := embed.ReadQuestions("questions-words.txt")
//	report := vecs.EvaluateAnalogies(qs, embed.AnalogyOptions{})
package embed
