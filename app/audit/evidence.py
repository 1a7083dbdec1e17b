"""Evidence frames (opt-in): the crops of the faces that alerted, kept as PNG beside the log, hashed into the chain."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from PIL import Image

from detectors.records import Frame, Verdict


@dataclass(frozen=True)
class EvidenceCrop:
    """One alerting face's pixels (RGB, H×W×3 uint8) at the moment of the alert."""

    track_id: int
    pixels: np.ndarray


def crop_faces(pixels: np.ndarray, boxes: dict[int, tuple[float, float, float, float]],
               margin: float = 0.2) -> list[EvidenceCrop]:
    """Crops each box (x0, y0, x1, y1 in frame pixels, widened by `margin`) out of an RGB frame."""
    height, width = pixels.shape[:2]
    crops = []
    for track_id, (x0, y0, x1, y1) in boxes.items():
        dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
        left, top = max(0, int(x0 - dx)), max(0, int(y0 - dy))
        right, bottom = min(width, int(x1 + dx)), min(height, int(y1 + dy))
        if right > left and bottom > top:
            crops.append(EvidenceCrop(track_id, np.ascontiguousarray(pixels[top:bottom, left:right, :3])))
    return crops


class EvidenceStore:
    """Writes crops to `evidence/<day>/` in the log folder; the returned record (file, SHA-256) goes in the event."""

    def __init__(self, log_folder: Path) -> None:
        self.folder = Path(log_folder) / "evidence"

    def save(self, session_id: str | None, crop: EvidenceCrop) -> dict:
        now = datetime.now(UTC)
        day = self.folder / now.date().isoformat()
        day.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        Image.fromarray(crop.pixels).save(buffer, format="PNG")
        data = buffer.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        path = day / f"{session_id}-face{crop.track_id}-{now.strftime('%H%M%S%f')}.png"
        with open(path, "wb") as f:
            f.write(data)
        return {"track_id": crop.track_id, "file": str(path.relative_to(self.folder.parent)), "sha256": digest}


@dataclass(frozen=True)
class EvidenceFrame:
    """The crops of the faces that entered "possible swap" in the frame of the verdict stamped `timestamp`."""

    timestamp: float
    crops: tuple[EvidenceCrop, ...]


def alert_evidence(frame: Frame, verdict: Verdict, before: frozenset[int]) -> tuple[EvidenceFrame | None, frozenset[int]]:
    """Crops of faces alerting in this verdict that were not in `before`, and the alerting ids to pass next time."""
    alerting = frozenset(f.track_id for f in verdict.faces if f.state.is_alert)
    new = {f.track_id: f.box for f in verdict.faces if f.track_id in alerting - before}
    if not new:
        return None, alerting
    return EvidenceFrame(verdict.timestamp, tuple(crop_faces(frame.pixels, new))), alerting
