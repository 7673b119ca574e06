#!/usr/bin/env bash
# The whole test suite, from a fresh machine: README's test command, and what .ci/run runs.
# Extra arguments go to pytest (for example: tests/run.sh tests/domain -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash installers/linux/dev-bootstrap.sh

export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
# A private D-Bus session with an unlocked gnome-keyring: the real Secret Service that the
# encrypted cache keeps its key in. It and everything started under it end with the tests.
exec dbus-run-session -- bash tests/support/with-keyring.sh .venv/bin/python -m pytest "$@"
