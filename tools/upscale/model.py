"""The x4 upscaler: an ESPCN-sized conv net (Shi et al. 2016, "Real-Time Single Image and Video Super-Resolution
Using an Efficient Sub-Pixel Convolutional Neural Network") that predicts a residual over bilinear upsampling.

Input [n, 3, h, w] in [0, 1]; output [n, 3, 4h, 4w] in [0, 1] (clamped at inference). The page rebuilds exactly
this graph with tf ops (src/generator/upscale/network.ts); export.py writes the weights in the layout it reads.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

FACTOR = 4

# (kernel, in, out) of each conv; the last one makes FACTOR² sub-pixels per colour channel.
DEFAULT_WIDTH = 32


def layer_plan(width: int = DEFAULT_WIDTH) -> list[tuple[int, int, int]]:
    return [(5, 3, width), (3, width, width), (3, width, width), (3, width, 3 * FACTOR * FACTOR)]


class Upscaler(nn.Module):
    def __init__(self, width: int = DEFAULT_WIDTH) -> None:
        super().__init__()
        self.width = width
        self.convs = nn.ModuleList(nn.Conv2d(i, o, k, padding=k // 2) for k, i, o in layer_plan(width))
        self.shuffle = nn.PixelShuffle(FACTOR)
        # The residual starts at zero, so an untrained net is exactly bilinear upsampling.
        nn.init.zeros_(self.convs[-1].weight)
        nn.init.zeros_(self.convs[-1].bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = x - 0.5
        for conv in self.convs[:-1]:
            f = F.relu(conv(f))
        residual = self.shuffle(self.convs[-1](f))
        # align_corners=False is half-pixel centres, the same sampling as tf.image.resizeBilinear(halfPixelCenters).
        base = F.interpolate(x, scale_factor=FACTOR, mode="bilinear", align_corners=False)
        return base + residual


def param_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
