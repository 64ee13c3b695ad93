"""DiffAugment (Zhao et al. 2020), our own implementation: differentiable colour, translation and cutout applied to
both real and fake images before D. Random parameters are drawn on the CPU from the trainer's torch.Generator and then
moved to the device, so a resumed run (and a run moved between cpu and cuda) draws the very same augmentations."""
from __future__ import annotations

import torch


def _u(gen: torch.Generator, b: int, device: torch.device) -> torch.Tensor:
    return torch.rand(b, 1, 1, 1, generator=gen).to(device)


def diff_augment(x: torch.Tensor, gen: torch.Generator, colour: bool, translation: float, cutout: float) -> torch.Tensor:
    b, c, h, w = x.shape
    dev = x.device
    if colour:
        x = x + (_u(gen, b, dev) - 0.5)
        m = x.mean(1, keepdim=True)
        x = (x - m) * (_u(gen, b, dev) * 2) + m
        m = x.mean((1, 2, 3), keepdim=True)
        x = (x - m) * (_u(gen, b, dev) + 0.5) + m
    if translation > 0:
        sh, sw = round(h * translation), round(w * translation)
        ty = torch.randint(-sh, sh + 1, (b,), generator=gen).to(dev)
        tx = torch.randint(-sw, sw + 1, (b,), generator=gen).to(dev)
        # Shift with zero fill: pad, then gather each sample's window.
        xp = torch.nn.functional.pad(x, (sw, sw, sh, sh))
        gy = (torch.arange(h, device=dev)[None, :] - ty[:, None] + sh)[:, :, None]
        gx = (torch.arange(w, device=dev)[None, :] - tx[:, None] + sw)[:, None, :]
        bi = torch.arange(b, device=dev)[:, None, None]
        x = xp.permute(0, 2, 3, 1)[bi, gy, gx].permute(0, 3, 1, 2)
    if cutout > 0:
        side = round(h * cutout)
        cy = torch.randint(0, h + (1 - side % 2), (b,), generator=gen).to(dev) - side // 2
        cx = torch.randint(0, w + (1 - side % 2), (b,), generator=gen).to(dev) - side // 2
        yy = torch.arange(h, device=dev)[None, :, None]
        xx = torch.arange(w, device=dev)[None, None, :]
        inside = (yy >= cy[:, None, None]) & (yy < cy[:, None, None] + side) & (xx >= cx[:, None, None]) & (xx < cx[:, None, None] + side)
        x = x * (~inside).to(x.dtype)[:, None]
    return x
