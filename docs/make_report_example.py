"""Remakes docs/report-example.png and docs/report-example-zh.png: the first PDF page of the report of a scripted
2-minute call, in English and in Simplified Chinese (offscreen Qt).

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_report_example.py   (needs pdftoppm: poppler-utils, and a CJK
font: fonts-noto-cjk; scripts/setup.sh installs both)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.audit.report_pdf import ensure_gui_app, write_pdf  # noqa: E402
from app.audit.sessions import load_session  # noqa: E402
from app.language import install_language  # noqa: E402
from tests.app.audit_helpers import scripted_call  # noqa: E402


def main() -> int:
    ensure_gui_app()
    for language, name in (("en", "report-example.png"), ("zh_CN", "report-example-zh.png")):
        install_language(language)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            _, sid = scripted_call(folder / "log")
            pdf = write_pdf(load_session(folder / "log", sid), folder)
            subprocess.run(["pdftoppm", "-r", "90", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                            str(folder / "page")], check=True)
            shutil.copy(folder / "page.png", REPO / "docs" / name)
        print(REPO / "docs" / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
