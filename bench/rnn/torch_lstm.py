"""PyTorch peer of lmkit's LSTM language model, for bench/rnn.

char-rnn's model in PyTorch: one-hot characters into nn.LSTM(vocab, hidden, layers), a linear
layer to the vocabulary, cross-entropy, Adam, gradient clipping by global norm 1. It prints one
JSON line: {"torch": version, "threads": N, "tokens_per_sec": ..., "sec_per_step": ...,
"cpu_per_step": ..., "loss": ...}.

Run with Debian's python3-torch: /usr/bin/python3 bench/rnn/torch_lstm.py --threads 1
"""
import argparse
import os
import sys
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "internal", "peer"))
from torch_blas import blas_library  # noqa: E402  (the BLAS check both PyTorch peers share)


class CharLSTM(nn.Module):
    def __init__(self, vocab, hidden, layers, cell):
        super().__init__()
        self.vocab = vocab
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell]
        self.rnn = rnn(vocab, hidden, layers)  # time-major input [T, B, V]
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x):  # x [T, B] int64
        h, _ = self.rnn(F.one_hot(x, self.vocab).float())
        return self.out(h)  # [T, B, V]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--vocab", type=int, default=65)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--seq", type=int, default=50)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--cell", default="lstm")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = CharLSTM(a.vocab, a.hidden, a.layers, a.cell)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    data = torch.randint(0, a.vocab, (200_000,))

    def step(k):
        g = torch.Generator().manual_seed(k)
        starts = torch.randint(0, len(data) - a.seq - 1, (a.batch,), generator=g)
        idx = starts[None, :] + torch.arange(a.seq)[:, None]  # [T, B]
        x, y = data[idx], data[idx + 1]
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, a.vocab), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    for k in range(a.warmup):
        step(k)
    start, cpu = time.perf_counter(), time.process_time()
    for k in range(a.steps):
        loss = step(a.warmup + k)
    dt = (time.perf_counter() - start) / a.steps
    cpu = (time.process_time() - cpu) / a.steps
    print(json.dumps({"torch": torch.__version__, "threads": a.threads, "blas": blas_library(), "tokens_per_sec": a.batch * a.seq / dt,
                      "sec_per_step": dt, "cpu_per_step": cpu, "loss": loss}))


if __name__ == "__main__":
    main()
