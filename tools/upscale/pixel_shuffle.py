"""PyTorch's PixelShuffle (NCHW) and tf.depthToSpace (NHWC, "DCR") read the sub-pixel channels in different orders.

PixelShuffle takes output pixel (h·r+i, w·r+j) of colour c from input channel c·r² + i·r + j; depthToSpace takes it
from channel (i·r + j)·C + c. export.py reorders the last conv's output channels with tf_order() so that the
page's depthToSpace puts every sub-pixel where PyTorch's PixelShuffle does (checked in test_export.py).
"""
from __future__ import annotations

import numpy as np


def tf_order(channels: int, r: int) -> list[int]:
    """PyTorch channel index for each TF channel index: tf[k] = torch[tf_order()[k]]."""
    order = []
    for i in range(r):
        for j in range(r):
            for c in range(channels):
                order.append(c * r * r + i * r + j)
    return order


def depth_to_space_nhwc(x: np.ndarray, r: int) -> np.ndarray:
    """tf.nn.depth_to_space (DCR) in numpy, as documented by TensorFlow: [n, h, w, r²·C] → [n, h·r, w·r, C]."""
    n, h, w, d = x.shape
    c = d // (r * r)
    y = x.reshape(n, h, w, r, r, c).transpose(0, 1, 3, 2, 4, 5)
    return y.reshape(n, h * r, w * r, c)
