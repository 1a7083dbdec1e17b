"""The engine's offline commands that ship: `callshield scan`, `eval`, `bench` and `verify` (no Qt here)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from detectors.assets import DEMO_SWAP_CLIP
from detectors.classifiers.weights import WeightsError, assets_dir
from detectors.device import DEVICE_CHOICES
from detectors.offline.scan import DEFAULT_SCAN_FPS, FileScanner, stderr_progress
from detectors.pipeline import Pipeline, PipelineConfig
from detectors.runtime import BACKEND_CHOICES, has_module
from detectors.words import translate


def _add_engine_options(p: argparse.ArgumentParser, many_backends: bool = False) -> None:
    p.add_argument("--device", choices=DEVICE_CHOICES, default="auto",
                   help=translate("CommandLine", "where the networks run (default: auto)"))
    if many_backends:
        p.add_argument("--backend", default="all",
                       help=translate("CommandLine", "runtimes to time, comma-separated: torch, onnx, auto, or all "
                                                     "(a row for each one installed; default)"))
    else:
        p.add_argument("--backend", choices=BACKEND_CHOICES, default="auto",
                       help=translate("CommandLine", "torch, or onnx (onnxruntime on the CPU, no torch); auto: onnx "
                                                     "on the CPU (default)"))
    p.add_argument("--fps", type=float, default=DEFAULT_SCAN_FPS,
                   help=translate("CommandLine", "frames analysed per second of clip (default 10, as live)"))
    p.add_argument("--sensitivity", type=float, default=0.0, help=translate("CommandLine", "-1 (quiet) … +1 (eager); default 0"))
    p.add_argument("--no-fusion", action="store_true",
                   help=translate("CommandLine", "judge on the mean classifier score alone (the baseline)"))
    p.add_argument("--threads", type=int, default=1, help=translate("CommandLine", "CPU threads for the networks (default 1)"))
    p.add_argument("--animation", action="store_true",
                   help=translate("CommandLine", "also run the animated-photo detector (off by default: not yet good "
                                                 "enough; README § Animated photos)"))


def _load_pipeline(a: argparse.Namespace, backend: str | None = None) -> Pipeline:
    return Pipeline.load(
        PipelineConfig(device=a.device, backend=backend or a.backend, sensitivity=a.sensitivity,
                       use_fusion=not a.no_fusion, threads=a.threads, detect_animation=a.animation)
    )


def cmd_scan(a: argparse.Namespace) -> int:
    scanner = FileScanner(_load_pipeline(a), a.fps, stderr_progress)
    failed = False
    for path in a.paths:
        r = scanner.scan(Path(path))
        failed |= r.verdict == "error"
        if a.json:
            print(json.dumps(r.to_json()), flush=True)
        else:
            print(_describe(r), flush=True)
    return 2 if failed else 0


def _describe(r) -> str:
    if r.verdict == "error":
        return translate("Scan", "{file}: ERROR — {error}").format(file=r.file, error=r.error)
    if r.verdict == "no_face":
        return translate("Scan", "{file}: no face found in {frames} analysed frame(s)").format(
            file=r.file, frames=r.frames_analysed)
    # Never "real": a scan that finds nothing only failed to find a sign of a swap (the JSON keeps `looks_real`).
    if r.verdict == "possible_swap":
        head = translate("Scan", "POSSIBLE AI FACE-SWAP")
    elif r.verdict == "possible_animation":
        head = translate("Scan", "POSSIBLE ANIMATED PHOTO")
    elif r.animation_score is None:
        head = translate("Scan", "no sign of a face swap found")
    else:
        head = translate("Scan", "no sign of a face swap or animated photo found")
    parts = [translate("Scan", "score {score}").format(score=f"{r.overall_score:.2f}"),
             translate("Scan", "swap score {score}").format(score=f"{r.score:.2f}")]
    if r.animation_score is not None:
        parts.append(translate("Scan", "animation score {score}").format(score=f"{r.animation_score:.2f}"))
    first = r.first_animation_alert_s if r.verdict == "possible_animation" else r.first_alert_s
    if first is not None:
        parts.append(translate("Scan", "first alert at {seconds} s").format(seconds=f"{first:.1f}"))
    parts.append(translate("Scan", "{frames} frames analysed").format(frames=r.frames_analysed))
    faces = [translate("Scan", "face {id}: {score} over {frames} frames").format(
        id=f.track_id, score=f"{f.score:.2f}", frames=f.frames) for f in r.faces[:4]]
    return f"{r.file}: {head} ({'; '.join(parts)}; {', '.join(faces)})"


def cmd_eval(a: argparse.Namespace) -> int:
    from detectors.offline.evaluate import evaluate, format_report, read_manifest, write_json

    items = read_manifest(Path(a.manifest), a.split)
    if a.limit:
        items = items[: a.limit]
    pipeline = _load_pipeline(a)
    scanner = FileScanner(pipeline, a.fps)
    peers = {}
    if a.peers:
        from detectors.offline.peers import load_peer, parse_peer_names

        peers = {name: load_peer(name, pipeline.device) for name in parse_peer_names(a.peers)}
    report, results = evaluate(items, scanner, peers=peers)
    report["model"] = pipeline.classifier.config.version
    report["fusion"] = pipeline.fusion_in_use.note if pipeline.fusion_in_use else "none (mean classifier score)"
    print(format_report(report))
    if a.low_quality:
        from detectors.offline.evaluate import false_alert_summary, low_quality_copy

        real = [it for it in items if it.label == 0 and it.kind == "video"]
        cache = Path(a.cache) / "low-quality"
        lq = []
        for n, it in enumerate(real, 1):
            print(f"[lq {n}/{len(real)}] {it.file.name}", file=sys.stderr, flush=True)
            lq.append(scanner.scan(low_quality_copy(it.file, cache)))
        real_results = [r for it, r in zip(items, results) if it.label == 0 and it.kind == "video"]
        report["false_alerts_real"] = false_alert_summary(real_results)
        report["false_alerts_low_quality"] = false_alert_summary(lq)
        for key, title in (("false_alerts_real", "real clips"), ("false_alerts_low_quality", "their H.264 CRF-35 360p copies")):
            s = report[key]
            print(f"false alerts on {title}: {s['clips_alerted']}/{s['clips']} clips alerted, {s['alerts']} alerts in "
                  f"{s['hours'] * 60:.1f} min = {s['false_alerts_per_hour']:.1f} per hour {s['alerted_files'] or ''}")
    if a.ablation:
        from detectors.offline.evaluate import ablation, collect, held_out_clips

        print("ablation: scanning held-out train clips to fit each signal set ...", file=sys.stderr, flush=True)
        train_clips = collect(held_out_clips(Path(a.train_manifest or a.manifest)), pipeline)
        report["ablation"] = ablation(items, results, train_clips, pipeline.classifier.config.threshold)
        print("\nablation (call-level AUC on this split; every model fitted on held-out train clips only):")
        for row in report["ablation"]:
            print(f"  {row['auc']:.3f}  {row['signals']}")
    if a.json:
        write_json(report, Path(a.json))
    return 0


def cmd_bench(a: argparse.Namespace) -> int:
    from detectors.offline.bench import format_bench, run_backends

    clip = Path(a.clip) if a.clip else assets_dir() / DEMO_SWAP_CLIP
    report = run_backends(lambda backend: _load_pipeline(a, backend), bench_backends(a.backend), clip,
                          peers=not a.no_peers, fps=a.fps, region=None if a.region == "clip" else _size(a.region))
    print(format_bench(report))
    if a.json:
        Path(a.json).write_text(json.dumps(report, indent=2) + "\n")
    return 0


def bench_backends(spec: str) -> list[str]:
    """The runtimes `bench --backend` names: 'all' is each one installed here."""
    if spec == "all":
        return [b for b in ("torch", "onnx") if has_module("onnxruntime" if b == "onnx" else "torch")]
    names = [n.strip() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in BACKEND_CHOICES]
    if unknown or not names:
        raise ValueError(f"unknown runtime {', '.join(unknown) or spec!r}; choose from {', '.join(BACKEND_CHOICES)} or all")
    return names


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"--region {text!r}: write it as WIDTHxHEIGHT, for example 1280x720, or 'clip'") from None
    return w, h


def cmd_verify(a: argparse.Namespace) -> int:
    from detectors.challenge import parse_actions
    from detectors.identity import FaceEmbedder
    from detectors.offline.verify import describe, verify_clip

    actions = parse_actions(a.actions)
    result = verify_clip(Path(a.clip), actions, _load_pipeline(a), FaceEmbedder.from_assets(), a.fps,
                         progress=None if a.json else stderr_progress)
    print(json.dumps(result.to_json()) if a.json else describe(result), flush=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    about = translate("CommandLine", "CallShield: warns when a video caller's face is an AI face swap.")
    p = argparse.ArgumentParser(prog="callshield", description=about)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("scan", help=translate("CommandLine", "check video or image files for face swaps"))
    s.add_argument("paths", nargs="+")
    s.add_argument("--json", action="store_true", help=translate("CommandLine", "one JSON object per input, one per line"))
    _add_engine_options(s)
    s.set_defaults(func=cmd_scan)
    e = sub.add_parser("eval", help=translate("CommandLine", "measure the detector on a labelled manifest"))
    e.add_argument("manifest")
    e.add_argument("--split", default="eval")
    e.add_argument("--json", metavar="FILE", help=translate("CommandLine", "write the full report here"))
    e.add_argument("--limit", type=int, default=0, help=translate("CommandLine", "only the first N items (quick checks)"))
    e.add_argument("--low-quality", action="store_true",
                   help=translate("CommandLine", "also scan H.264 CRF-35 360p copies of the real clips (made with "
                                                 "ffmpeg) for false alerts"))
    e.add_argument("--ablation", action="store_true", help=translate("CommandLine", "print each temporal signal's contribution"))
    e.add_argument("--peers", metavar="NAMES",
                   help=translate("CommandLine", "also score published classifiers on the same crops, comma-separated "
                                                 "or 'all': meso4-df, meso4-f2f, mesoinception4-df, mesoinception4-f2f "
                                                 "(weights from ../shared/models; measurement only)"))
    e.add_argument("--train-manifest",
                   help=translate("CommandLine", "manifest with the train split for --ablation (default: MANIFEST)"))
    e.add_argument("--cache", default=str(Path.home() / ".cache" / "callshield"),
                   help=translate("CommandLine", "where derived clips are kept"))
    _add_engine_options(e)
    e.set_defaults(func=cmd_eval)
    b = sub.add_parser("bench", help=translate("CommandLine", "time each stage and compare the classifier with published ones"))
    b.add_argument("clip", nargs="?", help=translate("CommandLine", "video clip (default: the bundled demo clip)"))
    b.add_argument("--json", metavar="FILE")
    b.add_argument("--no-peers", action="store_true", help=translate("CommandLine", "skip timing the peer classifiers"))
    b.add_argument("--region", default="1280x720",
                   help=translate("CommandLine", "screen region the clip is shown in, WIDTHxHEIGHT (default 1280x720, "
                                                 "as live), or 'clip'"))
    _add_engine_options(b, many_backends=True)
    b.set_defaults(func=cmd_bench)
    v = sub.add_parser("verify",
                       help=translate("CommandLine", "judge the 'Verify now' challenges (head turns, hand, closer) on "
                                                     "a recorded clip"))
    v.add_argument("clip")
    v.add_argument("--actions", default="turn-left,turn-right,hand,closer",
                   help=translate("CommandLine", "comma-separated: turn-left, turn-right, hand, closer (default: all four)"))
    v.add_argument("--json", action="store_true",
                   help=translate("CommandLine", "one JSON object: per action, performed, when, evidence"))
    _add_engine_options(v)
    v.set_defaults(func=cmd_verify)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    a = build_parser().parse_args(argv)
    try:
        return a.func(a)
    except (WeightsError, ValueError, FileNotFoundError) as err:
        print(translate("CommandLine", "callshield {command}: {error}").format(command=a.command, error=err),
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
