"""Training pairs for the upscaler from the packed CC0 dicebear renders (tools/train pack: N×S×S×3 uint8 + .json).

Target: the render itself (S px). Input: its 4×4 box average (S/4 px, the same area downsampling the generator's
training set uses), then conditioning augmentation (Ho et al. 2021, "Cascaded Diffusion Models", §3: corrupt the
low-res conditioning so the next stage learns to clean what the stage before it gets wrong). Here the corruptions
mimic a small GAN's output: blur, noise, low-frequency colour blotches, coarse quantisation and JPEG-like 8×8
block quantisation. The target is never corrupted, so the net learns to remove them, not to sharpen them.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from model import FACTOR


def load_renders(path: str | Path, training: bool = True) -> tuple[np.ndarray, dict]:
    """The .u8 file and its .json sidecar → ([N, S, S, 3] uint8, meta). Checks the sidecar against the bytes."""
    path = Path(path)
    meta_path = path.with_suffix(".json")
    meta = json.loads(meta_path.read_text())
    if meta.get("format") != "sitter-renders" or meta.get("layout") != "NHWC" or meta.get("dtype") != "uint8":
        raise ValueError(f"{meta_path}: expected a sitter-renders NHWC uint8 pack, got {meta.get('format')}/{meta.get('layout')}")
    size, count = int(meta["size"]), int(meta["count"])
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size != count * size * size * 3:
        raise ValueError(f"{path}: expected {count}×{size}×{size}×3 = {count * size * size * 3} bytes, got {raw.size}")
    if training and size % (FACTOR * 8) != 0:
        raise ValueError(f"{path}: render size {size} must be a multiple of {FACTOR * 8}")
    return raw.reshape(count, size, size, 3), meta


def split(count: int, held_out_fraction: float = 0.1) -> tuple[range, range]:
    """The last 10 % are held out (the pack's styles are round-robin, so both halves hold every style)."""
    held = max(1, int(round(count * held_out_fraction)))
    return range(0, count - held), range(count - held, count)


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """[n, h, w, 3] uint8 → [n, 3, h, w] float in [0, 1]."""
    return torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float().div_(255.0)


def downsample(hi: torch.Tensor) -> torch.Tensor:
    """Box (area) downsampling by FACTOR: each low-res pixel is the mean of its FACTOR×FACTOR block."""
    return F.avg_pool2d(hi, FACTOR)


def _gaussian_kernel(sigma: float) -> torch.Tensor:
    radius = max(1, int(math.ceil(2.5 * sigma)))
    xs = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k = torch.exp(-(xs**2) / (2 * sigma * sigma))
    return k / k.sum()


def blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    k = _gaussian_kernel(sigma)
    r = (k.numel() - 1) // 2
    c = x.shape[1]
    x = F.pad(x, (r, r, r, r), mode="replicate")
    x = F.conv2d(x, k.view(1, 1, 1, -1).expand(c, 1, 1, -1), groups=c)
    return F.conv2d(x, k.view(1, 1, -1, 1).expand(c, 1, -1, 1), groups=c)


def _dct_matrix(n: int = 8) -> torch.Tensor:
    m = torch.zeros(n, n)
    for k in range(n):
        for i in range(n):
            m[k, i] = math.cos(math.pi * (2 * i + 1) * k / (2 * n)) * (math.sqrt(1 / n) if k == 0 else math.sqrt(2 / n))
    return m


_DCT = _dct_matrix()


def jpeg_like(x: torch.Tensor, step: float) -> torch.Tensor:
    """Quantises each 8×8 block's DCT coefficients (step grows with frequency, as JPEG's tables do)."""
    n, c, h, w = x.shape
    b = x.reshape(n, c, h // 8, 8, w // 8, 8).permute(0, 1, 2, 4, 3, 5)
    coeffs = _DCT @ b @ _DCT.T
    freq = torch.arange(8, dtype=torch.float32)
    q = step * (1 + (freq.view(8, 1) + freq.view(1, 8)) / 4)
    coeffs = torch.round(coeffs / q) * q
    b = _DCT.T @ coeffs @ _DCT
    return b.permute(0, 1, 2, 4, 3, 5).reshape(n, c, h, w)


def condition(lo: torch.Tensor, gen: torch.Generator, strength: float = 1.0) -> torch.Tensor:
    """Conditioning augmentation, drawn per image; a quarter of the images stay clean so clean input stays exact."""
    out = []
    for img in lo.split(1):
        u = torch.rand(8, generator=gen).tolist()
        if u[0] < 0.25 or strength <= 0:
            out.append(img)
            continue
        if u[1] < 0.5:
            img = blur(img, 0.3 + 0.7 * u[2] * strength)
        if u[3] < 0.6:
            # Low-frequency colour blotches: noise at 1/8 resolution, smoothly upsampled (GAN colour mottling).
            h, w = img.shape[2:]
            blot = torch.randn(1, 3, max(1, h // 8), max(1, w // 8), generator=gen) * 0.04 * strength
            img = img + F.interpolate(blot, size=(h, w), mode="bilinear", align_corners=False)
        if u[4] < 0.6:
            img = img + torch.randn(img.shape, generator=gen) * (0.03 * u[5] * strength)
        if u[6] < 0.3:
            img = jpeg_like(img, 0.02 + 0.06 * u[7] * strength)
        elif u[6] < 0.5:
            levels = 16 + int(48 * u[7])
            img = torch.round(img * levels) / levels
        out.append(img.clamp(0, 1))
    return torch.cat(out)


class PairSampler:
    """Random crops (hi crop × crop, lo crop/4 × crop/4), flips and a global colour change applied to both sides."""

    def __init__(self, renders: np.ndarray, indices: range, crop: int, seed: int) -> None:
        self.renders = renders
        self.indices = np.asarray(indices)
        self.crop = crop
        self.rng = np.random.default_rng(seed)
        self.gen = torch.Generator().manual_seed(seed)

    def batch(self, n: int, strength: float = 1.0) -> tuple[torch.Tensor, torch.Tensor]:
        size = self.renders.shape[1]
        picks = self.rng.choice(self.indices, size=n)
        crops = np.empty((n, self.crop, self.crop, 3), dtype=np.uint8)
        for k, i in enumerate(picks):
            # Crop offsets on the FACTOR·8 grid keep the low-res crop aligned with whole 8×8 JPEG-like blocks.
            y, x = (self.rng.integers(0, (size - self.crop) // (FACTOR * 8) + 1, size=2) * FACTOR * 8).tolist()
            c = self.renders[i, y : y + self.crop, x : x + self.crop]
            if self.rng.random() < 0.5:
                c = c[:, ::-1]
            crops[k] = c
        hi = to_tensor(crops)
        gain = 1 + (torch.rand(n, 3, 1, 1, generator=self.gen) - 0.5) * 0.1
        hi = (hi * gain).clamp(0, 1)
        lo = condition(downsample(hi), self.gen, strength)
        return lo, hi


def synthetic_renders(count: int, size: int, seed: int = 0) -> np.ndarray:
    """Flat-shaded discs and bars on coloured grounds: a stand-in with hard edges for tests (no Node needed)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    out = np.empty((count, size, size, 3), dtype=np.uint8)
    for n in range(count):
        img = np.ones((size, size, 3), dtype=np.float32) * rng.random(3)
        for _ in range(6):
            col = rng.random(3)
            if rng.random() < 0.5:
                cy, cx, r = rng.random(3) * [1, 1, 0.3]
                mask = (yy - cy) ** 2 + (xx - cx) ** 2 < r * r
            else:
                x0, w = rng.random(2) * [1, 0.1]
                mask = (xx > x0) & (xx < x0 + w)
            img[mask] = col
        out[n] = np.round(img * 255).astype(np.uint8)
    return out
