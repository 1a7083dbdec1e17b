"""The swap factory: a swap changes the face and leaves the background, masks follow the mesh, seeds reproduce, the
autoencoder recipe pastes its generator's render and learns from never-held-out footage only."""

from __future__ import annotations

import importlib.util
from dataclasses import replace

import numpy as np
import pytest
import torch

from tests.conftest import SHARED_DATA
from training.factory.autoencoder import FaceAE, FaceRenderer, never_held_out
from training.factory.colour import TRANSFERS, transfer
from training.factory.mesh import BROWS, FACE_OVAL, INNER_LIPS, IRISES, N_POINTS, triangulate
from training.factory.recipes import AE_PX, RECIPES, draw_params, jitter
from training.factory.render import paste_mask, render_swap
from training.factory.warp import mesh_mask, piecewise_affine

SIZE = 224
# 5 landmarks of a face centred in a 224-px crop (eyes, nose, mouth corners), about as extract-crops places them.
LM5 = np.array([[90, 95], [134, 95], [112, 120], [94, 145], [130, 145]], np.float32)


def synthetic_mesh(seed: int = 0) -> np.ndarray:
    """A stand-in for a 478-point mesh: outline on an ellipse round LM5, lips and brows where a face has them, the
    other points scattered inside."""
    rng = np.random.default_rng(seed)
    mesh = np.zeros((N_POINTS, 2), np.float32)
    inner = rng.uniform(-1, 1, size=(N_POINTS * 3, 2))
    inner = inner[(inner ** 2).sum(1) < 0.8][:N_POINTS]
    mesh[:] = inner * [48, 62] + [112, 118]
    t = np.linspace(-np.pi / 2, 1.5 * np.pi, len(FACE_OVAL), endpoint=False)
    mesh[FACE_OVAL] = np.c_[112 + 55 * np.cos(t), 118 + 70 * np.sin(t)]
    t = np.linspace(0, 2 * np.pi, len(INNER_LIPS), endpoint=False)
    mesh[INNER_LIPS] = np.c_[112 + 14 * np.cos(t), 145 + 4 * np.sin(t)]
    mesh[BROWS] = np.c_[np.linspace(80, 144, len(BROWS)), np.full(len(BROWS), 80)]
    mesh[IRISES] = LM5[:2]
    return mesh


def face_image(colour: tuple[int, int, int], seed: int) -> np.ndarray:
    """A face-coloured ellipse with dark eyes and mouth on a textured grey background."""
    import cv2

    rng = np.random.default_rng(seed)
    img = np.clip(rng.normal(120, 20, (SIZE, SIZE, 3)), 0, 255).astype(np.uint8)
    cv2.ellipse(img, (112, 118), (55, 70), 0, 0, 360, colour, -1)
    for x, y in LM5[[0, 1]]:
        cv2.circle(img, (int(x), int(y)), 5, (30, 20, 20), -1)
    cv2.ellipse(img, (112, 145), (16, 5), 0, 0, 360, (120, 40, 40), -1)
    return np.clip(img + rng.normal(0, 4, img.shape), 0, 255).astype(np.uint8)


def tiny_autoencoder() -> FaceRenderer:
    """A random-weights autoencoder of the recipe's size: a generator with a texture of its own, no training."""
    torch.manual_seed(0)
    return FaceRenderer(FaceAE(AE_PX, widths=(4, 4, 4, 4), latent=2))


def _swap(recipe: str, seed: int, generator=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    target, source = face_image((200, 150, 120), 0), face_image((110, 160, 90), 1)
    tm, sm = synthetic_mesh(0), synthetic_mesh(1)
    rng = np.random.default_rng(seed)
    params = jitter(draw_params(recipe, rng), rng)
    fake, mask = render_swap(params, target, LM5, tm, source, sm, triangulate(tm), rng,
                             generator=generator or tiny_autoencoder())
    return target, fake, mask


def _render(params, generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    target, source = face_image((200, 150, 120), 0), face_image((110, 160, 90), 1)
    tm = synthetic_mesh(0)
    fake, mask = render_swap(params, target, LM5, tm, source, synthetic_mesh(1), triangulate(tm),
                             np.random.default_rng(0), generator=generator)
    return target, fake, mask


@pytest.mark.parametrize("recipe", RECIPES)
def test_a_swap_changes_the_face_and_leaves_the_background(recipe):
    target, fake, mask = _swap(recipe, seed=3)
    face = mesh_mask((SIZE, SIZE), synthetic_mesh(0), 0.5, mouth=False) > 0
    diff = np.abs(fake.astype(int) - target.astype(int)).mean(2)
    assert diff[face].mean() > 8, "the face region should change"
    assert np.all(diff[mask == 0] == 0), "pixels outside the paste mask stay the target's"
    assert diff[:20].max() == 0 and diff[-20:].max() == 0, "the crop's top and bottom are background"


@pytest.mark.parametrize("recipe", RECIPES)
def test_recipes_are_reproducible_by_seed(recipe):
    assert np.array_equal(_swap(recipe, 5)[1], _swap(recipe, 5)[1])
    assert not np.array_equal(_swap(recipe, 5)[1], _swap(recipe, 6)[1])


def test_a_clip_keeps_its_recipe_while_each_frame_wobbles():
    rng = np.random.default_rng(0)
    clip = draw_params("dfl", rng)
    frames = [jitter(clip, rng) for _ in range(5)]
    assert {f.recipe for f in frames} == {"dfl"} and {f.render_px for f in frames} == {clip.render_px}
    assert len({f.blur for f in frames}) == 5


def test_mesh_masks_cover_the_face_and_not_the_corners():
    mesh = synthetic_mesh(0)
    p = draw_params("dfl", np.random.default_rng(1))
    mask = paste_mask((SIZE, SIZE), LM5, mesh, p)
    assert all(mask[int(y), int(x)] > 0.5 for x, y in LM5[:3])
    assert mask[:10, :10].max() == 0 and mask[-10:, -10:].max() == 0


def test_piecewise_affine_with_the_same_mesh_is_the_identity():
    img = face_image((200, 150, 120), 0)
    mesh = synthetic_mesh(0)
    out, covered = piecewise_affine(img, mesh, mesh, triangulate(mesh), (SIZE, SIZE))
    assert covered.mean() > 0.1
    assert np.abs(out[covered].astype(int) - img[covered].astype(int)).max() <= 1


@pytest.mark.parametrize("name", sorted(TRANSFERS))
def test_colour_transfers_bring_the_face_to_the_targets_colour(name):
    src, dst = face_image((110, 160, 90), 1).astype(np.float32), face_image((200, 150, 120), 0).astype(np.float32)
    mask = mesh_mask((SIZE, SIZE), synthetic_mesh(0), 1.0) > 0
    out = transfer(name, src, dst, mask, np.random.default_rng(0))
    before = np.abs(src[mask].mean(0) - dst[mask].mean(0)).sum()
    after = np.abs(out[mask].mean(0) - dst[mask].mean(0)).sum()
    assert after < 0.3 * before


def test_the_mesh_of_a_real_face_lies_on_its_landmarks():
    photo = SHARED_DATA / "fixtures/real/wuhuikai+FaceSwap__test1.jpg"
    if not photo.exists():
        pytest.skip("needs ../shared/data/fixtures (shared data is not beside this checkout)")
    if importlib.util.find_spec("mediapipe") is None:
        pytest.skip("the swap factory's mesh needs the train extra (mediapipe)")
    from detectors.alignment import align_face, alignment_transform
    from detectors.face_detection import MtcnnFaceDetector
    from detectors.media import read_image
    from training.factory.mesh import FaceMesher

    rgb = read_image(photo)
    face = max(MtcnnFaceDetector(max_side=640, min_face_px=48).detect(rgb), key=lambda f: f.size)
    lm = np.c_[face.landmarks, np.ones(5)] @ alignment_transform(face.landmarks, SIZE, 1.5).T
    mesher = FaceMesher()
    mesh = mesher(align_face(rgb, face.landmarks, SIZE, 1.5), eyes=lm[:2])
    mesher.close()
    assert mesh is not None and mesh.shape == (N_POINTS, 2)
    mask = mesh_mask((SIZE, SIZE), mesh)
    assert all(mask[int(y), int(x)] > 0 for x, y in lm)  # eyes, nose and mouth inside the outline
    assert 0.1 < mask.mean() < 0.6


def _plain_autoencoder_params(face: str):
    p = draw_params("autoencoder", np.random.default_rng(0))
    return replace(p, face=face, colour="none", opacity=1.0, wobble=0.0, sharpen=0.0, erode=2.0, blur=2.0)


def test_the_autoencoder_recipe_pastes_its_generators_render():
    seen = []

    def flat_grey(face: np.ndarray) -> np.ndarray:
        seen.append(face.shape)
        return np.full_like(face, 77)

    target, fake, mask = _render(_plain_autoencoder_params("donor"), flat_grey)
    assert seen == [(AE_PX, AE_PX, 3)], "the generator sees the aligned face at its own size"
    inside = mask > 0.99
    assert inside.mean() > 0.05
    assert np.abs(fake[inside].astype(int) - 77).max() <= 2, "inside the mask, the fake is the generator's render"
    assert np.all(fake[mask == 0] == target[mask == 0])


def test_the_autoencoder_recipe_can_re_render_the_targets_own_face():
    def identity(face: np.ndarray) -> np.ndarray:  # a perfect generator: only the swap changes the face
        return face

    target, own, mask = _render(_plain_autoencoder_params("target"), identity)
    _, donor, _ = _render(_plain_autoencoder_params("donor"), identity)
    inside = mask > 0.5
    own_diff = np.abs(own.astype(int) - target.astype(int))[inside].mean()
    donor_diff = np.abs(donor.astype(int) - target.astype(int))[inside].mean()
    assert own_diff < 0.5 * donor_diff, "the target's own face, re-rendered, stays close to the target"
    _, textured, _ = _render(_plain_autoencoder_params("target"), tiny_autoencoder())
    assert np.abs(textured.astype(int) - target.astype(int))[inside].mean() > 2 * own_diff, "the generator's texture shows"


def test_the_autoencoder_recipe_needs_its_generator():
    p = _plain_autoencoder_params("donor")
    target, tm = face_image((200, 150, 120), 0), synthetic_mesh(0)
    with pytest.raises(ValueError, match="generator"):
        render_swap(p, target, LM5, tm, target, tm, triangulate(tm), np.random.default_rng(0))


def test_the_autoencoder_learns_only_from_footage_training_never_validates_on():
    from training.train import split_groups

    groups = np.array([f"g{i}" for i in range(30)] + ["s0", "s0", "s1", "s1"])
    labels = np.array(["real"] * 30 + ["real", "fake", "real", "fake"])
    keep = never_held_out(groups, labels, seed=1)
    assert not keep & {"s0", "s1"}
    assert not keep & split_groups(groups, labels, 0.2, 1, hold_out_swaps=True)
    assert not keep & split_groups(groups, labels, 0.2, 1)
    assert len(keep) >= 18


def test_detail_lets_the_faces_fine_texture_through_the_generator():
    def flat_grey(face: np.ndarray) -> np.ndarray:
        return np.full_like(face, 120)

    _, flat, mask = _render(_plain_autoencoder_params("target"), flat_grey)
    _, detailed, _ = _render(replace(_plain_autoencoder_params("target"), detail=1.0), flat_grey)
    inside = mask > 0.99
    assert flat[inside].std() < 1.5, "without detail, the flat render is all there is"
    assert detailed[inside].std() > 4, "with detail, the face's own texture shows on the render"


def test_a_swapped_clip_keeps_the_clips_timing_and_swaps_its_face(tmp_path):
    clip = SHARED_DATA / "fixtures/real/KwaiVGI+LivePortrait__d18.mp4"
    donor = SHARED_DATA / "fixtures/real/wuhuikai+FaceSwap__test1.jpg"
    if not clip.exists() or not donor.exists():
        pytest.skip("needs ../shared/data/fixtures (shared data is not beside this checkout)")
    if importlib.util.find_spec("mediapipe") is None:
        pytest.skip("the swap factory's mesh needs the train extra (mediapipe)")
    from detectors.media import iter_frames, probe
    from training.factory.swap_clip import swap_clip

    out = tmp_path / "swap.mp4"
    made = swap_clip(clip, donor, out, "dfl", seed=3, fps=10.0, max_seconds=1.5)
    source = [f for f in iter_frames(clip, 10.0) if f.timestamp < 1.5]
    swapped = list(iter_frames(out))
    assert made.frames == len(source) == len(swapped) and made.swapped >= made.frames - 1
    assert abs(probe(out).duration_s - len(source) * (source[1].timestamp - source[0].timestamp)) < 0.05
    a, b = source[-1].pixels.astype(np.float32), swapped[-1].pixels.astype(np.float32)
    changed = np.abs(a - b).mean(axis=2) > 25
    h, w = changed.shape
    assert changed[h // 4: 3 * h // 4, w // 4: 3 * w // 4].mean() > 0.02  # the face (in the middle) changed
    assert changed[:, : w // 10].mean() < 0.01 and changed[:, -w // 10:].mean() < 0.01  # the edges did not
