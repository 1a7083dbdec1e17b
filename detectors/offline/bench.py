"""Per-stage timings of the engine on a clip, a row per runtime (torch, onnx), and our per-face cost against the
best-known open detectors. Torch is imported only to time the torch runtime and the peers."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from detectors.media import iter_frames
from detectors.pipeline import Pipeline
from detectors.records import Frame

STAGES = ("detect", "track", "align", "classify", "animation", "temporal")
# Peers: per-face classifiers of published detectors, at the input size their papers use.
# MesoNet's DF and F2F weights share an architecture, so each is timed once (weights do not change the time).
PEERS = (("MesoNet Meso4 @256", "meso4", 256), ("MesoNet MesoInception4 @256", "mesoinception4", 256),
         ("EfficientNet-B4 @380 (SBI)", "efficientnet_b4", 380), ("EfficientNet-B7 @380 (DFDC winner)", "efficientnet_b7", 380))


def _stats(values: list[float]) -> dict[str, float]:
    a = np.asarray(values, float)
    return {"median": float(np.median(a)), "p95": float(np.percentile(a, 95)), "n": int(a.size)}


def _sync(device: object) -> None:
    if getattr(device, "type", None) == "cuda":
        sys.modules["torch"].cuda.synchronize()


def in_region(frame: Frame, size: tuple[int, int] | None) -> Frame:
    """The clip's frame in the middle of a `size` (w, h) screen region, as a caller's video sits in a call window."""
    if size is None:
        return frame
    w, h = size
    fh, fw = frame.pixels.shape[:2]
    if fw > w or fh > h:
        raise ValueError(f"the clip ({fw}×{fh}) is larger than the region {w}×{h}")
    canvas = np.full((h, w, 3), 32, np.uint8)
    y, x = (h - fh) // 2, (w - fw) // 2
    canvas[y:y + fh, x:x + fw] = frame.pixels
    return Frame(canvas, frame.timestamp, frame.index)


def bench_pipeline(pipeline: Pipeline, clip: Path, min_frames: int = 150, fps: float = 10.0,
                   region: tuple[int, int] | None = (1280, 720), crop: np.ndarray | None = None) -> dict:
    """Runs the clip at `fps` in a `region` (looping it until `min_frames`) and times each stage. With `crop`, our
    classifier alone is timed on it after every frame, so that both figures see the same machine state."""
    per_stage: dict[str, list[float]] = {s: [] for s in STAGES}
    totals: list[float] = []
    alone: list[float] = []
    frames, faces = 0, 0
    t0 = time.perf_counter()
    t_offset = 0.0
    while frames < min_frames:
        pipeline.reset()
        last_t = 0.0
        for frame in iter_frames(clip, max_fps=fps):
            v = pipeline.process(in_region(Frame(frame.pixels, frame.timestamp + t_offset, frame.index), region))
            if not v.stage_ms:
                raise RuntimeError(f"engine failed during bench: {v.message}")
            for s in STAGES:
                per_stage[s].append(v.stage_ms.get(s, 0.0))
            totals.append(sum(v.stage_ms.values()))
            if crop is not None:
                t = time.perf_counter()
                pipeline.classifier.predict([crop])
                alone.append((time.perf_counter() - t) * 1000)
            frames += 1
            faces += sum(1 for f in v.faces if f.frame_score is not None)
            last_t = frame.timestamp
        t_offset += last_t + 1.0
    wall = time.perf_counter() - t0
    return {
        "region": f"{region[0]}×{region[1]}" if region else "the clip's own size",
        "fps": fps,
        "frames": frames,
        "faces_classified": faces,
        "stages_ms": {s: _stats(v) for s, v in per_stage.items()},
        "total_ms": _stats(totals),
        "classifier_alone_ms": _stats(alone) if alone else None,
        "fps_median": 1000.0 / float(np.median(totals)),
        "fps_wall": frames / wall,
    }


def bench_classifiers(pipeline: Pipeline, crop: np.ndarray, rounds: int = 7, ours_per_round: int = 10) -> dict:
    """Per-face milliseconds at batch 1: ours and each peer (torch), interleaved round by round on the same machine state."""
    import torch

    from detectors.classifiers.registry import build_network  # registers the MesoNet peers on first use

    device = torch.device(pipeline.device) if isinstance(pipeline.device, str) else pipeline.device
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
    config = pipeline.classifier.config
    networks = len(config.all_weights)  # an ensemble runs each of its networks on every face
    return {
        "ours": {"label": f"CallShield {config.architecture} @{config.input_size}"
                          + (f" x{networks} (ensemble)" if networks > 1 else ""), **_stats(ours)},
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


def run_bench(pipeline: Pipeline, clip: Path, peers: bool = True, fps: float = 10.0,
              region: tuple[int, int] | None = (1280, 720)) -> dict:
    """One runtime: the pipeline's stages, our classifier's per-face time in the same run, and peak memory so far."""
    torch = sys.modules.get("torch")
    report = {
        "clip": str(clip),
        "backend": pipeline.backend,
        "device": str(pipeline.device),
        "torch_threads": torch.get_num_threads() if torch and pipeline.backend == "torch" else None,
        "torch_loaded": torch is not None,
    }
    crop = first_face_crop(pipeline, clip)
    pipeline.classifier.predict([crop])  # warm-up
    report["pipeline"] = bench_pipeline(pipeline, clip, fps=fps, region=region, crop=crop)
    report["classifier_ms"] = report["pipeline"]["classifier_alone_ms"]
    report["frame_to_classifier"] = report["pipeline"]["total_ms"]["median"] / report["classifier_ms"]["median"]
    if peers and pipeline.backend == "torch":
        print("timing per-face classifiers (ours vs peers) ...", file=sys.stderr, flush=True)
        report["classifier_batch1"] = bench_classifiers(pipeline, crop)
    report["peak_rss_mb"] = peak_rss_mb()
    return report


def run_backends(load: Callable[[str], Pipeline], backends: list[str], clip: Path, peers: bool = True,
                 fps: float = 10.0, region: tuple[int, int] | None = (1280, 720)) -> dict:
    """A row per runtime in one run. ONNX goes first: its peak memory is read before torch is ever imported."""
    order = sorted(backends, key=lambda b: b != "onnx")
    runs = []
    for backend in order:
        print(f"benchmarking the {backend} runtime ...", file=sys.stderr, flush=True)
        runs.append(run_bench(load(backend), clip, peers=peers, fps=fps, region=region))
    return {"clip": str(clip), "runs": runs}


def peak_rss_mb() -> float:
    """This process's peak resident memory: getrusage where it exists (Unix), the peak working set on Windows."""
    if sys.platform == "win32":
        import psutil

        return psutil.Process().memory_info().peak_wset / 2**20
    import resource  # Unix-only: imported here so that `callshield bench` loads on Windows

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def format_bench(r: dict) -> str:
    """Each runtime's stage table, then one comparison row per runtime."""
    lines = []
    for run in r["runs"]:
        lines += [*_format_run(run), ""]
    lines.append(f"{'runtime':<8} {'frame ms':>9} {'p95':>7} {'detect':>7} {'classify':>9} {'per face':>9} "
                 f"{'frame/face':>10} {'peak RSS':>9}")
    for run in r["runs"]:
        p = run["pipeline"]
        lines.append(f"{run['backend']:<8} {p['total_ms']['median']:>9.1f} {p['total_ms']['p95']:>7.1f} "
                     f"{p['stages_ms']['detect']['median']:>7.1f} {p['stages_ms']['classify']['median']:>9.1f} "
                     f"{run['classifier_ms']['median']:>9.1f} {run['frame_to_classifier']:>9.2f}× "
                     f"{run['peak_rss_mb']:>6.0f} MB")
    lines.append("(frame ms: the whole pipeline's median frame; per face: the classifier alone at batch 1, timed after each "
                 "frame of the same run; peak RSS so far in this process, ONNX measured first)")
    return "\n".join(lines)


def _format_run(r: dict) -> list[str]:
    p = r["pipeline"]
    threads = f", {r['torch_threads']} torch threads" if r["torch_threads"] else ""
    lines = [f"{r['backend']} runtime on {r['device']}{threads}: clip {r['clip']} in a {p['region']} region at "
             f"{p['fps']:g} fps, {p['frames']} frames, {p['faces_classified']} faces classified"]
    lines.append(f"{'stage':<10} {'median ms':>10} {'p95 ms':>10}")
    for s, v in p["stages_ms"].items():
        lines.append(f"{s:<10} {v['median']:>10.2f} {v['p95']:>10.2f}")
    lines.append(f"{'total':<10} {p['total_ms']['median']:>10.2f} {p['total_ms']['p95']:>10.2f}")
    lines.append(
        f"frames per second: {p['fps_median']:.1f} (from the median frame), "
        f"{p['fps_wall']:.1f} (wall clock, decoding included)"
    )
    lines.append(f"per-face classifier alone, batch 1, timed after each frame: median {r['classifier_ms']['median']:.2f} ms; "
                 f"median frame = {r['frame_to_classifier']:.2f}× that")
    if "classifier_batch1" in r:
        c = r["classifier_batch1"]
        o = c["ours"]
        lines.append(f"per-face classifier, batch 1: {o['label']}: median {o['median']:.2f} ms, p95 {o['p95']:.2f} ms")
        for label, v in c["peers"].items():
            ratio = v["ratio_ours_to_peer"]
            speed = f"ours {ratio:.1f}× slower" if ratio > 1 else f"ours {1 / ratio:.1f}× faster"  # MesoNet is smaller than ours
            lines.append(f"  {label:<36} median {v['median']:8.2f} ms   ours/peer = {ratio:.3f} ({speed})")
    lines.append(f"peak memory (RSS) after this runtime: {r['peak_rss_mb']:.0f} MB")
    return lines
