"""Exports the engine's networks to ONNX for the torch-free CPU runtime, and lists them in assets/manifest.json.

Build time only (needs torch, facenet-pytorch, timm and onnx; none of them ship in the CPU installer):

    .venv/bin/python packaging/export_onnx.py [--assets assets] [--check]

Writes assets/models/mtcnn-{pnet,rnet,onet}.onnx (facenet-pytorch's MTCNN weights) and, for each network of the swap
classifier (two or more when it is an ensemble), `<weights>.onnx` beside its .pt, then records each file's size and
SHA-256 in the manifest, which the engine checks on load. `--check` compares each exported network with torch on
random inputs and fails above 1e-4.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch
from facenet_pytorch.models.mtcnn import ONet, PNet, RNet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere in the checkout

from detectors.assets import DEFAULT_MODEL
from detectors.classifiers.weights import load_manifest, load_model_config, load_state_dict, write_manifest
from detectors.mtcnn import MTCNN_ONNX
from detectors.runtime import onnx_session

OPSET = 17


def _export(net: torch.nn.Module, example: torch.Tensor, path: Path, outputs: list[str], dynamic_hw: bool) -> None:
    axes = {"input": {0: "n", 2: "h", 3: "w"} if dynamic_hw else {0: "n"}} | {o: {0: "n"} for o in outputs}
    if dynamic_hw:
        axes |= {o: {0: "n", 2: "oh", 3: "ow"} for o in outputs}
    torch.onnx.export(net.eval(), (example,), str(path), input_names=["input"], output_names=outputs,
                      dynamic_axes=axes, opset_version=OPSET, dynamo=False, do_constant_folding=True)


class _Logit(torch.nn.Module):
    """The classifier as the ONNX runtime uses it: normalised N×3×S×S float input, one logit per crop."""

    def __init__(self, net: torch.nn.Module) -> None:
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).reshape(-1)


def export_all(assets: Path) -> dict[str, tuple[torch.nn.Module, torch.Tensor]]:
    """Writes the .onnx files (MTCNN's three, one per classifier network); returns each file's torch network and an
    example input for `check`."""
    from detectors.classifiers.registry import build_network

    pnet, rnet, onet = PNet().eval(), RNet().eval(), ONet().eval()  # weights from the facenet-pytorch wheel
    nets = {
        MTCNN_ONNX[0]: (pnet, torch.rand(1, 3, 97, 131) * 2 - 1, ["reg", "prob"], True),
        MTCNN_ONNX[1]: (rnet, torch.rand(3, 3, 24, 24) * 2 - 1, ["reg", "prob"], False),
        MTCNN_ONNX[2]: (onet, torch.rand(3, 3, 48, 48) * 2 - 1, ["reg", "points", "prob"], False),
    }
    config = load_model_config(assets / DEFAULT_MODEL)
    size = config.input_size
    for weights, onnx_file in zip(config.all_weights, config.onnx_files):  # each network of an ensemble
        classifier = build_network(config.architecture)
        classifier.load_state_dict(load_state_dict(assets, config, weights))
        nets[onnx_file] = (_Logit(classifier.eval()), torch.randn(2, 3, size, size), ["logit"], False)
    for name, (net, example, outputs, dynamic_hw) in nets.items():
        _export(net, example, assets / name, outputs, dynamic_hw)
        print(f"wrote {assets / name} ({(assets / name).stat().st_size / 1e6:.1f} MB)")
    return {name: (net, example) for name, (net, example, _, _) in nets.items()}


@torch.inference_mode()
def check(assets: Path, nets: dict[str, tuple[torch.nn.Module, torch.Tensor]]) -> float:
    """The largest absolute difference between torch and onnxruntime over every output of every network."""
    worst = 0.0
    for name, (net, example) in nets.items():
        want = net(example)
        want = [want] if isinstance(want, torch.Tensor) else list(want)
        got = onnx_session(assets / name).run(None, {"input": example.numpy()})
        diff = max(float(np.abs(w.numpy() - g).max()) for w, g in zip(want, got))
        print(f"{name}: max |torch - onnx| = {diff:.2e}")
        worst = max(worst, diff)
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=Path, default=Path(__file__).resolve().parents[1] / "assets")
    parser.add_argument("--check", action="store_true", help="compare each exported network with torch")
    args = parser.parse_args(argv)
    nets = export_all(args.assets)
    names = sorted(set(load_manifest(args.assets)) | set(nets))
    write_manifest(args.assets, names)
    print(f"manifest: {len(names)} files")
    if args.check and check(args.assets, nets) > 1e-4:
        print("ONNX export differs from torch by more than 1e-4", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
