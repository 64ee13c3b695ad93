"""Writes a trained checkpoint as the page's upscaler: models/upscale-x4/{upscaler.json, weights.bin} and the
reference outputs the browser parity test compares against (parity.json + parity-*.u8/.u16; not named
reference.json, which marks a generator export for tests/unit/train/torch.test.ts).

  /work/venv/bin/python tools/upscale/export.py --checkpoint tools/upscale/.work/ckpt.pt --out models/upscale-x4 \
      [--renders tools/train/.work/renders-256-3000.u8]

Layout of the page's graph (src/generator/upscale/network.ts): NHWC, conv kernels [kh, kw, in, out] (TF's), 'same'
zero padding, ReLU between convs, input offset −0.5, then tf.depthToSpace(·, 4) of the last conv plus
resizeBilinear(input, ×4, halfPixelCenters). The last conv's output channels are reordered with tf_order() so that
depthToSpace (NHWC, DCR) places sub-pixels where PyTorch's PixelShuffle does. No file is named model.json: the
folder is not a generator (tests/unit/model-card/shipped-models.test.ts treats model.json folders as generators).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import downsample, load_renders, split, synthetic_renders, to_tensor  # noqa: E402
from model import FACTOR, Upscaler, layer_plan, param_count  # noqa: E402
from pixel_shuffle import tf_order  # noqa: E402

MANIFEST = "upscaler.json"
WEIGHTS = "weights.bin"


def load_checkpoint(path: str | Path) -> tuple[Upscaler, dict]:
    state = torch.load(path, map_location="cpu", weights_only=False)
    model = Upscaler(state.get("width", 32))
    model.load_state_dict(state["model"])
    model.eval()
    return model, state


def tf_weights(model: Upscaler) -> list[tuple[str, np.ndarray]]:
    """(name, array) in manifest order: conv{i}/kernel [kh, kw, in, out] and conv{i}/bias [out]."""
    out = []
    last = len(model.convs) - 1
    for i, conv in enumerate(model.convs):
        w = conv.weight.detach().numpy()  # [out, in, kh, kw]
        b = conv.bias.detach().numpy()
        if i == last:
            order = tf_order(3, FACTOR)
            w, b = w[order], b[order]
        out.append((f"conv{i}/kernel", np.ascontiguousarray(w.transpose(2, 3, 1, 0)).astype(np.float32)))
        out.append((f"conv{i}/bias", b.astype(np.float32)))
    return out


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def export_weights(model: Upscaler, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    weights = tf_weights(model)
    write_atomic(out / WEIGHTS, b"".join(a.tobytes() for _, a in weights))
    plan = layer_plan(model.width)
    manifest = {
        "format": "sitter-upscaler",
        "version": 1,
        "factor": FACTOR,
        "inputOffset": -0.5,
        "skip": "bilinear",
        "convs": [
            {"name": f"conv{i}", "kernel": k, "in": cin, "out": cout, "activation": "relu" if i < len(plan) - 1 else "linear"}
            for i, (k, cin, cout) in enumerate(plan)
        ],
        "weightsManifest": [{"paths": [WEIGHTS], "weights": [{"name": n, "shape": list(a.shape), "dtype": "float32"} for n, a in weights]}],
        "parameters": param_count(model),
    }
    # Weights first, then the manifest, each renamed into place: a reader never pairs a manifest with older weights.
    write_atomic(out / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode())
    return manifest


def export_reference(model: Upscaler, lo_images: list[np.ndarray], out: Path) -> dict:
    """Inputs as uint8 NHWC, PyTorch's outputs (clamped to [0, 1]) as little-endian uint16 (value × 65535)."""
    entries = []
    for k, img in enumerate(lo_images):
        x = to_tensor(img[None])
        with torch.no_grad():
            y = model(x).clamp(0, 1)[0].permute(1, 2, 0).numpy()
        q = np.round(y * 65535).astype("<u2")
        write_atomic(out / f"parity-{k}.in.u8", np.ascontiguousarray(img).tobytes())
        write_atomic(out / f"parity-{k}.out.u16", q.tobytes())
        entries.append({"input": f"parity-{k}.in.u8", "inputShape": list(img.shape), "output": f"parity-{k}.out.u16", "outputShape": list(q.shape)})
    ref = {"about": "PyTorch outputs of tools/upscale/model.py for these inputs (uint8 NHWC in, [0,1] × 65535 as uint16 out)", "references": entries}
    write_atomic(out / "parity.json", (json.dumps(ref, indent=1) + "\n").encode())
    return ref


def reference_inputs(renders: np.ndarray) -> list[np.ndarray]:
    """One held-out render at 1/4 size, and a non-square crop of another (catches any h/w mix-up in the page)."""
    _, held = split(len(renders))
    a = downsample(to_tensor(renders[held[0]][None]))
    b = downsample(to_tensor(renders[held[-1]][None]))[:, :, 4:24, 0:36]
    return [np.round(t[0].permute(1, 2, 0).numpy() * 255).astype(np.uint8) for t in (a, b)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", default="models/upscale-x4")
    p.add_argument("--renders", help="packed renders for the reference inputs (default: synthetic images)")
    a = p.parse_args(argv)
    model, state = load_checkpoint(a.checkpoint)
    out = Path(a.out)
    manifest = export_weights(model, out)
    renders = load_renders(a.renders)[0] if a.renders else synthetic_renders(20, 128)
    export_reference(model, reference_inputs(renders), out)
    print(f"exported {manifest['parameters']} parameters at step {state['step']} to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
