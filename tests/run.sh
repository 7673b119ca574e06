#!/usr/bin/env bash
# The one check script, from a fresh machine: the README's test command, and what .ci/run runs.
# It fails on the first of: a lint finding (ruff), unformatted code (ruff format --check), a
# type error (mypy --strict, configured in pyproject.toml), a broken layer contract
# (lint-imports), a failing test (pytest on two workers, with the 15 slowest printed).
# Extra arguments go to pytest (for example: tests/run.sh tests/domain -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash installers/linux/dev-bootstrap.sh

check() {
  local started=$SECONDS output
  if ! output=$("$@" 2>&1); then
    echo "$output" >&2
    echo "tests/run.sh: '$*' failed; fix it before the tests run." >&2
    exit 1
  fi
  echo "tests/run.sh: $* ok ($((SECONDS - started)) s)"
}
check .venv/bin/ruff check --quiet .
check .venv/bin/ruff format --check --quiet .
check .venv/bin/mypy
check .venv/bin/lint-imports --no-cache

export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
# Two pytest-xdist workers, as the machines have two cores and much of the suite waits on
# servers and subprocesses; a test module goes to one worker as a whole (--dist loadscope), so
# its module fixtures are made once. Each worker has its own PostgreSQL cluster, CUPS server,
# demo template and temporary folders; they share the keyring below. "-n 0" among the
# arguments runs the tests in one process; CENTER_DESK_TEST_WORKERS sets the default.
workers="${CENTER_DESK_TEST_WORKERS:-2}"
# A private D-Bus session with an unlocked gnome-keyring: the real Secret Service that the
# encrypted cache keeps its key in. It and everything started under it end with the tests.
exec dbus-run-session --config-file=tests/support/session-bus.conf -- \
  bash tests/support/with-keyring.sh .venv/bin/python -m pytest --durations=15 \
  -n "$workers" --dist loadscope "$@"
