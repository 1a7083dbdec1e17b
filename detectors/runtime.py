"""Which runtime runs the networks: torch (CUDA, MPS or CPU) or onnxruntime on the CPU, which needs no torch at all.

Torch-free: `resolve_backend` looks for torch without importing it, so the ONNX engine never loads it.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import onnxruntime

BACKEND_CHOICES = ("auto", "torch", "onnx")

# onnxruntime (1.32 on Linux too) starts its 1DS telemetry, which looks up mobile.events.data.microsoft.com and
# uploads, when its environment is created; disable_telemetry_events() does not stop that, this variable does. It
# must be set before onnxruntime's first session in the process: here, and in packaging/launcher.py for the bundle.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


def has_module(name: str) -> bool:
    """Whether `name` can be imported here, without importing it."""
    return importlib.util.find_spec(name) is not None


def resolve_backend(choice: str = "auto", device: str = "auto") -> str:
    """"torch" or "onnx" for a user's choice. Auto takes ONNX where torch is absent (the CPU installer) and on the
    CPU, where it measures faster (`callshield bench --backend`), and torch where a GPU was asked for or is present.
    CALLSHIELD_BACKEND overrides "auto" (the app has no setting for it)."""
    if choice == "auto" and os.environ.get("CALLSHIELD_BACKEND"):  # e.g. `callshield bench --live --backend torch`
        choice = os.environ["CALLSHIELD_BACKEND"]
    if choice not in BACKEND_CHOICES:
        raise ValueError(f"unknown backend {choice!r}; choose one of {', '.join(BACKEND_CHOICES)}")
    torch_here, onnx_here = has_module("torch"), has_module("onnxruntime")
    if choice == "torch" and not torch_here:
        raise ValueError("backend 'torch' was asked for but this installation has no torch; use 'onnx' or 'auto'")
    if choice == "onnx" and device not in ("auto", "cpu"):
        raise ValueError(f"backend 'onnx' runs on the CPU only, not on device {device!r}; use device 'cpu'")
    if choice == "onnx" and not onnx_here:
        raise ValueError("backend 'onnx' was asked for but onnxruntime is not installed; use 'torch' or 'auto'")
    if choice != "auto":
        return choice
    if not torch_here:
        if not onnx_here:
            raise ValueError("neither torch nor onnxruntime is installed: the installation is incomplete")
        return "onnx"
    if device == "cpu" and onnx_here:
        return "onnx"
    if device == "auto" and onnx_here and not _gpu_present():
        return "onnx"
    return "torch"


def _gpu_present() -> bool:
    import torch  # only when torch is installed and the device is left to us

    mps = getattr(torch.backends, "mps", None)
    return torch.cuda.is_available() or bool(mps and mps.is_available())


def onnx_session(path: Path, threads: int = 1) -> onnxruntime.InferenceSession:
    """A CPU inference session on one verified .onnx file with `threads` intra-op threads and no spinning workers."""
    import onnxruntime as ort

    ort.disable_telemetry_events()  # the events too (ORT_DISABLE_TELEMETRY above stops the uploader)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Idle workers spin by default and would burn a core between frames; the app runs next to a video call.
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.enable_mem_pattern = False  # MTCNN's P-Net sees a new input size per pyramid scale
    opts.log_severity_level = 3
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
