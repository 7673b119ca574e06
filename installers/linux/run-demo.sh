#!/usr/bin/env bash
# The desk on its embedded demo backend: README's first command.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash installers/linux/dev-bootstrap.sh
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
  # No screen (a server, CI): show the window on a virtual one.
  exec xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/center-desk --demo "$@"
fi
exec .venv/bin/center-desk --demo "$@"
