"""python tools/train/torch/export.py --checkpoint <dir> --out models/<id> --info <file.json>

Writes the EMA generator as a stock TF.js layers model (model.json + weights.bin), reference outputs for fixed latents
computed by PyTorch (reference.json + reference.bin: NHWC float32) for the tfjs parity test, and, to --info, what the
TS side needs for card.json (steps, seconds, where each step ran, config). The TS exporter (npm run train:export)
calls this, then writes samples, interpolation and the card from the exported model itself."""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import torch

from .tfjs import save_layers_model
from .trainer import Trainer

REFERENCE_SEED = 4242
REFERENCE_COUNT = 2


def reference_latents(n: int, dim: int) -> np.ndarray:
    return np.random.default_rng(REFERENCE_SEED).standard_normal((n, dim)).astype(np.float32)


def export(ckpt: str, out: str) -> dict:
    torch.set_num_threads(1)
    t = Trainer.load(ckpt, None, "cpu")
    save_layers_model(t.ema, t.cfg, out)
    z = reference_latents(REFERENCE_COUNT, t.cfg.latent)
    with torch.no_grad():
        y = t.ema(torch.from_numpy(z)).permute(0, 2, 3, 1).contiguous().numpy().astype(np.float32)
    with open(os.path.join(out, "reference.bin"), "wb") as f:
        f.write(y.tobytes())
    ref = {"note": "EMA generator outputs computed by PyTorch at export, for the tfjs parity test (max abs < 1e-3)",
           "latents": z.tolist(), "shape": list(y.shape), "layout": "NHWC", "dtype": "float32", "file": "reference.bin"}
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump(ref, f)
        f.write("\n")
    return {"step": t.step, "seconds": t.seconds, "runs": t.runs, "init": t.init, "cfg": t.cfg.to_dict(),
            "data": t.saved_data, "torch": torch.__version__}


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="export.py", description=__doc__)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--info", required=True)
    a = p.parse_args(argv)
    if not os.path.exists(os.path.join(a.checkpoint, "checkpoint.pt")):
        print(f"--checkpoint {a.checkpoint}: no checkpoint.pt there (a PyTorch run's <out>/checkpoint folder)", file=sys.stderr)
        return 1
    info = export(a.checkpoint, a.out)
    with open(a.info, "w") as f:
        json.dump(info, f)
    return 0
