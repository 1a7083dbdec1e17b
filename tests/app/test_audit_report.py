"""The call report: HTML and a PDF written by Qt (offscreen), rendered to PNG with pdftoppm; `callshield report`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app.audit.report import model_card_summary, report_html, verdict_summary, write_html
from app.audit.report_pdf import write_pdf
from app.audit.sessions import load_session
from app.cli import main as cli_main
from tests.app.audit_helpers import scripted_call


def test_verdict_summary_is_honest(tmp_path: Path) -> None:
    _, sid = scripted_call(tmp_path)
    lines = verdict_summary(load_session(tmp_path, sid))
    assert lines[0].startswith("POSSIBLE AI FACE SWAP: CallShield warned 1 time(s) (face 1)")
    assert any("agent-007 verified this caller by another channel (face 1)" in line for line in lines)
    assert any("not monitoring for 5 s in 1 span(s)" in line for line in lines)
    calm_folder = tmp_path / "calm"
    from app.audit.event_log import EventLog
    from app.audit.session import SessionLogger
    from tests.app.audit_helpers import INFO, FakeClock

    clock = FakeClock()
    calm = SessionLogger(EventLog(calm_folder, clock=clock))
    calm_id = calm.start(INFO)
    clock.advance(30)
    calm.stop()
    text = " ".join(verdict_summary(load_session(calm_folder, calm_id)))
    assert "No sign of a face swap" in text and "does not prove" in text
    page = report_html(load_session(calm_folder, calm_id), "")
    for claim in ("is real", "looks real", "genuine", "authentic"):
        assert claim not in page.lower()


def test_html_report_has_every_part(tmp_path: Path) -> None:
    _, sid = scripted_call(tmp_path)
    session = load_session(tmp_path, sid)
    page = write_html(session, tmp_path / "out").read_text()
    assert "<svg" in page and "<polyline" in page and page.count('fill="#f4b6b6"') == 1  # one alert span
    for part in ("Verdict summary", "CASE-4711", "agent-007", "acknowledged", "challenge_result", "not_monitoring",
                 session.final_hash, "lite0-test", model_card_summary()[:60]):
        assert part in page, part
    assert "looks real" not in page.lower() and "looks_real" not in page and "is real" not in page.lower()
    assert "EfficientNet" not in model_card_summary() or model_card_summary().startswith("Model:")


def test_pdf_report_renders_to_pages(tmp_path: Path, qapp: object) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm missing: apt-get install poppler-utils (scripts/setup.sh installs it)")
    _, sid = scripted_call(tmp_path)
    pdf = write_pdf(load_session(tmp_path, sid), tmp_path / "out")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    image = QImage(str(pages[0]))
    assert image.width() > 400
    # The timeline's red alert span is on the first page.
    reds = sum(1 for y in range(0, image.height(), 3) for x in range(0, image.width(), 3)
               if (c := image.pixelColor(x, y)).red() > 230 and 160 < c.green() < 200 and 160 < c.blue() < 200)
    assert reds > 50


def test_report_command_writes_html_and_pdf(tmp_path: Path, qapp: object, capsys: pytest.CaptureFixture[str]) -> None:
    _, sid = scripted_call(tmp_path / "log", seconds=20)
    assert cli_main(["report", sid[:15], "--log-folder", str(tmp_path / "log"), "--out", str(tmp_path / "out")]) == 0
    written = capsys.readouterr().out.split()
    assert [Path(p).suffix for p in written] == [".html", ".pdf"] and all(Path(p).exists() for p in written)
    assert cli_main(["report", "nope", "--log-folder", str(tmp_path / "log")]) == 2


def test_a_session_started_while_the_model_loaded_names_the_model_it_loaded(tmp_path: Path) -> None:
    from dataclasses import replace

    from app.audit.event_log import EventLog
    from app.audit.session import SessionLogger
    from tests.app.audit_helpers import INFO

    session = SessionLogger(EventLog(tmp_path))
    sid = session.start(replace(INFO, model="(loading)", model_version="", threshold=None, device="auto"))
    session.engine("lite0-loaded", "cpu", 0.93)
    session.stop()
    page = report_html(load_session(tmp_path, sid), "")
    assert "lite0-loaded (version lite0-loaded, threshold 0.93)" in page
