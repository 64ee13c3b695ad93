"""Writes models/upscale-x4/card.json from the checkpoint, the pack's sidecar (data and licences), eval.json
(evaluate.py) and, if present, bench.json (the page's frame cost with the upscaler on and off, from npm run bench).

  /work/venv/bin/python tools/upscale/card.py --checkpoint tools/upscale/.work/ckpt.pt --out models/upscale-x4 \
      --renders tools/train/.work/renders-256-2400.u8
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model import param_count, Upscaler  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", default="models/upscale-x4")
    p.add_argument("--renders", required=True)
    a = p.parse_args(argv)
    out = Path(a.out)
    state = torch.load(a.checkpoint, map_location="cpu", weights_only=False)
    meta = json.loads(Path(a.renders).with_suffix(".json").read_text())
    ev = json.loads((out / "eval.json").read_text())
    bench_file = out / "bench.json"
    cfg = state["config"]
    card = {
        "id": "upscale-x4",
        "title": "Sitter ×4 portrait upscaler",
        "kind": "upscaler",
        "format": "sitter-upscaler",
        "modelUrl": "upscaler.json",
        "factor": 4,
        "input": {"channels": 3, "range": [0, 1], "layout": "NHWC", "maxSide": 256},
        "provenance": {
            "authors": ["Sitter project"],
            "trainingData": (
                f"pairs made from {meta['count']} portraits rendered at {meta['size']} px from @dicebear/collection CC0 1.0 "
                f"styles ({', '.join(meta['styles'])}) by npm run train:pack (seed {meta['seed']}): the render is the target, its "
                f"4×4 box average the input, corrupted by conditioning augmentation (blur, noise, colour blotches, "
                f"quantisation, JPEG-like 8×8 blocks); the last 10 % held out for evaluation"
            ),
            "dataLicences": [
                {"source": f"@dicebear/collection {l['style']} (\"{l['title']}\") by {l['creator']}, {l['source']}", "licence": l["licence"], "url": l["url"]}
                for l in meta["licences"]
            ],
            "licence": "CC0-1.0: trained only on CC0 1.0 artwork by our own tools, so the weights are dedicated to the public domain as well.",
        },
        "training": {
            "parameters": param_count(Upscaler(state.get("width", 32))),
            "architecture": "ESPCN-sized: conv5×5 3→32, conv3×3 32→32 ×2 (ReLU), conv3×3 32→48, depth-to-space ×4, plus bilinear ×4 of the input (residual)",
            "steps": state["step"],
            "seconds": round(state["seconds"]),
            "batch": cfg["batch"],
            "crop": f"{cfg['crop']} px target, {cfg['crop'] // 4} px input",
            "loss": "L1",
            "optimizer": f"Adam, lr {cfg['lr']} cosine to 5 %, 200 warm-up steps",
            "device": "CPU, 1 thread (nice 15), on the shared 2-core build machine",
            "script": "tools/upscale/train.py (see tools/upscale/README.md)",
        },
        "eval": {k: v for k, v in ev.items() if k != "step"},
    }
    if bench_file.exists():
        card["eval"]["bench"] = json.loads(bench_file.read_text())
    tmp = out / "card.json.tmp"
    tmp.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    tmp.replace(out / "card.json")
    print(f"wrote {out / 'card.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
