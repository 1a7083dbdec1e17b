"""A logistic regression over named, standardised features, stored as JSON with its own alert threshold: the shape of
the temporal fusion model and of the animated-photo model."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import ClassVar, Self

import numpy as np


@dataclass(frozen=True)
class LogisticModel:
    KIND: ClassVar[str] = "logistic model"  # names the model in errors

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    bias: float
    threshold: float

    def __post_init__(self) -> None:
        n = len(self.features)
        if n == 0 or not len(self.mean) == len(self.scale) == len(self.coef) == n:
            raise ValueError(f"{self.KIND}: features, mean, scale and coef must have the same non-zero length")

    def vector(self, values: dict[str, float]) -> np.ndarray:
        """The features as the model was fitted on them (subclasses may transform them)."""
        return np.array([values[f] for f in self.features], float)

    def probability(self, values: dict[str, float]) -> float:
        x = (self.vector(values) - np.array(self.mean)) / np.array(self.scale)
        z = float(np.dot(x, self.coef) + self.bias)
        return float(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))

    @classmethod
    def load(cls, path: Path) -> Self:
        d = json.loads(Path(path).read_text())
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=2) + "\n")
