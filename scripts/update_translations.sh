#!/usr/bin/env bash
# Refreshes the translation sources from the code and compiles them:
#   app/i18n/callshield_zh_CN.ts  every user-facing string (translate the new "unfinished" ones, e.g. in Qt Linguist)
#   app/i18n/callshield_en.ts     plural forms only (the English text is the source itself)
#   assets/translations/*.qm      what the app loads (bundled with the other assets)
# `--check` compiles nothing and fails when the .ts files lack a string of the code or hold an unfinished one.
set -euo pipefail
cd "$(dirname "$0")/.."
# The app's files, and the engine's that say something to people (detectors/words.py routes them through Qt's translate).
mapfile -t sources < <({ find app -name '*.py' -not -path '*/__pycache__/*'; grep -rl --include='*.py' 'translate(' detectors; } | sort)
if [ "${1:-}" = "--check" ]; then
  exec .venv/bin/python -m pytest -q tests/app/test_translations.py -k "ts_files"
fi
.venv/bin/pyside6-lupdate -no-obsolete -locations none "${sources[@]}" -ts app/i18n/callshield_zh_CN.ts
.venv/bin/pyside6-lupdate -no-obsolete -locations none -pluralonly "${sources[@]}" -ts app/i18n/callshield_en.ts
mkdir -p assets/translations
for lang in zh_CN en; do
  .venv/bin/pyside6-lrelease -nounfinished app/i18n/callshield_$lang.ts -qm assets/translations/callshield_$lang.qm
done
