#!/usr/bin/env bash
# Run a command with gnome-keyring's Secret Service unlocked on the current D-Bus session.
set -euo pipefail
# A throwaway password for a throwaway keyring: it lives in this session's HOME only.
export HOME="${CENTER_DESK_TEST_HOME:-$(mktemp -d)}"
export XDG_DATA_HOME="$HOME/.local/share"
mkdir -p "$XDG_DATA_HOME"
echo -n "center-desk-tests" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
exec "$@"
