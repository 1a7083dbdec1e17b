"""Measures the "Verify now" evidence on the DeepFaceLive clips of a split and their real twins: for every action a
clip contains (head turns, a hand over the face, coming closer), whether the swap evidence during it exceeds the
same person's baseline just before it. Thresholds are chosen on train (--tune); eval is only measured.

    nice -n 10 .venv/bin/python scripts/measure_challenges.py --split train --tune
    nice -n 10 .venv/bin/python scripts/measure_challenges.py --split eval

With --factory RECIPES the swaps are not DeepFaceLive's but the swap factory's (training/factory/swap_clip.py): each
real twin, swapped whole with a donor photo of another person from train (London set), once per recipe, then
measured against that same real twin.

    nice -n 10 .venv/bin/python scripts/measure_challenges.py --split eval --factory dfl,inswapper,delaunay
"""

from __future__ import annotations

import argparse
import csv
import functools
import itertools
import json
import pickle
import random
import sys
from dataclasses import asdict, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from detectors.challenge import ALL_ACTIONS, ActionResult, ChallengeSample, ChallengeThresholds, verify_recording  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def pairs(split: str) -> list[tuple[Path, Path]]:
    """(swap, real twin) of every DeepFaceLive side-by-side clip of the split."""
    rows = [r for r in csv.DictReader(open(SHARED / "manifest.csv")) if r["split"] == split and "DeepFaceLive__" in r["file"]]
    fakes = [r["file"] for r in rows if r["file"].endswith("__right_fake.mp4")]
    out = []
    for f in sorted(fakes):
        real = f.replace("/fake/", "/real/").replace("__right_fake.mp4", "__left_real.mp4")
        if (SHARED / real).exists():
            out.append((SHARED / f, SHARED / real))
    return out


def factory_swap(real: Path, recipe: str, n: int, seed: int, cache: Path) -> Path:
    """The factory swap of `real` by `recipe` (made once, then kept under `cache`), its donor drawn per clip."""
    out = cache / "factory-clips" / f"{real.stem}-{recipe}-s{seed}.mp4"
    if out.exists():
        return out
    from training.factory.swap_clip import swap_clip

    donors = sorted(r["file"] for r in csv.DictReader(open(SHARED / "manifest.csv"))
                    if r["split"] == "train" and r["method"].startswith("Face Research Lab London Set, neutral"))
    rng = random.Random(f"{seed}:{n}:{recipe}")
    out.parent.mkdir(parents=True, exist_ok=True)
    made = swap_clip(real, SHARED / rng.choice(donors), out, recipe, seed * 1000 + n)
    print(f"   {out.name}: {made.swapped} of {made.frames} frames swapped", file=sys.stderr, flush=True)
    return out


@functools.cache
def model_version() -> str:
    """The shipped swap model's version: the samples hold its scores, so they are cached per version."""
    from detectors.assets import DEFAULT_MODEL, assets_dir
    from detectors.classifiers.weights import load_model_config

    return load_model_config(assets_dir() / DEFAULT_MODEL).version


def samples_of(path: Path, cache: Path, fps: float) -> list[ChallengeSample]:
    key = cache / model_version() / f"{path.stem}@{fps:g}.pkl"
    if key.exists():
        return pickle.loads(key.read_bytes())
    from detectors.offline.verify import sample_clip

    samples = sample_clip(path, *engine(), fps)
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_bytes(pickle.dumps(samples))
    return samples


@functools.cache
def engine() -> tuple:
    from detectors.identity import FaceEmbedder
    from detectors.pipeline import Pipeline, PipelineConfig

    return Pipeline.load(PipelineConfig(device="cpu")), FaceEmbedder.from_assets()


def judge_all(data: dict[str, tuple[list, list]], th: ChallengeThresholds) -> dict[str, tuple[list, list]]:
    return {name: (verify_recording(fake, ALL_ACTIONS, th=th), verify_recording(real, ALL_ACTIONS, th=th))
            for name, (fake, real) in data.items()}


def rates(judged: dict) -> tuple[int, int, int, int]:
    """(swap actions performed, of them exceeding), (real actions performed, of them exceeding)."""
    fp = [r for fake, _ in judged.values() for r in fake if r.performed]
    rp = [r for _, real in judged.values() for r in real if r.performed]
    return len(fp), sum(r.broke for r in fp), len(rp), sum(r.broke for r in rp)


def line(r: ActionResult) -> str:
    if not r.performed:
        return "-"
    ev = r.evidence
    assert ev is not None
    drop = "—" if ev.identity_drop is None else f"{ev.identity_drop:+.2f}"
    verdict = f"EXCEEDS({','.join(ev.broke_on)})" if ev.exceeds else "held"
    return (f"{r.start_s:.1f}-{r.end_s:.1f}s score {ev.baseline_score:.2f}->{ev.action_score:.2f} id {drop} "
            f"mesh {ev.mesh_lost:+.2f} flick {ev.flicker_rise:+.2f} {verdict}")


def report(judged: dict) -> None:
    for name, (fake, real) in judged.items():
        print(name)
        for rf, rr in zip(fake, real):
            if rf.performed or rr.performed:
                print(f"   {rf.action.value:10s} swap: {line(rf)}\n   {'':10s} real: {line(rr)}")
    nf, ef, nr, er = rates(judged)
    print(f"swap clips: evidence above baseline in {ef}/{nf} performed actions ({ef / max(nf, 1):.0%}); "
          f"real twins: {er}/{nr} ({er / max(nr, 1):.0%})")


def tune(data: dict) -> ChallengeThresholds:
    """The thresholds that maximise (swap rate − real rate) with the real rate at most 10 %."""
    best, best_th = -1.0, ChallengeThresholds()
    off = 9.0  # a cue that never fires
    grid = itertools.product((0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, off), (0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, off),
                             (0.2, 0.34, 0.5, off), (0.3, 0.6, 1.0, off))
    for score, ident, mesh, flick in grid:
        th = replace(ChallengeThresholds(), score_rise=score, identity_drop=ident, mesh_lost=mesh, flicker_rise=flick)
        nf, ef, nr, er = rates(judge_all(data, th))
        if nf == 0:
            continue
        real_rate, fake_rate = er / max(nr, 1), ef / nf
        if real_rate <= 0.10 and fake_rate - real_rate > best:
            best, best_th = fake_rate - real_rate, th
    print(f"tuned on this split (swap rate − real rate {best:+.2f}): {best_th}", file=sys.stderr)
    return best_th


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--split", default="train")
    p.add_argument("--fps", type=float, default=10.0)
    p.add_argument("--cache", default=str(ROOT / "cache" / "challenge-samples"))
    p.add_argument("--only", help="comma-separated substrings of clip names to keep")
    p.add_argument("--tune", action="store_true", help="choose the evidence thresholds on this split (train only)")
    p.add_argument("--json", help="write per-clip results here")
    p.add_argument("--thresholds", help="JSON of ChallengeThresholds fields to measure with (--tune writes one)")
    p.add_argument("--factory", help="comma-separated swap-factory recipes: measure factory swaps of the real twins "
                   "instead of DeepFaceLive's swaps")
    p.add_argument("--factory-seed", type=int, default=1)
    a = p.parse_args()
    if a.tune and a.split != "train":
        p.error("thresholds are chosen on train only")
    if a.tune and a.factory:
        p.error("thresholds are chosen on DeepFaceLive's swaps only")
    data = {}
    cache = Path(a.cache)
    for n, (fake, real) in enumerate(pairs(a.split)):
        name = fake.name.split("__")[1]
        if a.only and not any(k in name for k in a.only.split(",")):
            continue
        print(f"sampling {name}", file=sys.stderr, flush=True)
        if not a.factory:
            data[name] = (samples_of(fake, cache, a.fps), samples_of(real, cache, a.fps))
            continue
        real_samples = samples_of(real, cache, a.fps)
        for recipe in a.factory.split(","):
            swapped = factory_swap(real, recipe, n, a.factory_seed, cache)
            data[f"{name}/{recipe}"] = (samples_of(swapped, cache, a.fps), real_samples)
    th = ChallengeThresholds(**json.loads(Path(a.thresholds).read_text())) if a.thresholds else ChallengeThresholds()
    if a.tune:
        th = tune(data)
        (Path(a.cache) / "thresholds-train.json").write_text(json.dumps(asdict(th), indent=1))
    judged = judge_all(data, th)
    report(judged)
    if a.json:
        Path(a.json).write_text(json.dumps({n: {"swap": [r.to_json() for r in f], "real": [r.to_json() for r in r_]}
                                            for n, (f, r_) in judged.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
