#!/usr/bin/env bash
# Install (or upgrade) the reservation backend on a Debian 12 server, as root:
#
#   bash installers/backend/install-backend.sh [--wheelhouse DIR]
#
# It makes the virtual environment /opt/center-desk-backend, installs the package into it (from
# a wheelhouse made with `pip wheel --wheel-dir DIR .` on a machine with PyPI, so the server
# itself needs no internet; or from this tree), lays out the scripts and the systemd units, and
# writes an example /etc/center-desk-backend/backend.toml when there is none. It starts
# nothing the first time: configure, then enable (README.md). On an upgrade it restarts the
# running instances, which migrate the schema before serving.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/../.." && pwd)"
PREFIX=/opt/center-desk-backend
WHEELHOUSE=""
while (($#)); do
  case "$1" in
    --wheelhouse) WHEELHOUSE="$2"; shift 2 ;;
    *) echo "install-backend: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $(id -u) -eq 0 ]] || { echo "run as root" >&2; exit 1; }
# pg_dump/pg_restore/psql for backup.sh and restore.sh; flock for the migration lock.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv postgresql-client \
  util-linux >/dev/null

python3 -m venv "$PREFIX"
if [[ -n "$WHEELHOUSE" ]]; then
  "$PREFIX/bin/pip" install -q --no-index --find-links "$WHEELHOUSE" --upgrade center-desk
else
  "$PREFIX/bin/pip" install -q --upgrade "$SRC"
fi
install -d "$PREFIX/libexec" "$PREFIX/share"
install -m 755 "$HERE"/libexec/*.sh "$PREFIX/libexec/"
install -m 644 "$HERE/README.md" "$HERE/backend.toml.example" "$HERE/haproxy.cfg.example" \
  "$PREFIX/share/"
install -m 644 "$HERE"/systemd/* /etc/systemd/system/

install -d -m 700 /etc/center-desk-backend /etc/center-desk-backend/tls
if [[ ! -e /etc/center-desk-backend/backend.toml ]]; then
  install -m 600 "$HERE/backend.toml.example" /etc/center-desk-backend/backend.toml
  echo "install-backend: edit /etc/center-desk-backend/backend.toml and put the TLS files in"
  echo "  /etc/center-desk-backend/tls/ (fullchain.pem, privkey.pem); then see README.md."
fi
systemctl daemon-reload
if systemctl is-active --quiet center-desk-backend.target; then
  systemctl restart center-desk-backend.target
fi
echo "center-desk-backend installed in $PREFIX"
