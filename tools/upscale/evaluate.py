"""Figures and sheets for the upscaler's card: learned ×4 vs bicubic ×4 of the same 64 px input.

  /work/venv/bin/python tools/upscale/evaluate.py --checkpoint tools/upscale/.work/ckpt.pt --out models/upscale-x4 \
      --renders tools/train/.work/renders-256-2400.u8 --generated tools/upscale/.work/gen-portrait-64.u8 \
      tools/upscale/.work/gen-default.u8

On the held-out renders (the last 10 % of the pack, never trained on): the input is the 256 px render box-averaged
to 64 px; "clean" feeds it as is, "degraded" after the conditioning augmentation (fixed seed), i.e. the kind of
input a generator gives. Measures, against the 256 px render, mean over images:
- PSNR (RGB in [0, 1]);
- edge PSNR: PSNR between Sobel gradient-magnitude maps of the luma (peak 4, a 0→1 step's magnitude), i.e. are
  the edges where they should be and as strong;
- gradient ratio: mean Sobel magnitude of the output ÷ that of the render (1 = as sharp as the truth, < 1 blurred).
Bicubic is PyTorch's (a = −0.75, half-pixel centres), clamped to [0, 1]. Writes eval.json and the sheets
(sheet-heldout.png: input | bicubic | learned | render; sheet-<model>.png: bicubic | learned per generated portrait).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import condition, downsample, load_renders, split, to_tensor  # noqa: E402
from export import load_checkpoint  # noqa: E402
from png import write_png  # noqa: E402

SOBEL_X = torch.tensor([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])


def luma(x: torch.Tensor) -> torch.Tensor:
    return (0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2]).unsqueeze(1)


def sobel(x: torch.Tensor) -> torch.Tensor:
    y = F.pad(luma(x), (1, 1, 1, 1), mode="replicate")
    gx = F.conv2d(y, SOBEL_X.view(1, 1, 3, 3))
    gy = F.conv2d(y, SOBEL_X.t().contiguous().view(1, 1, 3, 3))
    return torch.sqrt(gx * gx + gy * gy + 1e-12)


def psnr_each(a: torch.Tensor, b: torch.Tensor, peak: float = 1.0) -> torch.Tensor:
    mse = ((a - b) ** 2).flatten(1).mean(1).clamp_min(1e-12)
    return 10 * torch.log10(peak * peak / mse)


def bicubic(lo: torch.Tensor, factor: int = 4) -> torch.Tensor:
    return F.interpolate(lo, scale_factor=factor, mode="bicubic", align_corners=False).clamp(0, 1)


def figures(out: torch.Tensor, hi: torch.Tensor) -> dict:
    eo, eh = sobel(out), sobel(hi)
    return {
        "psnr": round(psnr_each(out, hi).mean().item(), 2),
        "edgePsnr": round(psnr_each(eo, eh, 4.0).mean().item(), 2),
        "gradientRatio": round((eo.flatten(1).mean(1) / eh.flatten(1).mean(1)).mean().item(), 3),
    }


def run(model: torch.nn.Module, lo: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return torch.cat([model(x).clamp(0, 1) for x in lo.split(16)])


def to_u8(x: torch.Tensor) -> np.ndarray:
    """[3, h, w] in [0, 1] → [h, w, 3] uint8."""
    return np.round(x.permute(1, 2, 0).numpy() * 255).astype(np.uint8)


def sheet(rows: list[list[torch.Tensor]], gap: int = 4) -> np.ndarray:
    h, w = rows[0][0].shape[1:]
    cols = len(rows[0])
    img = np.full((len(rows) * (h + gap) - gap, cols * (w + gap) - gap, 3), 255, np.uint8)
    for r, row in enumerate(rows):
        for c, t in enumerate(row):
            img[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = to_u8(t)
    return img


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", default="models/upscale-x4")
    p.add_argument("--renders", required=True)
    p.add_argument("--generated", nargs="*", default=[], help="generator samples (generator-samples.ts output)")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    model, state = load_checkpoint(a.checkpoint)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)

    renders, meta = load_renders(a.renders)
    _, held = split(len(renders))
    hi = to_tensor(renders[np.asarray(held)])
    lo = downsample(hi)
    degraded = condition(lo, torch.Generator().manual_seed(1234))
    result: dict = {"heldOut": {"images": len(held), "from": f"{meta['size']} px renders box-averaged to {meta['size'] // 4} px"}}
    for name, inp in (("clean", lo), ("degraded", degraded)):
        learned, bic = run(model, inp), bicubic(inp)
        result["heldOut"][name] = {"learned": figures(learned, hi), "bicubic": figures(bic, hi)}
        print(name, result["heldOut"][name])
        if name == "clean":
            picks = [0, 37, 101, 170]
            near = F.interpolate(lo[picks], scale_factor=4, mode="nearest")
            write_png(out / "sheet-heldout.png", sheet([[near[i], bic[k], learned[k], hi[k]] for i, k in enumerate(picks)]))

    result["generated"] = {}
    for g in a.generated:
        imgs, gmeta = load_renders(g, training=False)
        x = to_tensor(imgs)
        learned, bic = run(model, x), bicubic(x)
        # No ground truth here: sharpness only, as mean Sobel magnitude relative to bicubic's.
        ratio = (sobel(learned).flatten(1).mean(1) / sobel(bic).flatten(1).mean(1)).mean().item()
        result["generated"][gmeta["model"]] = {"samples": len(imgs), "inputSize": gmeta["size"], "gradientVsBicubic": round(ratio, 3)}
        # Two pairs a row; at 64 px inputs two rows keep the PNG under a megabyte.
        n = 4 if gmeta["size"] >= 64 else 8
        rows = [[bic[i], learned[i], bic[i + 1], learned[i + 1]] for i in range(0, min(n, len(imgs)), 2)]
        write_png(out / f"sheet-{gmeta['model']}.png", sheet(rows))
        print(gmeta["model"], result["generated"][gmeta["model"]])
    result["measures"] = (
        "mean over images; PSNR on RGB in [0,1]; edgePsnr: PSNR of Sobel luma gradient-magnitude maps (peak 4); "
        "gradientRatio: mean Sobel magnitude of output / of the 256 px render; bicubic: PyTorch a=-0.75, half-pixel; "
        "degraded: inputs after tools/upscale/data.py condition() with seed 1234"
    )
    result["step"] = state["step"]
    (out / "eval.json").write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
