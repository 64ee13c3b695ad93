"""Generator (the page's stock-TF.js-layers family) and a stronger spectral-norm discriminator.

G is the family the first (wasm, now retired) trainer made, layer for layer, so export.py can write it as a plain tfjs Sequential
(the shipped models of that trainer can seed runs):
Dense -> 4x4xC0, LayerNorm over (H,W,C) + LeakyReLU, then per octave nearest 2x upsample, 3x3 conv, LayerNorm(H,W,C),
LeakyReLU; a 3x3 conv to RGB and tanh. The dense output is read as HWC (TF's Reshape order) and only then permuted
to NCHW, so its units line up with the TF kernel without reordering. LayerNorm epsilon is TF's 1e-3.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

TF_LN_EPS = 1e-3


def levels(size: int) -> int:
    l = math.log2(size)
    if size < 8 or not l.is_integer():
        raise ValueError(f"size must be a power of two >= 8, got {size}")
    return int(l) - 1


@dataclass
class Config:
    size: int = 64
    latent: int = 128
    g_channels: list[int] = field(default_factory=list)
    d_channels: list[int] = field(default_factory=list)
    batch: int = 32
    lr_g: float = 2e-4
    lr_d: float = 4e-4
    beta1: float = 0.0
    beta2: float = 0.99
    ema_beta: float = 0.999
    aug_colour: bool = True
    aug_translation: float = 0.125
    aug_cutout: float = 0.25
    mbstd_group: int = 4
    # D's 2x downsampling is avg-pool times this: 2 keeps a smooth map's L2 norm (plain avg-pool halves it), so with
    # spectral norm on every layer the logits can still grow past the hinge margin; with 1 they stayed near 0.01
    # and the D loss sat at 2.000 for 270 steps of a run seeded from a trained G.
    d_pool_gain: float = 2.0
    seed: int = 20261202
    # A G grown by one octave from a trained model (cli --grow-from): the seed's own to-RGB conv stays at half
    # resolution and its output, nearest-upsampled, is added to the new full-resolution to-RGB's before tanh. With the
    # new to-RGB zeroed the grown G draws exactly the seed's pictures, upsampled, so training starts from them.
    rgb_skip: bool = False
    # Detail only (with rgb_skip): the output is the seed's picture, tanh'd and nearest-upsampled, plus the new
    # octave's tanh'd to-RGB minus its own 2x2 block means. Box-downsampled, the grown G then draws exactly the seed's
    # picture whatever the new octave learns, so its figures judged at the seed's size are the seed's; the new octave
    # can only add detail within each 2x2 block. (A plain skip let the new octave shift the colours: judged at 32 px,
    # Frechet 0.19 -> 0.33 in 1,400 steps with the seed frozen.)
    rgb_detail: bool = False
    # For the first freeze_steps steps only the parameters not named here learn (the seed's stay as trained while the
    # fresh D and the new octave catch up; a fresh D against a trained G pulled the seed's colours off before).
    seeded_params: list[str] = field(default_factory=list)
    freeze_steps: int = 0
    # The norm layers (0 = the 4x4 one) whose LayerNorm gain and bias are one per channel instead of one per position
    # and channel. Statistics stay over (H, W, C). Per-position gains at 64x64 let an octave paint fixed patterns
    # into every picture (the faint vertical streaks of the first 64 px default); per channel it cannot. Exported
    # tiled over (H, W), so the page's LayerNormalization is unchanged.
    channel_affine: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_dict(d: dict) -> "Config":
        return Config(**d)


def default_config(size: int, batch: int, base: int, d_base: int, latent: int = 128) -> Config:
    """G widths as the retired wasm trainer chose them (so its shipped models can seed a run). D doubles its width
    per octave from d_base at full resolution, capped at 8 x d_base (d_base 8: 8 channels at 64x64, 64 at 4x4)."""
    n = levels(size)
    g = [max(8, (base * 4) >> max(0, i - 1)) for i in range(n)]
    d = [min(8 * d_base, d_base << i) for i in range(n)]
    return Config(size=size, latent=latent, g_channels=g, d_channels=d, batch=batch)


class Generator(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        c = cfg.g_channels
        self.c = c
        self.dense = nn.Linear(cfg.latent, 16 * c[0])
        self.convs = nn.ModuleList()
        self.norms = nn.ParameterList()
        self.norm_b = nn.ParameterList()
        bad = [i for i in cfg.channel_affine if not 0 <= i < len(c)]
        if bad:
            raise ValueError(f"channel_affine names norm layers {bad}; this generator has 0..{len(c) - 1}")
        for i in range(len(c)):
            side = 1 if i in cfg.channel_affine else 4 << i
            if i:
                self.convs.append(nn.Conv2d(c[i - 1], c[i], 3, padding=1))
            self.norms.append(nn.Parameter(torch.ones(c[i], side, side)))
            self.norm_b.append(nn.Parameter(torch.zeros(c[i], side, side)))
        self.rgb = nn.Conv2d(c[-1], 3, 3, padding=1)
        self.rgb_skip = nn.Conv2d(c[-2], 3, 3, padding=1) if cfg.rgb_skip else None
        self.detail = cfg.rgb_skip and cfg.rgb_detail
        # Glorot-normal-like init as tfjs' VarianceScaling(fan_avg, normal) default.
        for m in [self.dense, *self.convs, self.rgb, *([self.rgb_skip] if self.rgb_skip is not None else [])]:
            nn.init.xavier_normal_(m.weight)
            nn.init.zeros_(m.bias)

    @staticmethod
    def _norm_act(h: torch.Tensor, g: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        if g.shape[1:] == h.shape[2:]:
            h = F.layer_norm(h, h.shape[1:], g, b, TF_LN_EPS)
        else:  # per channel (Config.channel_affine): (C, 1, 1) broadcast over the positions
            h = F.layer_norm(h, h.shape[1:], None, None, TF_LN_EPS) * g + b
        return F.leaky_relu(h, 0.2)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        h = self.dense(z).view(-1, 4, 4, self.c[0]).permute(0, 3, 1, 2)
        h = self._norm_act(h, self.norms[0], self.norm_b[0])
        skip = None
        for i, conv in enumerate(self.convs, start=1):
            if self.rgb_skip is not None and i == len(self.convs):
                skip = F.interpolate(self.rgb_skip(h), scale_factor=2, mode="nearest")
            h = F.interpolate(h, scale_factor=2, mode="nearest")
            h = self._norm_act(conv(h), self.norms[i], self.norm_b[i])
        y = self.rgb(h)
        if skip is None:
            return torch.tanh(y)
        if self.detail:
            t = torch.tanh(y)
            return torch.tanh(skip) + t - F.interpolate(F.avg_pool2d(t, 2), scale_factor=2, mode="nearest")
        return torch.tanh(y + skip)


def minibatch_stddev(x: torch.Tensor, group: int) -> torch.Tensor:
    """One extra channel: the mean stddev across a group of `group` consecutive samples (contiguous groups, so a
    batch of reals followed by fakes never mixes the two in one group)."""
    b, c, h, w = x.shape
    g = min(group, b)
    if b % g:
        raise ValueError(f"batch {b} not divisible by minibatch-stddev group {g}")
    y = x.view(b // g, g, c, h, w)
    s = (y - y.mean(1, keepdim=True)).square().mean(1).add(1e-8).sqrt().mean((1, 2, 3))
    feat = s.view(-1, 1, 1, 1, 1).expand(b // g, g, 1, h, w).reshape(b, 1, h, w)
    return torch.cat([x, feat], 1)


class Discriminator(nn.Module):
    """A 3x3 SN conv from RGB at full resolution, then per octave a residual block: SN 3x3 conv + LeakyReLU +
    2x avg-pool, plus a 1x1 SN conv skip applied after pooling (4x cheaper than before); at 4x4 minibatch stddev,
    an SN 3x3 conv and an SN dense to one logit. Spectral norm everywhere (one power iteration per forward)."""

    def __init__(self, cfg: Config):
        super().__init__()
        c = cfg.d_channels
        self.group = cfg.mbstd_group
        self.gain = cfg.d_pool_gain
        self.from_rgb = spectral_norm(nn.Conv2d(3, c[0], 3, padding=1))
        self.convs = nn.ModuleList()
        self.skips = nn.ModuleList()
        for i in range(len(c) - 2):
            self.convs.append(spectral_norm(nn.Conv2d(c[i], c[i + 1], 3, padding=1)))
            self.skips.append(spectral_norm(nn.Conv2d(c[i], c[i + 1], 1, bias=False)))
        self.final = spectral_norm(nn.Conv2d(c[-2] + 1, c[-1], 3, padding=1))
        self.out = spectral_norm(nn.Linear(16 * c[-1], 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.leaky_relu(self.from_rgb(x), 0.2)
        k = self.gain
        for conv, skip in zip(self.convs, self.skips):
            h = k * F.avg_pool2d(F.leaky_relu(conv(h), 0.2), 2) + skip(k * F.avg_pool2d(h, 2))
        h = k * F.avg_pool2d(h, 2)
        h = minibatch_stddev(h, self.group)
        h = F.leaky_relu(self.final(h), 0.2)
        return self.out(h.flatten(1)).view(-1)


def count_params(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())
