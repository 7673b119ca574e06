#!/usr/bin/env bash
# Install center-desk on a Debian/Ubuntu counter PC from this source tree, and apply the device
# policy the city promised (no removable media, no kept print jobs). Run as root by the city's
# IT, from its own software channel. Idempotent.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/../.." && pwd)"
PREFIX="${PREFIX:-/opt/center-desk}"

[[ $(id -u) -eq 0 ]] || { echo "run as root" >&2; exit 1; }

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  python3 python3-venv gnome-keyring libsecret-1-0 cups cups-bsd usbguard \
  libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libfontconfig1 >/dev/null

# 1. The program, in its own virtual environment, with the resources next to it.
python3 -m venv "$PREFIX/venv"
"$PREFIX/venv/bin/pip" install -q "$SRC"
rm -rf "$PREFIX/resources" && cp -r "$SRC/resources" "$PREFIX/resources"
cat > /usr/local/bin/center-desk <<WRAP
#!/bin/sh
CENTER_DESK_RESOURCES="$PREFIX/resources" exec "$PREFIX/venv/bin/center-desk" "\$@"
WRAP
chmod 755 /usr/local/bin/center-desk
install -m 644 "$HERE/center-desk.desktop" /usr/share/applications/center-desk.desktop

# 2. No USB storage: kernel modules, udisks2, and USBGuard for everything else.
install -m 644 "$HERE/usb-storage-block.conf" /etc/modprobe.d/center-desk-usb-storage.conf
modprobe -r uas usb-storage 2>/dev/null || true
install -m 644 "$HERE/49-center-desk-no-removable-media.rules" \
  /etc/polkit-1/rules.d/49-center-desk-no-removable-media.rules
install -m 600 "$HERE/usbguard-rules.conf" /etc/usbguard/rules.conf
systemctl enable --now usbguard >/dev/null 2>&1 || true

# 3. Printing keeps no copies of printed slips.
grep -q "^PreserveJobFiles No" /etc/cups/cupsd.conf || cat "$HERE/cupsd-center-desk.conf" >> /etc/cups/cupsd.conf
systemctl restart cups >/dev/null 2>&1 || true

echo "center-desk installed in $PREFIX; device policy applied."
echo "Next: add the counter printer to CUPS, then run 'center-desk' to enroll this desk."
