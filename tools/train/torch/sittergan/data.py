"""The packed dicebear renders (npm run train:pack): N x H x W x 3 uint8 plus a JSON sidecar. A pack may also be
xz-compressed (<name>.u8.xz beside <name>.json): flat-shaded illustrations shrink about 8x, which is what lets the
16,000 64 px renders travel to a GPU machine inside its 64 MiB working-tree limit (gpu-kit.sh)."""
from __future__ import annotations

import json
import lzma
import os

import numpy as np
import torch


class Renders:
    def __init__(self, path: str):
        stem = path[: -len(".xz")] if path.endswith(".xz") else path
        meta_path = stem[:-3] + ".json" if stem.endswith(".u8") else stem + ".json"
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path}: no packed renders; make them with npm run train:pack -- --size <px> --count <n>")
        with open(meta_path) as f:
            self.meta = json.load(f)
        n, s = int(self.meta["count"]), int(self.meta["size"])
        if path.endswith(".xz"):
            with lzma.open(path) as f:
                raw = np.frombuffer(f.read(), dtype=np.uint8)
        else:
            raw = np.fromfile(path, dtype=np.uint8)
        if raw.size != n * s * s * 3:
            raise ValueError(f"{path}: {raw.size} bytes, expected count*size*size*3 = {n * s * s * 3} from {meta_path}")
        self.path = path
        self.count = n
        self.size = s
        self.pixels = torch.from_numpy(raw.reshape(n, s, s, 3))

    def batch(self, gen: torch.Generator, b: int, device: torch.device) -> torch.Tensor:
        idx = torch.randint(0, self.count, (b,), generator=gen)
        x = self.pixels[idx].to(device).permute(0, 3, 1, 2).float()
        return x / 127.5 - 1.0
