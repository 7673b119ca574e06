#!/usr/bin/env bash
# Run a command with gnome-keyring's Secret Service unlocked on the current D-Bus session, and
# keep it so: a watchdog restarts and re-unlocks the daemon if it dies mid-run (a busy machine
# has lost it), or stops the run with a clear message when it cannot. The session bus of
# tests/run.sh (tests/support/session-bus.conf) activates nothing, so no second, locked daemon
# can appear in its place and prompt.
set -euo pipefail
# A throwaway password for a throwaway keyring: it lives in this session's HOME only.
export HOME="${CENTER_DESK_TEST_HOME:-$(mktemp -d)}"
export XDG_DATA_HOME="$HOME/.local/share"
mkdir -p "$XDG_DATA_HOME"
PASSWORD="center-desk-tests"


keyring_up() {
  local reply
  reply=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null) || return 1
  [[ $reply == *"boolean true"* ]]
}

start_keyring() {
  echo -n "$PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  # The daemon forks before it takes its name on the bus: give it a moment on a busy machine.
  local tries=0
  until keyring_up || ((++tries > 100)); do sleep 0.1; done
}

start_keyring
if ! keyring_up; then
  echo "with-keyring.sh: gnome-keyring-daemon did not come up on the test session bus" >&2
  exit 1
fi
# The tests' own check (tests/support/keyring_guard.py) looks for this.
export CENTER_DESK_TEST_KEYRING=1

"$@" &
main=$!

watch_keyring() {
  while kill -0 "$main" 2>/dev/null; do
    sleep 1  # polling a process's health, not waiting for time to pass in a test
    keyring_up && continue
    kill -0 "$main" 2>/dev/null || return 0
    echo "with-keyring.sh: the test keyring daemon is gone; restarting and unlocking it" >&2
    if ! { start_keyring && keyring_up; }; then
      echo "with-keyring.sh: could not restart the test keyring; stopping the run" >&2
      kill -TERM "$main" 2>/dev/null || true
      return 1
    fi
  done
}
watch_keyring &
watcher=$!

status=0
wait "$main" || status=$?
kill "$watcher" 2>/dev/null || true
wait "$watcher" 2>/dev/null || true
exit "$status"
