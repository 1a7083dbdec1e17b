"""Honest wording and colour: the calm state never says, in any language or colour, that the caller is real."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor

from app.language import install_language, translate
from app.monitoring.status import RunMode, ShieldLevel, StatusTracker
from app.overlay.overlay import LOOKS, OverlayLook, banner_text, look_for
from app.style import LEVEL_COLOURS, LEVEL_PATTERNS, LEVEL_SYMBOLS, FramePattern
from app.windows.main_window import STATE_WORDS
from detectors.offline.cli import _describe
from detectors.offline.scan import FaceSummary, ScanResult
from detectors.records import MonitorState, TrackState
from tests.app.conftest import face, verdict

# What a calm state must never claim: that the person is real, genuine, safe or trustworthy.
CLAIMS = {
    "en": re.compile(r"\b(real|genuine|authentic|safe|trust(ed|worthy)?|legit(imate)?|ok|fine)\b", re.IGNORECASE),
    "zh_CN": re.compile(r"真人|真实|真的|本人|安全|可信|可靠|放心|没问题|正常"),
}
CALM_LEVELS = [level for level in ShieldLevel if level.is_calm]


def calm_texts() -> list[str]:
    """Every text the window, overlay, tray and table show in a calm state, in the language installed now."""
    texts = []
    for state, track in ((MonitorState.ANALYSING, TrackState.ANALYSING), (MonitorState.LOOKS_REAL, TrackState.LOOKS_REAL)):
        t = StatusTracker()
        t.engine_problem = None
        t.set_mode(RunMode.RUNNING)
        t.on_verdict(verdict(state, face(state=track), timestamp=10.0))
        s = t.status(10.1)
        assert s.level.is_calm
        texts += [s.headline, s.detail, banner_text(s), translate("MainWindow", STATE_WORDS[track.value])]
    return texts


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_no_calm_state_claims_the_caller_is_real(language: str) -> None:
    install_language(language)
    texts = calm_texts()
    if language == "zh_CN":
        assert all(re.search(r"[\u4e00-\u9fff]", t) for t in texts), texts  # really translated
    for text in texts:
        assert not CLAIMS[language].search(text), text
    assert ("正在监测 — 目前未发现换脸迹象" if language == "zh_CN" else "Watching — no sign of a face swap so far") in texts


def is_green(colour: str) -> bool:
    c = QColor(colour)
    return 75 <= c.hsvHue() <= 165 and c.hsvSaturation() > 50


def test_no_green_calm_state_and_every_state_tells_itself_apart_without_colour() -> None:
    for level in ShieldLevel:
        assert not any(is_green(c) for c in LEVEL_COLOURS[level]), level
    for look in OverlayLook:
        if look in LOOKS:
            assert not any(is_green(c) for c in LOOKS[look][1:4]), look
    calm, idle, alert = ShieldLevel.LOOKS_REAL, ShieldLevel.NOT_MONITORING, ShieldLevel.POSSIBLE_SWAP
    # Warning, calm and "not monitoring" differ in symbol and frame pattern, not only in colour.
    assert len({LEVEL_SYMBOLS[calm], LEVEL_SYMBOLS[idle], LEVEL_SYMBOLS[alert]}) == 3
    assert (LEVEL_PATTERNS[calm], LEVEL_PATTERNS[idle], LEVEL_PATTERNS[alert]) == (
        FramePattern.SOLID, FramePattern.DASHED, FramePattern.STRIPED)
    assert len({look_for(calm), look_for(idle), look_for(alert)}) == 3
    assert LEVEL_COLOURS[calm][0] != LEVEL_COLOURS[idle][0]


def test_scan_text_never_calls_a_clip_real() -> None:
    clean = ScanResult("call.mp4", "looks_real", 0.12, 40, [FaceSummary(1, 0.12, 40)])
    text = _describe(clean)
    assert "no sign of a face swap" in text and not CLAIMS["en"].search(text.replace("call.mp4", "")), text
    assert clean.to_json()["verdict"] == "looks_real"  # the machine-readable name stays
    swap = ScanResult("call.mp4", "possible_swap", 0.91, 40, [FaceSummary(1, 0.91, 40)], first_alert_s=1.2)
    assert "POSSIBLE AI FACE-SWAP" in _describe(swap)


def test_scan_text_names_an_animated_photo_and_its_scores() -> None:
    r = ScanResult("call.mp4", "possible_animation", 0.31, 40, [FaceSummary(1, 0.31, 40)], animation_score=0.93,
                   first_animation_alert_s=3.1)
    text = _describe(r)
    assert "POSSIBLE ANIMATED PHOTO" in text and "first alert at 3.1 s" in text, text
    assert "swap score 0.31" in text and "animation score 0.93" in text, text
    j = r.to_json()
    assert j["verdict"] == "possible_animation" and j["score"] == 0.93
    assert j["scores"] == {"swap": 0.31, "animation": 0.93}
