"""Published peer classifiers scored on exactly the crops our engine classifies, for paired comparisons in `eval`.

Their weights live in ../shared/models (never shipped, never copied into assets/): a measurement-only path.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch

from detectors.classifiers.mesonet import MESONET_VARIANTS, keras_state_dict
from detectors.classifiers.registry import ModelConfig, build_network
from detectors.classifiers.swap_classifier import SwapClassifier
from detectors.classifiers.weights import WeightsError
from detectors.offline.bootstrap import RESAMPLES, auc_difference_interval, auc_interval, auc_point

PEER_NAMES = tuple(MESONET_VARIANTS)


def mesonet_dir() -> Path:
    """Upstream MesoNet's files: CALLSHIELD_SHARED_MODELS/mesonet/upstream, by default ../shared/models beside the repo."""
    root = os.environ.get("CALLSHIELD_SHARED_MODELS") or Path(__file__).resolve().parents[3] / "shared" / "models"
    return Path(root) / "mesonet" / "upstream"


def parse_peer_names(text: str) -> list[str]:
    """`meso4-df,mesoinception4-f2f` or `all`, checked against the known peers."""
    names = list(PEER_NAMES) if text.strip() == "all" else [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in MESONET_VARIANTS]
    if unknown:
        raise ValueError(f"unknown peer {', '.join(unknown)}; known: {', '.join(PEER_NAMES)} (or all)")
    return list(dict.fromkeys(names))


def load_peer(name: str, device: torch.device | str, weights_dir: Path | None = None) -> SwapClassifier:
    """A MesoNet variant with its upstream weights, as a classifier giving swap probabilities like ours.

    `device` may be the ONNX runtime's device name: the peers always run on torch.
    """
    config: ModelConfig = MESONET_VARIANTS[name]
    path = (weights_dir or mesonet_dir()) / config.weights
    if not path.is_file():
        raise WeightsError(f"peer {name}: {path} is missing; MesoNet's weights are read from ../shared/models "
                           "(set CALLSHIELD_SHARED_MODELS), never shipped")
    net = build_network(config.architecture)
    return SwapClassifier(config, keras_state_dict(net, path), torch.device(device))


class PairedScorer:
    """Our classifier, with every peer scoring the same crops in the same call: the comparison is paired.

    Stands in for the pipeline's classifier (same `config`, `device` and `predict`); returns our scores unchanged.
    """

    def __init__(self, ours: SwapClassifier, peers: dict[str, SwapClassifier]) -> None:
        self.ours = ours
        self.peers = peers
        self.config = ours.config
        self._calls: list[dict[str, np.ndarray]] = []

    @property
    def device(self) -> torch.device | str:
        return self.ours.device

    def predict(self, crops: list[np.ndarray]) -> np.ndarray:
        scores = self.ours.predict(crops)
        if crops:
            self._calls.append({"ours": scores, **{n: p.predict(crops) for n, p in self.peers.items()}})
        return scores

    def take(self) -> list[dict[str, np.ndarray]]:
        """Scores of every call since the last take (one call per analysed frame or photo), oldest first."""
        calls, self._calls = self._calls, []
        return calls


def item_scores(calls: list[dict[str, np.ndarray]], names: list[str], kind: str) -> dict[str, float | None]:
    """One score per classifier for a file: a photo's most suspicious face, a video's mean over every crop."""
    out: dict[str, float | None] = {}
    for name in names:
        values = [c[name] for c in calls]
        if not values:
            out[name] = None
        elif kind == "image":
            out[name] = float(max(v.max() for v in values))
        else:
            out[name] = float(np.concatenate(values).mean())
    return out


def _peer_row(ours: list[float], theirs: list[float], labels: list[int]) -> dict:
    diff = auc_difference_interval(ours, theirs, labels)
    return {
        "auc": auc_point(theirs, labels),
        "auc_ci": auc_interval(theirs, labels),
        "ours_minus_peer": None if diff is None else diff[0],
        "ours_minus_peer_ci": None if diff is None else diff[1:],
    }


def compare_with_peers(kinds: list[str], labels: list[int], ours: list[float | None],
                       peer_scores: list[dict[str, float | None]], names: list[str]) -> dict:
    """Per kind (video, image): our AUC and each peer's on the same files, and the paired difference ours − peer.

    `ours` is the score each table judges by (a video's call-level score); "ours (same crops)" is our classifier
    aggregated exactly as the peers are, which separates what the classifier does from what the engine adds.
    """
    table: dict = {}
    for kind in ("video", "image"):
        sel = [i for i, k in enumerate(kinds) if k == kind and ours[i] is not None
               and all(peer_scores[i].get(n) is not None for n in ["ours", *names])]
        if not sel:
            continue
        y = [labels[i] for i in sel]
        a = [float(ours[i]) for i in sel]  # type: ignore[arg-type]
        rows = {name: _peer_row(a, [peer_scores[i][name] for i in sel], y) for name in ["ours", *names]}
        table[kind] = {"real": y.count(0), "fake": y.count(1), "auc": auc_point(a, y), "auc_ci": auc_interval(a, y),
                       "peers": rows}
    return table


def format_peer_table(table: dict) -> str:
    lines = [f"\npeers on the same faces (paired: every classifier scored the crops our engine classified; 95% "
             f"bootstrap intervals, {RESAMPLES} resamples of files)"]
    labels = {name: f"{name} ({cfg.version.split(' (')[0]})" for name, cfg in MESONET_VARIANTS.items()}
    labels["ours"] = "CallShield classifier, aggregated as the peers"
    for kind, t in table.items():
        judged = "call-level score" if kind == "video" else "most suspicious face"
        lines.append(f"  {kind}s: {t['real']} real, {t['fake']} fake")
        lines.append(f"    {'classifier':<62} {'AUC':>5} {'95% CI':<14} {'ours − peer':>11} {'95% CI':<16}")
        lines.append(f"    {'CallShield (' + judged + ')':<62} {_num(t['auc']):>5} {_ci(t['auc_ci']):<14}")
        for name, r in t["peers"].items():
            lines.append(f"    {labels[name][:62]:<62} {_num(r['auc']):>5} {_ci(r['auc_ci']):<14}"
                         f" {_num(r['ours_minus_peer'], signed=True):>11} {_ci(r['ours_minus_peer_ci'], signed=True):<16}")
    return "\n".join(lines)


def _num(v: float | None, signed: bool = False) -> str:
    if v is None or np.isnan(v):
        return "-"
    return f"{v:+.3f}" if signed else f"{v:.3f}"


def _ci(ci: tuple[float, float] | None, signed: bool = False) -> str:
    return "" if ci is None else f"[{_num(ci[0], signed)}, {_num(ci[1], signed)}]"
