#!/usr/bin/env bash
# Sets up everything CallShield needs on a fresh Debian/Ubuntu machine: system libraries for Qt and Xvfb
# (when run as root or with sudo) and a virtual environment in .venv with pinned packages. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(xvfb xauth xcompmgr libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0
  libxcb-randr0 libxcb-shape0 libxcb-xkb1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
  fonts-dejavu-core fonts-noto-cjk ffmpeg poppler-utils)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = none ]; then
    echo "setup: please install these system packages first: ${missing[*]}" >&2
  else
    echo "setup: installing system packages: ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.callshield-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  # mediapipe declares numpy<2, opencv-contrib, matplotlib and jax, which its landmarkers never use and which clash
  # with our pins: it and the four packages it does import go in without dependencies, then every other pin of
  # pyproject.toml, then the project itself without resolving mediapipe's declared list again.
  .venv/bin/python -m pip install -q --no-deps mediapipe==0.10.21 absl-py==2.5.1 protobuf==4.25.9 \
    flatbuffers==25.12.19 attrs==26.1.0 2>&1 | grep -v "^WARNING: Location" || true
  mapfile -t pins < <(.venv/bin/python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']
for r in p['dependencies'] + p['optional-dependencies']['dev'] + p['optional-dependencies']['train']:
    print(r) if r.split('==')[0] not in ('mediapipe', 'absl-py', 'protobuf', 'flatbuffers', 'attrs') else None")
  .venv/bin/python -m pip install -q "${pins[@]}" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -m pip install -q --no-deps -e . 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import torch, facenet_pytorch, PySide6, cv2, mss, pyqtgraph, timm, onnxruntime" \
    || { echo "setup: the Python packages did not install" >&2; exit 1; }
  .venv/bin/python -c "from detectors.face_mesh import FaceMeshTracker; FaceMeshTracker().close()" \
    || { echo "setup: mediapipe's face mesh does not load" >&2; exit 1; }
  touch "$stamp"
fi
