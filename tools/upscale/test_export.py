"""python -m unittest discover -s tools/upscale -p 'test_*.py' (needs torch + numpy: /work/venv or the trainer's venv)."""
from __future__ import annotations

import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import condition, downsample, jpeg_like, synthetic_renders, to_tensor  # noqa: E402
from export import export_reference, export_weights, tf_weights  # noqa: E402
from model import FACTOR, Upscaler  # noqa: E402
from pixel_shuffle import depth_to_space_nhwc, tf_order  # noqa: E402


def conv_nhwc(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """'same' zero-padded stride-1 convolution in NHWC with a [kh, kw, in, out] kernel, the TF layout."""
    k = kernel.shape[0]
    r = k // 2
    n, h, w, _ = x.shape
    xp = np.pad(x, ((0, 0), (r, r), (r, r), (0, 0)))
    y = np.zeros((n, h, w, kernel.shape[3]), dtype=np.float64)
    for dy in range(k):
        for dx in range(k):
            y += xp[:, dy : dy + h, dx : dx + w, :] @ kernel[dy, dx]
    return y + bias


class PixelShuffleOrder(unittest.TestCase):
    def test_tf_order_makes_depth_to_space_equal_pixel_shuffle(self) -> None:
        r, c = 4, 3
        x = torch.randn(2, c * r * r, 5, 7)
        want = torch.nn.PixelShuffle(r)(x).permute(0, 2, 3, 1).numpy()
        nhwc = x.permute(0, 2, 3, 1).numpy()
        got = depth_to_space_nhwc(nhwc[..., tf_order(c, r)], r)
        np.testing.assert_array_equal(got, want)

    def test_without_the_reorder_the_layouts_disagree(self) -> None:
        x = torch.randn(1, 48, 3, 3)
        want = torch.nn.PixelShuffle(4)(x).permute(0, 2, 3, 1).numpy()
        self.assertFalse(np.allclose(depth_to_space_nhwc(x.permute(0, 2, 3, 1).numpy(), 4), want))


class ExportedGraph(unittest.TestCase):
    def test_the_tf_layout_graph_reproduces_the_torch_model(self) -> None:
        torch.manual_seed(3)
        model = Upscaler(8)
        for p in model.parameters():
            torch.nn.init.normal_(p, std=0.2)
        x = torch.rand(1, 3, 6, 9)
        with torch.no_grad():
            want = model(x).permute(0, 2, 3, 1).numpy()
        w = dict(tf_weights(model))
        f = x.permute(0, 2, 3, 1).numpy().astype(np.float64) - 0.5
        for i in range(4):
            f = conv_nhwc(f, w[f"conv{i}/kernel"], w[f"conv{i}/bias"])
            if i < 3:
                f = np.maximum(f, 0)
        base = F.interpolate(x, scale_factor=FACTOR, mode="bilinear", align_corners=False).permute(0, 2, 3, 1).numpy()
        got = depth_to_space_nhwc(f, FACTOR) + base
        np.testing.assert_allclose(got, want, atol=1e-4)

    def test_export_writes_a_manifest_matching_the_weight_bytes(self) -> None:
        model = Upscaler(8)
        with tempfile.TemporaryDirectory() as d:
            manifest = export_weights(model, Path(d))
            floats = sum(int(np.prod(s["shape"])) for s in manifest["weightsManifest"][0]["weights"])
            self.assertEqual((Path(d) / "weights.bin").stat().st_size, floats * 4)
            self.assertEqual(floats, manifest["parameters"])
            self.assertFalse((Path(d) / "model.json").exists())
            ref = export_reference(model, [np.zeros((4, 6, 3), np.uint8)], Path(d))
            out = np.fromfile(Path(d) / ref["references"][0]["output"], dtype="<u2")
            self.assertEqual(out.size, 16 * 24 * 3)


class Augmentation(unittest.TestCase):
    def test_an_untrained_net_is_bilinear_upsampling(self) -> None:
        x = torch.rand(1, 3, 8, 8)
        want = F.interpolate(x, scale_factor=4, mode="bilinear", align_corners=False)
        torch.testing.assert_close(Upscaler()(x), want)

    def test_conditioning_changes_inputs_but_keeps_range_and_shape(self) -> None:
        lo = downsample(to_tensor(synthetic_renders(16, 64)))
        out = condition(lo, torch.Generator().manual_seed(1))
        self.assertEqual(out.shape, lo.shape)
        self.assertGreaterEqual(out.min().item(), 0)
        self.assertLessEqual(out.max().item(), 1)
        changed = [(a - b).abs().max().item() > 1e-6 for a, b in zip(out, lo)]
        self.assertTrue(2 <= sum(changed) < 16, changed)

    def test_jpeg_like_quantisation_keeps_flat_blocks(self) -> None:
        flat = torch.full((1, 3, 8, 16), 0.4)
        torch.testing.assert_close(jpeg_like(flat, 0.05), flat, atol=0.05, rtol=0)


if __name__ == "__main__":
    unittest.main()
