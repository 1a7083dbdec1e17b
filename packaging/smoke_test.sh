#!/usr/bin/env bash
# Smoke test of the built app, as a user gets it: builds (packaging/build.sh), unpacks the Linux archive into a
# fresh folder elsewhere, and checks, with no network and a clean environment:
#   1. `callshield scan --json` on a real and a swapped fixture gives the source tree's verdicts and scores;
#   2. the scan makes no internet connection (strace, when installed) and works without a network (unshare -n);
#   3. `callshield --smoke-test` (its one JSON line): the GUI starts offscreen, loads the bundled model, judges the
#      bundled demo and exits cleanly; with xvfb-run, the same on a real X display through screen capture, with no
#      internet connection (strace);
#   4. the bundle holds no training code: `callshield train` answers that this installation has no training tools,
#      and no module of the `training` package is in its archive;
#   5. a damaged model file gives a readable error (the GUI: --smoke-test fails and names it in callshield.log), and a
#      damaged Qt library gives the start-up message and log;
#   6. the CPU flavour only: no torch, torchvision, facenet-pytorch or timm in the bundle, and its scan gives the
#      verdicts of the source tree's torch engine too; sizes and launch time go to packaging/dist/smoke-report.txt.
#
#   bash packaging/smoke_test.sh                    build, then test
#   bash packaging/smoke_test.sh --flavour cpu      the same for the CPU flavour (build.sh --flavour cpu)
#   bash packaging/smoke_test.sh --reuse [--flavour cpu]   test the existing packaging/dist (builds only if nothing is there)
#
# Environment: SCORE_TOLERANCE (default 0.01), CALLSHIELD_SHARED_DATA (default ../shared/data), and build.sh's.
# Exits non-zero with the reason on the first failure.
set -euo pipefail
HELP=$(sed -n "2,/^set -euo/p" "$0" | sed "\$d")
cd "$(dirname "$0")/.."
REPO=$(pwd)
reuse=0 flavour=""
while (($#)); do
  case "$1" in
    --reuse) reuse=1 ;;
    --flavour) flavour=${2:?--flavour needs cpu or cuda}; shift ;;
    -h|--help) echo "$HELP"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

fail() { echo "SMOKE TEST FAILED: $*" >&2; exit 1; }
pass() { echo "ok   $*"; }
py=.venv/bin/python
tolerance=${SCORE_TOLERANCE:-0.01}
fixtures=${CALLSHIELD_SHARED_DATA:-$REPO/../shared/data}/fixtures
real_clip=$fixtures/real/iperov+DeepFaceLive__Kim_Jarrey_1__left_real.mp4
fake_clip=$fixtures/fake/iperov+DeepFaceLive__Kim_Jarrey_1__right_fake.mp4
for f in "$real_clip" "$fake_clip"; do [ -f "$f" ] || fail "fixture $f is missing (set CALLSHIELD_SHARED_DATA)"; done

# --- the build ---------------------------------------------------------------------------------------------------------
newest_archive() { [ -d packaging/dist ] || return 0; find packaging/dist -maxdepth 1 -name "callshield-*-linux-*${flavour:+-$flavour}.tar.gz" -printf "%T@ %p\n" | sort -rn | head -1 | cut -d" " -f2-; }
archive=$(newest_archive)
if ((reuse)) && [ -x packaging/dist/callshield/callshield ] && [ -n "$archive" ]; then
  echo "== reusing packaging/dist ($(basename "$archive"))"
else
  echo "== building (bash packaging/build.sh${flavour:+ --flavour $flavour})"
  bash packaging/build.sh ${flavour:+--flavour "$flavour"} || fail "the build failed"
  archive=$(newest_archive)
  [ -n "$archive" ] || fail "the build made no Linux archive"
fi

# --- unpack where nothing of the checkout can be seen -----------------------------------------------------------------
work=$(mktemp -d /tmp/callshield-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/unpacked elsewhere" "$work/home"
logs_dir=$work/home/.local/share/CallShield/CallShield/logs  # where the app writes its logs under that home
echo "== unpacking $(basename "$archive") into $work/unpacked elsewhere"
tar -xzf "$archive" -C "$work/unpacked elsewhere"
app_dir=$(echo "$work/unpacked elsewhere"/CallShield-*)
exe=$app_dir/callshield
[ -x "$exe" ] || fail "the archive has no CallShield-*/callshield"
# A user's session: no venv, no PYTHONPATH, no CALLSHIELD_ASSETS, a home of its own, the CPU, cwd far away.
clean_env=(env -i "PATH=/usr/bin:/bin" "HOME=$work/home" "LANG=C.UTF-8" "CUDA_VISIBLE_DEVICES=")
offline=()
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  offline=(unshare -n)
else
  echo "note: not root or no unshare: the bundle runs with the network present (the strace check still applies)"
fi

# --- 1 and 2: scan, against the source tree ------------------------------------------------------------------------------
echo "== scanning with the source tree (same assets as the bundle: $app_dir/_internal/assets)"
CUDA_VISIBLE_DEVICES="" CALLSHIELD_ASSETS="$app_dir/_internal/assets" "$py" -m app.cli scan --json --device cpu \
  "$real_clip" "$fake_clip" > "$work/source.jsonl" 2> "$work/source.err" \
  || { tail -20 "$work/source.err" >&2; fail "the source tree's scan failed"; }
if [ "$flavour" = cpu ]; then  # the torch engine's verdicts too: the CPU runtime must judge as it does
  CUDA_VISIBLE_DEVICES="" CALLSHIELD_ASSETS="$app_dir/_internal/assets" "$py" -m app.cli scan --json --device cpu \
    --backend torch "$real_clip" "$fake_clip" > "$work/source-torch.jsonl" 2> "$work/source-torch.err" \
    || { tail -20 "$work/source-torch.err" >&2; fail "the source tree's torch scan failed"; }
fi

echo "== scanning with the unpacked bundle (offline: ${offline[*]:-no})"
trace=()
command -v strace >/dev/null && trace=(strace -f -qq --seccomp-bpf -e "trace=connect,sendto,sendmsg" -o "$work/net.trace")
(cd / && "${clean_env[@]}" "${offline[@]}" "${trace[@]}" "$exe" scan --json --device cpu "$real_clip" "$fake_clip") \
  > "$work/bundle.jsonl" 2> "$work/bundle.err" || { tail -20 "$work/bundle.err" >&2; fail "the bundle's scan failed"; }
grep -q "Traceback" "$work/bundle.err" && { cat "$work/bundle.err" >&2; fail "the bundle's scan printed a traceback"; }

"$py" - "$work/source.jsonl" "$work/bundle.jsonl" "$tolerance" <<'EOF' || fail "the bundle's results differ from the source tree's (above)"
import json, sys
source, bundle = ([json.loads(line) for line in open(p) if line.strip()] for p in sys.argv[1:3])
tolerance = float(sys.argv[3])
assert len(source) == len(bundle) == 2, f"expected 2 results each, got {len(source)} and {len(bundle)}"
bad = False
for s, b in zip(source, bundle):
    name = s["file"].rsplit("/", 1)[-1]
    same = (s["verdict"] == b["verdict"] and s["frames_analysed"] == b["frames_analysed"] and s["error"] is None
            and b["error"] is None and abs((s["score"] or 0) - (b["score"] or 0)) <= tolerance)
    print(f"{'ok  ' if same else 'FAIL'} scan {name}: source {s['verdict']} {s['score']} "
          f"({s['frames_analysed']} frames), bundle {b['verdict']} {b['score']} ({b['frames_analysed']} frames)")
    bad |= not same
sys.exit(1 if bad else 0)
EOF
if [ "$flavour" = cpu ]; then
  "$py" - "$work/source-torch.jsonl" "$work/bundle.jsonl" <<'EOF' || fail "the CPU bundle's verdicts differ from the torch engine's (above)"
import json, sys
torch_run, bundle = ([json.loads(line) for line in open(p) if line.strip()] for p in sys.argv[1:3])
bad = False
for s, b in zip(torch_run, bundle):
    same = s["verdict"] == b["verdict"] and abs((s["score"] or 0) - (b["score"] or 0)) <= 0.01
    print(f"{'ok  ' if same else 'FAIL'} {s['file'].rsplit('/', 1)[-1]}: torch engine {s['verdict']} {s['score']}, "
          f"CPU bundle (onnxruntime) {b['verdict']} {b['score']}")
    bad |= not same
sys.exit(1 if bad else 0)
EOF
fi
if ((${#trace[@]})); then
  if grep -E "AF_INET6?" "$work/net.trace" > "$work/inet.trace"; then
    head -5 "$work/inet.trace" >&2
    fail "the bundle's scan tried to open an internet connection (above)"
  fi
  pass "scan made no internet connection (strace: $(wc -l < "$work/net.trace") socket calls, none AF_INET/AF_INET6)"
fi
((${#offline[@]})) && pass "scan ran without any network (unshare -n)"
pass "bundle found its model and MTCNN weights from $app_dir (not the checkout)"

# --- 3: the GUI ----------------------------------------------------------------------------------------------------------
run_gui() {  # $1: name of the run, then env/runner words and callshield's arguments; returns callshield's status
  local name=$1; shift  # stdout (the --smoke-test JSON line) goes to $work/$name.out, stderr to $work/$name.log
  (cd / && timeout 180 "${clean_env[@]}" "$@") > "$work/$name.out" 2> "$work/$name.log"
}
gui_failed() {  # $1: name of the run, then the reason
  local name=$1; shift
  { echo "--- stdout"; cat "$work/$name.out"; echo "--- stderr"; cat "$work/$name.log"; } >&2
  fail "$*"
}
smoke_summary() {  # $1: name of the run, $2: the capture it must have used; prints a summary, or the problems and fails
  "$py" - "$work/$1.out" "$2" <<'EOF'
import json, sys
lines = [line for line in open(sys.argv[1], encoding="utf-8").read().splitlines() if line.strip()]
if len(lines) != 1:
    sys.exit(f"expected one JSON line on stdout, got {len(lines)}")
r = json.loads(lines[0])
problems = [text for bad, text in [
    (not r["window_shown"], "the window was never shown"),
    (not r["engine_ready"], "the engine never became ready"),
    (not r["model"], "no model version reported"),
    (r["verdicts"] < 1, "no verdict arrived"),
    (r.get("capture") != sys.argv[2], f"capture was {r.get('capture')!r}, not {sys.argv[2]!r}"),
] if bad]
if problems:
    sys.exit("; ".join(problems) + f" (errors: {r['errors']})")
notes = f", errors: {r['errors']}" if r["errors"] else ""
print(f"model {r['model']} on {r['device']}, {r['verdicts']} verdicts {r['states']}{notes}")
EOF
}
echo "== GUI offscreen with the bundled demo (callshield --smoke-test --quit-after 30)"
rm -rf "${work:?}/home" && mkdir -p "$work/home"
status=0
run_gui gui-offscreen QT_QPA_PLATFORM=offscreen "${offline[@]}" "$exe" --smoke-test --quit-after 30 --startup-report || status=$?
((status == 124)) && gui_failed gui-offscreen "the GUI did not exit within 180 s after --quit-after 30"
grep -qE "Traceback|could not start" "$work/gui-offscreen.log" && gui_failed gui-offscreen "the GUI printed an error"
summary=$(smoke_summary gui-offscreen demo-frames 2>&1) || gui_failed gui-offscreen "the offscreen smoke test failed: $summary"
((status == 0)) || gui_failed gui-offscreen "the GUI exited with status $status"
pass "GUI offscreen ($(grep -o 'usable window [0-9.]* s' "$work/gui-offscreen.log" || echo 'window shown')): $summary"
started=$(grep -m1 -o "CallShield .* starting" "$logs_dir/callshield.log" 2>/dev/null || true)
[[ $started =~ ^CallShield\ [0-9]+\.[0-9]+ ]] || fail "the app's log does not name the version it was built from: '$started'"
pass "the app's log names its version: '$started'"

if command -v xvfb-run >/dev/null; then
  echo "== GUI on an X display with the bundled demo (xvfb-run, callshield --smoke-test --quit-after 45)"
  status=0
  gui_trace=()
  command -v strace >/dev/null && gui_trace=(strace -f -qq --seccomp-bpf -e "trace=openat,connect,sendto,sendmsg" -o "$work/gui.trace")
  run_gui gui-xvfb QT_QPA_PLATFORM=xcb "${offline[@]}" xvfb-run -a -s "-screen 0 1920x1080x24" \
    "${gui_trace[@]}" "$exe" --smoke-test --quit-after 45 || status=$?
  grep -qE "Traceback|could not start" "$work/gui-xvfb.log" && gui_failed gui-xvfb "the GUI on X printed an error"
  summary=$(smoke_summary gui-xvfb screen 2>&1) || gui_failed gui-xvfb "the smoke test on X failed: $summary"
  ((status == 0)) || gui_failed gui-xvfb "the GUI on X exited with status $status"
  pass "GUI on X (xcb plugin, screen capture): $summary"
  if ((${#gui_trace[@]})); then
    grep -v ENOENT "$work/gui.trace" > "$work/gui-found.trace" || true  # opened, not merely looked for
    grep -q '_internal/assets/demo/[^"]*\.mp4"' "$work/gui-found.trace" \
      || fail "the GUI with --smoke-test never opened a bundled demo clip"
    if grep -E "AF_INET6?" "$work/gui.trace" > "$work/gui-inet.trace"; then
      head -5 "$work/gui-inet.trace" >&2
      fail "the GUI tried to open an internet connection (above)"
    fi
    pass "GUI opened the bundled demo clips and made no internet connection (strace)"
  fi
else
  echo "note: xvfb-run is not installed: skipped the X display test (apt-get install xvfb)"
fi

# --- 4: no training code in the bundle ---------------------------------------------------------------------------------
echo "== training tools left out"
status=0
(cd / && "${clean_env[@]}" "${offline[@]}" "$exe" train --help) > "$work/train.out" 2> "$work/train.err" || status=$?
if ((status != 2)) || ! grep -q "not part of this installation" "$work/train.err"; then
  cat "$work/train.out" "$work/train.err" >&2
  fail "the bundle answered 'callshield train' with status $status instead of saying it has no training tools"
fi
"$py" - "$app_dir" <<'EOF' || fail "the bundle's archive holds training code (above)"
import pathlib, sys
from PyInstaller.archive.readers import CArchiveReader, ZlibArchiveReader
app = pathlib.Path(sys.argv[1])
names = set()
for pyz in app.rglob("*.pyz"):
    names |= set(ZlibArchiveReader(str(pyz)).toc)
names |= set(CArchiveReader(str(app / "callshield")).toc)
training = sorted(n for n in names if n == "training" or n.startswith("training."))
folders = sorted(str(p.relative_to(app)) for p in app.rglob("training") if p.is_dir())
print("\n".join(training + folders))
sys.exit(1 if training or folders else 0)
EOF
pass "no training code: 'callshield train' says so (status 2) and the archive has no training module"

# --- 5: damaged files inside the bundle ------------------------------------------------------------------------------------
echo "== damaged files"
model_file=callshield-lite0.pt
[ "$flavour" = cpu ] && model_file=callshield-lite0.onnx  # the file the CPU runtime loads
printf 'x' >> "$app_dir/_internal/assets/models/$model_file"
status=0
(cd / && "${clean_env[@]}" "${offline[@]}" "$exe" scan --json "$real_clip") > "$work/damaged.jsonl" 2> "$work/damaged.err" || status=$?
grep -q "Traceback" "$work/damaged.err" && { cat "$work/damaged.err" >&2; fail "a damaged model file gave a traceback"; }
if ((status == 0)) || ! grep -qi "reinstall\|truncated or replaced\|SHA-256" "$work/damaged.err"; then
  cat "$work/damaged.err" >&2
  fail "a damaged model file did not give a clear error (status $status)"
fi
pass "damaged model: exit status $status, '$(tail -1 "$work/damaged.err" | cut -c1-110)…'"
rm -rf "${work:?}/home" && mkdir -p "$work/home"
status=0
run_gui gui-damaged-model QT_QPA_PLATFORM=offscreen "${offline[@]}" "$exe" --smoke-test --quit-after 15 || status=$?
app_log=$logs_dir/callshield.log
if ((status != 1)) || ! "$py" -c 'import json, sys; r = json.load(open(sys.argv[1]))
sys.exit(r["engine_ready"] or not any("truncated or replaced" in e or "SHA-256" in e for e in r["errors"]))' \
     "$work/gui-damaged-model.out" || ! grep -q "damaged installation" "$app_log" 2>/dev/null; then
  [ -f "$app_log" ] && { echo "--- $app_log"; cat "$app_log"; } >&2
  gui_failed gui-damaged-model "the GUI with a damaged model file did not fail its smoke test with the reason (status $status)"
fi
pass "damaged model, GUI: --smoke-test exit status 1, the reason in its errors and in $(basename "$app_log")"

mv "$app_dir/_internal/PySide6/QtWidgets.abi3.so" "$app_dir/_internal/PySide6/QtWidgets.abi3.so.hidden"
rm -rf "${work:?}/home" && mkdir -p "$work/home"
status=0
run_gui gui-damaged QT_QPA_PLATFORM=offscreen "$exe" --quit-after 5 || status=$?
startup_log=$logs_dir/startup.log
if ((status != 1)) || ! grep -q "could not start" "$work/gui-damaged.log" || [ ! -s "$startup_log" ] \
   || grep -q "Traceback" "$work/gui-damaged.log"; then
  cat "$work/gui-damaged.log" >&2
  fail "a damaged Qt library did not give the start-up message and log (status $status)"
fi
pass "damaged Qt library: message '$(grep -m1 -o 'could not start.*' "$work/gui-damaged.log" | cut -c1-80)…', traceback in $(basename "$startup_log")"

if [ "$flavour" = cpu ]; then
  echo "== the CPU flavour has no torch stack"
  "$py" - "$app_dir" <<'EOF' || fail "the CPU bundle holds torch modules or folders (above)"
import pathlib, sys
from PyInstaller.archive.readers import ZlibArchiveReader
app = pathlib.Path(sys.argv[1])
stack = ("torch", "torchvision", "facenet_pytorch", "timm")
names = {n for pyz in app.rglob("*.pyz") for n in ZlibArchiveReader(str(pyz)).toc}
found = sorted(n for n in names if n.split(".")[0] in stack)
found += sorted(str(p.relative_to(app)) for p in (app / "_internal").iterdir() if p.name.split("-")[0] in stack)
print("\n".join(found[:20]))
sys.exit(1 if found else 0)
EOF
  pass "no torch, torchvision, facenet_pytorch or timm in the CPU bundle"
  {
    echo "CallShield smoke test, $(basename "$archive"), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "archive:   $(du -h "$archive" | cut -f1) ($(wc -c < "$archive" | tr -d ' ') bytes)"
    echo "unpacked:  $(du -sh "$app_dir" | cut -f1) ($(du -sk "$app_dir" | cut -f1) KiB)"
    echo "launch:    $(grep -o 'usable window [0-9.]* s' "$work/gui-offscreen.log" || echo '?') (offscreen, --startup-report)"
    echo "machine:   $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
  } | tee packaging/dist/smoke-report-cpu.txt
fi
echo "SMOKE TEST PASSED ($(basename "$archive"))"
