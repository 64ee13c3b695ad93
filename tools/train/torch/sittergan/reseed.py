"""A new run that continues another run's checkpoint with a changed generator config: the weights, both Adams, the
random state, the step count and where every step ran all carry over, so the card still tells the whole story.

Two changes are supported, both for a run whose first attempt taught us something:
- channel_affine: norm layers whose per-position gains become per-channel (their mean over the positions; Adam's
  moments likewise). The pictures change a little at once and recover within a few hundred steps.
- unfreeze: a grown G's seeded layers start learning from the current step (Config.freeze_steps = step).
"""
from __future__ import annotations

import os
from dataclasses import replace

import torch

from .data import Renders
from .model import Config
from .trainer import CHECKPOINT_VERSION, Trainer


def reseed(src_ckpt: str, data: Renders | None, channel_affine: list[int], unfreeze: bool,
           device: str = "cpu", amp: bool = False) -> Trainer:
    s = torch.load(os.path.join(src_ckpt, "checkpoint.pt"), map_location="cpu", weights_only=True)
    if s.get("version") != CHECKPOINT_VERSION:
        raise ValueError(f"{src_ckpt}: checkpoint version {s.get('version')}, this trainer reads {CHECKPOINT_VERSION}")
    old = Config.from_dict(s["cfg"])
    new_levels = sorted(set(channel_affine) - set(old.channel_affine))
    cfg = replace(old, channel_affine=sorted(set(old.channel_affine) | set(channel_affine)),
                  freeze_steps=min(old.freeze_steps, s["step"]) if unfreeze else old.freeze_steps)
    t = Trainer(cfg, data, device, amp)
    names = [n for n, _ in t.g.named_parameters()]
    per_channel = [f"{k}.{i}" for i in new_levels for k in ("norms", "norm_b")]
    for sd in (s["g"], s["ema"]):
        for n in per_channel:
            sd[n] = sd[n].mean((1, 2), keepdim=True)
    for n in per_channel:
        st = s["opt_g"]["state"].get(names.index(n))
        if st:
            for k in ("exp_avg", "exp_avg_sq"):
                st[k] = st[k].mean((1, 2), keepdim=True)
    t.restore(s)
    changes = ([f"norm layers {new_levels} per channel (gains averaged over positions)"] if new_levels else []) + \
              (["seeded layers unfrozen"] if unfreeze and old.freeze_steps > s["step"] else [])
    t.history = s["history"] + [{"step": s["step"], "reseededFrom": os.path.normpath(src_ckpt), "changes": changes}]
    return t
