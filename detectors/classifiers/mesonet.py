"""MesoNet (Afchar et al., WIFS 2018; Apache-2.0), ported from its Keras weights: the published peer in every table.

The networks are registered like ours; the four trained variants (DF / F2F weights) are named in MESONET_VARIANTS.
Their Keras .h5 files stay in ../shared (measurement only, never shipped), so h5py is imported only when one is read.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import torch
from torch import nn

from detectors.classifiers.registry import CLASSIFIERS, ModelConfig

KERAS_BN_EPS = 1e-3  # Keras BatchNormalization's default, which the weights were trained with


def _conv(cin: int, cout: int, k: int, dilation: int = 1) -> nn.Conv2d:
    # Keras padding='same' with an odd kernel at stride 1 pads (k - 1) * dilation / 2 on every side.
    return nn.Conv2d(cin, cout, k, padding=dilation * (k - 1) // 2, dilation=dilation)


def _pool(k: int) -> nn.MaxPool2d:
    # Keras 'same' max pooling pads at the end on odd sizes: ceil_mode does the same (no-op at 256 px).
    return nn.MaxPool2d(k, k, ceil_mode=True)


class Inception(nn.Module):
    """MesoInception's block: a 1×1 branch and three 1×1→3×3 branches with dilation 1, 2 and 3, concatenated."""

    def __init__(self, cin: int, a: int, b: int, c: int, d: int) -> None:
        super().__init__()
        self.b1 = _conv(cin, a, 1)
        self.b2 = nn.Sequential(_conv(cin, b, 1), nn.ReLU(), _conv(b, b, 3))
        self.b3 = nn.Sequential(_conv(cin, c, 1), nn.ReLU(), _conv(c, c, 3, 2))
        self.b4 = nn.Sequential(_conv(cin, d, 1), nn.ReLU(), _conv(d, d, 3, 3))
        self.out_channels = a + b + c + d

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], 1))

    def keras_convs(self) -> list[nn.Conv2d]:
        """Convolutions in the order the Keras code creates them (its auto-numbered layer names follow it)."""
        return [self.b1, self.b2[0], self.b2[2], self.b3[0], self.b3[2], self.b4[0], self.b4[2]]


def _stage(block: nn.Module, channels: int, pool: int) -> nn.Sequential:
    return nn.Sequential(block, nn.BatchNorm2d(channels, eps=KERAS_BN_EPS), _pool(pool))


class MesoNet(nn.Module):
    """Meso4 or MesoInception4: four conv stages on a 256-px [0, 1] RGB crop, then a 16-unit dense head.

    Returns one logit of "swapped" (upstream's sigmoid says 1 = real; `keras_state_dict` flips its last layer).
    """

    def __init__(self, inception: bool) -> None:
        super().__init__()
        if inception:
            first, second = Inception(3, 1, 4, 4, 2), Inception(11, 2, 4, 4, 2)
            s1 = _stage(first, first.out_channels, 2)
            s2 = _stage(second, second.out_channels, 2)
        else:
            s1 = _stage(nn.Sequential(_conv(3, 8, 3), nn.ReLU()), 8, 2)
            s2 = _stage(nn.Sequential(_conv(8, 8, 5), nn.ReLU()), 8, 2)
        s3 = _stage(nn.Sequential(_conv(8 if not inception else 12, 16, 5), nn.ReLU()), 16, 2)
        s4 = _stage(nn.Sequential(_conv(16, 16, 5), nn.ReLU()), 16, 4)
        self.features = nn.Sequential(s1, s2, s3, s4)
        self.hidden = nn.Linear(8 * 8 * 16, 16)
        self.out = nn.Linear(16, 1)
        self.dropout = nn.Dropout(0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        x = x.permute(0, 2, 3, 1).flatten(1)  # Keras flattens height, width, channel: keep its dense weights as they are
        x = nn.functional.leaky_relu(self.hidden(self.dropout(x)), 0.1)
        return self.out(self.dropout(x))

    def keras_layers(self) -> tuple[list[nn.Conv2d], list[nn.BatchNorm2d], list[nn.Linear]]:
        """Convolutions, batch norms and dense layers in Keras creation order."""
        convs: list[nn.Conv2d] = []
        norms: list[nn.BatchNorm2d] = []
        for stage in self.features:
            block = stage[0]
            convs += block.keras_convs() if isinstance(block, Inception) else [block[0]]
            norms.append(stage[1])
        return convs, norms, [self.hidden, self.out]


@CLASSIFIERS.register("meso4")
def _meso4() -> nn.Module:
    return MesoNet(inception=False)


@CLASSIFIERS.register("mesoinception4")
def _mesoinception4() -> nn.Module:
    return MesoNet(inception=True)


def _mesonet_config(architecture: str, weights: str, version: str) -> ModelConfig:
    # Upstream feeds the whole 256-px crop scaled to [0, 1] (mean 0, std 1); 0.5 is its sigmoid's decision point.
    return ModelConfig(architecture=architecture, weights=weights, input_size=256, crop_size=256, crop_margin=1.5,
                       mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0), threshold=0.5, version=version)


# The trained variants by name; `weights` is the upstream file name under shared/models/mesonet/upstream.
MESONET_VARIANTS: dict[str, ModelConfig] = {
    "meso4-df": _mesonet_config("meso4", "Meso4_DF.h5", "MesoNet Meso4, Deepfakes weights (upstream 2144d56)"),
    "meso4-f2f": _mesonet_config("meso4", "Meso4_F2F.h5", "MesoNet Meso4, Face2Face weights (upstream 2144d56)"),
    "mesoinception4-df": _mesonet_config("mesoinception4", "MesoInception_DF.h5",
                                         "MesoNet MesoInception4, Deepfakes weights (upstream 2144d56)"),
    "mesoinception4-f2f": _mesonet_config("mesoinception4", "MesoInception_F2F.h5",
                                          "MesoNet MesoInception4, Face2Face weights (upstream 2144d56)"),
}


def _keras_groups(f, prefix: str) -> list:
    """The weight groups of one Keras layer type, in creation order (the numeric suffix of auto names)."""
    names = [n for n in f if re.fullmatch(rf"{prefix}_\d+", n)]
    return [f[n][n] for n in sorted(names, key=lambda n: int(n.rsplit("_", 1)[1]))]


def keras_state_dict(net: MesoNet, h5_path: Path) -> dict[str, torch.Tensor]:
    """A torch state dict for `net` from upstream's Keras `save_weights` file.

    Keras kernels are (kh, kw, in, out) and dense (in, out); torch wants (out, in, kh, kw) and (out, in).
    The last layer is negated so that the logit means "swapped" (sigmoid(-z) = 1 - sigmoid(z)).
    """
    try:
        import h5py  # measurement only: in the dev extra, never in the app bundle
    except ImportError:
        raise ImportError("reading MesoNet's Keras weights needs h5py (pip install -e '.[dev]')") from None
    convs, norms, dense = net.keras_layers()
    tensors: dict[int, np.ndarray] = {}  # by id() of the parameter or buffer
    with h5py.File(h5_path, "r") as f:
        groups = {p: _keras_groups(f, p) for p in ("conv2d", "batch_normalization", "dense")}
        counts = (len(groups["conv2d"]), len(groups["batch_normalization"]), len(groups["dense"]))
        if counts != (len(convs), len(norms), len(dense)):
            raise ValueError(f"{h5_path.name} has {counts} conv/norm/dense layers, the network "
                             f"{(len(convs), len(norms), len(dense))}: not this architecture")
        for conv, g in zip(convs, groups["conv2d"]):
            tensors[id(conv.weight)] = g["kernel:0"][()].transpose(3, 2, 0, 1)
            tensors[id(conv.bias)] = g["bias:0"][()]
        for bn, g in zip(norms, groups["batch_normalization"]):
            for attr, key in (("weight", "gamma"), ("bias", "beta"), ("running_mean", "moving_mean"),
                              ("running_var", "moving_variance")):
                tensors[id(getattr(bn, attr))] = g[f"{key}:0"][()]
        for i, (lin, g) in enumerate(zip(dense, groups["dense"])):
            sign = -1.0 if i == len(dense) - 1 else 1.0
            tensors[id(lin.weight)] = sign * g["kernel:0"][()].T
            tensors[id(lin.bias)] = sign * g["bias:0"][()]
    by_id = {id(t): name for name, t in [*net.named_parameters(), *net.named_buffers()]}
    state = {by_id[k]: torch.from_numpy(np.ascontiguousarray(a, np.float32)) for k, a in tensors.items()}
    for name, t in state.items():
        expected = net.state_dict()[name].shape
        if t.shape != expected:
            raise ValueError(f"{h5_path.name}: {name} has shape {tuple(t.shape)}, the network {tuple(expected)}")
    return state
