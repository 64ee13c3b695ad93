"""Minimal RGB PNG writer (zlib only) and a sample grid, so a GPU machine with no Node can still show its progress."""
from __future__ import annotations

import struct
import zlib

import numpy as np


def encode_png(rgb: np.ndarray) -> bytes:
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].astype(np.uint8).tobytes() for y in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def grid(images: np.ndarray, cols: int) -> np.ndarray:
    """images: N x H x W x 3 uint8 -> one mosaic."""
    n, h, w, _ = images.shape
    rows = (n + cols - 1) // cols
    out = np.zeros((rows * h, cols * w, 3), np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        out[r * h:(r + 1) * h, c * w:(c + 1) * w] = images[i]
    return out


def to_u8(x) -> np.ndarray:
    """NCHW float in [-1, 1] (torch) -> NHWC uint8."""
    return ((x.detach().float().cpu().permute(0, 2, 3, 1).numpy() + 1) * 127.5).round().clip(0, 255).astype(np.uint8)
