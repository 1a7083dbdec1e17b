#!/bin/sh
# Adds CallShield to your applications menu, for you only (no administrator password needed).
# Run it again after moving this folder; `./install-desktop-entry.sh --remove` takes the entry out again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
entry="$data/applications/callshield.desktop"
icon="$data/icons/hicolor/scalable/apps/callshield.svg"

refresh() {
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$data/applications" || true; fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t "$data/icons/hicolor" || true; fi
}

if [ "${1:-}" = "--remove" ]; then
  rm -f "$entry" "$icon"
  refresh
  echo "CallShield was removed from your applications menu. Delete this folder to remove the program itself."
  exit 0
fi
if [ ! -x "$here/callshield" ]; then
  echo "install-desktop-entry.sh: $here/callshield is missing; unpack the whole CallShield archive again." >&2
  exit 1
fi
case "$here" in
  *[\"\`\$\\%\&\|]*)
    echo "install-desktop-entry.sh: the folder path $here contains one of \" \` \$ \\ % & |;" >&2
    echo "move the CallShield folder somewhere with a plainer name (e.g. your home folder) and run this again." >&2
    exit 1 ;;
esac
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$here/share/icons/hicolor/scalable/apps/callshield.svg" "$icon"
sed "s|@EXEC@|$here/callshield|g" "$here/share/applications/callshield.desktop" > "$entry.tmp"
chmod 644 "$entry.tmp"
mv "$entry.tmp" "$entry"
refresh
echo "CallShield is now in your applications menu (it starts $here/callshield)."
