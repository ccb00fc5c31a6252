#!/usr/bin/python3
"""The last token's attention scores in trained length-2 one-layer checkpoints, by token kind.

    scores.py RUN_DIR...   (each holding a model.safetensors of `moesim train --task length2 --model onelayer`)

The QUERY token (1) is the only one that queries; its score against token t is e_QUERY Q K^T e_t (the
one-layer model has no positions, so a token's score is the same wherever it stands). Prints, per run, the
score of EMPTY (0), of QUERY itself (1) and the largest and median over the arc tokens (2 ..): a run
whose attention saturates on EMPTY or on QUERY averages a constant, so its output cannot depend on the input.
"""
import json, pathlib, struct, sys

import numpy as np


def tensors(path):
    raw = pathlib.Path(path).read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, v in header.items():
        if name == "__metadata__":
            continue
        start, end = v["data_offsets"]
        dtype = {"F32": np.float32, "F64": np.float64}[v["dtype"]]
        out[name] = np.frombuffer(raw[8 + n + start:8 + n + end], dtype=dtype).reshape(v["shape"])
    return out


print("run,empty,query,arc_max,arc_median")
for run in sys.argv[1:]:
    t = tensors(pathlib.Path(run) / "model.safetensors")
    e = t["embed"].astype(np.float64)
    s = e[1] @ t["Q"] @ t["K"].T @ e.T  # (vocab,) QUERY's score against every token
    print(f"{pathlib.Path(run).name},{s[0]:.1f},{s[1]:.1f},{s[2:].max():.1f},{np.median(s[2:]):.1f}")
