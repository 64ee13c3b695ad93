"""python tools/train/torch/train.py --out <dir> [...]: fresh run or resume <dir>/checkpoint, checkpoint every few
minutes and on SIGINT/SIGTERM, sample grid beside each checkpoint."""
from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import time

import torch

from .data import Renders
from .model import count_params, default_config
from .png import encode_png, grid, to_u8
from .reseed import reseed
from .tfjs import grow_from, grown_seed_params, load_layers_weights_into
from .trainer import Trainer

SAMPLE_SEED = 777


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="npm run train:torch --", description=__doc__)
    p.add_argument("--out", required=True, help="run folder; checkpoint in <out>/checkpoint")
    p.add_argument("--data", default=None, help="packed renders .u8 (default tools/train/.work/renders-<size>-16000.u8)")
    p.add_argument("--steps", type=int, default=10**9, help="stop when the total step count reaches this")
    p.add_argument("--minutes", type=float, default=math.inf, help="stop after this many minutes of this session")
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--base", type=int, default=16, help="G channel base (G's first width is 4x this)")
    p.add_argument("--d-base", type=int, default=8, help="D channels at full resolution (doubling per octave, capped 8x)")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--init-from", default=None, help="fresh run only: seed G and EMA from an exported model folder of the same family")
    p.add_argument("--grow-from", default=None, help="fresh run only: a trained model folder one octave smaller; G keeps all its layers "
                   "and adds one octave whose to-RGB starts at zero (it begins by drawing the seed's pictures, upsampled)")
    p.add_argument("--grow-width", type=int, default=16, help="channels of the grown octave")
    p.add_argument("--detail-only", action="store_true", help="with --grow-from: the new octave adds only detail within "
                   "each 2x2 block (box-downsampled, the grown G draws exactly the seed's pictures)")
    p.add_argument("--freeze-steps", type=int, default=0, help="with --grow-from: the seed's layers stay fixed for this many steps")
    p.add_argument("--no-aug-colour", action="store_true", help="fresh run only: DiffAugment without its colour transforms (D then "
                   "sees the renders' own colours; 16,000 renders are enough data not to need them)")
    p.add_argument("--from-checkpoint", default=None, help="fresh run only: continue another run's checkpoint folder (weights, "
                   "optimisers, step count, history) with the changes below")
    p.add_argument("--channel-affine", default="", help="comma-separated norm layers (0 = 4x4) whose gains are one per channel, "
                   "not per position (fresh run; with --from-checkpoint: the mean of their trained gains over the positions)")
    p.add_argument("--unfreeze", action="store_true", help="with --from-checkpoint: a grown G's seeded layers learn from now on")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--amp", action="store_true", help="bf16 autocast (cuda only)")
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    p.add_argument("--checkpoint-every", type=float, default=180, help="seconds between checkpoints")
    p.add_argument("--log-every", type=int, default=25)
    return p.parse_args(argv)


def write_samples(t: Trainer, path: str) -> None:
    z = torch.randn(64, t.cfg.latent, generator=torch.Generator().manual_seed(SAMPLE_SEED))
    with open(path, "wb") as f:
        f.write(encode_png(grid(to_u8(t.sample(z)), 8)))


def card_runs_from_model(model_dir: str) -> tuple[dict, list[dict]]:
    """What a seeding model's card says about its own training, so the new card can say where every step ran."""
    card_path = os.path.join(model_dir, "card.json")
    info = {"model": os.path.normpath(model_dir)}
    runs: list[dict] = []
    if os.path.exists(card_path):
        with open(card_path) as f:
            card = json.load(f)
        tr = card.get("training", {})
        info.update({"steps": tr.get("steps"), "seconds": tr.get("seconds"), "script": tr.get("script")})
        runs = tr.get("runs") or [{"device": "cpu (tfjs wasm backend in Node, one core)", "trainer": "tools/train (TypeScript)",
                                   "steps": tr.get("steps", 0), "seconds": tr.get("seconds", 0)}]
    return info, runs


def main(argv: list[str]) -> int:
    a = parse(argv)
    torch.set_num_threads(a.threads)
    if a.device == "cuda" and not torch.cuda.is_available():
        print("--device cuda: this PyTorch build sees no CUDA device", file=sys.stderr)
        return 1
    stamp = lambda: time.strftime("%H:%M:%S", time.gmtime())  # noqa: E731
    log = lambda m: print(f"[{stamp()}] {m}", flush=True)  # noqa: E731
    ckpt = os.path.join(a.out, "checkpoint")
    here = os.path.dirname(os.path.abspath(__file__))
    work = os.path.normpath(os.path.join(here, "..", "..", ".work"))
    if os.path.exists(os.path.join(ckpt, "checkpoint.pt")):
        t = Trainer.load(ckpt, None, a.device, a.amp)
        size = t.cfg.size
        data = Renders(a.data or os.path.join(work, f"renders-{size}-{t.saved_data['count']}.u8"))
        t.data = data
        if data.size != size:
            raise ValueError(f"{data.path} holds {data.size}x{data.size} renders, the checkpoint trains at {size}")
        log(f"resumed {ckpt} at step {t.step} ({t.seconds / 3600:.2f} h in this trainer)")
    elif a.from_checkpoint:
        src = torch.load(os.path.join(a.from_checkpoint, "checkpoint.pt"), map_location="cpu", weights_only=True)["data"]
        data = Renders(a.data or os.path.join(work, f"renders-{src['size']}-{src['count']}.u8"))
        levels_ = [int(x) for x in a.channel_affine.split(",") if x.strip()]
        t = reseed(a.from_checkpoint, data, levels_, a.unfreeze, a.device, a.amp)
        log(f"continuing {a.from_checkpoint} at step {t.step}: {'; '.join(t.history[-1]['changes']) or 'no changes'}")
    else:
        cfg = default_config(a.size, a.batch, a.base, a.d_base)
        if a.seed is not None:
            cfg.seed = a.seed
        if a.no_aug_colour:
            cfg.aug_colour = False
        cfg.channel_affine = [int(x) for x in a.channel_affine.split(",") if x.strip()]
        if a.grow_from and a.init_from:
            raise SystemExit("--grow-from and --init-from: give one")
        if a.grow_from:
            cfg.g_channels = default_config(a.size // 2, a.batch, a.base, a.d_base).g_channels + [a.grow_width]
            cfg.rgb_skip = True
            cfg.rgb_detail = a.detail_only
            cfg.freeze_steps = a.freeze_steps
            cfg.seeded_params = grown_seed_params(cfg)
        data = Renders(a.data or os.path.join(work, f"renders-{a.size}-16000.u8"))
        t = Trainer(cfg, data, a.device, a.amp)
        if a.grow_from:
            grow_from(t.g, a.grow_from)
            grow_from(t.ema, a.grow_from)
            t.init, t.runs = card_runs_from_model(a.grow_from)
            t.init["grown"] = True
            log(f"G grown from {a.grow_from} ({t.init.get('steps')} steps) by one octave of {a.grow_width} channels; "
                f"its {len(cfg.seeded_params)} seeded tensors frozen for {a.freeze_steps} steps")
        if a.init_from:
            load_layers_weights_into(t.g, a.init_from)
            load_layers_weights_into(t.ema, a.init_from)
            t.init, t.runs = card_runs_from_model(a.init_from)
            log(f"G and EMA seeded from {a.init_from} ({t.init.get('steps')} steps)")
        log(f"fresh run: G {count_params(t.g)} params {cfg.g_channels}, D {count_params(t.d)} params {cfg.d_channels}, {data.count} images, {a.device}")
    stop = {"now": False}

    def on_signal(_sig, _frame):
        stop["now"] = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    t0 = time.monotonic()
    session_start_seconds = t.seconds
    last_ckpt = time.monotonic()
    last_log, last_step = time.monotonic(), t.step
    run_steps_noted, run_secs_noted = 0, 0.0
    d_sum = g_sum = n = 0.0

    def checkpoint() -> None:
        nonlocal run_steps_noted, run_secs_noted
        session = time.monotonic() - t0
        t.note_run(a.device, (t.step - start_step) - run_steps_noted, session - run_secs_noted)
        run_steps_noted, run_secs_noted = t.step - start_step, session
        t.save(ckpt)
        write_samples(t, os.path.join(ckpt, "samples.png"))
        log(f"checkpoint step {t.step}")

    start_step = t.step
    while not stop["now"] and t.step < a.steps and (time.monotonic() - t0) / 60 < a.minutes:
        dl, gl = t.train_step()
        t.seconds = session_start_seconds + (time.monotonic() - t0)
        if not (math.isfinite(dl) and math.isfinite(gl)):
            raise RuntimeError(f"loss became NaN at step {t.step}")
        d_sum += dl
        g_sum += gl
        n += 1
        if t.step % a.log_every == 0:
            dt = (time.monotonic() - last_log) / max(1, t.step - last_step)
            log(f"step {t.step} {dt:.3f} s/step D {d_sum / n:.3f} G {g_sum / n:.3f}")
            last_log, last_step = time.monotonic(), t.step
            d_sum = g_sum = n = 0.0
        if time.monotonic() - last_ckpt >= a.checkpoint_every:
            checkpoint()
            last_ckpt = time.monotonic()
    checkpoint()
    log(f"done at step {t.step}")
    return 0
