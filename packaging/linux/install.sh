#!/bin/sh
# Put Ripple in this user's application menu (no root needed): a menu entry and an icon that
# point at the ripple folder beside this script. Run it again after moving the folder.
# `./install.sh --remove` takes the entry away again (the folder itself is left as it is).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
if [ "${1:-}" = "--remove" ]; then
  rm -f "$apps/ripple.desktop" "$icons/ripple.png"
  echo "Ripple's menu entry was removed."
  exit 0
fi
if [ ! -x "$here/ripple/ripple" ]; then
  echo "install.sh: $here/ripple/ripple is missing; unpack the whole archive first." >&2
  exit 1
fi
mkdir -p "$apps" "$icons"
cp "$here/ripple.png" "$icons/ripple.png"
sed "s|^Exec=ripple|Exec=\"$here/ripple/ripple\"|" "$here/ripple.desktop" > "$apps/ripple.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
echo "Ripple is in your application menu; it runs $here/ripple/ripple."
