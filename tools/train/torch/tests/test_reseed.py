"""Per-channel norm gains (Config.channel_affine) and continuing a run with a changed config (reseed): the export
still round-trips through the page's per-position LayerNormalization, a reseed keeps everything but what it was asked
to change, and a reseeded run trains on."""
from __future__ import annotations

import os
import sys
import tempfile
import unittest

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from sittergan.data import Renders  # noqa: E402
from sittergan.model import Generator, default_config  # noqa: E402
from sittergan.reseed import reseed  # noqa: E402
from sittergan.tfjs import grow_from, load_layers_weights_into, save_layers_model, tf_weights  # noqa: E402
from sittergan.trainer import Trainer  # noqa: E402
from tests.helpers import tiny_renders  # noqa: E402
from tests.test_grow import grown_config  # noqa: E402


class ReseedTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.data = Renders(tiny_renders(cls.tmp.name))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def dir(self, name: str) -> str:
        return os.path.join(self.tmp.name, name)

    def test_per_channel_gains_export_tiled_and_round_trip(self):
        cfg = grown_config(detail=True)
        cfg.channel_affine = [2]
        a = Generator(cfg)
        with torch.no_grad():
            for p in a.parameters():
                p.add_(torch.randn_like(p) * 0.1)
        self.assertEqual(tuple(a.norms[2].shape), (6, 1, 1))
        ws = dict(tf_weights(a))
        self.assertEqual(ws["g_norm2/gamma"].shape, (16, 16, 6))  # what the page's LayerNormalization over (H, W, C) wants
        save_layers_model(a, cfg, self.dir("chan"))
        b = Generator(cfg)
        load_layers_weights_into(b, self.dir("chan"))
        z = torch.randn(2, 128)
        self.assertTrue(torch.equal(a(z), b(z)))
        # A model whose gains vary over the positions cannot be read into a per-channel norm without losing them.
        full = Generator(grown_config(detail=True))
        with torch.no_grad():
            full.norms[2].add_(torch.randn_like(full.norms[2]))
        save_layers_model(full, grown_config(detail=True), self.dir("positional"))
        with self.assertRaisesRegex(ValueError, "g_norm2/gamma varies over positions"):
            load_layers_weights_into(Generator(cfg), self.dir("positional"))

    def test_refuses_a_norm_layer_it_does_not_have(self):
        cfg = grown_config()
        cfg.channel_affine = [9]
        with self.assertRaisesRegex(ValueError, r"norm layers \[9\]"):
            Generator(cfg)

    def trained(self, freeze: int) -> tuple[Trainer, str]:
        t = Trainer(grown_config(detail=True, freeze=freeze), self.data)
        seed_cfg = default_config(8, 8, 4, 4)
        save_layers_model(Generator(seed_cfg), seed_cfg, self.dir(f"seed{freeze}"))
        for net in (t.g, t.ema):
            grow_from(net, self.dir(f"seed{freeze}"))
        for _ in range(3):
            t.train_step()
        t.note_run("cpu", 3, 1.0)
        ckpt = self.dir(f"ckpt{freeze}")
        t.save(ckpt)
        return t, ckpt

    def test_uniform_gains_reseed_to_the_same_pictures_and_state(self):
        t, _ = self.trained(freeze=0)
        with torch.no_grad():  # gains equal over the positions: per channel they are exactly the same layer
            for net in (t.g, t.ema):
                for p in (net.norms[2], net.norm_b[2]):
                    p.copy_(p.mean((1, 2), keepdim=True).expand_as(p))
        ckpt = self.dir("uniform")
        t.save(ckpt)
        r = reseed(ckpt, self.data, [2], unfreeze=False)
        z = torch.randn(4, 128)
        torch.testing.assert_close(r.sample(z), t.sample(z), rtol=0, atol=1e-6)
        torch.testing.assert_close(r.g(z), t.g(z), rtol=0, atol=1e-6)
        self.assertEqual((r.step, r.seconds, r.runs, r.init), (t.step, t.seconds, t.runs, t.init))
        self.assertEqual(r.cfg.channel_affine, [2])
        self.assertEqual(r.history[-1]["changes"], ["norm layers [2] per channel (gains averaged over positions)"])
        self.assertTrue(torch.equal(r.gen.get_state(), t.gen.get_state()))
        for k, v in t.d.state_dict().items():
            self.assertTrue(torch.equal(r.d.state_dict()[k], v), k)
        # Adam's moments of the converted gains are their means; every other moment is carried as it was.
        names = [n for n, _ in r.g.named_parameters()]
        i = names.index("norms.2")
        torch.testing.assert_close(r.opt_g.state[r.g.norms[2]]["exp_avg"],
                                   t.opt_g.state[t.g.norms[2]]["exp_avg"].mean((1, 2), keepdim=True))
        self.assertTrue(torch.equal(r.opt_g.state[r.g.dense.weight]["exp_avg"], t.opt_g.state[t.g.dense.weight]["exp_avg"]))
        self.assertEqual(i, names.index("norms.2"))
        before = r.g.norms[2].detach().clone()
        r.train_step()
        self.assertEqual(r.step, t.step + 1)
        self.assertFalse(torch.equal(r.g.norms[2], before), "the per-channel gains did not learn")

    def test_unfreeze_lets_the_seeded_layers_learn_from_now(self):
        t, ckpt = self.trained(freeze=10**9)
        frozen = reseed(ckpt, self.data, [], unfreeze=False)
        thawed = reseed(ckpt, self.data, [], unfreeze=True)
        self.assertEqual(frozen.cfg.freeze_steps, 10**9)
        self.assertEqual(thawed.cfg.freeze_steps, t.step)
        self.assertEqual(thawed.history[-1]["changes"], ["seeded layers unfrozen"])
        for r in (frozen, thawed):
            start = r.g.dense.weight.detach().clone()
            r.train_step()
            self.assertEqual(torch.equal(r.g.dense.weight, start), r is frozen)

    def test_cli_continues_into_a_new_folder(self):
        _, ckpt = self.trained(freeze=0)
        from sittergan.cli import main
        out = self.dir("continued")
        self.assertEqual(main(["--out", out, "--from-checkpoint", ckpt, "--channel-affine", "2", "--steps", "5",
                               "--data", self.data.path, "--log-every", "1"]), 0)
        r = Trainer.load(os.path.join(out, "checkpoint"), None)
        self.assertEqual((r.step, r.cfg.channel_affine), (5, [2]))
        self.assertEqual(r.history[-1]["step"], 3)
        self.assertTrue(os.path.exists(os.path.join(out, "checkpoint", "samples.png")))


if __name__ == "__main__":
    unittest.main()
