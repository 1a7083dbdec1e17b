"""Per-stage timings of the engine on a clip, and our per-face cost against the best-known open detectors."""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
import torch

from detectors.classifiers.registry import build_network
from detectors.media import iter_frames
from detectors.pipeline import Pipeline

STAGES = ("detect", "track", "align", "classify", "temporal")
# Peers: per-face classifiers of published detectors, at the input size their papers use.
PEERS = (("EfficientNet-B4 @380 (SBI)", "efficientnet_b4", 380), ("EfficientNet-B7 @380 (DFDC winner)", "efficientnet_b7", 380))


def _stats(values: list[float]) -> dict[str, float]:
    a = np.asarray(values, float)
    return {"median": float(np.median(a)), "p95": float(np.percentile(a, 95)), "n": int(a.size)}


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def bench_pipeline(pipeline: Pipeline, clip: Path, min_frames: int = 150) -> dict:
    """Runs every frame of the clip (looping it until `min_frames`) and times each stage."""
    per_stage: dict[str, list[float]] = {s: [] for s in STAGES}
    totals: list[float] = []
    frames, faces = 0, 0
    t0 = time.perf_counter()
    t_offset = 0.0
    while frames < min_frames:
        pipeline.reset()
        last_t = 0.0
        for frame in iter_frames(clip):
            v = pipeline.process(frame.__class__(frame.pixels, frame.timestamp + t_offset, frame.index))
            if not v.stage_ms:
                raise RuntimeError(f"engine failed during bench: {v.message}")
            for s in STAGES:
                per_stage[s].append(v.stage_ms.get(s, 0.0))
            totals.append(sum(v.stage_ms.values()))
            frames += 1
            faces += sum(1 for f in v.faces if f.frame_score is not None)
            last_t = frame.timestamp
        t_offset += last_t + 1.0
    wall = time.perf_counter() - t0
    return {
        "frames": frames,
        "faces_classified": faces,
        "stages_ms": {s: _stats(v) for s, v in per_stage.items()},
        "total_ms": _stats(totals),
        "fps_median": 1000.0 / float(np.median(totals)),
        "fps_wall": frames / wall,
    }


def bench_classifiers(pipeline: Pipeline, crop: np.ndarray, rounds: int = 7, ours_per_round: int = 10) -> dict:
    """Per-face milliseconds at batch 1: ours and each peer, interleaved round by round on the same machine state."""
    device = pipeline.device
    peers = []
    for label, arch, size in PEERS:
        net = build_network(arch).eval().to(device).to(memory_format=torch.channels_last)
        if device.type == "cuda":
            net = net.half()
        x = torch.randn(1, 3, size, size, device=device).contiguous(memory_format=torch.channels_last)
        peers.append((label, net, x.half() if device.type == "cuda" else x))
    ours: list[float] = []
    theirs: dict[str, list[float]] = {label: [] for label, _, _ in peers}
    with torch.inference_mode():
        pipeline.classifier.predict([crop])  # warm-up
        for _, net, x in peers:
            net(x)
        for _ in range(rounds):
            for _ in range(ours_per_round):
                t = time.perf_counter()
                pipeline.classifier.predict([crop])
                ours.append((time.perf_counter() - t) * 1000)
            for label, net, x in peers:
                t = time.perf_counter()
                net(x)
                _sync(device)
                theirs[label].append((time.perf_counter() - t) * 1000)
    ours_med = float(np.median(ours))
    return {
        "ours": {"label": f"CallShield {pipeline.classifier.config.architecture} @{pipeline.classifier.config.input_size}",
                 **_stats(ours)},
        "peers": {
            label: {**_stats(v), "ratio_ours_to_peer": ours_med / float(np.median(v))} for label, v in theirs.items()
        },
    }


def first_face_crop(pipeline: Pipeline, clip: Path) -> np.ndarray:
    for frame in iter_frames(clip, max_fps=2):
        faces = pipeline.detector.detect(frame.pixels)
        if faces:
            return pipeline.face_crop(frame.pixels, faces[0])
    raise ValueError(f"{clip}: no face found to time the classifier on")


def run_bench(pipeline: Pipeline, clip: Path, peers: bool = True) -> dict:
    report = {
        "clip": str(clip),
        "device": str(pipeline.device),
        "torch_threads": torch.get_num_threads(),
        "pipeline": bench_pipeline(pipeline, clip),
    }
    if peers:
        print("timing per-face classifiers (ours vs peers) ...", file=sys.stderr, flush=True)
        report["classifier_batch1"] = bench_classifiers(pipeline, first_face_crop(pipeline, clip))
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report


def format_bench(r: dict) -> str:
    p = r["pipeline"]
    lines = [f"clip {r['clip']} on {r['device']} ({r['torch_threads']} torch threads): "
             f"{p['frames']} frames, {p['faces_classified']} faces classified"]
    lines.append(f"{'stage':<10} {'median ms':>10} {'p95 ms':>10}")
    for s, v in p["stages_ms"].items():
        lines.append(f"{s:<10} {v['median']:>10.2f} {v['p95']:>10.2f}")
    lines.append(f"{'total':<10} {p['total_ms']['median']:>10.2f} {p['total_ms']['p95']:>10.2f}")
    lines.append(
        f"frames per second: {p['fps_median']:.1f} (from the median frame), "
        f"{p['fps_wall']:.1f} (wall clock, decoding included)"
    )
    if "classifier_batch1" in r:
        c = r["classifier_batch1"]
        lines.append("")
        o = c["ours"]
        lines.append(f"per-face classifier, batch 1: {o['label']}: median {o['median']:.2f} ms, p95 {o['p95']:.2f} ms")
        for label, v in c["peers"].items():
            ratio = v["ratio_ours_to_peer"]
            lines.append(f"  {label:<36} median {v['median']:8.2f} ms   ours/peer = {ratio:.3f} (1/{1 / ratio:.1f})")
    lines.append(f"peak memory (RSS): {r['peak_rss_mb']:.0f} MB")
    return "\n".join(lines)
