#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and starts the desktop app on the bundled demo clip.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/callshield --demo "$@"
