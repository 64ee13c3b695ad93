"""Trainer: exact resume, the G family's shapes, DiffAugment determinism, refusal of mismatched data."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import unittest

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from sittergan.augment import diff_augment  # noqa: E402
from sittergan.data import Renders  # noqa: E402
from sittergan.model import Generator, default_config  # noqa: E402
from sittergan.trainer import Trainer  # noqa: E402
from tests.helpers import tiny_renders  # noqa: E402


def flat_state(t: Trainer) -> dict[str, torch.Tensor]:
    s = t.state()
    out: dict[str, torch.Tensor] = {}
    for part in ("g", "ema", "d"):
        for k, v in s[part].items():
            out[f"{part}/{k}"] = v
    for part in ("opt_g", "opt_d"):
        for pid, st in s[part]["state"].items():
            for k, v in st.items():
                out[f"{part}/{pid}/{k}"] = v if torch.is_tensor(v) else torch.tensor(v)
    out["gen"] = s["gen"]
    return out


class TrainerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.data_path = tiny_renders(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def cfg(self):
        c = default_config(16, 8, 4, 4)
        c.seed = 5
        return c

    def test_resume_is_bit_identical(self):
        data = Renders(self.data_path)
        straight = Trainer(self.cfg(), data)
        for _ in range(4):
            straight.train_step()
        half = Trainer(self.cfg(), data)
        for _ in range(2):
            half.train_step()
        ckpt = os.path.join(self.tmp.name, "ckpt")
        half.save(ckpt)
        # Disturb the global RNG and build the resumed trainer from disk only.
        torch.randn(100)
        resumed = Trainer.load(ckpt, data)
        for _ in range(2):
            resumed.train_step()
        self.assertEqual(resumed.step, 4)
        a, b = flat_state(straight), flat_state(resumed)
        self.assertEqual(sorted(a), sorted(b))
        # Spectral-norm power-iteration vectors and Adam moments are in there too.
        self.assertTrue(any(k.endswith("_u") for k in a))
        self.assertTrue(any(k.endswith("exp_avg_sq") for k in a))
        for k in a:
            self.assertTrue(torch.equal(a[k], b[k]), f"{k} differs after resume")
        # And the run moved: a resume that silently restarted from scratch would fail here.
        fresh = Trainer(self.cfg(), data)
        self.assertFalse(torch.equal(flat_state(fresh)["g/dense.weight"], a["g/dense.weight"]))

    def test_cli_resume_across_processes(self):
        out_a = os.path.join(self.tmp.name, "a")
        out_b = os.path.join(self.tmp.name, "b")
        train = os.path.join(os.path.dirname(HERE), "train.py")
        common = ["--size", "16", "--batch", "8", "--base", "4", "--d-base", "4", "--seed", "9", "--data", self.data_path, "--log-every", "1"]
        run = lambda *args: subprocess.run([sys.executable, train, *args], check=True, capture_output=True, text=True)  # noqa: E731
        run("--out", out_a, "--steps", "4", *common)
        run("--out", out_b, "--steps", "2", *common)
        log = run("--out", out_b, "--steps", "4", *common).stdout
        self.assertIn("resumed", log)
        a = torch.load(os.path.join(out_a, "checkpoint", "checkpoint.pt"), weights_only=True)
        b = torch.load(os.path.join(out_b, "checkpoint", "checkpoint.pt"), weights_only=True)
        self.assertEqual(a["step"], 4)
        self.assertEqual(b["step"], 4)
        for part in ("g", "ema", "d"):
            for k in a[part]:
                self.assertTrue(torch.equal(a[part][k], b[part][k]), f"{part}/{k}")
        self.assertEqual(sum(r["steps"] for r in b["runs"]), 4)
        self.assertTrue(os.path.exists(os.path.join(out_b, "checkpoint", "samples.png")))

    def test_generator_shapes_and_range(self):
        g = Generator(default_config(32, 4, 4, 4))
        y = g(torch.randn(3, 128))
        self.assertEqual(tuple(y.shape), (3, 3, 32, 32))
        self.assertLessEqual(float(y.abs().max()), 1.0)

    def test_diff_augment_repeats_for_a_generator_state_and_changes_images(self):
        x = torch.rand(4, 3, 16, 16) * 2 - 1
        a = diff_augment(x, torch.Generator().manual_seed(1), True, 0.125, 0.25)
        b = diff_augment(x, torch.Generator().manual_seed(1), True, 0.125, 0.25)
        c = diff_augment(x, torch.Generator().manual_seed(2), True, 0.125, 0.25)
        self.assertTrue(torch.equal(a, b))
        self.assertFalse(torch.equal(a, c))
        self.assertFalse(torch.equal(a, x))
        # Cutout zeroes a square per sample; translation alone keeps shape.
        t = diff_augment(x, torch.Generator().manual_seed(1), False, 0.125, 0.0)
        self.assertEqual(t.shape, x.shape)

    def test_layers_export_round_trips_and_refuses_another_shape(self):
        from sittergan.tfjs import load_layers_weights_into, save_layers_model

        cfg = default_config(16, 4, 4, 4)
        a = Generator(cfg)
        out = os.path.join(self.tmp.name, "layers")
        save_layers_model(a, cfg, out)
        torch.manual_seed(123)
        b = Generator(cfg)
        z = torch.randn(2, 128)
        self.assertFalse(torch.equal(a(z), b(z)))
        load_layers_weights_into(b, out)
        self.assertTrue(torch.equal(a(z), b(z)))
        with self.assertRaisesRegex(ValueError, "g_dense/kernel is .* this generator needs"):
            load_layers_weights_into(Generator(default_config(16, 4, 8, 4)), out)

    def test_mismatched_renders_are_refused(self):
        with self.assertRaisesRegex(ValueError, "renders are 16x16, the run trains at 32x32"):
            Trainer(default_config(32, 4, 4, 4), Renders(self.data_path))
        with self.assertRaisesRegex(FileNotFoundError, "npm run train:pack"):
            Renders(os.path.join(self.tmp.name, "nope.u8"))


if __name__ == "__main__":
    unittest.main()
