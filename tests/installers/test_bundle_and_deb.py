"""The desk as the city's IT installs it: the PyInstaller bundle starts and checks itself, and
the .deb installs into a scratch root without network, applies exactly the device policy the
desk's posture check accepts, and takes it away again when removed.

The bundle and the .deb are built once per session (conftest.py): about 80 s together.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from center_desk.security.posture import check_linux
from tests.printing.conftest import CupsServer
from tests.support.packaging import (
    BUILD_DEB,
    PAPER_QUEUE,
    REPO,
    TlsFiles,
    self_test_env,
    which_or_skip,
)

pytestmark = pytest.mark.packaging

CHECKS = ("keyring", "cache", "backend", "printer", "device-policy", "window")
LINUX = REPO / "installers" / "linux"
#: Where each policy file of installers/linux must end up (posture.py reads these places).
POLICY = {
    "usb-storage-block.conf": "etc/modprobe.d/center-desk-usb-storage.conf",
    "49-center-desk-no-removable-media.rules": (
        "etc/polkit-1/rules.d/49-center-desk-no-removable-media.rules"
    ),
    "usbguard-rules.conf": "etc/usbguard/rules.conf",
}
CUPSD_BEFORE = "LogLevel warn\nPreserveJobFiles 86400\nMaxJobs 500\n"
USBGUARD_BEFORE = "allow id *:*\n"


def _lines(output: str) -> dict[str, str]:
    """check name -> its line, from the self-test's output."""
    found = {}
    for line in output.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] in ("ok", "FAIL"):
            found[words[1]] = line
    return found


def test_the_bundle_checks_itself_without_a_display(bundle: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(bundle / "center-desk"), "--self-test"],
        env=self_test_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = _lines(result.stdout)
    assert set(lines) == set(CHECKS), result.stdout + result.stderr
    # What the bundle itself must bring: the keyring client, SQLCipher, Qt with its offscreen
    # plugin, the Japanese font and the translations.
    for name in ("keyring", "cache", "window"):
        assert lines[name].startswith("ok "), lines[name]
    assert "offscreen" in lines["window"] and "IPAexGothic" in lines["window"]
    assert "ja" in lines["window"].split()[-1]
    # Not enrolled, no site.json, no policy on this build machine: those fail, and say so.
    assert lines["backend"].startswith("FAIL") and "no backend address" in lines["backend"]
    assert result.returncode == 1
    assert result.stdout.strip().splitlines()[-1] == "self-test: 3 of 6 checks failed"


@pytest.fixture(scope="module")
def deb(bundle: Path, tls_files: TlsFiles, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    result = subprocess.run(
        [
            "bash",
            str(BUILD_DEB),
            "--out",
            str(out),
            "--bundle",
            str(bundle),
            "--backend",
            "https://127.0.0.1:1",
            "--ca-file",
            str(tls_files.ca),
            "--printer",
            PAPER_QUEUE,
        ],
        env={"PATH": "/usr/bin:/bin", "DEB_LEVEL": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


def _scratch_root(folder: Path) -> Path:
    """An empty system with a dpkg database, CUPS's and USBGuard's own settings."""
    root = folder / "root"
    for sub in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "etc/cups", "etc/usbguard"):
        (root / sub).mkdir(parents=True)
    for name in ("status", "available"):
        (root / "var/lib/dpkg" / name).touch()
    (root / "etc/cups/cupsd.conf").write_text(CUPSD_BEFORE, encoding="utf-8")
    (root / "etc/usbguard/rules.conf").write_text(USBGUARD_BEFORE, encoding="utf-8")
    return root


def _dpkg(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Maintainer scripts run without chroot, with DPKG_ROOT set (the scratch root has no shell);
    # the Debian packages the desk depends on are not in the scratch root.
    return subprocess.run(
        [
            which_or_skip("dpkg"),
            f"--root={root}",
            "--force-script-chrootless",
            "--force-depends",
            "--log=/dev/null",
            *args,
        ],
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deb_carries_the_desk_and_declares_what_it_needs(deb: Path) -> None:
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    for path in (
        "./opt/center-desk/center-desk",
        "./opt/center-desk/_internal/resources/fonts/ipaexg.ttf",
        "./opt/center-desk/_internal/resources/translations/center_desk_ja.qm",
        "./usr/bin/center-desk -> ../../opt/center-desk/center-desk",
        "./usr/share/applications/center-desk.desktop",
        "./etc/center-desk/site.json",
        "./etc/center-desk/city-ca.pem",
    ):
        assert path in listing, path
    control = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Depends"], capture_output=True, text=True, check=True
    ).stdout
    assert "usbguard" in control and "gnome-keyring" in control and "cups-client" in control


def test_installed_into_a_scratch_root_it_applies_exactly_the_policy_and_checks_itself(
    deb: Path,
    https_backend: str,
    tls_files: TlsFiles,
    paper_queue: CupsServer,
    tmp_path: Path,
) -> None:
    root = _scratch_root(tmp_path)
    assert not check_linux(root).in_force

    installed = _dpkg(root, "--install", str(deb))
    assert installed.returncode == 0, installed.stdout + installed.stderr

    # The policy files are byte for byte the ones in installers/linux, where posture.py looks.
    for source, target in POLICY.items():
        assert (root / target).read_bytes() == (LINUX / source).read_bytes(), target
    assert (root / "etc/usbguard/rules.conf").stat().st_mode & 0o777 == 0o600
    cupsd = (root / "etc/cups/cupsd.conf").read_text(encoding="utf-8")
    assert cupsd.rstrip().endswith("PreserveJobFiles No\nPreserveJobHistory No\n# <<< center-desk")
    assert "\nPreserveJobFiles 86400" not in cupsd  # CUPS's own line is switched off
    assert check_linux(root).in_force
    # Exactly those: nothing else under /etc but the site settings and what was there.
    etc = sorted(p.relative_to(root).as_posix() for p in (root / "etc").rglob("*") if p.is_file())
    assert etc == sorted(
        [
            *POLICY.values(),
            "etc/cups/cupsd.conf",
            "etc/usbguard/rules.conf.center-desk-saved",
            "etc/center-desk/site.json",
            "etc/center-desk/city-ca.pem",
        ]
    )

    # The installed desk checks itself against the real backend over HTTPS with the city CA
    # the package carries, the CUPS queue and the policy it installed: no network beyond
    # this machine's loopback, no display.
    site = root / "etc/center-desk/site.json"
    settings = json.loads(site.read_text(encoding="utf-8"))
    settings["backend_url"] = https_backend  # the test's backend listens on a free port
    site.write_text(json.dumps(settings), encoding="utf-8")
    result = subprocess.run(
        [str(root / "usr/bin/center-desk"), "--self-test"],
        env=self_test_env(
            tmp_path / "home",
            CENTER_DESK_SYSTEM_ROOT=str(root),
            CUPS_SERVER=str(paper_queue.socket),
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = _lines(result.stdout)
    assert set(lines) == set(CHECKS), result.stdout + result.stderr
    assert all(line.startswith("ok ") for line in lines.values()), result.stdout
    assert "TLSv1" in lines["backend"] and "certificate until" in lines["backend"]
    assert f"'{PAPER_QUEUE}'" in lines["printer"]
    assert result.returncode == 0
    assert result.stdout.strip().splitlines()[-1] == "self-test: 0 of 6 checks failed"

    # Removing the package takes the policy away and gives back what was there.
    removed = _dpkg(root, "--purge", "center-desk")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    for target in POLICY.values():
        if target != "etc/usbguard/rules.conf":
            assert not (root / target).exists(), target
    assert (root / "etc/usbguard/rules.conf").read_text(encoding="utf-8") == USBGUARD_BEFORE
    assert (root / "etc/cups/cupsd.conf").read_text(encoding="utf-8") == CUPSD_BEFORE
    assert not (root / "opt/center-desk").exists()
    assert set(check_linux(root).codes) == {
        "usb_storage_module_allowed",
        "removable_mount_allowed",
        "usbguard_not_blocking_storage",
    }
