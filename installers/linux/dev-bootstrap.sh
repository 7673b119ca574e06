#!/usr/bin/env bash
# Prepare a fresh Debian 12 machine (like the developers' and CI's) to run center-desk and its
# tests: the Debian packages, a virtual environment in .venv and the Python packages.
# Idempotent and quick when nothing changed, so both README commands call it every time.
set -euo pipefail
cd "$(dirname "$0")/../.."

# What each package is for:
#   gnome-keyring dbus-x11 ........ a real Secret Service for the keyring tests (DESIGN.md §7)
#   libegl1 … libxcb-* ............ Qt's runtime libraries (offscreen and xcb platforms)
#   xvfb .......................... screenshots of the desk on a virtual screen
#   cups cups-bsd printer-driver-cups-pdf .. a real CUPS queue with a PDF printer for print tests
#   poppler-utils ................. pdftoppm, to look at printed forms
#   libzbar0 ...................... reads the approval-slip barcode back in tests
#   fonts-ipaexfont-gothic ........ Japanese glyphs for the PDF printer queue's PostScript step
#   xauth ......................... xvfb-run (the demo on a machine without a screen)
#   postgresql-15 ................. the backend's database server, started by the tests
#   systemd openssl util-linux .... the packaging tests: systemd-analyze verify on the backend's
#                                   units, a test city CA, flock (tests/installers)
DEBIAN_PACKAGES=(
  gnome-keyring dbus-x11
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0
  xvfb xauth
  cups cups-bsd cups-client printer-driver-cups-pdf
  poppler-utils
  libzbar0
  fonts-ipaexfont-gothic
  postgresql-15
  systemd openssl util-linux
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  # The package scripts must not start services on the build machine (CUPS, PostgreSQL):
  # the tests start their own throwaway instances.
  echo exit 101 | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  $SUDO rm -f /usr/sbin/policy-rc.d
fi

# The Python packages include the "build" extra (PyInstaller): tests/installers builds the
# desk's bundle and .deb from this tree.
PYTHON="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
  echo "bootstrap: creating .venv with $("$PYTHON" --version)"
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi

stamp=".venv/.center-desk-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "bootstrap: installing Python packages"
  .venv/bin/python -m pip install -q -e '.[test,build]'
  echo "$want" > "$stamp"
fi
