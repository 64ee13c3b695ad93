"""Trains the x4 upscaler on pairs made from the packed CC0 dicebear renders; resumes exactly from its checkpoint.

  /work/venv/bin/python tools/upscale/train.py --renders tools/train/.work/renders-256-3000.u8 \
      --checkpoint tools/upscale/.work/ckpt.pt --minutes 30

One thread (torch.set_num_threads(1)) by default: the machine is shared. The checkpoint holds weights, Adam state,
both RNG states and the step, written to a temp file and renamed, every --every steps and at the end.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import PairSampler, downsample, load_renders, split, synthetic_renders, to_tensor  # noqa: E402
from model import Upscaler, param_count  # noqa: E402


def psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    mse = F.mse_loss(a.clamp(0, 1), b).item()
    return 10 * math.log10(1 / max(mse, 1e-12))


def lr_at(step: int, total: int, base: float) -> float:
    """Cosine from base to base/20 after a 200-step warm-up."""
    if step < 200:
        return base * (step + 1) / 200
    t = min(1.0, step / max(1, total))
    return base * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * t)))


def save(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--renders", help="packed renders (.u8 with .json beside); omit for --synthetic")
    p.add_argument("--synthetic", type=int, default=0, help="train on N synthetic images instead (tests)")
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--steps", type=int, default=100000, help="total steps of the schedule")
    p.add_argument("--minutes", type=float, default=0, help="stop after this many minutes (0: run to --steps)")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--crop", type=int, default=128, help="high-res crop side (multiple of 32)")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--every", type=int, default=250, help="checkpoint and log every N steps")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--strength", type=float, default=1.0, help="conditioning augmentation strength (1: data.py's ranges)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--device", default="cpu")
    a = p.parse_args(argv)

    torch.set_num_threads(a.threads)
    if a.renders:
        renders, meta = load_renders(a.renders)
        source = f"{a.renders} ({meta['count']}×{meta['size']} px)"
    elif a.synthetic > 0:
        renders, source = synthetic_renders(a.synthetic, 128, a.seed), f"synthetic ×{a.synthetic}"
    else:
        p.error("give --renders or --synthetic N")
    train_idx, held_idx = split(len(renders))
    crop = min(a.crop, renders.shape[1])

    model = Upscaler(a.width).to(a.device)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sampler = PairSampler(renders, train_idx, crop, a.seed)
    step, seconds = 0, 0.0
    history: list[dict] = []
    ckpt = Path(a.checkpoint)
    if ckpt.exists():
        state = torch.load(ckpt, map_location=a.device, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sampler.rng.bit_generator.state = state["np_rng"]
        sampler.gen.set_state(state["torch_rng"])
        step, seconds = state["step"], state["seconds"]
        old = state.get("config", {})
        history = state.get("history") or [{"from": 0, "to": step, "strength": old.get("strength", 1.0), "steps": old.get("steps"), "seconds": round(seconds)}]
        print(f"resumed {ckpt} at step {step} ({seconds / 60:.1f} min)")

    # A fixed held-out probe: clean box-downsampled inputs, scored against the renders.
    probe_hi = to_tensor(renders[np.asarray(held_idx)[:64]]).to(a.device)
    probe_lo = downsample(probe_hi)

    def evaluate() -> str:
        model.eval()
        with torch.no_grad():
            sr = torch.cat([model(x) for x in probe_lo.split(16)])
            bic = F.interpolate(probe_lo, scale_factor=4, mode="bicubic", align_corners=False)
        model.train()
        return f"held-out PSNR learned {psnr(sr, probe_hi):.2f} dB, bicubic {psnr(bic, probe_hi):.2f} dB"

    print(f"upscaler: {param_count(model)} parameters; data {source}; train {len(train_idx)}, held out {len(held_idx)}")
    t_start = time.time()
    seconds_at_start, step_at_start = seconds, step
    last_loss = 0.0
    while step < a.steps:
        for g in opt.param_groups:
            g["lr"] = lr_at(step, a.steps, a.lr)
        lo, hi = sampler.batch(a.batch, a.strength)
        lo, hi = lo.to(a.device), hi.to(a.device)
        loss = F.l1_loss(model(lo), hi)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        last_loss = 0.98 * last_loss + 0.02 * loss.item() if step > 1 else loss.item()
        seconds = seconds_at_start + time.time() - t_start
        done = step >= a.steps or (a.minutes > 0 and time.time() - t_start >= a.minutes * 60)
        if step % a.every == 0 or done:
            save(ckpt, {
                "model": model.state_dict(), "opt": opt.state_dict(), "np_rng": sampler.rng.bit_generator.state,
                "torch_rng": sampler.gen.get_state(), "step": step, "seconds": seconds, "width": a.width,
                "history": history + [{"from": step_at_start, "to": step, "strength": a.strength, "steps": a.steps, "seconds": round(seconds - seconds_at_start)}],
                "config": {"batch": a.batch, "crop": crop, "lr": a.lr, "steps": a.steps, "seed": a.seed, "data": source, "strength": a.strength},
            })
            print(f"step {step} loss {last_loss:.4f} lr {lr_at(step, a.steps, a.lr):.2e} "
                  f"{(time.time() - t_start) / max(1, step - step_at_start):.3f} s/step · {evaluate()}", flush=True)
        if done:
            break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
