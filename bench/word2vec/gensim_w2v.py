#!/usr/bin/python3
"""Train gensim's Word2Vec on a tokenized corpus and report speed and analogy accuracy.

Run by `go run ./bench/word2vec` (see README.md there), which writes the corpus (one sentence
a line, words separated by spaces, the same tokens lmkit trains on) and compares the figures.
Needs Debian's python3-gensim 4.2: apt-get install -y python3-gensim, run with /usr/bin/python3.

Prints one JSON object on the last line of standard output.
"""
import argparse
import json
import logging
import sys
import time


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--corpus", required=True, help="tokenized corpus, one sentence a line")
    p.add_argument("--questions", required=True, help="questions-words.txt")
    p.add_argument("--save", default="", help="write the vectors here, word2vec binary format")
    p.add_argument("--model", default="skipgram", choices=["skipgram", "cbow"])
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--sample", type=float, default=1e-3)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--alpha", type=float, default=0.025)
    p.add_argument("--min-alpha", type=float, default=0.0001)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--corpus-file", action="store_true",
                   help="train with corpus_file= (gensim's file mode, one reader a worker) instead of an iterable")
    a = p.parse_args()

    try:
        import gensim
        from gensim.models import Word2Vec
        from gensim.models.word2vec import LineSentence
        from gensim.models.word2vec_inner import FAST_VERSION
    except ImportError as e:
        sys.exit(f"gensim_w2v.py: {e}: install Debian's gensim with `apt-get install -y python3-gensim` "
                 "and run this script with /usr/bin/python3")
    if FAST_VERSION < 0:
        sys.exit("gensim_w2v.py: gensim's compiled routines are missing (FAST_VERSION < 0): reinstall python3-gensim")
    logging.basicConfig(level=logging.WARNING)

    m = Word2Vec(vector_size=a.dim, window=a.window, negative=a.negative, hs=0, sample=a.sample,
                 min_count=a.min_count, epochs=a.epochs, alpha=a.alpha, min_alpha=a.min_alpha,
                 sg=1 if a.model == "skipgram" else 0, workers=a.workers, seed=a.seed)
    t0 = time.perf_counter()
    if a.corpus_file:
        m.build_vocab(corpus_file=a.corpus)
    else:
        sentences = LineSentence(a.corpus)
        m.build_vocab(sentences)
    vocab_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    if a.corpus_file:
        trained, raw = m.train(corpus_file=a.corpus, total_words=m.corpus_total_words, epochs=m.epochs)
    else:
        trained, raw = m.train(sentences, total_examples=m.corpus_count, epochs=m.epochs)
    secs = time.perf_counter() - t0

    score, sections = m.wv.evaluate_word_analogies(a.questions, restrict_vocab=30000)
    seen = sum(len(s["correct"]) + len(s["incorrect"]) for s in sections if s["section"] != "Total accuracy")
    if a.save:
        m.wv.save_word2vec_format(a.save, binary=True)
    words = m.corpus_total_words * a.epochs
    print(json.dumps({
        "gensim": gensim.__version__,
        "mode": "corpus_file" if a.corpus_file else "iterable",
        "workers": a.workers,
        "vocab": len(m.wv),
        "raw_words": m.corpus_total_words,
        "words": words,
        "effective_words": trained,
        "seconds": secs,
        "vocab_seconds": vocab_s,
        "words_per_sec": words / secs,
        "analogy": 100 * score,
        "analogy_seen": seen,
        "sections": [{"section": s["section"], "correct": len(s["correct"]), "incorrect": len(s["incorrect"])}
                     for s in sections],
    }))


if __name__ == "__main__":
    main()
