"""IoU tracker that keeps face identities across frames; a face is judged only once it is stable."""

from __future__ import annotations

from dataclasses import dataclass, field

from detectors.records import Box, FaceDetection


def iou(a: Box, b: Box) -> float:
    ix1, iy1, ix2, iy2 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, ix2 - ix1) * max(0.0, iy2 - iy1)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


@dataclass
class _Track:
    track_id: int
    detection: FaceDetection
    hits: int = 1
    misses: int = 0
    seen_at: float = 0.0


@dataclass(frozen=True)
class TrackedFace:
    """A face of the current frame with its stable id; `confirmed` once seen on `init_delay` frames."""

    track_id: int
    detection: FaceDetection
    confirmed: bool
    fresh: bool  # detected in this frame (not carried over from an earlier one)


@dataclass
class FaceTracker:
    """Greedy IoU matching with a hit counter (initialization delay) and a miss budget (no one-frame flicker)."""

    min_iou: float = 0.3
    init_delay: int = 2
    max_misses: int = 3
    _tracks: list[_Track] = field(default_factory=list)
    _next_id: int = 1

    def __post_init__(self) -> None:
        if not 0.0 < self.min_iou < 1.0:
            raise ValueError(f"min_iou={self.min_iou} must lie in (0, 1); 0.3 suits faces at 10 fps")
        if self.init_delay < 1 or self.max_misses < 0:
            raise ValueError("init_delay must be ≥ 1 frame and max_misses ≥ 0")

    @property
    def boxes(self) -> list[tuple[int, Box]]:
        return [(t.track_id, t.detection.box) for t in self._tracks]

    @property
    def detections(self) -> list[tuple[int, FaceDetection]]:
        """Each track's id and its latest detection (box and landmarks), where the next frame looks for it."""
        return [(t.track_id, t.detection) for t in self._tracks]

    def update(self, detections: list[FaceDetection], timestamp: float,
               owners: list[int | None] | None = None) -> list[TrackedFace]:
        """Matches this frame's detections to the tracks. `owners[i]` names the track whose face detection i is,
        when it was found by following that track (flow, or re-detection near it): it goes to that track whatever
        the overlap, so a face that moved far between two frames keeps its id. Greedy IoU matching does the rest."""
        index = {t.track_id: ti for ti, t in enumerate(self._tracks)}
        used_t, used_d = set(), set()
        for di, owner in enumerate(owners or []):
            if owner in index and index[owner] not in used_t:
                self._hit(index[owner], detections[di], timestamp)
                used_t.add(index[owner])
                used_d.add(di)
        pairs = sorted(
            ((iou(t.detection.box, d.box), ti, di) for ti, t in enumerate(self._tracks) for di, d in enumerate(detections)),
            reverse=True,
        )
        for overlap, ti, di in pairs:
            if overlap < self.min_iou or ti in used_t or di in used_d:
                continue
            used_t.add(ti)
            used_d.add(di)
            self._hit(ti, detections[di], timestamp)
        for ti, t in enumerate(self._tracks):
            if ti not in used_t:
                t.misses += 1
        # A missed track over a face that another track holds now is that face's duplicate: drop it at once, or the
        # two would take turns at the face and both stay alive.
        held = [self._tracks[ti].detection.box for ti in used_t]
        self._tracks = [t for ti, t in enumerate(self._tracks) if ti in used_t or (
            t.misses <= self.max_misses and all(iou(t.detection.box, box) <= 0.5 for box in held))]
        for di, d in enumerate(detections):
            if di not in used_d:
                self._tracks.append(_Track(self._next_id, d, seen_at=timestamp))
                self._next_id += 1
        return [
            TrackedFace(t.track_id, t.detection, t.hits >= self.init_delay, t.misses == 0)
            for t in self._tracks
        ]

    def _hit(self, ti: int, detection: FaceDetection, timestamp: float) -> None:
        t = self._tracks[ti]
        t.detection, t.hits, t.misses, t.seen_at = detection, t.hits + 1, 0, timestamp

    def reset(self) -> None:
        self._tracks.clear()
