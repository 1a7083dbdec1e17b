"""Training samples and validation: pairs share their damage, cross blends take another person's face, swaps are
judged against their own real twins."""

import json

import cv2
import numpy as np
import pytest
import torch

from detectors.classifiers.registry import ModelConfig
from detectors.classifiers.swap_classifier import SwapClassifier
from tests.detectors.conftest import FACE_LANDMARKS, roughness, skin_face
from training import train
from training.augment import camera_colour, occlude, touch_up
from training.train import (
    CROSS,
    IMAGENET_MEAN,
    IMAGENET_STD,
    REAL,
    SBI,
    SWAP,
    CropSamples,
    PairedSamples,
    _to_input,
    build_parser,
    held_out_clips,
    load_training_data,
    split_groups,
    training_pairs,
    validation_metrics,
)


def _face_crops(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    crops = rng.integers(0, 255, size=(n, 96, 96, 3), dtype=np.uint8)
    return crops, np.tile(FACE_LANDMARKS, (n, 1, 1))


def test_a_pair_of_identical_faces_stays_identical_after_augmentation() -> None:
    crops, landmarks = _face_crops(1)
    crops = np.concatenate([crops, crops])
    ds = PairedSamples(crops, landmarks.repeat(2, axis=0), [(0, 1)], input_size=64, seed=3)
    for epoch in range(4):  # each epoch draws fresh damage; both halves of a pair always share it
        ds.epoch = epoch
        x, y = ds[0]
        assert x.shape == (2, 3, 64, 64)
        assert torch.equal(y, torch.tensor([0.0, 1.0]))
        assert torch.equal(x[0], x[1])


def test_a_self_blend_pair_differs_inside_the_face_not_at_the_corners() -> None:
    crops, landmarks = _face_crops(1)
    ds = PairedSamples(crops, landmarks, [(0, -1)], input_size=96, seed=5)
    diffs = []
    for epoch in range(6):
        ds.epoch = epoch
        x, _ = ds[0]
        diff = (x[0] - x[1]).abs().mean(0)
        diffs.append((diff[36:60, 36:60].mean().item(), diff[:8, :8].mean().item()))
    inside, corner = np.array(diffs).T
    assert inside.mean() > 0.05
    assert corner.max() < inside.mean() / 5


def test_swap_frames_pair_with_the_same_frame_of_their_real_twin() -> None:
    # items: 0 = real twin of footage "a", 1 = its swap, 2 = a real photo; crops: two frames of each clip, one photo.
    item = np.array([0, 0, 1, 1, 2])
    frames = np.array([0, 6, 6, 12, 0])
    groups = np.array(["a", "a", "photo"])
    is_fake = np.array([False, False, True, True, False])
    pairs = training_pairs(np.ones(5, bool), is_fake, item, groups, frames, swap_weight=1.0,
                           rng=np.random.default_rng(0))
    assert sorted(p for p in pairs if p[1] == -1) == [(0, -1), (1, -1), (4, -1)]
    # The swap of frame 6 pairs with real frame 6; frame 12 has no real twin crop and is left out.
    assert [p for p in pairs if p[1] >= 0] == [(1, 2)]


def test_holding_out_swaps_puts_every_swapped_footage_group_in_validation() -> None:
    groups = np.array([f"dfl{i}" for i in range(10) for _ in (0, 1)] + [f"photo{i}" for i in range(20)])
    labels = np.array(["real", "fake"] * 10 + ["real"] * 20)
    held = split_groups(groups, labels, val_fraction=0.2, seed=1, hold_out_swaps=True)
    assert {f"dfl{i}" for i in range(10)} <= held
    assert len(held - {f"dfl{i}" for i in range(10)}) == 4  # and a fifth of the rest, as usual
    usual = split_groups(groups, labels, val_fraction=0.2, seed=1)
    assert len({g for g in usual if g.startswith("dfl")}) == 2
    trained = split_groups(groups, labels, val_fraction=0.2, seed=1, train_all_swaps=True)
    assert not {g for g in trained if g.startswith("dfl")}
    assert len(trained) == 4
    with pytest.raises(ValueError, match="contradict"):
        split_groups(groups, labels, val_fraction=0.2, seed=1, hold_out_swaps=True, train_all_swaps=True)


def test_runs_with_one_split_seed_hold_out_the_same_groups_whatever_their_own_seed(tmp_path) -> None:
    groups = np.array([f"dfl{i}" for i in range(10) for _ in (0, 1)] + [f"photo{i}" for i in range(20)])
    labels = np.array(["real", "fake"] * 10 + ["real"] * 20)
    crops, landmarks = _face_crops(len(groups))
    np.savez(tmp_path / "crops.npz", crops=crops, landmarks=landmarks, item=np.arange(len(groups)),
             frame=np.zeros(len(groups), int), labels=labels, groups=groups, size=96, margin=1.5)

    def held(*args: str) -> set[str]:
        return load_training_data(build_parser().parse_args(["--crops", str(tmp_path / "crops.npz"), *args])).val_groups

    assert held("--seed", "2", "--split-seed", "1") == held("--seed", "1") == held("--seed", "3", "--split-seed", "1")
    assert held("--seed", "2") != held("--seed", "1")  # without it, each seed draws its own split


def test_a_held_out_dataset_is_neither_trained_nor_validated_on(tmp_path) -> None:
    groups = np.array([f"dfl:{i}" for i in range(10) for _ in (0, 1)] + [f"vox2:{i}" for i in range(10)]
                      + [f"grid:{i}" for i in range(10)])
    labels = np.array(["real", "fake"] * 10 + ["real"] * 20)
    crops, landmarks = _face_crops(len(groups))
    np.savez(tmp_path / "crops.npz", crops=crops, landmarks=landmarks, item=np.arange(len(groups)),
             frame=np.zeros(len(groups), int), labels=labels, groups=groups, size=96, margin=1.5)
    a = build_parser().parse_args(["--crops", str(tmp_path / "crops.npz"), "--hold-out-dataset", "vox2"])
    data = load_training_data(a)
    assert data.unseen_groups == {f"vox2:{i}" for i in range(10)}
    assert not data.val_groups & data.unseen_groups and any(g.startswith("grid:") for g in data.val_groups)
    train_ds, val_ds, _ = train.datasets(a, data)
    trained = {str(data.groups[data.item[i]]) for i, _ in train_ds.samples}
    validated = {str(data.groups[data.item[i]]) for i, _ in val_ds.samples}
    assert trained and not (trained | validated) & data.unseen_groups
    with pytest.raises(SystemExit, match=r"no footage group is named vox1:"):
        load_training_data(build_parser().parse_args(["--crops", str(tmp_path / "crops.npz"),
                                                      "--hold-out-dataset", "vox1"]))


def test_a_cross_blend_takes_another_persons_face_and_keeps_the_surroundings() -> None:
    crops, landmarks = _face_crops(3)
    stripes = (128 + 60 * np.sin(np.arange(96) * 2 * np.pi / 24)).astype(np.uint8)
    crops[0] = crops[1] = stripes[None, :, None]  # the real face being faked, and more of its footage: vertical stripes
    crops[2] = stripes[:, None, None]  # another person: horizontal stripes (colour matching keeps a face's pattern)
    ds = CropSamples(crops, landmarks, [(0, CROSS)], input_size=96, seed=2, train=False,
                     donors=np.array([0, 1, 2]), crop_groups=np.array(["me", "me", "other"]))
    for epoch in range(5):  # the donor is always the other person, never a crop of the same footage
        ds.epoch = epoch
        x, y = ds[0]
        assert y.item() == 1.0
        pixels = (x * torch.tensor(IMAGENET_STD).view(3, 1, 1) + torch.tensor(IMAGENET_MEAN).view(3, 1, 1)).mean(0)
        face = pixels[42:58, 40:56]
        assert face.std(dim=0).mean() > 2 * face.std(dim=1).mean()  # it varies down the face: the donor's stripes
        assert torch.allclose(pixels[:6, :6], torch.from_numpy(stripes[:6] / 255.0).float().expand(6, 6), atol=0.01)


def test_validation_orders_each_swap_against_its_own_real_twin() -> None:
    # Two footage groups, each a real clip and its swap (3 frames each); in "a" the swap scores higher, in "b" lower.
    item = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3])
    labels = np.array(["real", "fake", "real", "fake"])
    groups = np.array(["a", "a", "b", "b"])
    scores = np.array([0.2] * 3 + [0.8] * 3 + [0.9] * 3 + [0.7] * 3, np.float32)
    samples = [(i, SWAP if labels[item[i]] == "fake" else REAL) for i in range(12)]
    m = validation_metrics(scores, samples, item, labels, np.tile([0, 6, 12], 4), groups)
    assert m["twin_pairs_ordered"] == 0.5


def test_the_clips_threshold_lets_no_held_out_real_clip_alert_and_the_windows_threshold_may() -> None:
    # Three real clips (20 frames at 5 fps), one with a 2-s burst to 0.8; one swap clip steady at 0.79.
    frames = np.tile(np.arange(20) * 6, 4)
    item = np.repeat([0, 1, 2, 3], 20)
    labels = np.array(["real", "real", "real", "fake"])
    groups = np.array(["a", "b", "c", "d"])
    scores = np.r_[np.full(20, 0.2), np.full(20, 0.3), np.full(10, 0.2), np.full(10, 0.8), np.full(20, 0.79)]
    samples = [(i, SWAP if labels[item[i]] == "fake" else REAL) for i in range(80)]
    m = validation_metrics(scores.astype(np.float32), samples, item, labels, frames, groups)
    assert m["threshold"] < 0.8 and m["real_clips_alerted"] == pytest.approx(1 / 3)  # 1 % of windows may pass
    assert 0.8 <= m["threshold_clips"] < 0.81  # just above the burst's 2-s window
    assert m["swap_clips_alerted_clips"] == 0.0 and m["swap_clips_alerted"] == 1.0


def test_a_photo_of_several_faces_is_no_clip_and_sets_no_threshold() -> None:
    # Two real clips (5 frames each), one swap clip, and a group photo: 4 faces, all of frame 0, scoring 0.9.
    item = np.repeat([0, 1, 2, 3], [5, 5, 5, 4])
    frames = np.r_[np.arange(5) * 6, np.arange(5) * 6, np.arange(5) * 6, np.zeros(4, int)]
    labels = np.array(["real", "real", "fake", "real"])
    groups = np.array(["a", "b", "c", "photo"])
    scores = np.r_[np.full(5, 0.2), np.full(5, 0.3), np.full(5, 0.7), np.full(4, 0.9)].astype(np.float32)
    samples = [(i, SWAP if labels[item[i]] == "fake" else REAL) for i in range(len(item))]
    clips = held_out_clips(scores, samples, item, labels, frames, groups)
    assert clips.items.tolist() == [0, 1, 2]
    m = validation_metrics(scores, samples, item, labels, frames, groups)
    assert m["swap_clip_auc"] == 1.0 and 0.3 <= m["threshold_clips"] < 0.31


def test_training_prepares_a_crop_exactly_as_the_shipped_classifier_does() -> None:
    crops, _ = _face_crops(1)
    config = ModelConfig(architecture="efficientnet_lite0", weights="unused.pt", input_size=64, crop_size=96,
                         crop_margin=1.5, mean=IMAGENET_MEAN, std=IMAGENET_STD, threshold=0.5, version="test")
    classifier = SwapClassifier(config, None, torch.device("cpu"))
    assert torch.allclose(_to_input(crops[0], 64), classifier.to_tensor([crops[0]])[0], atol=1e-5)


def test_an_occluder_covers_the_face_edge_and_leaves_the_eyes_and_the_label_alone() -> None:
    crops, landmarks = _face_crops(1)
    flat = np.full_like(crops[0], 128)
    changed, eyes_hit = [], 0
    for seed in range(40):
        out = occlude(flat, landmarks[0], np.random.default_rng(seed))
        assert out.shape == flat.shape and out.dtype == np.uint8
        moved = np.abs(out.astype(int) - flat).max(axis=2) > 20
        changed.append(moved.mean())
        eyes_hit += int(moved[38:43, 34:39].any() or moved[38:43, 58:63].any())
    assert min(changed) > 0.005  # every draw puts something over the face
    assert np.median(changed) < 0.3  # and never blots the face out
    assert eyes_hit <= 4  # the eyes stay visible in nearly every draw
    # Real and fake samples alike: the occluder must not become a label.
    ds = CropSamples(crops, landmarks, [(0, REAL), (0, SWAP)], input_size=64, seed=1, train=True, occlude_p=1.0)
    assert ds[0][1].item() == 0.0 and ds[1][1].item() == 1.0


def test_camera_colour_recolours_the_whole_picture_alike_and_keeps_its_shapes() -> None:
    # A face-like picture: a warm oval on a blue wall. Another camera changes the colour of both, face and wall, by
    # the same law, so that the face's colour relative to its surround is kept; the light and dark stay in place.
    img = np.zeros((96, 96, 3), np.uint8)
    img[:] = (60, 90, 160)
    cv2.ellipse(img, (48, 50), (22, 30), 0, 0, 360, (200, 150, 120), -1)
    img[85:93, 85:93] = (200, 150, 120)  # a patch of the face's colour on the wall
    face, wall, patch = np.zeros((96, 96), bool), np.zeros((96, 96), bool), np.zeros((96, 96), bool)
    face[40:60, 40:56], wall[2:12, 2:12], patch[86:92, 86:92] = True, True, True
    shifts, greys = [], 0
    for seed in range(60):
        out = camera_colour(img, np.random.default_rng(seed))
        assert out.shape == img.shape and out.dtype == np.uint8
        if (out[..., 0] == out[..., 1]).all() and (out[..., 1] == out[..., 2]).all():
            greys += 1
            continue
        f, w = out[face].mean(0), out[wall].mean(0)
        assert f.sum() > w.sum()  # the face stays brighter than the wall
        assert np.abs(out[patch].mean(0) - f).max() <= 1  # one law everywhere: the same colour stays the same
        assert np.argmax(w) == 2  # a blue wall stays blue: a camera's cast, not a repaint
        shifts.append(np.abs(f - img[face].mean(0)).max())
    assert 0 < greys < 15  # black and white now and then
    assert np.median(shifts) > 5  # the colour does change
    crops, landmarks = _face_crops(1)
    ds = CropSamples(crops, landmarks, [(0, REAL), (0, SWAP)], input_size=64, seed=1, train=True, camera_colour_p=1.0)
    assert ds[0][1].item() == 0.0 and ds[1][1].item() == 1.0  # real and fake alike: colour must not become a label


def test_touch_up_smooths_the_skin_and_leaves_eyes_background_and_label_alone() -> None:
    crops, landmarks = _face_crops(1)
    face = skin_face()
    cheeks = np.zeros((96, 96), bool)
    cheeks[50:60, 30:40] = cheeks[50:60, 56:66] = True
    wall = np.zeros((96, 96), bool)
    wall[5:25, 2:12] = True
    for seed in range(10):
        out = touch_up(face, landmarks[0], np.random.default_rng(seed))
        assert out.shape == face.shape and out.dtype == np.uint8
        assert roughness(out, cheeks) < 0.8 * roughness(face, cheeks)  # the skin got smoother
        assert np.abs(out[38:43, 34:39].astype(int) - face[38:43, 34:39]).mean() < 3  # the eyes did not
        assert np.abs(out[wall].astype(int) - face[wall]).mean() < 1  # nor did the wall
    # Real and fake samples alike: smoothing must not become a label.
    ds = CropSamples(crops, landmarks, [(0, REAL), (0, SWAP)], input_size=64, seed=1, train=True, touch_up_p=1.0)
    assert ds[0][1].item() == 0.0 and ds[1][1].item() == 1.0


@pytest.mark.parametrize("codec", ["jpeg", "h264"])
def test_a_weak_link_replaces_the_call_damage_of_every_sample_asked_for_real_and_fake_alike(codec, monkeypatch) -> None:
    crops, landmarks = _face_crops(1)
    sent: list[np.ndarray] = []
    jpeg = train.WEAK_LINKS["jpeg"]

    def recorded(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        sent.append(img)
        return jpeg(img, rng)  # the H.264 codec itself is pinned in test_robustness

    monkeypatch.setitem(train.WEAK_LINKS, codec, recorded)
    monkeypatch.setattr(train, "call_degrade", lambda *_: pytest.fail("a weak-link sample got call damage too"))
    ds = CropSamples(crops, landmarks, [(0, REAL), (0, SWAP)], input_size=64, seed=1, train=True,
                     poor_connection_p=1.0, poor_connection_codec=codec)
    assert ds[0][1].item() == 0.0 and ds[1][1].item() == 1.0  # real and fake alike: a weak link must not become a label
    assert len(sent) == 2


def test_a_weak_link_limited_to_some_kinds_spares_the_others_and_leaves_the_chosen_ones_as_they_were(monkeypatch) -> None:
    crops, landmarks = _face_crops(1)
    sent: list[np.ndarray] = []
    jpeg = train.WEAK_LINKS["jpeg"]

    def recorded(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        sent.append(img)
        return jpeg(img, rng)

    monkeypatch.setitem(train.WEAK_LINKS, "jpeg", recorded)
    samples = [(0, REAL), (0, SBI), (0, SWAP)]
    every = CropSamples(crops, landmarks, samples, input_size=64, seed=1, train=True, poor_connection_p=1.0)
    limited = CropSamples(crops, landmarks, samples, input_size=64, seed=1, train=True, poor_connection_p=1.0,
                          poor_connection_kinds=frozenset({REAL, SWAP}))
    every_inputs = [every[i][0] for i in range(3)]
    assert len(sent) == 3
    sent.clear()
    limited_inputs = [limited[i][0] for i in range(3)]
    assert len(sent) == 2  # the self-blend got the usual call damage instead
    assert torch.equal(every_inputs[0], limited_inputs[0]) and torch.equal(every_inputs[2], limited_inputs[2])
    assert not torch.equal(every_inputs[1], limited_inputs[1])
    a = build_parser().parse_args(["--poor-connection", "0.1", "--poor-connection-kinds", "real", "swap"])
    assert a.poor_connection_kinds == ["real", "swap"]
    assert sorted(build_parser().parse_args([]).poor_connection_kinds) == sorted(train.KIND_BY_NAME)


def test_without_a_weak_link_training_draws_exactly_as_before() -> None:
    crops, landmarks = _face_crops(1)
    plain = CropSamples(crops, landmarks, [(0, REAL), (0, SWAP)], input_size=64, seed=1, train=True)
    off = CropSamples(crops, landmarks, [(0, REAL), (0, SWAP)], input_size=64, seed=1, train=True, poor_connection_p=0.0,
                      poor_connection_codec="h264")
    assert all(torch.equal(plain[i][0], off[i][0]) for i in range(2))


def _tiny_crops(tmp_path) -> tuple[list[str], list[str], np.ndarray]:
    """Ten footage groups of 8 frames: eight real, two swapped (each with its real twin in the same group), written to
    tmp_path/crops.npz; returns (groups, labels, item)."""
    groups = [f"g{i}" for i in range(10)] + ["g0", "g1"]
    labels = ["real"] * 10 + ["fake"] * 2
    item = np.repeat(np.arange(12), 8)
    np.savez(tmp_path / "crops.npz", crops=np.stack([skin_face(i) for i in range(len(item))]),
             landmarks=np.tile(FACE_LANDMARKS, (len(item), 1, 1)), item=item, frame=np.tile(np.arange(8) * 6, 12),
             face_px=np.full(len(item), 80.0, np.float32), files=np.array([f"f{i}.mp4" for i in range(12)]),
             labels=np.array(labels), groups=np.array(groups), sources=np.array(["s"] * 12),
             methods=np.array(["m"] * 12), kinds=np.array(["video"] * 12), size=96, margin=1.5)
    return groups, labels, item


def _tiny_run(tmp_path, monkeypatch, name: str, *args: str) -> None:
    """A run of `_tiny_crops`, stopped after its first epoch (a complete run)."""
    first_epoch = train.Trainer.epoch

    def killed_in_the_second(self: train.Trainer, epoch: int) -> float:
        if epoch > 0:
            raise KeyboardInterrupt
        return first_epoch(self, epoch)

    monkeypatch.setattr(train.Trainer, "epoch", killed_in_the_second)
    with pytest.raises(KeyboardInterrupt):
        train.main(["--crops", str(tmp_path / "crops.npz"), "--input-size", "64", "--epochs", "5", "--batch", "16",
                    # In-process loading: a worker forked from pytest, which runs TFLite and Qt threads by now,
                    # deadlocked in CI.
                    "--workers", "0", "--out", str(tmp_path / name), *args])
    monkeypatch.setattr(train.Trainer, "epoch", first_epoch)


def test_a_run_killed_after_its_first_epoch_is_a_complete_run_with_the_threshold_of_its_rule(tmp_path, monkeypatch):
    groups, _labels, item = _tiny_crops(tmp_path)
    for rule in ("windows", "clips"):
        _tiny_run(tmp_path, monkeypatch, rule, "--threshold-rule", rule)
    for rule, key in (("windows", "threshold"), ("clips", "threshold_clips")):
        run = tmp_path / rule
        assert json.loads((run / "training.json").read_text())["epochs_run"] == 1 and (run / "weights.pt").exists()
        # The kept epoch's score of every held-out sample, for pooling cross-validation folds: held-out crops only.
        held = np.load(run / "val-scores.npz")
        val_groups = set(json.loads((run / "training.json").read_text())["val_groups"])
        assert len(held["scores"]) == len(held["crop"]) and {groups[i] for i in item[held["crop"]]} == val_groups
        config = ModelConfig.from_dict(json.loads((run / "config.json").read_text()))
        chosen = json.loads((run / "val.json").read_text())[key]
        assert config.threshold == train.threshold_digits(chosen) and config.threshold >= chosen  # written rounded up
        # Shipped, the run takes its rule's threshold into assets/ and says which rule that was.
        assets = tmp_path / f"assets-{rule}"
        monkeypatch.setenv("CALLSHIELD_ASSETS", str(assets))
        train.main(["--ship-run", str(run), "--threshold-rule", rule])
        shipped = ModelConfig.from_dict(json.loads((assets / "models/callshield-lite0.json").read_text()))
        assert shipped.threshold == config.threshold
        assert json.loads((assets / "models/callshield-lite0.training.json").read_text())["threshold_rule"] == rule
    val = json.loads((tmp_path / "windows/val.json").read_text())
    assert val["threshold"] != val["threshold_clips"], "the two rules gave one threshold: the test shows nothing"



def test_a_run_ships_beside_the_shipped_model_as_an_ensemble_with_the_threshold_of_their_mean(tmp_path, monkeypatch):
    groups, labels, item = _tiny_crops(tmp_path)
    _tiny_run(tmp_path, monkeypatch, "first", "--seed", "1", "--split-seed", "1")
    _tiny_run(tmp_path, monkeypatch, "second", "--seed", "2", "--split-seed", "1")
    _tiny_run(tmp_path, monkeypatch, "elsewhere", "--seed", "2", "--split-seed", "3")
    assets = tmp_path / "assets"
    monkeypatch.setenv("CALLSHIELD_ASSETS", str(assets))
    train.main(["--ship-run", str(tmp_path / "first"), "--threshold-rule", "clips"])
    with pytest.raises(SystemExit, match="other footage"):
        train.main(["--ship-run", str(tmp_path / "elsewhere"), "--beside-shipped"])
    train.main(["--ship-run", str(tmp_path / "second"), "--beside-shipped", "--threshold-rule", "clips"])

    shipped = ModelConfig.from_dict(json.loads((assets / "models/callshield-lite0.json").read_text()))
    assert shipped.more_weights == ("models/callshield-lite0-2.pt",) and shipped.fusion is None
    # The threshold is the clip rule on the mean of both networks over the held-out footage (real clips decide it).
    runs = [np.load(tmp_path / name / "val-scores.npz") for name in ("first", "second")]
    order = [np.lexsort((r["crop"], r["kind"])) for r in runs]
    mean = (runs[0]["scores"][order[0]] + runs[1]["scores"][order[1]]) / 2
    samples = [(int(i), int(k)) for i, k in zip(runs[1]["crop"][order[1]], runs[1]["kind"][order[1]])]
    want = validation_metrics(mean, samples, item, np.array(labels), np.tile(np.arange(8) * 6, 12), np.array(groups))
    assert shipped.threshold == train.threshold_digits(want["threshold_clips"])
    first_alone = json.loads((tmp_path / "first/val.json").read_text())["threshold_clips"]
    assert shipped.threshold != train.threshold_digits(first_alone), "one threshold for both: the test shows nothing"
    alone = [ModelConfig.from_dict(json.loads((tmp_path / n / "config.json").read_text())) for n in ("first", "second")]
    assert shipped.version == f"{alone[0].version}+{alone[1].version}"
    provenance = json.loads((assets / "models/callshield-lite0.training.json").read_text())
    assert [m["weights"] for m in provenance["members"]] == ["models/callshield-lite0-2.pt"]
    classifier = SwapClassifier.from_assets(torch.device("cpu"))  # both networks pass the manifest check
    assert len(classifier.nets) == 2
