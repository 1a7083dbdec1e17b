"""Pixel damage that video calls do (compression, scaling, blur, noise, exposure) and self-blended fakes."""

from __future__ import annotations

from fractions import Fraction

import cv2
import numpy as np

from detectors.alignment import face_axes


def _odd(n: float) -> int:
    n = int(n)
    return n if n % 2 == 1 else n + 1


def face_hull(landmarks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A randomised face outline (forehead to chin) built from 5 landmarks, as polygon points."""
    _, _, nose, _, _ = landmarks
    eye_c, mouth_c, down, right = face_axes(landmarks)
    s = rng.uniform(0.85, 1.2, size=4)  # width of forehead, cheeks, jaw; height of forehead
    pts = [
        eye_c - s[3] * 0.75 * down,
        eye_c - s[3] * 0.6 * down + 0.8 * s[0] * right,
        eye_c - s[3] * 0.6 * down - 0.8 * s[0] * right,
        eye_c + 1.0 * s[1] * right,
        eye_c - 1.0 * s[1] * right,
        nose + 1.0 * s[1] * right,
        nose - 1.0 * s[1] * right,
        mouth_c + 0.35 * down + 0.85 * s[2] * right,
        mouth_c + 0.35 * down - 0.85 * s[2] * right,
        mouth_c + 0.75 * down + 0.45 * s[2] * right,
        mouth_c + 0.75 * down - 0.45 * s[2] * right,
        mouth_c + 0.9 * down,
    ]
    return cv2.convexHull(np.array(pts, dtype=np.float32)).reshape(-1, 2)


def _elastic(mask: np.ndarray, rng: np.random.Generator, strength: float) -> np.ndarray:
    h, w = mask.shape
    grid = rng.normal(0, strength, size=(2, 5, 5)).astype(np.float32)
    dx = cv2.resize(grid[0], (w, h), interpolation=cv2.INTER_CUBIC)
    dy = cv2.resize(grid[1], (w, h), interpolation=cv2.INTER_CUBIC)
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(mask, xs + dx, ys + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)


def blend_mask(shape: tuple[int, int], landmarks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A soft face-shaped mask in [0, 1], float32, with a random edge width and outline."""
    h, w = shape
    mask = np.zeros((h, w), np.float32)
    cv2.fillConvexPoly(mask, np.round(face_hull(landmarks, rng)).astype(np.int32), 1.0)
    mask = _elastic(mask, rng, strength=w * 0.02)
    k = rng.integers(0, 3)
    if k:
        op = cv2.erode if rng.random() < 0.5 else cv2.dilate
        mask = op(mask, np.ones((3, 3), np.uint8), iterations=int(rng.integers(1, 6)))
    mask = cv2.GaussianBlur(mask, (_odd(w * rng.uniform(0.03, 0.15)),) * 2, 0)
    mask = mask / max(float(mask.max()), 1e-6)
    if rng.random() < 0.5:
        mask = mask * rng.choice([0.5, 0.75, 0.9, 1.0])
    return mask


def down_up(img: np.ndarray, f: float, up: int = cv2.INTER_LINEAR, min_side: int = 8) -> np.ndarray:
    """`img` shrunk by `f` (area-averaged) and scaled back: the detail a lower resolution loses."""
    h, w = img.shape[:2]
    small = cv2.resize(img, (max(min_side, int(w * f)), max(min_side, int(h * f))), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=up)


def sharpen(img: np.ndarray) -> np.ndarray:
    """An unsharp mask, as webcams and phone cameras sharpen."""
    blur = cv2.GaussianBlur(img, (0, 0), 1.5)
    return np.clip(cv2.addWeighted(img, 1.6, blur, -0.6, 0), 0, 255).astype(np.uint8)


def jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    """`img` through a JPEG encoder at `quality`: the 8×8 blocks and chroma subsampling of a compressed picture."""
    return cv2.imdecode(cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])[1], cv2.IMREAD_UNCHANGED)


def black_and_white(img: np.ndarray) -> np.ndarray:
    return np.repeat(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)[..., None], 3, axis=2)


def _blend(src: np.ndarray, img: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """`src` over `img` through a soft H×W `mask` in [0, 1]."""
    out = mask[..., None] * src.astype(np.float32) + (1 - mask[..., None]) * img.astype(np.float32)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def _colour_shift(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = img.astype(np.float32)
    out += rng.uniform(-20, 20, size=3)
    out = (out - 128) * rng.uniform(0.85, 1.15) + 128
    hsv = cv2.cvtColor(np.clip(out, 0, 255).astype(np.uint8), cv2.COLOR_RGB2HSV).astype(np.float32)
    hsv[..., 0] = (hsv[..., 0] + rng.uniform(-6, 6)) % 180
    hsv[..., 1] *= rng.uniform(0.8, 1.2)
    return cv2.cvtColor(np.clip(hsv, 0, 255).astype(np.uint8), cv2.COLOR_HSV2RGB)


def _texture_shift(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    r = rng.random()
    if r < 0.35:
        return cv2.GaussianBlur(img, (0, 0), rng.uniform(0.6, 1.8))
    if r < 0.6:
        return sharpen(img)
    if r < 0.8:  # a generator's smooth skin: down-up scale
        return down_up(img, rng.uniform(0.35, 0.7), cv2.INTER_LINEAR)
    return img


def _geometry_shift(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = img.shape[:2]
    scale = rng.uniform(0.94, 1.06)
    dx, dy = rng.uniform(-0.02, 0.02, size=2) * w
    m = np.array([[scale, 0, (1 - scale) * w / 2 + dx], [0, scale, (1 - scale) * h / 2 + dy]], np.float32)
    return cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REFLECT101)


def self_blend(img: np.ndarray, landmarks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A pseudo-fake: a slightly altered copy of the face blended back into itself (SBI, CVPR 2022)."""
    src = img
    ops = [_colour_shift, _texture_shift, _geometry_shift]
    rng.shuffle(ops)
    n = int(rng.integers(1, 4))
    for op in ops[:n]:
        src = op(src, rng)
    if n == 1 and ops[0] is not _colour_shift and rng.random() < 0.5:
        src = _colour_shift(src, rng)
    return _blend(src, img, blend_mask(img.shape[:2], landmarks, rng))


def call_degrade(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """What a video call and a screen capture do to a face: rescale, blur, noise, exposure, JPEG/H.264-like blocks."""
    out = img
    if rng.random() < 0.5:
        f = rng.uniform(0.35, 0.9)
        out = down_up(out, f, int(rng.choice([cv2.INTER_LINEAR, cv2.INTER_CUBIC])), min_side=16)
    if rng.random() < 0.2:
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.4, 1.2))
    if rng.random() < 0.4:
        o = out.astype(np.float32)
        o = (o - 128) * rng.uniform(0.75, 1.25) + 128 + rng.uniform(-25, 25)
        gamma = rng.uniform(0.75, 1.35)
        o = 255 * (np.clip(o, 0, 255) / 255) ** gamma
        out = np.clip(o, 0, 255).astype(np.uint8)
    if rng.random() < 0.25:
        out = np.clip(out + rng.normal(0, rng.uniform(2, 7), out.shape), 0, 255).astype(np.uint8)
    if rng.random() < 0.7:
        out = jpeg(out, int(rng.uniform(30, 95)))
    return out


def _sent_small(img: np.ndarray, f: float, compress, even: bool = False) -> np.ndarray:
    """`img` shrunk by `f` (sides rounded down to even with `even`, as 4:2:0 video needs), compressed by `compress`
    at that size, and scaled back up, as a viewer's screen shows a low-resolution stream."""
    h, w = img.shape[:2]

    def side(n: int) -> int:
        return max(16, int(n * f)) // 2 * 2 if even else max(16, int(n * f))

    small = cv2.resize(img, (side(w), side(h)), interpolation=cv2.INTER_AREA)
    return cv2.resize(compress(small), (w, h), interpolation=cv2.INTER_LINEAR)


def poor_connection(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A face as a weak connection delivers it (eval's `--low-quality` copies: 360p, H.264 CRF 35): sent at about half
    the resolution, coarsely compressed there (JPEG as the intra-frame stand-in for H.264's blocks), and scaled back up
    on the viewer's screen."""
    f, quality = rng.uniform(0.4, 0.6), int(rng.uniform(20, 36))
    return _sent_small(img, f, lambda small: jpeg(small, quality))


def h264(img: np.ndarray, crf: int = 35) -> np.ndarray:
    """`img` (RGB, even sides) through a real H.264 encoder (libx264, one intra frame at `crf`) and back: the codec a
    call or eval's `--low-quality` copies use, not a stand-in. In-process through PyAV, set as the ffmpeg program sets
    it (bicubic colour conversion, frame threads): byte-identical to `ffmpeg -c:v libx264 -preset veryfast -crf N`
    (tests pin that) and about 20x faster than starting the program twice per picture."""
    import av  # training tools only (the dev extra): the app never encodes video

    h, w = img.shape[:2]
    encoder = av.CodecContext.create("libx264", "w")
    encoder.width, encoder.height, encoder.pix_fmt = w, h, "yuv420p"
    encoder.time_base, encoder.framerate = Fraction(1, 25), Fraction(25, 1)
    encoder.thread_type, encoder.thread_count = "FRAME", 0
    encoder.options = {"crf": str(crf), "preset": "veryfast"}
    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(img, np.uint8), format="rgb24")
    packets = [*encoder.encode(frame.reformat(format="yuv420p", interpolation="BICUBIC")), *encoder.encode(None)]
    decoder = av.CodecContext.create("h264", "r")
    frames = [f for p in [*packets, None] for f in decoder.decode(p)]
    if len(frames) != 1:
        raise RuntimeError(f"H.264 round trip gave {len(frames)} frames for one picture")
    return frames[0].to_ndarray(format="rgb24", interpolation="BICUBIC")


def poor_connection_h264(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """`poor_connection` with the real codec (H.264 CRF 35, as eval's low-quality copies) in place of its JPEG
    stand-in."""
    return _sent_small(img, rng.uniform(0.4, 0.6), h264, even=True)


def camera_colour(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The whole picture as another camera renders colour: white balance, saturation, a hue cast, now and then
    black and white. Shown to real and fake alike, so that a face's overall colour is no cue; only a face whose
    colour differs from its own surround still is."""
    if rng.random() < 0.08:
        return black_and_white(img)
    gains = np.exp(np.clip(rng.normal(0.0, 0.06, size=3), -0.15, 0.15)).astype(np.float32)  # white balance
    out = img.astype(np.float32) * gains
    hsv = cv2.cvtColor(np.clip(out, 0, 255).astype(np.uint8), cv2.COLOR_RGB2HSV).astype(np.float32)
    hsv[..., 0] = (hsv[..., 0] + rng.uniform(-8, 8)) % 180
    hsv[..., 1] *= rng.uniform(0.55, 1.45)
    return cv2.cvtColor(np.clip(hsv, 0, 255).astype(np.uint8), cv2.COLOR_HSV2RGB)


def _match_colour(src: np.ndarray, dst: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """`src` with the Lab mean and spread of `dst` inside `mask`: the colour transfer a face swapper does."""
    s = cv2.cvtColor(src, cv2.COLOR_RGB2LAB).astype(np.float32)
    d = cv2.cvtColor(dst, cv2.COLOR_RGB2LAB).astype(np.float32)
    m = mask > 0.5
    if m.sum() < 16:
        return src
    s_mean, s_std = s[m].mean(0), s[m].std(0) + 1e-3
    d_mean, d_std = d[m].mean(0), d[m].std(0) + 1e-3
    out = (s - s_mean) / s_std * d_std + d_mean
    return cv2.cvtColor(np.clip(out, 0, 255).astype(np.uint8), cv2.COLOR_LAB2RGB)


def cross_blend(img: np.ndarray, landmarks: np.ndarray, donor: np.ndarray, donor_landmarks: np.ndarray,
                rng: np.random.Generator) -> np.ndarray:
    """A pseudo-swap: another person's face warped onto this one's landmarks, colour-matched, rendered smoother
    (a swapper's generator works at a lower resolution than the frame) and blended in through a soft face mask."""
    h, w = img.shape[:2]
    m, _ = cv2.estimateAffinePartial2D(donor_landmarks.astype(np.float32), landmarks.astype(np.float32))
    if m is None:
        return self_blend(img, landmarks, rng)
    src = cv2.warpAffine(donor, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101)
    mask = blend_mask((h, w), landmarks, rng)
    src = _match_colour(src, img, mask)
    if rng.random() < 0.7:  # the generator's resolution
        f = rng.uniform(0.3, 0.75)
        src = down_up(src, f, cv2.INTER_CUBIC if rng.random() < 0.5 else cv2.INTER_LINEAR)
    return _blend(src, img, mask)


def occlude(img: np.ndarray, landmarks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draws what covers a caller's face edge on real calls: a headset (ear cup, head band, microphone boom) or a
    hand-sized blob across the jaw. Applied to real and fake crops alike, so an occluded face edge is no cue."""
    out = img.copy()
    eye_c, mouth_c, down, right = face_axes(np.asarray(landmarks, np.float32))
    unit = max(float(np.linalg.norm(down)), 1.0)  # eyes-to-mouth distance: the face's scale
    down, right = down / unit, right / unit
    angle = float(np.degrees(np.arctan2(right[1], right[0])))
    shade = rng.uniform(0, 1)
    colour = np.array([15, 15, 15]) + shade * 60 if rng.random() < 0.7 else rng.integers(0, 255, 3)
    colour = tuple(int(c) for c in colour)
    if rng.random() < 0.75:  # headset
        sides = [-1, 1] if rng.random() < 0.6 else [int(rng.choice([-1, 1]))]
        for side in sides:
            cup = eye_c + 0.6 * unit * down + side * rng.uniform(1.1, 1.35) * unit * right
            axes = (int(unit * rng.uniform(0.2, 0.35)), int(unit * rng.uniform(0.4, 0.6)))
            cv2.ellipse(out, tuple(int(v) for v in cup), axes, angle, 0, 360, colour, -1, cv2.LINE_AA)
            if rng.random() < 0.3:  # microphone boom towards the mouth
                tip = mouth_c + side * rng.uniform(0.2, 0.6) * unit * right + 0.2 * unit * down
                cv2.line(out, tuple(int(v) for v in cup), tuple(int(v) for v in tip), colour,
                         max(2, int(unit * 0.08)), cv2.LINE_AA)
        centre = eye_c + 0.5 * unit * down
        band = (int(unit * rng.uniform(1.1, 1.35)), int(unit * rng.uniform(1.9, 2.3)))  # over the top of the head
        cv2.ellipse(out, tuple(int(v) for v in centre), band, angle, 180, 360, colour,
                    max(2, int(unit * rng.uniform(0.1, 0.2))), cv2.LINE_AA)
    else:  # a hand or an object across the jaw or cheek
        centre = mouth_c + rng.uniform(0.2, 0.8) * unit * down + rng.uniform(-1.2, 1.2) * unit * right
        pts = centre + rng.normal(0, unit * 0.45, size=(7, 2))
        hull = cv2.convexHull(pts.astype(np.float32)).astype(np.int32)
        skin = np.array([rng.uniform(90, 230), rng.uniform(60, 190), rng.uniform(40, 170)])
        fill = tuple(int(c) for c in (skin if rng.random() < 0.6 else rng.integers(0, 255, 3)))
        cv2.fillConvexPoly(out, hull, fill, cv2.LINE_AA)
    # Real occluders are lit like the scene and slightly soft: blend a blurred copy over the sharp drawing.
    drawn = np.any(out != img, axis=2).astype(np.float32)
    soft = cv2.GaussianBlur(drawn, (5, 5), 0)[..., None]
    noisy = np.clip(out.astype(np.float32) + rng.normal(0, 4, out.shape), 0, 255)
    return (img * (1 - soft) + noisy * soft).astype(np.uint8)


def skin_mask(img: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Soft H×W mask in [0, 1] of the pixels whose chroma matches the centre of the face (nose and cheeks). It follows
    the skin's own edges (hair line, neck, ears), not a face outline, and leaves out the eyes and the mouth."""
    eye_c, mouth_c, down, _ = face_axes(np.asarray(landmarks, np.float32))
    unit = max(float(np.linalg.norm(down)), 2.0)
    x, y = (int(v) for v in (eye_c + mouth_c) / 2)
    r = max(2, int(unit * 0.35))
    ycc = cv2.cvtColor(img, cv2.COLOR_RGB2YCrCb).astype(np.float32)
    ref = np.median(ycc[max(0, y - r):y + r, max(0, x - r):x + r, 1:].reshape(-1, 2), axis=0)
    mask = (np.linalg.norm(ycc[..., 1:] - ref, axis=2) < 12).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    le, re = np.asarray(landmarks, np.float32)[:2]
    for centre, axes in ((le, (0.3, 0.18)), (re, (0.3, 0.18)), (mouth_c, (0.55, 0.3))):
        cv2.ellipse(mask, tuple(int(v) for v in centre), (int(unit * axes[0]) + 1, int(unit * axes[1]) + 1), 0, 0, 360, 0, -1)
    return cv2.GaussianBlur(mask.astype(np.float32), (0, 0), max(1.0, img.shape[0] / 100))


def touch_up(img: np.ndarray, landmarks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The skin smoothing of a call app's "touch up my appearance" or a webcam beauty filter: edge-preserving blur of
    all skin, eyes and mouth kept sharp. Applied to real and fake crops alike, so that smooth skin alone is no cue."""
    size = img.shape[0]
    sigma_colour, sigma_space = rng.uniform(20, 45), size / rng.uniform(35, 60)
    smooth = img
    for _ in range(int(rng.integers(1, 3))):
        smooth = cv2.bilateralFilter(smooth, 0, sigma_colour, sigma_space)
    alpha = rng.uniform(0.35, 0.8) * skin_mask(img, landmarks)
    return _blend(smooth, img, alpha)
