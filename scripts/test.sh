#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs every check: ruff, the import contract, the headless tests
# (Qt offscreen) and the tests of real windows, screen capture and the overlay under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1
.venv/bin/ruff check app detectors tests packaging training scripts docs
.venv/bin/lint-imports
# A hung test fails the run after 25 minutes (its stack printed at 10 by faulthandler_timeout), not CI's 90.
timeout --kill-after=30 1500 .venv/bin/python -m pytest -q -m "not xvfb" "$@"
# Real X display for the window/capture/overlay tests; xcompmgr gives translucency as a desktop would.
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" \
  bash -c '(xcompmgr >/dev/null 2>&1 &); timeout --kill-after=30 900 .venv/bin/python -m pytest -q -m xvfb "$@"' _ "$@"
