"""`callshield robustness`: held-out crops only, each harmless change really applied, one row per face kind and change."""

import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.detectors.conftest import FACE_LANDMARKS, roughness, skin_face
from training.augment import h264, poor_connection, poor_connection_h264
from training.robustness import PERTURBATIONS, RobustnessRow, held_out_crops, measure, pool, real_ratios


def test_only_the_held_out_groups_are_measured(tmp_path: Path) -> None:
    path = tmp_path / "crops.npz"
    np.savez(path, item=np.array([0, 0, 1, 2, 2, 3]), groups=np.array(["a", "b", "b", "a"]),
             labels=np.array(["real", "real", "fake", "fake"]))  # per item: crop 2 is a real of b, 3 and 4 a swap of b
    subsets = held_out_crops(np.load(path), ["b"])
    assert subsets["real"].tolist() == [2] and subsets["swap"].tolist() == [3, 4]
    sampled = held_out_crops(np.load(path), ["b"], at_most=1)
    assert sampled["real"].tolist() == [2] and len(sampled["swap"]) == 1 and sampled["swap"][0] in (3, 4)
    assert held_out_crops(np.load(path), ["b"], at_most=1)["swap"].tolist() == sampled["swap"].tolist()


def test_every_change_is_applied_and_reported_per_face_kind() -> None:
    faces = np.stack([skin_face(seed) for seed in range(6)])
    landmarks = np.tile(FACE_LANDMARKS, (6, 1, 1))

    def smoothness(imgs: list[np.ndarray]) -> np.ndarray:  # a stand-in model that calls smooth skin fake
        return np.array([1.0 / (1.0 + roughness(img, (slice(45, 65), slice(30, 66)))) for img in imgs])

    threshold = float(np.median(smoothness(list(faces)))) + 0.02
    rows = measure(smoothness, faces, landmarks, {"real": np.arange(4), "swap": np.arange(4, 6)}, threshold, batch=3)
    assert [(r.faces, r.perturbation) for r in rows] == [(k, p) for k in ("real", "swap") for p in PERTURBATIONS]
    by = {(r.faces, r.perturbation): r for r in rows}
    assert by["real", "as captured"].frames == 4 and by["swap", "touch-up"].frames == 2
    assert by["real", "as captured"].above_threshold == 0.0
    assert by["real", "touch-up"].above_threshold == 1.0  # the smoothing reached every face, across batches
    assert by["real", "touch-up"].median_score > by["real", "as captured"].median_score
    # Fixed draws: the same crop meets the same change on every run, so two models are compared on equal terms.
    assert measure(smoothness, faces, landmarks, {"real": np.arange(4)}, threshold)[2] == by["real", "headset or hand"]
    chosen = measure(smoothness, faces, landmarks, {"real": np.arange(4)}, threshold, pictures=["touch-up"])
    assert chosen == [by["real", "touch-up"]]


def test_swap_rows_rank_the_swaps_against_the_real_frames_of_the_same_picture() -> None:
    real = np.stack([skin_face(seed) for seed in range(4)])
    swaps = np.clip(np.stack([skin_face(seed) for seed in range(4, 6)]).astype(int) + 60, 0, 255).astype(np.uint8)
    faces, landmarks = np.concatenate([real, swaps]), np.tile(FACE_LANDMARKS, (6, 1, 1))

    def brightness(imgs: list[np.ndarray]) -> np.ndarray:  # a stand-in model that calls bright faces swapped
        return np.array([img.mean() / 255.0 for img in imgs])

    subsets = {"swap": np.arange(4, 6), "real": np.arange(4)}  # swaps named first: they still rank against real
    rows = measure(brightness, faces, landmarks, subsets, 0.99, pictures=["as captured", "touch-up"])
    by = {(r.faces, r.perturbation): r for r in rows}
    assert [r.faces for r in rows] == ["real", "real", "swap", "swap"]
    assert by["swap", "as captured"].swap_v_real_auc == 1.0 and by["swap", "touch-up"].swap_v_real_auc == 1.0
    assert by["real", "as captured"].swap_v_real_auc is None
    blind = measure(lambda imgs: np.full(len(imgs), 0.5), faces, landmarks, subsets, 0.99, pictures=["as captured"])
    assert blind[1].swap_v_real_auc == 0.5  # ties: a model that cannot tell them apart
    # No real frames measured: nothing to rank against, said as None rather than a made-up figure.
    assert measure(brightness, faces, landmarks, {"swap": np.arange(4, 6)}, 0.99,
                   pictures=["as captured"])[0].swap_v_real_auc is None


def test_folds_pool_by_frames_each_at_its_own_threshold_and_ratios_are_over_as_captured() -> None:
    fold_a = [RobustnessRow("real", "as captured", 100, 0.02, 0.2), RobustnessRow("real", "touch-up", 100, 0.04, 0.3),
              RobustnessRow("swap", "as captured", 10, 0.5, 0.9)]
    fold_b = [RobustnessRow("real", "as captured", 300, 0.06, 0.4), RobustnessRow("real", "touch-up", 300, 0.06, 0.5),
              RobustnessRow("swap", "as captured", 30, 0.1, 0.6)]
    pooled = pool([fold_a, fold_b])
    assert [(r.faces, r.perturbation, r.frames) for r in pooled] == [
        ("real", "as captured", 400), ("real", "touch-up", 400), ("swap", "as captured", 40)]
    # Weighted by frames, not a mean of the folds' shares: (2 + 18) / 400 and (4 + 18) / 400.
    assert pooled[0].above_threshold == pytest.approx(0.05) and pooled[1].above_threshold == pytest.approx(0.055)
    assert pooled[2].above_threshold == pytest.approx((5 + 3) / 40) and pooled[2].median_score == pytest.approx(0.75)
    assert real_ratios(pooled) == {"touch-up": pytest.approx(1.1)}
    ranked = pool([[RobustnessRow("swap", "as captured", 10, 0.5, 0.9, 1.0)],
                   [RobustnessRow("swap", "as captured", 30, 0.1, 0.6, 0.6)]])
    assert ranked[0].swap_v_real_auc == pytest.approx(0.7)  # each fold's own AUC, weighted by its swap frames
    assert pooled[0].swap_v_real_auc is None  # real rows rank nothing
    assert real_ratios(fold_a) == {"touch-up": pytest.approx(2.0)}
    # No real frame above threshold as captured: there is no ratio to give, rather than a division by zero.
    assert real_ratios([RobustnessRow("real", "as captured", 5, 0.0, 0.1), fold_a[1]]) == {}
    with pytest.raises(ValueError, match="different pictures"):
        pool([fold_a, [fold_b[1], fold_b[0], fold_b[2]]])
    with pytest.raises(ValueError):
        pool([fold_a, fold_b[:2]])  # a run that measured fewer pictures


def test_a_poor_connection_takes_the_skin_detail_away_and_keeps_the_face_where_it_was() -> None:
    face = skin_face(3)
    weak = poor_connection(face, np.random.default_rng(0))
    skin = (slice(45, 65), slice(30, 66))
    assert weak.shape == face.shape and weak.dtype == np.uint8
    assert roughness(weak, skin) < 0.5 * roughness(face, skin)
    # The picture is degraded, not moved or recoloured: the eyes stay dark and the skin keeps its colour.
    assert weak[38:43, 58:63].mean() < 80 and abs(float(weak[skin].mean()) - float(face[skin].mean())) < 8


def ffmpeg_h264(img: np.ndarray, crf: int) -> np.ndarray:
    """The same round trip through the ffmpeg program: the reference the in-process encoder must equal."""
    h, w = img.shape[:2]
    quiet, raw = ["ffmpeg", "-hide_banner", "-loglevel", "error"], ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}"]
    encoded = subprocess.run([*quiet, *raw, "-i", "-", "-c:v", "libx264", "-preset", "veryfast", "-crf", str(crf),
                              "-pix_fmt", "yuv420p", "-f", "h264", "-"], input=img.tobytes(), capture_output=True,
                             check=True).stdout
    decoded = subprocess.run([*quiet, "-f", "h264", "-i", "-", *raw, "-"], input=encoded, capture_output=True,
                             check=True).stdout
    return np.frombuffer(decoded, np.uint8).reshape(h, w, 3)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg (scripts/setup.sh installs it)")
@pytest.mark.parametrize("side", [16, 64, 112, 114, 134])  # 114 px and up: x264 splits the work over threads
def test_the_in_process_h264_equals_the_ffmpeg_program_byte_for_byte(side: int) -> None:
    face = cv2.resize(skin_face(side), (side, side + 10), interpolation=cv2.INTER_AREA)
    noisy = np.clip(face + np.random.default_rng(side).normal(0, 6, face.shape), 0, 255).astype(np.uint8)
    for crf in (23, 35):
        assert np.array_equal(h264(noisy, crf=crf), ffmpeg_h264(noisy, crf))


def test_the_h264_weak_link_goes_through_the_real_codec_and_costs_detail_as_its_crf_says() -> None:
    noise = np.random.default_rng(0).integers(0, 256, (64, 96, 3), dtype=np.uint8)
    fine, coarse = h264(noise, crf=10), h264(noise, crf=35)
    assert fine.shape == coarse.shape == noise.shape and coarse.dtype == np.uint8
    error = [float(np.abs(x.astype(float) - noise).mean()) for x in (fine, coarse)]
    assert 0 < error[0] < error[1]  # lossy at any CRF, and the coarser the more
    face = skin_face(3)
    weak = poor_connection_h264(face, np.random.default_rng(0))
    skin = (slice(45, 65), slice(30, 66))
    assert weak.shape == face.shape and roughness(weak, skin) < 0.5 * roughness(face, skin)
    assert weak[38:43, 58:63].mean() < weak[skin].mean() - 40  # the eyes stay where they were, darker than the skin
