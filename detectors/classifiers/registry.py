"""Classifier architectures by name, and the config that travels with a trained model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch is imported by the builders only: the ONNX runtime uses ModelConfig without it
    from torch import nn


class Registry:
    """Maps a name to a network builder: `@CLASSIFIERS.register("name")`."""

    def __init__(self) -> None:
        self._builders: dict[str, Callable[[], nn.Module]] = {}

    def register(self, name: str) -> Callable[[Callable[[], nn.Module]], Callable[[], nn.Module]]:
        def wrap(fn: Callable[[], nn.Module]) -> Callable[[], nn.Module]:
            if name in self._builders:
                raise ValueError(f"classifier {name!r} is registered twice")
            self._builders[name] = fn
            return fn

        return wrap

    def build(self, name: str) -> nn.Module:
        if name not in self._builders:  # the MesoNet peers register when their module is first imported
            import detectors.classifiers.mesonet  # noqa: F401
        if name not in self._builders:
            raise KeyError(f"unknown classifier {name!r}; known: {', '.join(sorted(self._builders))}")
        return self._builders[name]()

    def names(self) -> list[str]:
        import detectors.classifiers.mesonet  # noqa: F401

        return sorted(self._builders)


CLASSIFIERS = Registry()


INPUT_FIELDS = ("architecture", "input_size", "crop_size", "crop_margin", "mean", "std")  # what a network is fed


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to use a trained model the way it was trained."""

    architecture: str  # name in CLASSIFIERS
    weights: str  # file name under assets/models, listed in assets/manifest.json
    input_size: int  # pixels fed to the network
    crop_size: int  # aligned crop size before resizing to input_size
    crop_margin: float  # see detectors.alignment.landmark_template
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    threshold: float  # per-window score at which a face counts as a swap
    version: str = ""
    fusion: str | None = None  # temporal fusion model under assets/ (see detectors.temporal.FusionModel)
    # Further networks of the same architecture and input, trained another way: the model's probability is the mean
    # of all of theirs (an ensemble), and `threshold` is that mean's.
    more_weights: tuple[str, ...] = ()

    @property
    def all_weights(self) -> tuple[str, ...]:
        return (self.weights, *self.more_weights)

    @property
    def onnx_files(self) -> tuple[str, ...]:
        """Each network exported to ONNX (packaging/export_onnx.py), next to its .pt file and in the manifest."""
        return tuple(str(Path(w).with_suffix(".onnx")) for w in self.all_weights)

    def takes_same_input(self, other: ModelConfig) -> bool:
        """True when `other` needs the very crops this model needs (so that their networks can form one ensemble)."""
        return all(getattr(self, f) == getattr(other, f) for f in INPUT_FIELDS)

    def to_dict(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_dict(d: dict) -> ModelConfig:
        d = dict(d)
        d["mean"], d["std"] = tuple(d["mean"]), tuple(d["std"])
        d["more_weights"] = tuple(d.get("more_weights") or ())
        known = set(ModelConfig.__dataclass_fields__)
        return ModelConfig(**{k: v for k, v in d.items() if k in known})


def build_network(name: str) -> nn.Module:
    return CLASSIFIERS.build(name)


@CLASSIFIERS.register("efficientnet_lite0")
def _efficientnet_lite0() -> nn.Module:
    import timm
    from torch import nn

    net = timm.create_model("efficientnet_lite0", pretrained=False, num_classes=1)
    for m in net.modules():  # the TF original's epsilon, which its ImageNet statistics were trained with
        if isinstance(m, nn.BatchNorm2d):
            m.eps = 1e-3
    return net


@CLASSIFIERS.register("efficientnet_b4")
def _efficientnet_b4() -> nn.Module:
    """The SBI paper's backbone; used by `bench` as a peer (random weights)."""
    import torchvision

    m = torchvision.models.efficientnet_b4(weights=None)
    from torch import nn

    m.classifier[-1] = nn.Linear(m.classifier[-1].in_features, 1)
    return m


@CLASSIFIERS.register("efficientnet_b7")
def _efficientnet_b7() -> nn.Module:
    """The DFDC winner's backbone; used by `bench` as a peer (random weights)."""
    import torchvision

    m = torchvision.models.efficientnet_b7(weights=None)
    from torch import nn

    m.classifier[-1] = nn.Linear(m.classifier[-1].in_features, 1)
    return m


