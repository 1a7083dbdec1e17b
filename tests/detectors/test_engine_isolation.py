"""The engine must run headless: importing it may not pull in Qt, the GUI, screen capture or the training tools."""

import subprocess
import sys


def test_detectors_import_no_qt():
    code = (
        "import sys, detectors, detectors.pipeline, detectors.offline.cli, detectors.offline.scan,"
        " detectors.offline.evaluate, detectors.offline.bench;"
        "bad = sorted(m for m in sys.modules"
        " if m.split('.')[0] in {'PySide6', 'shiboken6', 'pyqtgraph', 'app', 'mss', 'training'});"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"detectors imported GUI modules: {out.stdout}"


def test_bench_modules_import_without_unix_only_modules():
    """`callshield bench` must load on Windows: no module-level import of resource, fcntl, termios or pwd."""
    code = (
        "import sys\n"
        "import numpy, psutil, cv2, PySide6.QtWidgets  # third-party: their Linux backends may use them; Windows' do not\n"
        "for name in ('resource', 'fcntl', 'termios', 'pwd'): sys.modules[name] = None  # ours, as on Windows\n"
        "import detectors.offline.bench, detectors.offline.cli, app.bench_live, app.cli\n"
        "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr
