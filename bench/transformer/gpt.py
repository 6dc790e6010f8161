"""The PyTorch peer of lmkit's GPT: nanoGPT's model.py reduced to the baby configuration's
choices (no biases, tied embeddings, learned positions, exact GELU, pre-norm blocks), trained
with AdamW and global-norm clipping on random character windows of a text file.

Run by bench/transformer/run.sh; it prints one line of JSON with tokens/s.

    /usr/bin/python3 bench/transformer/gpt.py --data tinyshakespeare.txt --threads 1
"""
import argparse
import os
import sys
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "internal", "peer"))
from torch_blas import blas_library  # noqa: E402  (the BLAS check both PyTorch peers share)


class LayerNorm(nn.Module):
    """nanoGPT's LayerNorm with bias=False: a gain and no shift."""

    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, None, 1e-5)


class CausalSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x, mask):
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q = q.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        k = k.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        v = v.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        # PyTorch 1.13 has no F.scaled_dot_product_attention: nanoGPT's slow path.
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(mask[:, :, :t, :t] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        return self.proj(y)


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1 = LayerNorm(dim)
        self.attn = CausalSelfAttention(dim, heads)
        self.ln2 = LayerNorm(dim)
        self.fc = nn.Linear(dim, 4 * dim, bias=False)
        self.out = nn.Linear(4 * dim, dim, bias=False)

    def forward(self, x, mask):
        x = x + self.attn(self.ln1(x), mask)
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class GPT(nn.Module):
    def __init__(self, vocab, context, layers, heads, dim):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(context, dim)
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(layers)])
        self.ln = LayerNorm(dim)
        self.head = nn.Linear(dim, vocab, bias=False)
        self.head.weight = self.tok.weight  # weight tying
        self.register_buffer("mask", torch.tril(torch.ones(context, context)).view(1, 1, context, context))
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith(("proj.weight", "out.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx, targets):
        b, t = idx.shape
        x = self.tok(idx) + self.pos(torch.arange(t))
        for blk in self.blocks:
            x = blk(x, self.mask)
        logits = self.head(self.ln(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--context", type=int, default=64)
    ap.add_argument("--batch", type=int, default=12)
    ap.add_argument("--steps", type=int, default=200, help="timed steps")
    ap.add_argument("--warmup-steps", type=int, default=20, help="untimed steps first")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--recipe-steps", type=int, default=0,
                    help="instead of timing, train this many steps with nanoGPT's recipe and report the validation loss")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    # Denormal floats (tiny Adam moments late in training) make x86 arithmetic crawl; flushing
    # them to zero changes no result that matters here.
    torch.set_flush_denormal(True)
    torch.manual_seed(1)
    text = open(args.data, encoding="utf-8").read()
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    train = ids[: int(0.9 * len(ids))]

    model = GPT(len(chars), args.context, args.layers, args.heads, args.dim)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.0)
    gen = torch.Generator().manual_seed(1)

    def batch():
        ix = torch.randint(len(train) - args.context - 1, (args.batch,), generator=gen)
        x = torch.stack([train[i : i + args.context] for i in ix])
        y = torch.stack([train[i + 1 : i + 1 + args.context] for i in ix])
        return x, y

    def step():
        x, y = batch()
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    if args.recipe_steps:
        recipe(args, model, train, ids[int(0.9 * len(ids)):], gen)
        return
    for _ in range(args.warmup_steps):
        step()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.steps):
        loss = step()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    tokens = args.steps * args.batch * args.context
    print(json.dumps({"peer": "pytorch", "version": torch.__version__, "threads": args.threads, "blas": blas_library(),
                      "params": sum(p.numel() for p in model.parameters()),
                      "steps": args.steps, "seconds": elapsed, "cpu_ms_per_step": 1e3 * cpu / args.steps, "tokens_per_sec": tokens / elapsed,
                      "last_loss": loss}))


def recipe(args, model, train, val, gen):
    """nanoGPT's train_shakespeare_char recipe: AdamW (betas 0.9, 0.99; weight decay 0.1 on
    the 2-D weights only), 100 warm-up steps, cosine decay to 1e-4 at the last step, gradients
    clipped to norm 1. The validation loss is reported two ways: over every window of the
    held-out 10% (as lmkit's harness scores it), and as nanoGPT estimates it (the mean of 20
    random batches)."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.99))
    steps, warm, min_lr = args.recipe_steps, 100, 1e-4

    def lr_at(it):
        if it < warm:
            return args.lr * (it + 1) / warm
        ratio = (it - warm) / max(1, steps - warm)
        return min_lr + 0.5 * (1 + math.cos(math.pi * ratio)) * (args.lr - min_lr)

    start = time.perf_counter()
    for it in range(steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(it)
        ix = torch.randint(len(train) - args.context - 1, (args.batch,), generator=gen)
        x = torch.stack([train[i : i + args.context] for i in ix])
        y = torch.stack([train[i + 1 : i + 1 + args.context] for i in ix])
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if (it + 1) % 250 == 0:
            print(f"step {it + 1}: loss {loss.item():.4f}, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        total, count = 0.0, 0
        for s in range(0, len(val) - 1, args.context):
            x = val[s : s + args.context]
            y = val[s + 1 : s + 1 + args.context]
            x = x[: len(y)]
            n = len(y)
            total += model(x.view(1, n), y.view(1, n)).item() * n
            count += n
        est = []
        vgen = torch.Generator().manual_seed(2)
        for _ in range(20):
            ix = torch.randint(len(val) - args.context - 1, (args.batch,), generator=vgen)
            x = torch.stack([val[i : i + args.context] for i in ix])
            y = torch.stack([val[i + 1 : i + 1 + args.context] for i in ix])
            est.append(model(x, y).item())
    print(json.dumps({"peer": "pytorch", "version": torch.__version__, "threads": args.threads, "recipe_steps": steps,
                      "seconds": elapsed, "val_loss": total / count, "val_loss_20_batches": sum(est) / len(est)}))


if __name__ == "__main__":
    main()
