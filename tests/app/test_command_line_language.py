"""Reports and command-line messages speak the app's language: call reports (HTML, PDF and its timeline), `scan` and
`verify` text, the engine's errors about files and models, and `audit verify`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.audit.chain import verify_lines
from app.audit.event_log import day_file
from app.audit.events import ACKNOWLEDGED_TEXT
from app.audit.report import report_html, verdict_summary, write_html
from app.audit.sessions import load_session
from app.language import install_language
from detectors.challenge import Action, ActionResult, summary
from detectors.media import MediaError, probe
from detectors.offline.cli import _describe
from detectors.offline.scan import FaceSummary, ScanResult
from tests.app.audit_helpers import START, scripted_call
from tests.app.test_translations import KEEP

REPO = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
# Three English words in a row, once names, keys and file paths are taken out: an untranslated sentence.
ENGLISH_RUN = re.compile(r"[A-Za-z']{2,}[\s,.:;()-]+[A-Za-z']{2,}[\s,.:;()-]+[A-Za-z']{2,}")
# What a report may leave as the log has it: event kinds, field names, session and model ids, hashes.
LOG_WORDS = re.compile(r"\b[a-z]+(_[a-z]+)+\b|\b[\w.-]*\d[\w.-]*\b|agent-007|CASE-4711|lite0-test|cpu")


@pytest.fixture
def chinese(qapp: object) -> Iterator[None]:
    install_language("zh_CN")
    yield
    install_language("en")


def english_left(text: str) -> list[str]:
    return [m.group(0) for m in ENGLISH_RUN.finditer(LOG_WORDS.sub(" ", KEEP.sub(" ", text)))]


def test_call_report_is_chinese_throughout(chinese: None, tmp_path: Path) -> None:
    _, sid = scripted_call(tmp_path)
    session = load_session(tmp_path, sid)
    lines = verdict_summary(session)
    assert lines[0].startswith("可能是AI换脸：CallShield 共警告 1 次（人脸 1）"), lines[0]
    assert all(CJK.search(line) for line in lines), lines
    page = write_html(session, tmp_path / "out").read_text(encoding="utf-8")
    visible = re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)
    # The model card's summary is the model card's own text (English, like the model card itself).
    from app.audit.report import model_card_summary

    visible = visible.replace(model_card_summary(), " ")
    # What the app recorded (status details, error messages) is quoted as the log has it, in the language it ran in;
    # everything the report writes itself must be Chinese. The operator's standard statement is the report's to word.
    recorded = {v for e in session.events for v in e.values()
                if isinstance(v, str) and len(v) > 3 and v != ACKNOWLEDGED_TEXT}
    for value in sorted(recorded, key=len, reverse=True):
        visible = visible.replace(value, " ")
    assert "已通过其他方式核实了来电者" in visible and ACKNOWLEDGED_TEXT not in visible
    assert not english_left(visible), english_left(visible)
    for heading in ("CallShield 通话报告", "检测结论", "时间线", "事件", "防篡改证据", "人脸 1", "红色：显示了警告"):
        assert heading in page, heading


def test_calm_report_in_chinese_never_calls_the_caller_real(chinese: None, tmp_path: Path) -> None:
    from app.audit.event_log import EventLog
    from app.audit.session import SessionLogger
    from tests.app.audit_helpers import INFO, FakeClock

    clock = FakeClock()
    calm = SessionLogger(EventLog(tmp_path, clock=clock))
    sid = calm.start(INFO)
    clock.advance(30)
    calm.stop()
    page = report_html(load_session(tmp_path, sid), "")
    assert "没有发现换脸迹象" in page and "并不能证明来电者的身份" in page
    assert not re.search(r"真人|是真的|安全|可信|放心", page)


def test_pdf_report_carries_chinese_text(chinese: None, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing: apt-get install poppler-utils (scripts/setup.sh installs it)")
    from app.audit.report_pdf import write_pdf

    _, sid = scripted_call(tmp_path)
    pdf = write_pdf(load_session(tmp_path, sid), tmp_path / "out")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True).stdout
    # Extractable CJK text means a CJK font was found and embedded, not boxes drawn in its place.
    assert "CallShield 通话报告" in text and "可能是AI换脸" in text, text[:500]


def test_scan_and_verify_text_in_chinese(chinese: None) -> None:
    swap = ScanResult("call.mp4", "possible_swap", 0.91, 40, [FaceSummary(1, 0.91, 40)], first_alert_s=1.2)
    text = _describe(swap)
    assert text.startswith("call.mp4: 可能是AI换脸 (") and "第一次警告在 1.2 秒" in text, text
    calm = _describe(ScanResult("call.mp4", "looks_real", 0.12, 40, [FaceSummary(1, 0.12, 40)]))
    assert "未发现换脸迹象" in calm and not english_left(calm.replace("call.mp4", "")), calm
    assert summary([ActionResult(Action.TURN_LEFT, False)]) == "对方没有完成：向左转头"


def test_engine_errors_in_chinese_and_back_in_english(chinese: None, tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="文件不存在"):
        probe(tmp_path / "missing.mp4")
    install_language("en")
    with pytest.raises(MediaError, match="no such file"):
        probe(tmp_path / "missing.mp4")


def test_audit_verify_speaks_the_systems_language(tmp_path: Path) -> None:
    scripted_call(tmp_path / "log", seconds=5)
    path = day_file(tmp_path / "log", START.date())
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN", "LC_ALL": "zh_CN.UTF-8", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    run = subprocess.run([sys.executable, "-m", "app.cli", "audit", "verify", str(path)], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "哈希链完好" in run.stdout, (run.stdout, run.stderr)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b"analysing", b"looks_real")
    assert "被改动" in verify_lines(lines).problem or verify_lines(lines).ok is False
