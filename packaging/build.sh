#!/usr/bin/env bash
# Builds CallShield for people who never open a terminal: one self-contained folder (PyInstaller onedir) and,
# on Linux, the archive they download. One command, from anywhere in the checkout:
#
#   bash packaging/build.sh                  bundle + archive, with .venv (made and filled if missing)
#   bash packaging/build.sh --no-archive     bundle only
#   bash packaging/build.sh --flavour cpu    the CPU installer: no torch at all; the networks run on onnxruntime from
#                                            their ONNX exports in assets/ (packaging/export_onnx.py). Its own
#                                            environment, packaging/build/venv-cpu, is made from PyPI on first use.
#
# Output: packaging/dist/callshield/ (the bundle; the executable is packaging/dist/callshield/callshield),
#         packaging/dist/callshield-<version>-linux-x86_64-<flavour>.tar.gz, and packaging/dist/build-report.txt
#         (build time and sizes), printed at the end. On Windows (Git Bash) it makes the Inno Setup installer
#         instead of the archive, on macOS CallShield.app and a .dmg: see packaging/windows and packaging/macos.
# Environment: CALLSHIELD_BUILD_ASSETS=DIR ships that assets folder instead of assets/;
#              CALLSHIELD_VENV=DIR builds from that virtual environment (default .venv);
#              PYTHON=python3.11 is used to make a missing virtual environment.
set -euo pipefail
HELP=$(sed -n "2,/^set -euo/p" "$0" | sed "\$d")
cd "$(dirname "$0")/.."
REPO=$(pwd)
T0=$(date +%s)

die() { echo "build.sh: $*" >&2; exit 1; }
step() { echo "== $* ($(( $(date +%s) - T0 )) s)"; }

flavour_wanted="" archive=1
while (($#)); do
  case "$1" in
    --no-archive) archive=0 ;;
    --flavour) flavour_wanted=${2:?--flavour needs cpu or cuda}; shift ;;
    --flavour=*) flavour_wanted=${1#--flavour=} ;;
    -h|--help) echo "$HELP"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
case "$flavour_wanted" in ""|cpu|cuda) ;; *) die "--flavour must be cpu or cuda, not $flavour_wanted" ;; esac

mkdir -p packaging/build packaging/dist
exec 9>packaging/build/.lock
if command -v flock >/dev/null; then flock -n 9 || die "another build is running in this checkout; wait for it"; fi
cpus=$(nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo "?")
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# --- 1. the Python environment ---------------------------------------------------------------------------------------
venv=${CALLSHIELD_VENV:-.venv}
[ "$flavour_wanted" = cpu ] && venv=packaging/build/venv-cpu
py="$venv/bin/python"
[ -x "$py" ] || [ ! -x "$venv/Scripts/python.exe" ] || py="$venv/Scripts/python.exe"  # Git Bash on Windows
cpu_requirements() {  # the CPU flavour's packages: the base dependencies without the torch stack, plus onnxruntime
  "${PYTHON:-python3}" - <<'EOF'
import re, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
torch_stack = {"torch", "torchvision", "facenet-pytorch", "timm", "mediapipe"}  # mediapipe: --no-deps, below
reqs = [r for r in project["dependencies"] if re.split("[=<>\\[ ]", r)[0].lower() not in torch_stack]
print(" ".join(reqs + project["optional-dependencies"]["onnx"] + project["optional-dependencies"]["package"]))
EOF
}
pin() {  # the version pyproject.toml pins for a package, e.g. `pin torch` -> 2.14.1 (needs Python >= 3.11)
  local reader=${PYTHON:-python3}
  [ -x "$py" ] && reader=$py
  "$reader" - "$1" <<'EOF'
import re, sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
reqs = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
print(next(re.split("==", r)[1] for r in reqs if re.split("[=<>\\[ ]", r)[0].lower() == sys.argv[1]))
EOF
}
step "environment: $venv"
if [ ! -x "$py" ]; then
  "${PYTHON:-python3}" -m venv "$venv" || die "cannot make $venv with ${PYTHON:-python3} (set PYTHON=python3.11)"
  py="$venv/bin/python"; [ -x "$py" ] || py="$venv/Scripts/python.exe"
  "$py" -m pip install -q --upgrade pip
  if [ "$flavour_wanted" = cpu ]; then
    # shellcheck disable=SC2046  # one word per requirement
    "$py" -m pip install -q $(cpu_requirements) && "$py" -m pip install -q --no-deps -e . \
      && { ! grep -q '"mediapipe==' pyproject.toml || "$py" -m pip install -q --no-deps "mediapipe==$(pin mediapipe)"; } \
      || { rm -rf "$venv"; die "pip could not install the CPU flavour's packages into $venv"; }
  else
    "$py" -m pip install -q -e ".[package]" || die "pip could not install the project into $venv"
  fi
fi
pyinstaller_pin=$(pin pyinstaller)
if ! "$py" -c "import PyInstaller, sys; sys.exit(PyInstaller.__version__ != '$pyinstaller_pin')" 2>/dev/null; then
  "$py" -m pip install -q "pyinstaller==$pyinstaller_pin" || die "pip could not install pyinstaller==$pyinstaller_pin"
fi
if [ "$flavour_wanted" = cpu ]; then
  "$py" -c "import app.cli, detectors.offline.cli, onnxruntime, PySide6.QtWidgets, cv2, mss, pyqtgraph, psutil" \
    || die "the CPU flavour's packages do not import in $venv (above); delete it and build again"
  ! "$py" -c "import torch" 2>/dev/null || die "$venv has torch, which the CPU flavour must not ship; delete $venv"
else
  "$py" -c "import app.cli, detectors.offline.cli, torch, torchvision, facenet_pytorch, timm, PySide6.QtWidgets, cv2, mss, pyqtgraph, psutil" \
    2>/dev/null || "$py" -m pip install -q -e ".[package]" || die "the project's packages do not import in $venv"
fi
read -r version flavour os_arch torch_version < <(CALLSHIELD_FLAVOUR=$flavour_wanted "$py" - <<'EOF'
import os, platform, sys, tomllib
version = tomllib.load(open("pyproject.toml", "rb"))["project"]["version"]
torch = None if os.environ["CALLSHIELD_FLAVOUR"] == "cpu" else __import__("torch")
if torch is None:
    import onnxruntime
    flavour, runtime = "cpu", "none;onnxruntime-" + onnxruntime.__version__
elif torch.version.cuda:
    flavour = "cuda"
elif sys.platform == "darwin" and torch.backends.mps.is_built():
    flavour = "mps"
else:
    flavour = "cpu"
system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
machine = {"AMD64": "x86_64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
print(version, flavour, f"{system}-{machine}", runtime if torch is None else torch.__version__)
EOF
)
[ -n "${torch_version:-}" ] || die "cannot read the version or torch's build from $venv (above)"
[ -z "$flavour_wanted" ] || [ "$flavour_wanted" = "$flavour" ] || die "$venv has torch $torch_version, a $flavour build, not $flavour_wanted"
echo "   CallShield $version, torch $torch_version ($flavour flavour), PyInstaller $pyinstaller_pin, $os_arch"

# --- 2. the assets that will ship --------------------------------------------------------------------------------------
assets=$(cd "${CALLSHIELD_BUILD_ASSETS:-assets}" 2>/dev/null && pwd) || die "assets folder ${CALLSHIELD_BUILD_ASSETS:-assets} does not exist"
check_assets() {  # $1: an assets folder; prints the model version, fails with the reason
  "$py" - "$1" <<'EOF'
import sys
from pathlib import Path
from app.paths import DEMO_CLIPS
from detectors.assets import DEFAULT_MODEL
from detectors.classifiers.weights import WeightsError, load_manifest, load_model_config, verified_path
from detectors.mtcnn import MTCNN_ONNX

assets = Path(sys.argv[1])
try:
    for name in load_manifest(assets):
        verified_path(assets, name)
    config = load_model_config(assets / DEFAULT_MODEL)
    for name in filter(None, (config.weights, config.fusion, config.onnx_weights, *MTCNN_ONNX)):
        verified_path(assets, name)
    missing = [c for c in DEMO_CLIPS if not (assets / c).is_file()]
    if missing:
        raise WeightsError(f"demo clip(s) {', '.join(missing)} missing under {assets}")
except WeightsError as err:
    sys.exit(f"{err}")
print(config.version or "(unversioned)")
EOF
}
step "assets: $assets"
model_version=$(check_assets "$assets") || die "the assets in $assets cannot ship (above). The model is put there by
\`callshield train … --ship\`, which also writes assets/manifest.json; or point CALLSHIELD_BUILD_ASSETS at a complete folder."
echo "   model $model_version, manifest checked"

# --- 3. icons and the bundle -------------------------------------------------------------------------------------------
"$py" packaging/make_icons.py packaging/build/icons >/dev/null
icon=""
case "$os_arch" in windows-*) icon=$REPO/packaging/build/icons/callshield.ico ;; macos-*) icon=$REPO/packaging/build/icons/callshield.icns ;; esac
step "PyInstaller (full log: packaging/build/pyinstaller.log)"
t_pyi=$(date +%s)
CALLSHIELD_BUILD_ASSETS=$assets CALLSHIELD_ICON=$icon CALLSHIELD_VERSION=$version CALLSHIELD_FLAVOUR=$flavour \
  "$py" -m PyInstaller --noconfirm --log-level WARN --distpath packaging/dist --workpath packaging/build/pyinstaller \
  packaging/callshield.spec > packaging/build/pyinstaller.log 2>&1 \
  || { tail -40 packaging/build/pyinstaller.log >&2; die "PyInstaller failed (last lines above)"; }
t_pyi=$(( $(date +%s) - t_pyi ))
grep -h "callshield.spec:" packaging/build/pyinstaller.log | sed 's/^/   /' || true
bundle=packaging/dist/callshield
[ "${os_arch%%-*}" = windows ] && exe=$bundle/callshield.exe || exe=$bundle/callshield
internal=$bundle/_internal
if [ "$flavour" = cpu ]; then  # MTCNN and the classifier from their ONNX files; none of the torch stack
  needed=("$exe" "$internal/assets/manifest.json" "$internal/assets/models/mtcnn-pnet.onnx"
          "$internal/assets/models/mtcnn-rnet.onnx" "$internal/assets/models/mtcnn-onet.onnx" "$internal/onnxruntime")
  for d in torch torchvision facenet_pytorch timm; do
    [ ! -e "$internal/$d" ] || die "the CPU bundle has _internal/$d: the torch stack must not ship in it"
  done
else
  needed=("$exe" "$internal/assets/manifest.json" "$internal/facenet_pytorch/data/pnet.pt"
          "$internal/facenet_pytorch/data/rnet.pt" "$internal/facenet_pytorch/data/onet.pt")
fi
for f in "${needed[@]}"; do
  [ -e "$f" ] || die "the bundle lacks $f"
done
if [ "${os_arch%%-*}" = linux ] && [ "$flavour" != cpu ]; then
  [ -e "$internal/torchvision/_C_stable.so" ] || die "the bundle lacks _internal/torchvision/_C_stable.so"
fi
if [ "${os_arch%%-*}" = linux ]; then
  for f in PySide6/Qt/plugins/platforms/libqxcb.so PySide6/Qt/plugins/platforms/libqoffscreen.so \
           PySide6/Qt/plugins/platforms/libqwayland.so; do
    [ -e "$internal/$f" ] || die "the bundle lacks _internal/$f"
  done
fi
check_assets "$internal/assets" >/dev/null || die "the assets copied into the bundle fail their check (above)"
bundle_size=$(du -sh "$bundle" | cut -f1)
bundle_kib=$(du -sk "$bundle" | cut -f1)
echo "   bundle $bundle: $bundle_size"

# --- 4. the Linux archive ----------------------------------------------------------------------------------------------
archive_name="" archive_size="-" archive_bytes="-" archive_sha="-" t_archive=0
if ((archive)) && [ "${os_arch%%-*}" = linux ]; then
  step "archive"
  t_archive=$(date +%s)
  top="CallShield-$version"
  archive_name="callshield-$version-$os_arch-$flavour.tar.gz"
  stage=packaging/build/archive
  rm -rf "$stage"
  mkdir -p "$stage/$top"
  cp -al "$bundle/." "$stage/$top/" 2>/dev/null || cp -a "$bundle/." "$stage/$top/"  # hard links: no copy of 4 GB
  mkdir -p "$stage/$top/share/applications" "$stage/$top/share/icons/hicolor/scalable/apps" \
           "$stage/$top/share/icons/hicolor/256x256/apps"
  cp packaging/linux/callshield.desktop "$stage/$top/share/applications/"
  cp packaging/build/icons/callshield.svg "$stage/$top/share/icons/hicolor/scalable/apps/"
  cp packaging/build/icons/callshield.png "$stage/$top/share/icons/hicolor/256x256/apps/"
  install -m 755 packaging/linux/install-desktop-entry.sh "$stage/$top/"
  sed -e "s/@VERSION@/$version/" -e "s/@FLAVOUR@/$flavour/" packaging/linux/README.txt > "$stage/$top/README.txt"
  if command -v pigz >/dev/null; then gz=(pigz -6 -p "$cpus"); else gz=(gzip -6); fi
  tar --sort=name --owner=0 --group=0 --numeric-owner -C "$stage" -cf - "$top" | "${gz[@]}" > "packaging/dist/$archive_name.part"
  mv "packaging/dist/$archive_name.part" "packaging/dist/$archive_name"
  rm -rf "$stage"
  archive_size=$(du -h "packaging/dist/$archive_name" | cut -f1)
  archive_bytes=$(wc -c < "packaging/dist/$archive_name" | tr -d ' ')
  archive_sha=$(sha256sum "packaging/dist/$archive_name" | cut -d' ' -f1)
  t_archive=$(( $(date +%s) - t_archive ))
fi

# --- 4b. Windows installer and macOS disk image: made on those systems, never tested on the Linux build machine ------
if ((archive)) && [ "${os_arch%%-*}" = windows ]; then
  iscc=$(command -v iscc || command -v ISCC.exe || echo "/c/Program Files (x86)/Inno Setup 6/ISCC.exe")
  [ -x "$iscc" ] || die "Inno Setup 6 is not installed (ISCC.exe not found); see packaging/windows/README.md"
  step "Windows installer (Inno Setup)"
  t_archive=$(date +%s)
  MSYS_NO_PATHCONV=1 MSYS2_ARG_CONV_EXCL="*" "$iscc" /Q "/DAppVersion=$version" "/DFlavour=$flavour" \
    packaging/windows/callshield.iss || die "Inno Setup failed"
  archive_name="callshield-$version-$os_arch-$flavour-setup.exe"
  t_archive=$(( $(date +%s) - t_archive ))
elif ((archive)) && [ "${os_arch%%-*}" = macos ]; then
  step "macOS disk image"
  t_archive=$(date +%s)
  stage=packaging/build/dmg
  rm -rf "$stage" && mkdir -p "$stage"
  cp -R packaging/dist/CallShield.app "$stage/" && ln -s /Applications "$stage/Applications"
  archive_name="callshield-$version-$os_arch-$flavour.dmg"
  hdiutil create -quiet -volname CallShield -srcfolder "$stage" -ov -format UDZO "packaging/dist/$archive_name" \
    || die "hdiutil could not make the disk image"
  rm -rf "$stage"
  t_archive=$(( $(date +%s) - t_archive ))
fi
if [ -n "$archive_name" ] && [ "$archive_size" = "-" ]; then
  archive_size=$(du -h "packaging/dist/$archive_name" | cut -f1)
  archive_bytes=$(wc -c < "packaging/dist/$archive_name" | tr -d ' ')
  archive_sha=$( (sha256sum "packaging/dist/$archive_name" 2>/dev/null || shasum -a 256 "packaging/dist/$archive_name") | cut -d' ' -f1)
fi

# --- 5. the report -----------------------------------------------------------------------------------------------------
total=$(( $(date +%s) - T0 ))
report=packaging/dist/build-report.txt
{
  echo "CallShield $version build report"
  echo "date:             $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine:          $os_arch, $cpus CPU(s), load average $load_start at start, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?) at end"
  echo "flavour:          $flavour (torch $torch_version), PyInstaller $pyinstaller_pin"
  echo "unpacked:         $bundle_kib KiB ($(( bundle_kib / 1024 )) MiB) in $bundle"
  echo "model:            $model_version (assets from $assets)"
  echo "build time:       ${total} s in all (PyInstaller ${t_pyi} s, archive ${t_archive} s)"
  echo "bundle:           $bundle  du -sh: $bundle_size ($bundle_kib KiB)"
  if [ -n "$archive_name" ]; then
    echo "archive:          packaging/dist/$archive_name  $archive_size ($archive_bytes bytes)"
    echo "archive sha256:   $archive_sha"
  else
    echo "archive:          not made (--no-archive)"
  fi
  [ "${os_arch%%-*}" = linux ] && echo "AppImage:         not made: appimagetool is not packaged by Debian and cannot be downloaded on this build machine"
  echo "reproduce:        ${CALLSHIELD_BUILD_ASSETS:+CALLSHIELD_BUILD_ASSETS=$assets }bash packaging/build.sh${flavour_wanted:+ --flavour $flavour_wanted}"
} > "$report"
step "done"
cat "$report"
