"""The clip player used by `--demo`, the end-to-end tests and the live bench."""

from __future__ import annotations

import numpy as np
from pytestqt.qtbot import QtBot

from app.capture.demo_player import DemoPlayer, letterbox
from app.paths import demo_clips


def test_demo_clips_ship_with_their_attribution() -> None:
    clips = demo_clips()
    assert all(c.is_file() for c in clips)
    assert (clips[0].parent / "ATTRIBUTION.md").is_file()


def test_letterbox_keeps_the_aspect_ratio() -> None:
    tall = np.full((560, 464, 3), 200, np.uint8)
    out = letterbox(tall, 1280, 720)
    assert out.shape == (720, 1280, 3)
    assert out[:, :20].max() == 0 and out[:, -20:].max() == 0  # black side bars
    assert out[360, 640].tolist() == [200, 200, 200]


def test_plays_the_clips_in_turn_and_loops(qtbot: QtBot) -> None:
    original, swap = demo_clips()
    player = DemoPlayer([original, swap], display_size=(232, 280))
    qtbot.addWidget(player)
    player.show()
    started: list[str] = []
    player.clip_started.connect(started.append)
    player.start()
    qtbot.waitUntil(lambda: started[:3] == ["ghost-original.mp4", "ghost-swap-elon.mp4", "ghost-original.mp4"],
                    timeout=20_000)
    assert player.video.pixmap().width() == 232
    player.stop()
