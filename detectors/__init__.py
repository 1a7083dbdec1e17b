"""CallShield's detection engine: frames in, face-swap verdicts out. Never imports Qt."""

from detectors.records import (
    FaceAssessment,
    FaceDetection,
    Frame,
    MonitorState,
    TrackState,
    Verdict,
)

__all__ = [
    "FaceAssessment",
    "FaceDetection",
    "Frame",
    "MonitorState",
    "TrackState",
    "Verdict",
]
