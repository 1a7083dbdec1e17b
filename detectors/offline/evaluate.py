"""Measures the engine on a labelled manifest (the format of shared/data/manifest.csv), overall and per source."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from detectors.classifiers.weights import assets_dir
from detectors.fusion import clip_windows, main_track
from detectors.offline.bootstrap import auc_interval
from detectors.offline.scan import FileScanner, ScanResult
from detectors.pipeline import Pipeline

if TYPE_CHECKING:
    from detectors.classifiers.swap_classifier import SwapClassifier
    from detectors.records import FrameMeasurement


def roc_auc(scores: Iterable[float], labels: Iterable[int]) -> float:
    """Area under the ROC curve, ties counted half; NaN when a class is missing."""
    s, y = np.asarray(list(scores), float), np.asarray(list(labels), int)
    pos, neg = s[y == 1], s[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


@dataclass(frozen=True)
class LabelledItem:
    file: Path
    label: int  # 1 = fake
    source: str
    kind: str  # video | image
    method: str


def read_manifest(manifest: Path, split: str) -> list[LabelledItem]:
    root = manifest.parent
    with open(manifest, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["split"] == split and r["label"] in ("real", "fake")]
    if not rows:
        raise ValueError(f"{manifest} has no labelled rows in split {split!r}")
    return [
        LabelledItem(root / r["file"], int(r["label"] == "fake"), r["source"], r["kind"], r["method"])
        for r in rows
        if r["kind"] in ("video", "image")
    ]


def summarise(items: list[LabelledItem], results: list[ScanResult], threshold: float, classifier: bool = False) -> dict:
    """AUC, accuracy, false-alarm and miss rates at `threshold`, and alert timing, for one group of items.

    `classifier` judges on the per-frame baseline (mean classifier score) instead of the call-level score.
    """
    ok = [(it, r) for it, r in zip(items, results) if r.score is not None]
    labels = [it.label for it, _ in ok]
    scores = [r.classifier_score if classifier else r.score for _, r in ok]
    flagged = [s >= threshold for s in scores]
    real = [f for f, y in zip(flagged, labels) if y == 0]
    fake = [f for f, y in zip(flagged, labels) if y == 1]
    alerts_real = [r.first_alert_s is not None for it, r in ok if it.label == 0]
    alert_times = [r.first_alert_s for it, r in ok if it.label == 1 and r.first_alert_s is not None]
    fake_n = sum(1 for it, _ in ok if it.label == 1)
    return {
        "items": len(items),
        "analysed": len(ok),
        "real": len(real),
        "fake": len(fake),
        "auc": roc_auc(scores, labels),
        "auc_ci": auc_interval(scores, labels),  # 95 %, clips resampled
        "accuracy": float(np.mean([f == bool(y) for f, y in zip(flagged, labels)])) if ok else float("nan"),
        "false_alarm_rate": float(np.mean(real)) if real else float("nan"),
        "miss_rate": float(1 - np.mean(fake)) if fake else float("nan"),
        "real_alerted": int(sum(alerts_real)),
        "fake_alerted": len(alert_times),
        "fake_alert_rate": len(alert_times) / fake_n if fake_n else float("nan"),
        "first_alert_median_s": float(np.median(alert_times)) if alert_times else None,
        "first_alert_max_s": float(np.max(alert_times)) if alert_times else None,
    }


def scan_all(items: list[LabelledItem], scanner: FileScanner, peers: dict[str, SwapClassifier],
             verbose: bool = True) -> tuple[list[ScanResult], list[dict[str, float | None]]]:
    """Scans every item; with peers, each also scores every crop our classifier scores (per-item peer scores)."""
    pipeline = scanner.pipeline
    ours = pipeline.classifier
    paired = None
    if peers:
        # The peers' module imports torch: only `eval --peers` needs it (the CPU installer has no torch).
        from detectors.offline.peers import PairedScorer, item_scores

        paired = PairedScorer(ours, peers)
    results, peer_scores = [], []
    try:
        if paired is not None:
            pipeline.classifier = paired  # type: ignore[assignment]  # same config, device and predict
        for n, it in enumerate(items, 1):
            r = scanner.scan(it.file)
            results.append(r)
            if paired is not None:
                peer_scores.append(item_scores(paired.take(), ["ours", *peers], it.kind))
            if verbose:
                _print_progress(f"{n}/{len(items)}", it, r)
    finally:
        pipeline.classifier = ours
    return results, peer_scores


def _print_progress(n: str, it: LabelledItem, r: ScanResult) -> None:
    score = "  -  " if r.score is None else f"{r.score:.3f}"
    alert = "" if r.first_alert_s is None else f" alert@{r.first_alert_s:.1f}s"
    print(f"[{n}] {'fake' if it.label else 'real'} {score} {r.verdict}{alert}  {it.file.name}", file=sys.stderr, flush=True)


def evaluate(items: list[LabelledItem], scanner: FileScanner, verbose: bool = True,
             peers: dict[str, SwapClassifier] | None = None) -> tuple[dict, list[ScanResult]]:
    """Scans every item; the report judges videos twice: by the call-level score the alert policy uses, and by
    the per-frame baseline (mean classifier score at the classifier's own threshold). Peers, if any, are scored
    on the same crops in the same run, and compared with ours on the same files (paired)."""
    threshold = scanner.pipeline.policy.enter
    classifier_threshold = scanner.pipeline.classifier.config.threshold
    results, peer_scores = scan_all(items, scanner, peers or {}, verbose)
    report: dict = {"threshold": threshold, "classifier_threshold": classifier_threshold, "items": []}
    tables = (("video", "video", threshold, False), ("video_classifier", "video", classifier_threshold, True),
              ("image", "image", classifier_threshold, True))
    for name, kind, thr, classifier in tables:
        sel = [i for i, it in enumerate(items) if it.kind == kind]
        if not sel:
            continue
        k_items, k_results = [items[i] for i in sel], [results[i] for i in sel]
        report[name] = {"threshold": thr, "overall": summarise(k_items, k_results, thr, classifier), "per_source": {}}
        for src in sorted({it.source for it in k_items}):
            s = [i for i, it in enumerate(k_items) if it.source == src]
            report[name]["per_source"][src] = summarise([k_items[i] for i in s], [k_results[i] for i in s], thr, classifier)
    report["items"] = [
        {"file": str(it.file), "label": "fake" if it.label else "real", "source": it.source, "method": it.method,
         **r.to_json(), "classifier_score": r.classifier_score, "alert_count": r.alert_count}
        for it, r in zip(items, results)
    ]
    if peers:
        from detectors.offline.peers import compare_with_peers

        for row, scores in zip(report["items"], peer_scores):
            row["peer_scores"] = scores
        report["peers"] = compare_with_peers([it.kind for it in items], [it.label for it in items],
                                             [r.score for r in results], peer_scores, list(peers))
    return report, results


def _fmt(v: float | None, pct: bool = False) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "  -  "
    return f"{100 * v:5.1f}%" if pct else f"{v:5.3f}"


def _fmt_ci(ci: tuple[float, float] | None) -> str:
    return "" if ci is None else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def format_report(report: dict) -> str:
    titles = {
        "video": "videos, call-level score (what the alert policy acts on)",
        "video_classifier": "videos, per-frame baseline (mean classifier score)",
        "image": "photos (classifier score of the most suspicious face)",
    }
    lines = []
    for kind in ("video", "video_classifier", "image"):
        if kind not in report:
            continue
        lines.append("")
        lines.append(f"{titles[kind]}; threshold {report[kind]['threshold']:.3f} (chosen on train data only)")
        lines.append(f"        {'source':<52} {'n':>4} {'AUC':>6} {'95% CI':<14} {'acc':>6} {'FAR':>6} {'miss':>6}"
                     f" {'alerts real/fake':>17}")
        rows = [("OVERALL", report[kind]["overall"]), *report[kind]["per_source"].items()]
        for name, m in rows:
            lines.append(
                f"        {name[:52]:<52} {m['items']:>4} {_fmt(m['auc']):>6} {_fmt_ci(m.get('auc_ci')):<14}"
                f" {_fmt(m['accuracy'], True):>6}"
                f" {_fmt(m['false_alarm_rate'], True):>6} {_fmt(m['miss_rate'], True):>6}"
                f" {m['real_alerted']:>4}/{m['real']:<3} {m['fake_alerted']:>4}/{m['fake']:<3}"
            )
        o = report[kind]["overall"]
        if kind == "video" and o["first_alert_median_s"] is not None:
            lines.append(
                f"time to first alert on fakes: median {o['first_alert_median_s']:.1f} s, max {o['first_alert_max_s']:.1f} s"
            )
    if "peers" in report:
        from detectors.offline.peers import format_peer_table

        lines.append(format_peer_table(report["peers"]))
    return "\n".join(lines)


def write_json(report: dict, path: Path) -> None:
    path.write_text(json.dumps(report, indent=2, default=float) + "\n")


def low_quality_copy(src: Path, cache: Path, height: int = 360, crf: int = 35) -> Path:
    """An H.264 CRF-35, 360p copy of a clip (what a poor connection delivers), made once with ffmpeg."""
    import hashlib
    import shutil
    import subprocess

    if shutil.which("ffmpeg") is None:
        raise RuntimeError("ffmpeg is needed for the low-quality variants (apt-get install ffmpeg)")
    key = hashlib.sha1(f"{src.resolve()}:{src.stat().st_size}:{height}:{crf}".encode()).hexdigest()[:12]
    out = cache / f"{src.stem}.{height}p-crf{crf}.{key}.mp4"
    if not out.exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".part.mp4")
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-i", str(src), "-vf", f"scale=-2:{height}", "-c:v", "libx264",
             "-crf", str(crf), "-preset", "veryfast", "-an", str(tmp)],
            check=True, timeout=600,
        )
        tmp.rename(out)
    return out


def false_alert_summary(results: list[ScanResult]) -> dict:
    """False alerts on real footage: clips with any alert, and alerts per hour of footage."""
    analysed = [r for r in results if r.score is not None]
    hours = sum(r.duration_s for r in analysed) / 3600
    alerts = sum(r.alert_count for r in analysed)
    return {
        "clips": len(analysed),
        "clips_alerted": sum(1 for r in analysed if r.alert_count),
        "alerts": alerts,
        "hours": hours,
        "false_alerts_per_hour": alerts / hours if hours else float("nan"),
        "alerted_files": [Path(r.file).name for r in analysed if r.alert_count],
    }


def ablation(eval_items: list[LabelledItem], eval_results: list[ScanResult], train_clips: list, threshold: float) -> list[dict]:
    """Call-level AUC on eval of fusion models fitted on held-out train clips, with and without each signal."""
    from detectors.fusion import call_score, clip_windows, fit_fusion, main_track
    from detectors.signals import SIGNAL_NAMES

    videos = [(it, r) for it, r in zip(eval_items, eval_results) if it.kind == "video" and r.score is not None]
    eval_windows = [clip_windows(main_track(r.measurements), threshold) for _, r in videos]
    labels = [it.label for it, _ in videos]
    train_windows = [w for ws, _, _ in train_clips for w in ws]
    train_labels = np.array([y for ws, y, _ in train_clips for _ in ws])

    def auc_of(features: tuple[str, ...] | None) -> float:
        model = fit_fusion(train_windows, train_labels, features) if features else None
        return roc_auc([call_score(ws, model) or 0.0 for ws in eval_windows], labels)

    baseline = [float(np.mean([m.score for m in main_track(r.measurements)])) for _, r in videos]
    rows = [{"signals": "per-frame baseline: mean classifier score over the clip", "auc": roc_auc(baseline, labels)},
            {"signals": "windowed mean score (no fusion)", "auc": auc_of(None)}]
    score_stats = ("score_mean", "score_q90", "score_frac_above")
    rows.append({"signals": "fusion: score statistics only", "auc": auc_of(score_stats)})
    for extra in SIGNAL_NAMES[3:]:
        rows.append({"signals": f"fusion: score statistics + {extra}", "auc": auc_of((*score_stats, extra))})
    rows.append({"signals": "fusion: all signals", "auc": auc_of(SIGNAL_NAMES)})
    for name in SIGNAL_NAMES:
        rows.append({"signals": f"fusion: all signals except {name}", "auc": auc_of(tuple(s for s in SIGNAL_NAMES if s != name))})
    return rows


def held_out_clips(manifest: Path) -> list[tuple[Path, int, str]]:
    """Train clips from the footage groups the classifier held out for validation: (path, label, group)."""
    provenance = json.loads((assets_dir() / "models/callshield-lite0.training.json").read_text())
    groups = set(provenance["val_groups"])
    with open(manifest, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["split"] == "train" and r["kind"] == "video" and r["group"] in groups]
    return [(manifest.parent / r["file"], int(r["label"] == "fake"), r["group"]) for r in rows]


def collect_tracks(clips: list[tuple[Path, int, str]],
                   pipeline: Pipeline) -> list[tuple[list[FrameMeasurement], int, str]]:
    """(measurements of the main face, label, group) per clip; clips with no face are left out."""
    scanner = FileScanner(pipeline)
    out = []
    for n, (path, label, group) in enumerate(clips, 1):
        track = main_track(scanner.scan(path).measurements)
        print(f"[{n}/{len(clips)}] {'fake' if label else 'real'} {len(track)} frames {path.name}", file=sys.stderr)
        if track:
            out.append((track, label, group))
    return out


def collect(clips: list[tuple[Path, int, str]], pipeline: Pipeline) -> list[tuple[list[dict], int, str]]:
    """(windows of the main face, label, group) per clip."""
    threshold = pipeline.classifier.config.threshold
    out = []
    for track, label, group in collect_tracks(clips, pipeline):
        windows = clip_windows(track, threshold)
        if windows:
            out.append((windows, label, group))
    return out
