"""The `autoencoder` recipe's generator: a small convolutional autoencoder trained on train's real faces only, which
re-renders a face with a generator's texture (the classic Deepfakes method is exactly this).

    python -m training.factory.autoencoder --crops cache/crops-train-aa.npz --out cache/face-ae.pt --threads 1

It learns from the real crops of footage groups that `callshield train` never holds out for validation with that seed
(every swapped group, both twins, and the real groups that `--hold-out-swaps` or the default split picks), so the
faces it renders for validation are faces it has not seen.
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import pairwise
from pathlib import Path

import cv2
import numpy as np
import torch
from torch import nn

from training.factory.recipes import AE_MARGIN, AE_PX


class FaceAE(nn.Module):
    """`px` RGB -> four stride-2 convolutions -> a spatial bottleneck (px/16 × px/16 × `latent`) -> mirror.

    A spatial bottleneck rather than one vector keeps the layout of an unseen face, so the render is sharper than a
    vector autoencoder's while still losing the skin's fine texture, as a swapper's generator does.
    """

    def __init__(self, px: int = AE_PX, widths: tuple[int, ...] = (32, 64, 128, 256), latent: int = 32) -> None:
        super().__init__()
        if px % 16:
            raise ValueError(f"px must be a multiple of 16, got {px}")
        self.px, self.widths, self.latent = px, tuple(widths), latent
        enc: list[nn.Module] = []
        for a, b in pairwise((3, *widths)):
            enc += [nn.Conv2d(a, b, 4, 2, 1), nn.LeakyReLU(0.2, inplace=True)]
        enc.append(nn.Conv2d(widths[-1], latent, 1))
        dec: list[nn.Module] = [nn.Conv2d(latent, widths[-1], 1), nn.LeakyReLU(0.2, inplace=True)]
        for a, b in pairwise((*widths[::-1], 16)):
            dec += [nn.ConvTranspose2d(a, b, 4, 2, 1), nn.LeakyReLU(0.2, inplace=True)]
        dec += [nn.Conv2d(16, 3, 3, 1, 1), nn.Sigmoid()]
        self.enc, self.dec = nn.Sequential(*enc), nn.Sequential(*dec)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dec(self.enc(x))

    def spec(self) -> dict:
        return {"px": self.px, "widths": list(self.widths), "latent": self.latent, "margin": AE_MARGIN}


class FaceRenderer:
    """Callable: an aligned uint8 RGB face of the autoencoder's size -> its re-render (uint8, same size)."""

    def __init__(self, model: FaceAE) -> None:
        self.model = model.eval()
        self.px = model.px

    @classmethod
    def load(cls, path: Path) -> FaceRenderer:
        ck = torch.load(path, map_location="cpu", weights_only=True)
        spec = ck["spec"]
        if spec["px"] != AE_PX or spec["margin"] != AE_MARGIN:
            raise ValueError(f"{path} renders {spec['px']} px at margin {spec['margin']}; the autoencoder recipe "
                             f"expects {AE_PX} px at margin {AE_MARGIN}: retrain it")
        model = FaceAE(spec["px"], tuple(spec["widths"]), spec["latent"])
        model.load_state_dict(ck["state"])
        return cls(model)

    @torch.inference_mode()
    def __call__(self, face: np.ndarray) -> np.ndarray:
        if face.shape != (self.px, self.px, 3):
            raise ValueError(f"the autoencoder renders {self.px}×{self.px} RGB faces, got {face.shape}")
        x = torch.from_numpy(np.ascontiguousarray(face)).permute(2, 0, 1)[None].float() / 255.0
        y = self.model(x)[0].permute(1, 2, 0).numpy()
        return np.clip(y * 255.0 + 0.5, 0, 255).astype(np.uint8)


def never_held_out(groups: np.ndarray, labels: np.ndarray, seed: int, val_fraction: float = 0.2) -> set[str]:
    """Footage groups that `callshield train --seed seed` never validates on: not swapped, and picked neither by
    `--hold-out-swaps` nor by the default split."""
    from training.train import split_groups

    swapped = {g for g, lab in zip(groups, labels) if lab == "fake"}
    held = split_groups(groups, labels, val_fraction, seed, hold_out_swaps=True)
    held |= split_groups(groups, labels, val_fraction, seed)
    return set(groups) - swapped - held


def training_faces(crops_file: Path, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The autoencoder's faces (N, px, px, 3) uint8 and their media item: real crops of never-held-out groups."""
    d = np.load(crops_file)
    if abs(float(d["margin"]) - AE_MARGIN) > 1e-6:
        raise ValueError(f"{crops_file} has crops at margin {float(d['margin'])}; the autoencoder needs {AE_MARGIN}")
    labels, groups, item = d["labels"], d["groups"], d["item"]
    keep_groups = never_held_out(groups, labels, seed)
    keep = np.flatnonzero([labels[i] == "real" and groups[i] in keep_groups for i in item])
    crops = d["crops"]  # an npz member reads the whole array at each access: once
    faces = np.stack([cv2.resize(crops[k], (AE_PX, AE_PX), interpolation=cv2.INTER_AREA) for k in keep])
    return faces, item[keep]


def reconstruction_loss(y: torch.Tensor, x: torch.Tensor, edge_weight: float) -> torch.Tensor:
    """L1 plus L1 of the horizontal and vertical image gradients: sharper than plain MSE."""
    loss = (y - x).abs().mean()
    for dim in (2, 3):
        loss = loss + edge_weight * (y.diff(dim=dim) - x.diff(dim=dim)).abs().mean()
    return loss


def _batches(x: torch.Tensor, batch: int, gen: torch.Generator):
    perm = torch.randperm(len(x), generator=gen)
    for b in range(0, len(x) - batch + 1, batch):
        xb = x[perm[b:b + batch]].clone()
        flip = torch.rand(len(xb), generator=gen) < 0.5
        xb[flip] = xb[flip].flip(-1)
        yield (xb * (0.8 + 0.4 * torch.rand(len(xb), 1, 1, 1, generator=gen))).clamp_(0, 1)


def train_autoencoder(faces: np.ndarray, item: np.ndarray, seed: int, max_minutes: float, edge_weight: float = 0.5,
                      batch: int = 32, lr: float = 1e-3) -> tuple[FaceAE, list[dict]]:
    """Fits a FaceAE to `faces`; one item in 20 is kept aside to report reconstruction on unseen faces. The epoch
    count is set from the first epoch's time so the cosine schedule ends within `max_minutes`."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    items = np.unique(item)
    aside = np.isin(item, rng.choice(items, max(1, len(items) // 20), replace=False))
    x = torch.from_numpy(faces).permute(0, 3, 1, 2).float() / 255.0
    xtr, xva = x[~aside], x[aside]
    model = FaceAE()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    t0, log, epochs, ep = time.time(), [], None, 0
    print(f"autoencoder: {len(xtr)} faces to fit, {len(xva)} aside, "
          f"{sum(p.numel() for p in model.parameters())} parameters", file=sys.stderr)
    while epochs is None or ep < epochs:
        model.train()
        total, n = 0.0, 0
        for xb in _batches(xtr, batch, gen):
            loss = reconstruction_loss(model(xb), xb, edge_weight)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total, n = total + loss.item() * len(xb), n + len(xb)
        if epochs is None:  # the first epoch's time sets the schedule
            epochs = max(2, int(max_minutes * 60 / (time.time() - t0)))
            sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs, last_epoch=-1)
        sched.step()
        model.eval()
        with torch.no_grad():
            va = float(reconstruction_loss(model(xva), xva, edge_weight)) if len(xva) else float("nan")
            mae = float((model(xva) - xva).abs().mean() * 255) if len(xva) else float("nan")
        log.append({"epoch": ep, "of": epochs, "train_loss": total / max(n, 1), "aside_loss": va,
                    "aside_mae_255": mae, "s": round(time.time() - t0, 1)})
        print(log[-1], file=sys.stderr)
        ep += 1
    return model, log


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--crops", type=Path, default=Path("cache/crops-train-aa.npz"))
    p.add_argument("--out", type=Path, default=Path("cache/face-ae.pt"))
    p.add_argument("--seed", type=int, default=1, help="the `callshield train --seed` whose held-out groups to avoid")
    p.add_argument("--max-minutes", type=float, default=13.0)
    p.add_argument("--edge-weight", type=float, default=0.5, help="weight of the image-gradient L1 term")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    cv2.setNumThreads(1)
    faces, item = training_faces(a.crops, a.seed)
    model, log = train_autoencoder(faces, item, a.seed, a.max_minutes, a.edge_weight)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state": model.state_dict(), "spec": model.spec(), "log": log, "seed": a.seed,
                "crops": str(a.crops), "faces": len(faces)}, a.out)
    print(f"wrote {a.out}: {len(log)} epochs in {log[-1]['s']:.0f}s, aside MAE {log[-1]['aside_mae_255']:.1f}/255",
          file=sys.stderr)


if __name__ == "__main__":
    main()
