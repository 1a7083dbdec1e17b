"""Chooses where the networks run: CUDA (fp16), Apple MPS, or the CPU."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


def resolve_device(choice: str = "auto") -> torch.device:
    """The torch device for a user's choice; asking for an absent GPU is an error, not a silent CPU."""
    if choice not in DEVICE_CHOICES:
        raise ValueError(f"unknown device {choice!r}; choose one of {', '.join(DEVICE_CHOICES)}")
    import torch  # the torch backend only; the choices above are read by the torch-free CLI

    if choice == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if choice == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was asked for but no usable NVIDIA GPU is present; use 'auto' or 'cpu'")
    if choice == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ValueError("device 'mps' was asked for but Apple's GPU is not available; use 'auto' or 'cpu'")
    return torch.device(choice)
