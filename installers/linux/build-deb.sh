#!/usr/bin/env bash
# Build the counter desk's Debian package in one command, on a build machine (not the counter PC):
#
#   bash installers/linux/build-deb.sh [--out DIR] [--bundle DIR]
#        [--backend https://… --ca-file city-ca.pem --printer QUEUE [--allow QUEUE …]]
#
# The package carries everything the desk runs on: the PyInstaller bundle (its own Python, Qt,
# SQLCipher, fonts and translations; spec shared with Windows), the desktop entry and the device
# policy files its maintainer scripts apply and remove. Installing it needs no network: the
# Debian packages it depends on (gnome-keyring, cups-client, usbguard, Qt's X libraries) come
# from the city's own Debian mirror or install media like every OS update of the counter PCs.
#
# --backend/--ca-file/--printer/--allow bake the city's site.json (/etc/center-desk, a conffile)
# into the package, so every PC installed from it is ready to enroll. --bundle reuses a
# PyInstaller folder already built from this tree (the tests build it once).
# DEB_COMPRESSION (gzip by default: fast to build, every dpkg reads it) and DEB_LEVEL choose
# dpkg-deb's compression.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/../.." && pwd)"
OUT="$SRC/dist"
BUNDLE=""
BACKEND=""
CA_FILE=""
PRINTER=""
ALLOWED=()
while (($#)); do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --bundle) BUNDLE="$2"; shift 2 ;;
    --backend) BACKEND="$2"; shift 2 ;;
    --ca-file) CA_FILE="$2"; shift 2 ;;
    --printer) PRINTER="$2"; shift 2 ;;
    --allow) ALLOWED+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "build-deb: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -n "$BACKEND" && "$BACKEND" != https://* ]]; then
  echo "build-deb: --backend must be an https:// address" >&2; exit 2
fi
if [[ -n "$CA_FILE" ]] && ! grep -q "BEGIN CERTIFICATE" "$CA_FILE"; then
  echo "build-deb: --ca-file must be a PEM certificate" >&2; exit 2
fi

PYTHON="${PYTHON:-$SRC/.venv/bin/python}"
VERSION="$("$PYTHON" -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1],"rb"))["project"]["version"])' "$SRC/pyproject.toml")"
ARCH="$(dpkg --print-architecture)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# 1. The bundle (about a minute on two cores).
if [[ -z "$BUNDLE" ]]; then
  "$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath "$WORK/dist" \
    --workpath "$WORK/build" "$SRC/installers/pyinstaller/center-desk.spec"
  BUNDLE="$WORK/dist/center-desk"
fi
[[ -x "$BUNDLE/center-desk" ]] || { echo "build-deb: no bundle at $BUNDLE" >&2; exit 1; }

# 2. The package's tree.
PKG="$WORK/pkg"
mkdir -p "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
  "$PKG/usr/share/center-desk/policy" "$PKG/DEBIAN"
cp -a "$BUNDLE" "$PKG/opt/center-desk"
ln -s ../../opt/center-desk/center-desk "$PKG/usr/bin/center-desk"
install -m 644 "$HERE/center-desk.desktop" "$PKG/usr/share/applications/center-desk.desktop"
for policy in usb-storage-block.conf 49-center-desk-no-removable-media.rules \
    usbguard-rules.conf cupsd-center-desk.conf; do
  install -m 644 "$HERE/$policy" "$PKG/usr/share/center-desk/policy/$policy"
done
install -m 755 "$HERE/debian/postinst" "$HERE/debian/postrm" "$PKG/DEBIAN/"

if [[ -n "$BACKEND$CA_FILE$PRINTER${ALLOWED[*]:-}" ]]; then
  mkdir -p "$PKG/etc/center-desk"
  [[ -n "$CA_FILE" ]] && install -m 644 "$CA_FILE" "$PKG/etc/center-desk/city-ca.pem"
  "$PYTHON" - "$PKG/etc/center-desk/site.json" "$BACKEND" "$CA_FILE" "$PRINTER" "${ALLOWED[@]}" <<'PY'
import json, sys
target, backend, ca, printer, *allowed = sys.argv[1:]
site = {}
if backend: site["backend_url"] = backend
if ca: site["ca_file"] = "city-ca.pem"
if printer: site["printer"] = printer
if allowed or printer: site["allowed_printers"] = allowed or [printer]
with open(target, "w", encoding="utf-8") as f:
    json.dump(site, f, ensure_ascii=False, indent=2)
PY
  chmod 644 "$PKG/etc/center-desk/site.json"
  (cd "$PKG" && find etc -type f | sed 's|^|/|' | sort) > "$PKG/DEBIAN/conffiles"
fi

SIZE="$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE/" \
  "$HERE/debian/control.in" > "$PKG/DEBIAN/control"

# 3. The .deb.
mkdir -p "$OUT"
DEB="$OUT/center-desk_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-gzip}" -z"${DEB_LEVEL:-6}" --build "$PKG" "$DEB" >/dev/null
echo "$DEB"
