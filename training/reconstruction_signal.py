"""Measures issue 13's candidate clip signal: how well a small autoencoder, trained only on train's real faces,
reconstructs a clip's aligned faces (a live swap is smoother, so it reconstructs more easily).

One-off experiment; every output lands under runs/recon/. Steps, each a subcommand:
  split      seeded hold-out of train's swap groups and ~30 other real clips -> split.json
  reencode   held-out real (and swap) clips through ffmpeg H.264 CRF 35 at 360p -> crf35/
  extract    aligned crops (the product's 224 px / margin 1.5 alignment, shrunk to --px) for one set -> crops-SET.npz
  train      the autoencoder on the 'fit' crops -> ae.pt
  score      per-clip reconstruction error for sets -> scores-SET.csv and AUCs with bootstrap intervals
  latency    ms per face on one thread
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import time
from itertools import pairwise
from math import comb
from pathlib import Path

import cv2
import numpy as np
import torch
from torch import nn

from detectors.alignment import align_face
from detectors.face_detection import MtcnnFaceDetector
from detectors.media import MediaError, is_image, iter_frames
from detectors.offline.evaluate import roc_auc

OUT = Path("runs/recon")
CROP_SIZE, CROP_MARGIN = 224, 1.5  # as assets/models/callshield-lite0.json aligns faces
# The face centre in a margin-1.5 crop: the ArcFace template puts the eyes at y≈0.47 and the mouth at y≈0.72,
# x≈0.39–0.60. Fixed before any score was seen.
CENTRE_Y, CENTRE_X = (0.35, 0.78), (0.30, 0.70)
DFL = "DeepFaceLive"


def manifest(data: Path) -> list[dict]:
    with open(data / "manifest.csv", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- split

def make_split(data: Path, seed: int, n_real: int) -> dict:
    rows = [r for r in manifest(data) if r["split"] == "train"]
    swap_groups = sorted({r["group"] for r in rows if r["label"] == "fake" and DFL in r["method"]})
    other = sorted({r["group"] for r in rows if r["kind"] == "video" and r["label"] == "real"} - set(swap_groups))
    random.Random(seed).shuffle(other)
    held, n = [], 0
    for g in other:
        if n >= n_real:
            break
        held.append(g)
        n += sum(1 for r in rows if r["group"] == g and r["kind"] == "video")
    out_groups = set(swap_groups) | set(held)
    sets = {
        "swap": [r["file"] for r in rows if r["group"] in swap_groups and r["label"] == "fake" and r["kind"] == "video"],
        "twin": [r["file"] for r in rows if r["group"] in swap_groups and r["label"] == "real" and r["kind"] == "video"],
        "heldreal": [r["file"] for r in rows if r["group"] in held and r["kind"] == "video"],
        "fit": [r["file"] for r in rows if r["group"] not in out_groups and r["label"] == "real"
                and r["kind"] in ("video", "image")],
    }
    return {"seed": seed, "swap_groups": swap_groups, "held_groups": held, "sets": sets}


# ---------------------------------------------------------------- re-encode

def crf35_path(file: str) -> Path:
    return OUT / "crf35" / (file.replace("/", "__").rsplit(".", 1)[0] + ".mp4")


def reencode(data: Path, files: list[str]) -> None:
    for f in files:
        dst = crf35_path(f)
        if dst.exists():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        cmd = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(data / f), "-vf", "scale=-2:360",
               "-c:v", "libx264", "-crf", "35", "-threads", "1", "-an", str(dst)]
        subprocess.run(cmd, check=True)


# ---------------------------------------------------------------- extract

def extract(data: Path, items: list[tuple[str, Path]], out: Path, px: int, fps: float, max_frames: int) -> None:
    """items: (key, path). Videos: the largest face per sampled frame; images: every face."""
    detector = MtcnnFaceDetector(max_side=640, min_face_px=48)
    crops, item_ix, t0 = [], [], time.time()
    for i, (_key, path) in enumerate(items):
        taken = 0
        try:
            for frame in iter_frames(path, max_fps=fps):
                faces = detector.detect(frame.pixels)
                if not is_image(path):
                    faces = sorted(faces, key=lambda f: -f.size)[:1]
                for face in faces:
                    try:
                        crop = align_face(frame.pixels, face.landmarks, CROP_SIZE, CROP_MARGIN)
                    except ValueError:
                        continue
                    crops.append(cv2.resize(crop, (px, px), interpolation=cv2.INTER_AREA))
                    item_ix.append(i)
                taken += 1
                if taken >= max_frames:
                    break
        except MediaError as err:
            print(f"skip: {err}", file=sys.stderr)
        if i % 20 == 0:
            print(f"{out.name} {i}/{len(items)} items, {len(crops)} crops, {time.time() - t0:.0f}s", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, crops=np.stack(crops) if crops else np.zeros((0, px, px, 3), np.uint8),
                        item=np.array(item_ix), keys=np.array([k for k, _ in items]))
    print(f"wrote {out}: {len(crops)} crops from {len(items)} items in {time.time() - t0:.0f}s", file=sys.stderr)


def set_items(data: Path, split: dict, name: str) -> list[tuple[str, Path]]:
    s = split["sets"]
    if name in ("fit", "swap", "twin", "heldreal"):
        return [(f, data / f) for f in s[name]]
    if name == "crf35":  # the held-out real clips, and the swaps, re-encoded
        return [(f, crf35_path(f)) for f in s["twin"] + s["heldreal"] + s["swap"]]
    if name == "eval":
        return [(r["file"], data / r["file"]) for r in manifest(data)
                if r["split"] == "eval" and r["kind"] == "video" and r["label"] in ("fake", "real")]
    raise ValueError(name)


# ---------------------------------------------------------------- model

class SmallAE(nn.Module):
    """96 px RGB -> 4 stride-2 convs -> 128-d bottleneck -> mirror. 1.84 M parameters."""

    def __init__(self, px: int = 96, latent: int = 128) -> None:
        super().__init__()
        c, self.s = [3, 32, 64, 96, 128], px // 16
        enc = []
        for a, b in pairwise(c):
            enc += [nn.Conv2d(a, b, 4, 2, 1), nn.LeakyReLU(0.2, inplace=True)]
        self.enc = nn.Sequential(*enc)
        self.to_z = nn.Linear(128 * self.s * self.s, latent)
        self.from_z = nn.Linear(latent, 128 * self.s * self.s)
        dec = []
        r = c[::-1]
        for a, b in pairwise(r):
            dec += [nn.ConvTranspose2d(a, b, 4, 2, 1), nn.LeakyReLU(0.2, inplace=True) if b != 3 else nn.Sigmoid()]
        self.dec = nn.Sequential(*dec)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.to_z(self.enc(x).flatten(1))
        return self.dec(self.from_z(z).view(-1, 128, self.s, self.s))


def to_tensor(crops: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(crops).permute(0, 3, 1, 2).float().div_(255.0)


def train(fit: Path, out: Path, epochs: int, max_min: float, seed: int) -> None:
    torch.manual_seed(seed)
    z = np.load(fit)
    crops, item = z["crops"], z["item"]
    rng = np.random.default_rng(seed)
    items = np.unique(item)
    val_items = set(rng.choice(items, size=max(1, len(items) // 20), replace=False).tolist())
    is_val = np.array([i in val_items for i in item])
    xtr, xva = to_tensor(crops[~is_val]), to_tensor(crops[is_val])
    model = SmallAE(crops.shape[1])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    t0, log = time.time(), []
    print(f"train {len(xtr)} crops, val {len(xva)}, params {sum(p.numel() for p in model.parameters())}",
          file=sys.stderr)
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        tot = 0.0
        for b in range(0, len(xtr), 64):
            x = xtr[perm[b:b + 64]]
            flip = torch.rand(len(x)) < 0.5
            x[flip] = x[flip].flip(-1)
            x = (x * (0.8 + 0.4 * torch.rand(len(x), 1, 1, 1))).clamp_(0, 1)
            loss = ((model(x) - x) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(x)
        sched.step()
        model.eval()
        with torch.no_grad():
            va = float(((model(xva) - xva) ** 2).mean()) if len(xva) else float("nan")
        log.append({"epoch": ep, "train_mse": tot / len(xtr), "val_mse": va, "s": round(time.time() - t0, 1)})
        print(log[-1], file=sys.stderr)
        if (time.time() - t0) / 60 > max_min:
            print("time cap reached", file=sys.stderr)
            break
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state": model.state_dict(), "px": crops.shape[1], "log": log, "seed": seed}, out)


def load_model(path: Path) -> SmallAE:
    ck = torch.load(path, map_location="cpu")
    m = SmallAE(ck["px"])
    m.load_state_dict(ck["state"])
    return m.eval()


def frame_errors(model: SmallAE, crops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame MSE over the whole crop and over the face centre box."""
    px = crops.shape[1]
    y0, y1 = (int(round(v * px)) for v in CENTRE_Y)
    x0, x1 = (int(round(v * px)) for v in CENTRE_X)
    whole, centre = [], []
    with torch.no_grad():
        for b in range(0, len(crops), 128):
            x = to_tensor(crops[b:b + 128])
            e = ((model(x) - x) ** 2).mean(1)
            whole.append(e.mean((1, 2)).numpy())
            centre.append(e[:, y0:y1, x0:x1].mean((1, 2)).numpy())
    return np.concatenate(whole), np.concatenate(centre)


# ---------------------------------------------------------------- score

def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    return roc_auc([*pos, *neg], [1] * len(pos) + [0] * len(neg))


def auc_ci(pos: np.ndarray, neg: np.ndarray, n: int = 1000, seed: int = 0) -> tuple[float, float, float]:
    rng = np.random.default_rng(seed)
    pos, neg = np.asarray(pos), np.asarray(neg)
    boots = [auc(rng.choice(pos, len(pos)), rng.choice(neg, len(neg))) for _ in range(n)]
    return auc(pos, neg), float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))


def clip_scores(model: SmallAE, npz: Path) -> dict[str, dict]:
    z = np.load(npz)
    whole, centre = frame_errors(model, z["crops"])
    out = {}
    for i, key in enumerate(z["keys"]):
        m = z["item"] == i
        if m.sum() == 0:
            continue
        out[str(key)] = {"n": int(m.sum()), "whole_mean": float(whole[m].mean()), "whole_median": float(np.median(whole[m])),
                         "centre_mean": float(centre[m].mean()), "centre_median": float(np.median(centre[m]))}
    return out


def write_scores(scores: dict[str, dict], path: Path) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "n", "whole_mean", "whole_median", "centre_mean", "centre_median"])
        for k, v in scores.items():
            w.writerow([k, v["n"], v["whole_mean"], v["whole_median"], v["centre_mean"], v["centre_median"]])


STATS = ("whole_mean", "centre_mean", "whole_median", "centre_median")


def compare(pos: dict, neg: dict, label: str) -> list[str]:
    lines = []
    for s in STATS:
        # swap score = −error: lower error (smoother) counts as more swap-like
        a, lo, hi = auc_ci(-np.array([v[s] for v in pos.values()]), -np.array([v[s] for v in neg.values()]))
        lines.append(f"| {label} | {s} | {len(pos)} v {len(neg)} | {a:.3f} | [{lo:.3f}, {hi:.3f}] |")
    return lines


def pairs(swaps: dict, twins: dict, group_of: dict, label: str, twin_key=lambda f: f) -> list[str]:
    by_group = {}
    for f in twins:
        by_group.setdefault(group_of[twin_key(f)], []).append(f)
    lines = []
    for s in STATS:
        wins = n = 0
        for f, v in swaps.items():
            cands = by_group.get(group_of[twin_key(f)], [])
            twin = twin_of(twin_key(f), [twin_key(c) for c in cands])
            if twin is None:
                continue
            tw = next(c for c in cands if twin_key(c) == twin)
            n += 1
            wins += v[s] < twins[tw][s]
        p = sum(comb(n, k) for k in range(wins, n + 1)) / 2 ** n if n else float("nan")
        lines.append(f"| {label} | {s} | {wins}/{n} | one-sided sign-test p={p:.4f} |")
    return lines


def twin_of(swap_file: str, candidates: list[str]) -> str | None:
    """The real half of the same side-by-side clip: same group, same name with fake->real (else the only one)."""
    guess = swap_file.replace("/fake/", "/real/").replace("__right_fake.", "__left_real.")
    if guess in candidates:
        return guess
    return candidates[0] if len(candidates) == 1 else None


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("step", choices=["split", "reencode", "extract", "train", "score", "eval", "latency"])
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--set", default="fit")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--n-real", type=int, default=30)
    p.add_argument("--px", type=int, default=96)
    p.add_argument("--fps", type=float, default=4.0)
    p.add_argument("--max-frames", type=int, default=40)
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--max-minutes", type=float, default=22.0)
    p.add_argument("--model", type=Path, default=OUT / "ae.pt", help="written by train, read by score/eval/latency")
    p.add_argument("--tag", default="", help="suffix for score/eval outputs")
    a = p.parse_args(argv)
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    if a.step == "split":
        s = make_split(a.data, a.seed, a.n_real)
        (OUT / "split.json").write_text(json.dumps(s, indent=1))
        print({k: len(v) for k, v in s["sets"].items()}, s["held_groups"])
        return
    split = json.loads((OUT / "split.json").read_text())
    if a.step == "reencode":
        reencode(a.data, split["sets"]["twin"] + split["sets"]["heldreal"] + split["sets"]["swap"])
    elif a.step == "extract":
        extract(a.data, set_items(a.data, split, a.set), OUT / f"crops-{a.set}.npz", a.px, a.fps, a.max_frames)
    elif a.step == "train":
        train(OUT / "crops-fit.npz", a.model, a.epochs, a.max_minutes, a.seed)
    elif a.step == "score":
        report_dev(a.data, split, a.model, a.tag)
    elif a.step == "eval":
        report_eval(a.data, a.model, a.tag)
    elif a.step == "latency":
        latency(a.model)


def report_dev(data: Path, split: dict, model_path: Path, tag: str) -> None:
    model = load_model(model_path)
    group_of = {r["file"]: r["group"] for r in manifest(data)}
    sets = split["sets"]
    orig = {}
    for name in ("swap", "twin", "heldreal"):
        orig.update(clip_scores(model, OUT / f"crops-{name}.npz"))
    write_scores(orig, OUT / f"scores-dev{tag}.csv")
    sw = {f: orig[f] for f in sets["swap"] if f in orig}
    tw = {f: orig[f] for f in sets["twin"] if f in orig}
    hr = {f: orig[f] for f in sets["heldreal"] if f in orig}
    lines = ["| comparison | statistic | n pos v n neg | AUC (swap = −error) | 95% bootstrap |", "|---|---|---|---|---|"]
    lines += compare(sw, {**tw, **hr}, "swaps v held-out real + twins")
    lines += compare(sw, hr, "swaps v held-out real (no twins)")
    lines += compare(sw, tw, "swaps v twins (unpaired)")
    plines = ["| pairs | statistic | swap error < twin error | |", "|---|---|---|---|"]
    plines += pairs(sw, tw, group_of, "train DFL pairs")
    crf = OUT / "crops-crf35.npz"
    if crf.exists():
        c = clip_scores(model, crf)
        write_scores(c, OUT / f"scores-crf35{tag}.csv")
        ctw = {f: c[f] for f in sets["twin"] if f in c}
        chr_ = {f: c[f] for f in sets["heldreal"] if f in c}
        csw = {f: c[f] for f in sets["swap"] if f in c}
        lines += compare(sw, {**ctw, **chr_}, "swaps (orig) v CRF35 real + twins")
        lines += compare(sw, chr_, "swaps (orig) v CRF35 held-out real")
        lines += compare(csw, {**ctw, **chr_}, "CRF35 swaps v CRF35 real + twins")
        plines += pairs(sw, ctw, group_of, "orig swap v CRF35 twin")
        plines += pairs(csw, ctw, group_of, "CRF35 swap v CRF35 twin")
        # how much smoother the re-encode makes a real clip, next to the swap/twin gap
        for s in ("whole_mean", "centre_mean"):
            d_crf = np.median([c[f][s] / orig[f][s] for f in list(ctw) + list(chr_) if f in orig])
            d_sw = np.median([sw[f][s] / tw[twin_of(f, list(tw))][s] for f in sw if twin_of(f, list(tw)) in tw])
            plines.append(f"| ratio | {s} | median real CRF35/orig = {d_crf:.3f}; median swap/twin = {d_sw:.3f} | |")
    text = "\n".join(lines) + "\n\n" + "\n".join(plines) + "\n"
    (OUT / f"dev-results{tag}.md").write_text(text)
    print(text)


def report_eval(data: Path, model_path: Path, tag: str) -> None:
    model = load_model(model_path)
    rows = {r["file"]: r for r in manifest(data)}
    sc = clip_scores(model, OUT / "crops-eval.npz")
    write_scores(sc, OUT / f"scores-eval{tag}.csv")
    fake = {f: v for f, v in sc.items() if rows[f]["label"] == "fake"}
    real = {f: v for f, v in sc.items() if rows[f]["label"] == "real"}
    dfl_f = {f: v for f, v in fake.items() if DFL in rows[f]["method"]}
    dfl_r = {f: v for f, v in real.items() if rows[f]["group"].startswith("dfl:") and "half of SBS" in rows[f]["method"]}
    lines = ["| comparison | statistic | n pos v n neg | AUC (swap = −error) | 95% bootstrap |", "|---|---|---|---|---|"]
    lines += compare(fake, real, "eval videos fake v real")
    lines += compare(dfl_f, dfl_r, "eval DFL swaps v their twins (unpaired)")
    group_of = {f: r["group"] for f, r in rows.items()}
    plines = ["| pairs | statistic | swap error < twin error | |", "|---|---|---|---|"]
    plines += pairs(dfl_f, dfl_r, group_of, "eval DFL pairs")
    missing = [f for f, r in rows.items() if r["split"] == "eval" and r["kind"] == "video" and f not in sc]
    text = "\n".join(lines) + "\n\n" + "\n".join(plines) + f"\n\nno face found in: {missing}\n"
    (OUT / f"eval-results{tag}.md").write_text(text)
    print(text)


def latency(model_path: Path) -> None:
    model = load_model(model_path)
    crop224 = np.random.default_rng(0).integers(0, 255, (CROP_SIZE, CROP_SIZE, 3), dtype=np.uint8)
    px = model.s * 16
    ts = []
    with torch.no_grad():
        for i in range(230):
            t = time.perf_counter()
            small = cv2.resize(crop224, (px, px), interpolation=cv2.INTER_AREA)
            x = to_tensor(small[None])
            float(((model(x) - x) ** 2).mean())
            if i >= 30:
                ts.append((time.perf_counter() - t) * 1000)
    print(f"ms per face (resize 224->{px} + AE forward + MSE), 1 thread: median {np.median(ts):.2f}, "
          f"p90 {np.percentile(ts, 90):.2f}")


if __name__ == "__main__":
    main()
