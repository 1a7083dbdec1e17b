"""Face-swap classifiers: architectures registered by name, weights checked against the asset manifest."""

from detectors.classifiers.registry import CLASSIFIERS, ModelConfig, build_network
from detectors.classifiers.swap_classifier import SwapClassifier
from detectors.classifiers.weights import WeightsError, load_model_config

__all__ = ["CLASSIFIERS", "ModelConfig", "SwapClassifier", "WeightsError", "build_network", "load_model_config"]
