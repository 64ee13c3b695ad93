"""Growing a trained G by one octave: the grown G starts by drawing the seed's pictures exactly (upsampled), the
seed's layers stay put while frozen and learn after, and the grown G round-trips through the functional export."""
from __future__ import annotations

import os
import sys
import tempfile
import unittest

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from sittergan.data import Renders  # noqa: E402
from sittergan.model import Generator, default_config  # noqa: E402
from sittergan.tfjs import grow_from, grown_seed_params, load_layers_weights_into, save_layers_model, topology  # noqa: E402
from sittergan.trainer import Trainer  # noqa: E402
from tests.helpers import tiny_renders  # noqa: E402


def grown_config(size: int = 16, width: int = 6, freeze: int = 0, detail: bool = False):
    cfg = default_config(size, 8, 4, 4)
    cfg.g_channels = default_config(size // 2, 8, 4, 4).g_channels + [width]
    cfg.rgb_skip = True
    cfg.rgb_detail = detail
    cfg.freeze_steps = freeze
    cfg.seeded_params = grown_seed_params(cfg)
    cfg.seed = 9
    return cfg


class GrowTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        cls.tmp = tempfile.TemporaryDirectory()
        torch.manual_seed(1)
        cls.seed_cfg = default_config(8, 8, 4, 4)
        cls.seed_g = Generator(cls.seed_cfg)
        # Non-trivial norms so a mix-up of layers would show in the pictures.
        with torch.no_grad():
            for p in cls.seed_g.parameters():
                p.add_(torch.randn_like(p) * 0.1)
        cls.seed_dir = os.path.join(cls.tmp.name, "seed")
        save_layers_model(cls.seed_g, cls.seed_cfg, cls.seed_dir)
        cls.data_path = tiny_renders(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_grown_generator_draws_the_seed_upsampled(self):
        g = Generator(grown_config())
        z = torch.randn(3, 128)
        self.assertFalse(torch.allclose(g(z), F.interpolate(self.seed_g(z), scale_factor=2, mode="nearest")))
        grow_from(g, self.seed_dir)
        want = F.interpolate(self.seed_g(z), scale_factor=2, mode="nearest")
        self.assertEqual(tuple(g(z).shape), (3, 3, 16, 16))
        torch.testing.assert_close(g(z), want, rtol=0, atol=1e-6)
        # Box-downsampling the grown picture gives the seed's back: its figures judged at the seed's size start equal.
        torch.testing.assert_close(F.avg_pool2d(g(z), 2), self.seed_g(z), rtol=0, atol=1e-6)

    @torch.no_grad()
    def test_detail_only_keeps_the_seed_exactly_at_its_size_whatever_the_new_octave_learns(self):
        g = Generator(grown_config(detail=True))
        grow_from(g, self.seed_dir)
        z = torch.randn(3, 128)
        torch.testing.assert_close(g(z), F.interpolate(self.seed_g(z), scale_factor=2, mode="nearest"), rtol=0, atol=1e-6)
        with torch.no_grad():
            for m in (g.convs[-1], g.rgb):
                m.weight.add_(torch.randn_like(m.weight))
                m.bias.add_(torch.randn_like(m.bias))
        y = g(z)
        self.assertGreater(float((y - F.interpolate(self.seed_g(z), scale_factor=2, mode="nearest")).abs().max()), 0.1)
        torch.testing.assert_close(F.avg_pool2d(y, 2), self.seed_g(z), rtol=0, atol=1e-6)
        # The plain skip has no such guarantee: the same perturbation moves the block means.
        plain = Generator(grown_config())
        plain.load_state_dict(g.state_dict())
        self.assertGreater(float((F.avg_pool2d(plain(z), 2) - self.seed_g(z)).abs().max()), 0.01)

    def test_seeded_names_cover_exactly_what_grow_from_fills(self):
        cfg = grown_config()
        g = Generator(cfg)
        before = {n: p.detach().clone() for n, p in g.named_parameters()}
        grow_from(g, self.seed_dir)
        changed = {n for n, p in g.named_parameters() if not torch.equal(p, before[n])}
        self.assertEqual(changed - {"rgb.weight"}, set(cfg.seeded_params))  # rgb is zeroed (its bias was zero already)

    def test_refuses_a_seed_of_another_size(self):
        with self.assertRaisesRegex(ValueError, "grown by one octave"):
            grow_from(Generator(grown_config(size=32)), self.seed_dir)

    def test_frozen_seed_layers_stay_then_learn(self):
        cfg = grown_config(freeze=2)
        t = Trainer(cfg, Renders(self.data_path))
        grow_from(t.g, self.seed_dir)
        grow_from(t.ema, self.seed_dir)
        start = {n: p.detach().clone() for n, p in t.g.named_parameters()}
        for _ in range(2):
            t.train_step()
        for n, p in t.g.named_parameters():
            if n in cfg.seeded_params:
                self.assertTrue(torch.equal(p, start[n]), f"{n} moved while frozen")
        self.assertFalse(torch.equal(t.g.rgb.weight, start["rgb.weight"]), "the new to-RGB did not learn")
        t.train_step()
        self.assertFalse(torch.equal(t.g.dense.weight, start["dense.weight"]), "the seed's layers did not learn after the freeze")

    def test_functional_export_round_trips(self):
        for detail in (False, True):
            with self.subTest(detail=detail):
                self._round_trip(detail)

    def _round_trip(self, detail: bool):
        cfg = grown_config(detail=detail)
        a = Generator(cfg)
        out = os.path.join(self.tmp.name, f"grown-{detail}")
        save_layers_model(a, cfg, out)
        top = topology(cfg)
        self.assertEqual(top["class_name"], "Model")
        self.assertEqual({l["class_name"] for l in top["config"]["layers"]} - {"InputLayer", "Add", "AveragePooling2D"},
                         {"Activation", "Conv2D", "Dense", "LayerNormalization", "LeakyReLU", "Reshape", "UpSampling2D"})
        torch.manual_seed(7)
        b = Generator(cfg)
        z = torch.randn(2, 128)
        self.assertFalse(torch.equal(a(z), b(z)))
        load_layers_weights_into(b, out)
        self.assertTrue(torch.equal(a(z), b(z)))


if __name__ == "__main__":
    unittest.main()
