"""One GAN training state and its step: hinge loss, DiffAugment on reals and fakes, EMA of G, Adam(beta1 0, 0.99).
All randomness (latents, batch indices, augmentations) comes from one CPU torch.Generator whose state is in the
checkpoint, so N straight steps equal N/2 + save + load + N/2 bit for bit on the CPU with fixed threads."""
from __future__ import annotations

import copy
import os
import time
from contextlib import nullcontext

import torch
import torch.nn.functional as F

from .augment import diff_augment
from .data import Renders
from .model import Config, Discriminator, Generator

CHECKPOINT_VERSION = 1


class Trainer:
    def __init__(self, cfg: Config, data: Renders | None, device: str = "cpu", amp: bool = False):
        if data is not None and data.size != cfg.size:
            raise ValueError(f"renders are {data.size}x{data.size}, the run trains at {cfg.size}x{cfg.size}")
        self.cfg = cfg
        self.data = data
        self.device = torch.device(device)
        self.amp = amp and self.device.type == "cuda"
        torch.manual_seed(cfg.seed)
        self.g = Generator(cfg).to(self.device)
        self.d = Discriminator(cfg).to(self.device)
        self.ema = copy.deepcopy(self.g).eval()
        for p in self.ema.parameters():
            p.requires_grad_(False)
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=cfg.lr_g, betas=(cfg.beta1, cfg.beta2))
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=cfg.lr_d, betas=(cfg.beta1, cfg.beta2))
        self.gen = torch.Generator().manual_seed(cfg.seed)
        self.step = 0
        self.seconds = 0.0
        # Where the steps ran: [{device, trainer, steps, seconds}], merged per consecutive device.
        self.runs: list[dict] = []
        self.init: dict | None = None
        self.history: list[dict] = []
        self._seeded = set(cfg.seeded_params)

    def _autocast(self):
        return torch.autocast("cuda", dtype=torch.bfloat16) if self.amp else nullcontext()

    def _z(self, b: int) -> torch.Tensor:
        return torch.randn(b, self.cfg.latent, generator=self.gen).to(self.device)

    def _aug(self, x: torch.Tensor) -> torch.Tensor:
        c = self.cfg
        return diff_augment(x, self.gen, c.aug_colour, c.aug_translation, c.aug_cutout)

    def train_step(self) -> tuple[float, float]:
        assert self.data is not None, "no training data loaded"
        b = self.cfg.batch
        real = self.data.batch(self.gen, b, self.device)
        # D step: one forward over reals then fakes (the minibatch-stddev groups never mix the two).
        self.d.requires_grad_(True)
        with self._autocast():
            with torch.no_grad():
                fake = self.g(self._z(b))
            logits = self.d(self._aug(torch.cat([real, fake.float()]))).float()
            d_loss = F.relu(1 - logits[:b]).mean() + F.relu(1 + logits[b:]).mean()
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()
        # G step.
        self.d.requires_grad_(False)
        with self._autocast():
            g_loss = -self.d(self._aug(self.g(self._z(b)))).float().mean()
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        if self.step < self.cfg.freeze_steps:
            # Adam skips a parameter without a gradient: its weights and moments stay as they are.
            for n, p in self.g.named_parameters():
                if n in self._seeded:
                    p.grad = None
        self.opt_g.step()
        with torch.no_grad():
            torch._foreach_lerp_(list(self.ema.parameters()), list(self.g.parameters()), 1 - self.cfg.ema_beta)
        self.step += 1
        return float(d_loss.detach()), float(g_loss.detach())

    def note_run(self, device: str, steps: int, seconds: float) -> None:
        where = f"{device} (PyTorch {torch.__version__}{', bf16 autocast' if self.amp else ''})"
        if self.runs and self.runs[-1]["device"] == where:
            self.runs[-1]["steps"] += steps
            self.runs[-1]["seconds"] = round(self.runs[-1]["seconds"] + seconds, 1)
        else:
            self.runs.append({"device": where, "trainer": "tools/train/torch", "steps": steps, "seconds": round(seconds, 1)})

    @torch.no_grad()
    def sample(self, z: torch.Tensor, ema: bool = True) -> torch.Tensor:
        net = self.ema if ema else self.g
        return net(z.to(self.device)).float().cpu()

    # --- checkpoints ---------------------------------------------------------------------------------------------
    def state(self) -> dict:
        cpu = lambda sd: {k: (v.detach().cpu() if torch.is_tensor(v) else v) for k, v in sd.items()}  # noqa: E731
        return {
            "version": CHECKPOINT_VERSION,
            "cfg": self.cfg.to_dict(),
            "step": self.step,
            "seconds": self.seconds,
            "g": cpu(self.g.state_dict()),
            "ema": cpu(self.ema.state_dict()),
            "d": cpu(self.d.state_dict()),
            "opt_g": _opt_to_cpu(self.opt_g.state_dict()),
            "opt_d": _opt_to_cpu(self.opt_d.state_dict()),
            "gen": self.gen.get_state(),
            "torch_rng": torch.get_rng_state(),
            "runs": self.runs,
            "init": self.init,
            "history": self.history,
            "data": None if self.data is None else {k: self.data.meta[k] for k in ("size", "count", "seed", "styles", "description")},
        }

    def save(self, ckpt_dir: str) -> str:
        os.makedirs(ckpt_dir, exist_ok=True)
        path = os.path.join(ckpt_dir, "checkpoint.pt")
        torch.save(self.state(), path + ".tmp")
        os.replace(path + ".tmp", path)
        return path

    @staticmethod
    def load(ckpt_dir: str, data: Renders | None, device: str = "cpu", amp: bool = False) -> "Trainer":
        s = torch.load(os.path.join(ckpt_dir, "checkpoint.pt"), map_location="cpu", weights_only=True)
        if s.get("version") != CHECKPOINT_VERSION:
            raise ValueError(f"{ckpt_dir}: checkpoint version {s.get('version')}, this trainer reads {CHECKPOINT_VERSION}")
        t = Trainer(Config.from_dict(s["cfg"]), data, device, amp)
        t.restore(s)
        return t

    def restore(self, s: dict) -> None:
        """Takes every weight, optimiser moment, random state and record of a saved state(); its config must build
        this trainer's networks (reseed.py adjusts the weights of a changed config first)."""
        self.g.load_state_dict(s["g"])
        self.ema.load_state_dict(s["ema"])
        self.d.load_state_dict(s["d"])
        self.opt_g.load_state_dict(s["opt_g"])
        self.opt_d.load_state_dict(s["opt_d"])
        self.gen.set_state(s["gen"])
        torch.set_rng_state(s["torch_rng"])
        self.step, self.seconds = s["step"], s["seconds"]
        self.runs, self.init, self.history = s["runs"], s["init"], s["history"]
        self.saved_data = s["data"]


def _opt_to_cpu(sd: dict) -> dict:
    return {"state": {k: {n: (v.detach().cpu() if torch.is_tensor(v) else v) for n, v in st.items()} for k, st in sd["state"].items()},
            "param_groups": sd["param_groups"]}


class Clock:
    def __init__(self):
        self.t0 = time.monotonic()

    def seconds(self) -> float:
        return time.monotonic() - self.t0
