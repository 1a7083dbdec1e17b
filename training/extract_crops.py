"""Extracts aligned face crops from a manifest split once, so training epochs never run MTCNN."""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from pathlib import Path

import numpy as np
import torch

from detectors.alignment import align_face, alignment_transform
from detectors.face_detection import MtcnnFaceDetector
from detectors.media import MediaError, iter_frames


def crops_fingerprint(crops_file: Path) -> str:
    """SHA-256 of a crops file's arrays (names, types, shapes, bytes), not of the .npz container, whose zip timestamps
    differ between two extractions of the same faces. A run records it, and `training.cv_report` refuses runs whose
    held-out sample indices point into other crops than the ones it loads (records kept from an earlier session)."""
    digest = hashlib.sha256()
    with np.load(crops_file) as d:
        for key in sorted(d.files):
            a = d[key]
            digest.update(f"{key}|{a.dtype.str}|{a.shape}|".encode())
            digest.update(np.ascontiguousarray(a).tobytes())
    return digest.hexdigest()


def extract(data_root: Path, split: str, out: Path, size: int, margin: float, video_fps: float, max_per_clip: int) -> None:
    with open(data_root / "manifest.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["split"] == split and r["kind"] in ("video", "image")]
    detector = MtcnnFaceDetector(max_side=640, min_face_px=48)
    crops, lms, meta = [], [], []
    t0 = time.time()
    for i, row in enumerate(rows):
        path = data_root / row["file"]
        taken = 0
        try:
            for frame in iter_frames(path, max_fps=None if row["kind"] == "image" else video_fps):
                faces = detector.detect(frame.pixels)
                if row["kind"] == "video":
                    faces = sorted(faces, key=lambda f: -f.size)[:1]  # the clip's subject
                for face in faces:
                    m = alignment_transform(face.landmarks, size, margin)
                    crops.append(align_face(frame.pixels, face.landmarks, size, margin))
                    lm = np.c_[face.landmarks, np.ones(5)] @ m.T
                    lms.append(lm.astype(np.float32))
                    meta.append((i, frame.index, face.size))
                taken += 1
                if taken >= max_per_clip:
                    break
        except MediaError as err:
            print(f"skip: {err}", file=sys.stderr)
        if i % 20 == 0:
            print(f"{i}/{len(rows)} items, {len(crops)} crops, {time.time() - t0:.0f}s", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        out,
        crops=np.stack(crops),
        landmarks=np.stack(lms),
        item=np.array([m[0] for m in meta]),
        frame=np.array([m[1] for m in meta]),
        face_px=np.array([m[2] for m in meta], dtype=np.float32),
        files=np.array([r["file"] for r in rows]),
        labels=np.array([r["label"] for r in rows]),
        groups=np.array([r["group"] for r in rows]),
        sources=np.array([r["source"] for r in rows]),
        methods=np.array([r["method"] for r in rows]),
        kinds=np.array([r["kind"] for r in rows]),
        size=size,
        margin=margin,
    )
    print(f"wrote {out}: {len(crops)} crops from {len(rows)} items in {time.time() - t0:.0f}s", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--split", default="train")
    p.add_argument("--out", type=Path, default=Path("cache/crops-train.npz"))
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--margin", type=float, default=1.5)
    p.add_argument("--video-fps", type=float, default=5.0)
    p.add_argument("--max-per-clip", type=int, default=80)
    p.add_argument("--threads", type=int, default=1, help="torch threads (more than the free cores makes MTCNN crawl)")
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    extract(a.data, a.split, a.out, a.size, a.margin, a.video_fps, a.max_per_clip)


if __name__ == "__main__":
    main()
