"""What the PyTorch peers (bench/rnn/torch_lstm.py, bench/transformer/gpt.py) share: which BLAS
library torch multiplies with, and with which kernels, so bench/internal/peer.CheckBLAS can
refuse a slow or wrong one."""
import ctypes
import os

import torch


def blas_library():
    """The BLAS library this process multiplies with, read from its memory map after a matmul,
    with OpenBLAS's kernel family ("core Cooperlake", "core Haswell"): Debian's torch calls
    whatever libblas.so.3 points to, OpenBLAS when libopenblas0 is installed, else the slow
    reference BLAS, which would make a poor peer. A matmul checked against float64 guards the
    kernel OpenBLAS picked for this CPU (peer.TorchEnv lets it pick): if it computes wrong
    results, the string says so and the benchmark refuses the peer."""
    a, b = torch.randn(256, 256), torch.randn(256, 256)
    err = (a @ b - (a.double() @ b.double()).float()).abs().max().item()
    lib = "built in"
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            if "blas" in os.path.basename(path):
                lib = os.path.realpath(path)
                try:
                    corename = ctypes.CDLL(path).openblas_get_corename
                    corename.restype = ctypes.c_char_p
                    lib += " (core %s)" % corename().decode()
                except (OSError, AttributeError):
                    pass
                break
    if not err < 1e-2:
        lib += " WRONG RESULTS: max error %g on a 256x256 matmul" % err
    return lib
