"""Face-swap classifiers: architectures registered by name, weights checked against the asset manifest.

Names are resolved on first use (PEP 562), so that the ONNX runtime can import a torch-free submodule of this package
without importing torch through the torch classifiers and the MesoNet peers.
"""

from importlib import import_module

_EXPORTS = {
    "CLASSIFIERS": "detectors.classifiers.registry",
    "ModelConfig": "detectors.classifiers.registry",
    "build_network": "detectors.classifiers.registry",
    "SwapClassifier": "detectors.classifiers.swap_classifier",
    "OnnxSwapClassifier": "detectors.classifiers.onnx_classifier",
    "WeightsError": "detectors.classifiers.weights",
    "load_model_config": "detectors.classifiers.weights",
}

__all__ = ["CLASSIFIERS", "ModelConfig", "OnnxSwapClassifier", "SwapClassifier", "WeightsError", "build_network",
           "load_model_config"]


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name in ("CLASSIFIERS", "build_network"):
        import_module("detectors.classifiers.mesonet")  # registers the MesoNet peers
    return getattr(import_module(_EXPORTS[name]), name)
