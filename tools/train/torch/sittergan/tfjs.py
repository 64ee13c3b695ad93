"""G <-> TF.js layers model (model.json + weights.bin), written by hand for the stock layers the page deserialises:
Dense, Reshape, LayerNormalization(axis [1,2,3]), LeakyReLU, UpSampling2D(nearest), Conv2D(same), Activation(tanh),
and Add for a grown G (Config.rgb_skip), which is written as a functional model (tfjs class "Model", each layer
naming its inbound nodes) because its half-resolution to-RGB branches off the chain.
Weight layouts: Dense kernel (in, out); Conv2D kernel (kh, kw, in, out); LayerNormalization gamma/beta (H, W, C)."""
from __future__ import annotations

import json
import os

import numpy as np
import torch

from .model import TF_LN_EPS, Config, Generator

_INIT = {"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": None}}
_ZEROS = {"class_name": "Zeros", "config": {}}


def _dense(name: str, units: int, latent: int) -> dict:
    return {"class_name": "Dense", "config": {
        "units": units, "activation": "linear", "use_bias": True, "kernel_initializer": _INIT, "bias_initializer": _ZEROS,
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
        "bias_constraint": None, "name": name, "trainable": True, "batch_input_shape": [None, latent], "dtype": "float32"}}


def _conv(name: str, filters: int) -> dict:
    return {"class_name": "Conv2D", "config": {
        "filters": filters, "kernel_initializer": _INIT, "kernel_regularizer": None, "kernel_constraint": None,
        "kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1],
        "activation": "linear", "use_bias": True, "bias_initializer": _ZEROS, "bias_regularizer": None,
        "activity_regularizer": None, "bias_constraint": None, "name": name, "trainable": True}}


def _norm(name: str) -> dict:
    return {"class_name": "LayerNormalization", "config": {
        "axis": [1, 2, 3], "epsilon": TF_LN_EPS, "center": True, "scale": True, "beta_initializer": _ZEROS,
        "gamma_initializer": {"class_name": "Ones", "config": {}}, "beta_regularizer": None, "gamma_regularizer": None,
        "name": name, "trainable": True}}


def _act(name: str) -> dict:
    return {"class_name": "LeakyReLU", "config": {"alpha": 0.2, "name": name, "trainable": True}}


def _up(name: str) -> dict:
    return {"class_name": "UpSampling2D", "config": {"size": [2, 2], "data_format": "channels_last", "interpolation": "nearest", "name": name, "trainable": True}}


def _chain(cfg: Config) -> list[dict]:
    c = cfg.g_channels
    layers = [_dense("g_dense", 16 * c[0], cfg.latent),
              {"class_name": "Reshape", "config": {"target_shape": [4, 4, c[0]], "name": "g_reshape", "trainable": True}},
              _norm("g_norm0"), _act("g_act0")]
    for i in range(1, len(c)):
        layers += [_up(f"g_up{i}"), _conv(f"g_conv{i}", c[i]), _norm(f"g_norm{i}"), _act(f"g_act{i}")]
    return layers + [_conv("g_rgb", 3)]


def _tanh() -> dict:
    return {"class_name": "Activation", "config": {"activation": "tanh", "name": "g_tanh", "trainable": True}}


def topology(cfg: Config, name: str = "sitter_generator") -> dict:
    version = {"keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"}
    if not cfg.rgb_skip:
        return {"class_name": "Sequential", "config": {"name": name, "layers": _chain(cfg) + [_tanh()]}, **version}
    chain = _chain(cfg)
    chain[0]["config"].pop("batch_input_shape")
    n = len(cfg.g_channels) - 1
    inp = {"class_name": "InputLayer", "config": {"batch_input_shape": [None, cfg.latent], "dtype": "float32", "sparse": False, "name": "g_z"}}
    layers, prev = [dict(inp, name="g_z", inbound_nodes=[])], "g_z"
    branch_from = None
    for layer in chain:
        nm = layer["config"]["name"]
        if nm == f"g_up{n}":
            branch_from = prev
        layers.append(dict(layer, name=nm, inbound_nodes=[[[prev, 0, 0, {}]]]))
        prev = nm
    node = lambda src: [[[src, 0, 0, {}]]]  # noqa: E731
    if cfg.rgb_detail:
        return _detail_topology(cfg, name, layers, branch_from, version)
    layers += [dict(_conv("g_rgb_skip", 3), name="g_rgb_skip", inbound_nodes=node(branch_from)),
               dict(_up("g_up_skip"), name="g_up_skip", inbound_nodes=node("g_rgb_skip")),
               {"class_name": "Add", "config": {"name": "g_add", "trainable": True}, "name": "g_add",
                "inbound_nodes": [[["g_rgb", 0, 0, {}], ["g_up_skip", 0, 0, {}]]]},
               dict(_tanh(), name="g_tanh", inbound_nodes=node("g_add"))]
    return {"class_name": "Model", "config": {"name": name, "layers": layers, "input_layers": [["g_z", 0, 0]],
                                              "output_layers": [["g_tanh", 0, 0]]}, **version}


def _detail_topology(cfg: Config, name: str, layers: list[dict], branch_from: str, version: dict) -> dict:
    """Config.rgb_detail in stock layers: tfjs-layers has no Subtract, so the block means are subtracted by adding
    those of a second to-RGB conv, g_rgb_neg, exported with the negated kernel and bias (tanh is odd, so
    tanh(-y) = -tanh(y) and avg-pool is linear): up(tanh(skip)) + tanh(y) + up(avgpool(tanh(-y)))."""
    node = lambda src: [[[src, 0, 0, {}]]]  # noqa: E731
    act = lambda nm: {"class_name": "Activation", "config": {"activation": "tanh", "name": nm, "trainable": True}}  # noqa: E731
    pool = {"class_name": "AveragePooling2D", "config": {"pool_size": [2, 2], "padding": "valid", "strides": [2, 2],
                                                         "data_format": "channels_last", "name": "g_pool_neg", "trainable": True}}
    chain_end = layers[-1]["name"]  # g_rgb: the new octave's to-RGB
    prev_of_rgb = layers[-1]["inbound_nodes"][0][0][0]
    layers = layers + [
        dict(act("g_rgb_tanh"), name="g_rgb_tanh", inbound_nodes=node(chain_end)),
        dict(_conv("g_rgb_neg", 3), name="g_rgb_neg", inbound_nodes=node(prev_of_rgb)),
        dict(act("g_neg_tanh"), name="g_neg_tanh", inbound_nodes=node("g_rgb_neg")),
        dict(pool, name="g_pool_neg", inbound_nodes=node("g_neg_tanh")),
        dict(_up("g_up_neg"), name="g_up_neg", inbound_nodes=node("g_pool_neg")),
        dict(_conv("g_rgb_skip", 3), name="g_rgb_skip", inbound_nodes=node(branch_from)),
        dict(act("g_skip_tanh"), name="g_skip_tanh", inbound_nodes=node("g_rgb_skip")),
        dict(_up("g_up_skip"), name="g_up_skip", inbound_nodes=node("g_skip_tanh")),
        {"class_name": "Add", "config": {"name": "g_add", "trainable": True}, "name": "g_add",
         "inbound_nodes": [[["g_up_skip", 0, 0, {}], ["g_rgb_tanh", 0, 0, {}], ["g_up_neg", 0, 0, {}]]]},
    ]
    return {"class_name": "Model", "config": {"name": name, "layers": layers, "input_layers": [["g_z", 0, 0]],
                                              "output_layers": [["g_add", 0, 0]]}, **version}


def tf_weights(g: Generator) -> list[tuple[str, np.ndarray]]:
    """(name, array) in the order tfjs lists a Sequential's weights."""
    t = lambda p: p.detach().float().cpu().numpy()  # noqa: E731

    def hwc(p: torch.Tensor, i: int) -> np.ndarray:
        # A per-channel gain (C, 1, 1) is tiled over the positions: tfjs' LayerNormalization over (H, W, C) wants one
        # per position, and equal ones are exactly the per-channel layer.
        side = 4 << i
        return t(p.expand(p.shape[0], side, side)).transpose(1, 2, 0)

    out = [("g_dense/kernel", t(g.dense.weight).T), ("g_dense/bias", t(g.dense.bias)),
           ("g_norm0/gamma", hwc(g.norms[0], 0)), ("g_norm0/beta", hwc(g.norm_b[0], 0))]
    for i, conv in enumerate(g.convs, start=1):
        out += [(f"g_conv{i}/kernel", t(conv.weight).transpose(2, 3, 1, 0)), (f"g_conv{i}/bias", t(conv.bias)),
                (f"g_norm{i}/gamma", hwc(g.norms[i], i)), (f"g_norm{i}/beta", hwc(g.norm_b[i], i))]
    out += [("g_rgb/kernel", t(g.rgb.weight).transpose(2, 3, 1, 0)), ("g_rgb/bias", t(g.rgb.bias))]
    if g.rgb_skip is not None:
        out += [("g_rgb_skip/kernel", t(g.rgb_skip.weight).transpose(2, 3, 1, 0)), ("g_rgb_skip/bias", t(g.rgb_skip.bias))]
    if g.detail:
        out += [("g_rgb_neg/kernel", -t(g.rgb.weight).transpose(2, 3, 1, 0)), ("g_rgb_neg/bias", -t(g.rgb.bias))]
    return [(n, np.ascontiguousarray(a, dtype=np.float32)) for n, a in out]


def _atomic(path: str, data: bytes) -> None:
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def save_layers_model(g: Generator, cfg: Config, out_dir: str) -> None:
    """Weights first, then model.json, each through a rename (as tools/lib/model-files.ts), so a reader mid-export
    never sees a manifest whose weights file is from another export."""
    os.makedirs(out_dir, exist_ok=True)
    ws = tf_weights(g)
    _atomic(os.path.join(out_dir, "weights.bin"), b"".join(a.tobytes() for _, a in ws))
    manifest = [{"paths": ["weights.bin"], "weights": [{"name": n, "shape": list(a.shape), "dtype": "float32"} for n, a in ws]}]
    doc = {"format": "layers-model", "generatedBy": "Sitter tools/train/torch (PyTorch), stock tfjs-layers 4.22 topology",
           "convertedBy": None, "modelTopology": topology(cfg), "weightsManifest": manifest}
    _atomic(os.path.join(out_dir, "model.json"), json.dumps(doc).encode())


def read_layers_weights(model_dir: str) -> dict[str, np.ndarray]:
    with open(os.path.join(model_dir, "model.json")) as f:
        doc = json.load(f)
    out: dict[str, np.ndarray] = {}
    for group in doc["weightsManifest"]:
        parts = []
        for name in group["paths"]:
            with open(os.path.join(model_dir, name), "rb") as f:
                parts.append(f.read())
        buf = b"".join(parts)
        off = 0
        for w in group["weights"]:
            if w["dtype"] != "float32":
                raise ValueError(f"{model_dir}: weight {w['name']} is {w['dtype']}, expected float32")
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            out[w["name"]] = np.frombuffer(buf, np.float32, n, off).reshape(w["shape"]).copy()
            off += 4 * n
    return out


def load_layers_weights_into(g: Generator, model_dir: str) -> None:
    """The inverse of tf_weights: seeds G from an exported model of the same family (e.g. the wasm-trained one)."""
    src = read_layers_weights(model_dir)
    want = {n: a.shape for n, a in tf_weights(g) if not n.startswith("g_rgb_neg/")}  # derived from g_rgb
    _check(src, want, model_dir, "this generator")
    _copy_into(g, src, {n: n for n in want})


def grown_seed_params(cfg: Config) -> list[str]:
    """The torch parameter names of a grown G (Config.rgb_skip) that grow_from fills from the seed model."""
    n = len(cfg.g_channels) - 1
    out = ["dense.weight", "dense.bias", "rgb_skip.weight", "rgb_skip.bias"]
    out += [f"{k}.{i}" for i in range(n) for k in ("norms", "norm_b")]
    return out + [f"convs.{i}.{k}" for i in range(n - 1) for k in ("weight", "bias")]


def grow_from(g: Generator, model_dir: str) -> None:
    """Seeds a grown G (Config.rgb_skip) from a trained model one octave smaller: every seed layer is copied (its to-RGB
    becomes g_rgb_skip), the new octave keeps its fresh init and the new to-RGB starts at zero, so the grown G's
    output is the seed's, nearest-upsampled (grown_seed_params names what it fills)."""
    if g.rgb_skip is None:
        raise ValueError("grow_from needs a generator built with rgb_skip")
    src = read_layers_weights(model_dir)
    n = len(g.convs)
    names = {w: w for w, _ in tf_weights(g) if not w.startswith((f"g_conv{n}/", f"g_norm{n}/", "g_rgb/", "g_rgb_skip/", "g_rgb_neg/"))}
    names.update({"g_rgb_skip/kernel": "g_rgb/kernel", "g_rgb_skip/bias": "g_rgb/bias"})
    shapes = dict(tf_weights(g))
    _check(src, {ours: shapes[ours].shape for ours in names}, model_dir, f"a generator grown by one octave to {g.c}", names)
    if set(src) - set(names.values()):
        raise ValueError(f"{model_dir}: weights {sorted(set(src) - set(names.values()))} have no place in the grown generator (is it one octave smaller?)")
    _copy_into(g, src, names)
    with torch.no_grad():
        g.rgb.weight.zero_()
        g.rgb.bias.zero_()


def _check(src: dict[str, np.ndarray], want: dict[str, tuple], model_dir: str, what: str, names: dict[str, str] | None = None) -> None:
    for ours, shape in want.items():
        n = names[ours] if names else ours
        if n not in src or src[n].shape != shape:
            got = src[n].shape if n in src else "missing"
            raise ValueError(f"{model_dir}: weight {n} is {got}, {what} needs {shape}")


def _copy_into(g: Generator, src: dict[str, np.ndarray], names: dict[str, str]) -> None:
    """Copies src[names[ours]] into G's tensor for each of our tfjs weight names in `names`."""
    T = lambda a: torch.from_numpy(np.ascontiguousarray(a))  # noqa: E731
    targets: dict[str, tuple[torch.Tensor, tuple[int, ...] | None]] = {
        "g_dense/kernel": (g.dense.weight, (1, 0)), "g_dense/bias": (g.dense.bias, None),
        "g_rgb/kernel": (g.rgb.weight, (3, 2, 0, 1)), "g_rgb/bias": (g.rgb.bias, None)}
    for i in range(len(g.norms)):
        targets[f"g_norm{i}/gamma"] = (g.norms[i], (2, 0, 1))
        targets[f"g_norm{i}/beta"] = (g.norm_b[i], (2, 0, 1))
    for i, conv in enumerate(g.convs, start=1):
        targets[f"g_conv{i}/kernel"] = (conv.weight, (3, 2, 0, 1))
        targets[f"g_conv{i}/bias"] = (conv.bias, None)
    if g.rgb_skip is not None:
        targets["g_rgb_skip/kernel"] = (g.rgb_skip.weight, (3, 2, 0, 1))
        targets["g_rgb_skip/bias"] = (g.rgb_skip.bias, None)
    with torch.no_grad():
        for ours, theirs in names.items():
            dst, perm = targets[ours]
            a = src[theirs]
            a = a.transpose(perm) if perm else a
            if dst.shape != a.shape:  # a per-channel norm (Config.channel_affine) reads a tiled gain back
                if dst.shape != (a.shape[0], 1, 1) or not np.all(a == a[:, :1, :1]):
                    raise ValueError(f"weight {theirs} varies over positions; this generator's norm has one per channel")
                a = a[:, :1, :1]
            dst.copy_(T(a))
