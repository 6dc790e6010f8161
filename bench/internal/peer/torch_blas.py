"""What the PyTorch peers (bench/rnn/torch_lstm.py, bench/transformer/gpt.py) share: which BLAS
library torch multiplies with, so bench/internal/peer.CheckBLAS can refuse a slow one."""
import os

import torch


def blas_library():
    """The BLAS library this process multiplies with, read from its memory map after a matmul.
    Debian's torch calls whatever libblas.so.3 points to: OpenBLAS when libopenblas0 is
    installed, else the slow reference BLAS, which would make a poor peer."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            if "blas" in os.path.basename(path):
                return os.path.realpath(path)
    return "built in"
