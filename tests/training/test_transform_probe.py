"""training.transform_probe: which held-out crops it scores, and that each picture change reaches the network."""

from __future__ import annotations

import numpy as np
import torch

from tests.detectors.conftest import FACE_LANDMARKS
from training.transform_probe import TRANSFORMS, footage_sets, probe


def test_only_held_out_video_crops_are_probed_by_dataset_and_label() -> None:
    groups = np.array(["grid:a", "dfl:x", "dfl:x", "mead:b", "photo:p"])
    labels = np.array(["real", "real", "fake", "real", "real"])
    kinds = np.array(["video", "video", "video", "video", "image"])
    item = np.repeat(np.arange(5), 10)
    sets = footage_sets({"item": item, "groups": groups, "labels": labels, "kinds": kinds},
                        held_out={"grid:a", "dfl:x", "photo:p"}, per_set=4)
    assert sorted(sets) == ["dfl fake", "dfl real", "grid real"]  # mead was trained on; the photo is no clip
    assert all(len(idx) == 4 for idx in sets.values())
    assert set(item[sets["dfl fake"]]) == {2} and set(item[sets["grid real"]]) == {0}


class RedOverBlue(torch.nn.Module):
    """A 'network' that only looks at colour: red faces score high, and without colour it says 0.5."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x[:, 0] * 0.229 - x[:, 2] * 0.225 + 0.485 - 0.406).mean(dim=(1, 2)) * 20


def test_black_and_white_takes_away_what_colour_gave_and_blur_does_not() -> None:
    red = np.zeros((4, 96, 96, 3), np.uint8)
    red[..., 0] = 200
    red[..., 2] = 40
    landmarks = np.tile(FACE_LANDMARKS, (4, 1, 1))
    scores = probe(RedOverBlue(), red, landmarks, np.arange(4), input_size=64)
    assert set(scores) == set(TRANSFORMS)
    assert scores["as captured"] > 0.99 and abs(scores["black and white"] - 0.5) < 0.01
    assert abs(scores["blur σ1"] - scores["as captured"]) < 0.01
    # With the background grey, only the face's red is left: the score falls, but stays above a grey picture's.
    assert 0.5 < scores["grey background"] < scores["as captured"]


def test_the_grey_background_keeps_the_face_and_greys_the_corners() -> None:
    img = np.full((96, 96, 3), 250, np.uint8)
    out = TRANSFORMS["grey background"](img, FACE_LANDMARKS)
    assert (out[45:55, 40:56] == 250).all()  # the middle of the face is untouched
    assert (np.abs(out[:4, :4].astype(int) - 128) <= 1).all()  # the corners are grey
