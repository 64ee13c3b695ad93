"""Shared fixtures: a tiny packed-render file in the format npm run train:pack writes."""
from __future__ import annotations

import json
import os

import numpy as np


def tiny_renders(folder: str, size: int = 16, count: int = 24) -> str:
    rng = np.random.default_rng(3)
    # Smooth blobs rather than white noise, so D has something to learn in a few steps.
    yy, xx = np.mgrid[0:size, 0:size] / size
    imgs = np.empty((count, size, size, 3), np.uint8)
    for i in range(count):
        cx, cy, r = rng.uniform(0.3, 0.7, 3)
        disk = ((xx - cx) ** 2 + (yy - cy) ** 2) < (r * 0.5) ** 2
        bg, fg = rng.integers(0, 256, 3), rng.integers(0, 256, 3)
        imgs[i] = np.where(disk[..., None], fg, bg)
    path = os.path.join(folder, f"renders-{size}-{count}.u8")
    imgs.tofile(path)
    with open(path[:-3] + ".json", "w") as f:
        json.dump({"size": size, "count": count, "seed": 1, "styles": ["synthetic"], "description": "synthetic test blobs"}, f)
    return path
