"""``center-desk --self-test`` check by check, against real parts: the Secret Service, an
SQLCipher cache, the backend over HTTPS with a city CA, a CUPS server, policy files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from center_desk import selftest
from center_desk.store import cache_id_for, open_cache, wipe_cache
from center_desk.sync.config import DeskConfig
from center_desk.sync.site import SiteSettings, load_site
from tests.printing.conftest import QUEUE as PDF_QUEUE
from tests.printing.conftest import CupsServer
from tests.support.packaging import PAPER_QUEUE, REPO, TlsFiles, self_test_env

LINUX = REPO / "installers" / "linux"


def _settings(
    *, desk: DeskConfig | None = None, site: SiteSettings | None = None, root: Path = Path("/")
) -> selftest.Settings:
    return selftest.Settings(desk, site, root)


def _desk(tmp_path: Path, **changes: object) -> DeskConfig:
    values: dict[str, object] = {
        "backend_url": "https://127.0.0.1:1",
        "device_id": "d-self-test",
        "center_id": "ogawa-nishimachi",
        "data_dir": str(tmp_path / "data"),
    }
    values.update(changes)
    return DeskConfig(**values)  # type: ignore[arg-type]


# --- site.json ------------------------------------------------------------------------------


def test_site_json_resolves_the_ca_next_to_it_and_refuses_typos(tmp_path: Path) -> None:
    site = tmp_path / "site.json"
    # As the Windows installer writes it: UTF-8 with a byte-order mark.
    site.write_text(
        '\ufeff{"backend_url": "https://yoyaku.example", "ca_file": "city-ca.pem",'
        ' "allowed_printers": ["窓口"], "printer": "窓口"}',
        encoding="utf-8",
    )
    loaded = load_site(site)
    assert loaded == SiteSettings(
        "https://yoyaku.example", str(tmp_path / "city-ca.pem"), ("窓口",), "窓口"
    )
    assert load_site(tmp_path / "missing.json") is None
    for bad, word in (
        ('{"backend": "https://x"}', "unknown settings"),
        ('{"allowed_printers": "counter"}', "list of queue names"),
        ("{nope", "not valid JSON"),
    ):
        site.write_text(bad, encoding="utf-8")
        with pytest.raises(ValueError, match=word):
            load_site(site)


# --- device policy --------------------------------------------------------------------------


def test_the_device_policy_check_reads_the_installed_files(tmp_path: Path) -> None:
    empty = selftest.check_device_policy(tmp_path)
    assert not empty.ok and "usbguard_not_blocking_storage" in empty.detail
    for source, target in (
        ("usb-storage-block.conf", "etc/modprobe.d/center-desk-usb-storage.conf"),
        ("49-center-desk-no-removable-media.rules", "etc/polkit-1/rules.d/49-cd.rules"),
        ("usbguard-rules.conf", "etc/usbguard/rules.conf"),
    ):
        (tmp_path / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(LINUX / source, tmp_path / target)
    assert selftest.check_device_policy(tmp_path).ok


# --- keyring and cache ----------------------------------------------------------------------


@pytest.mark.keyring
def test_the_cache_check_opens_an_enrolled_desks_cache_and_finds_a_lost_key(
    tmp_path: Path,
) -> None:
    keyring_check, key_store = selftest.check_keyring()
    assert keyring_check.ok and "SecretService" in keyring_check.detail
    assert key_store is not None
    desk = _desk(tmp_path)

    before = selftest.check_cache(_settings(desk=desk), key_store)
    assert before.ok and before.detail.startswith("no cache yet")
    assert not desk.cache_path.exists()  # the probe leaves nothing behind

    open_cache(desk.cache_path, key_store).close()
    try:
        opened = selftest.check_cache(_settings(desk=desk), key_store)
        assert opened.ok and "desk-cache.sqlcipher opens (SQLCipher 4" in opened.detail
        assert str(tmp_path) not in opened.detail  # file name only: no user folders
        key_store.delete_key(cache_id_for(desk.cache_path))
        lost = selftest.check_cache(_settings(desk=desk), key_store)
        assert not lost.ok and "CacheKeyMissing" in lost.detail
    finally:
        wipe_cache(desk.cache_path, key_store)


def test_without_a_secure_keyring_the_cache_is_not_checked() -> None:
    check = selftest.check_cache(_settings(), None)
    assert not check.ok and "secure keyring" in check.detail


# --- backend --------------------------------------------------------------------------------


def test_the_backend_check_verifies_tls_against_the_city_ca(
    https_backend: str, tls_files: TlsFiles, tmp_path: Path
) -> None:
    ca = str(tls_files.ca)
    ok = selftest.check_backend(_settings(site=SiteSettings(https_backend, ca)))
    assert ok.ok, ok.detail
    assert "TLSv1." in ok.detail and "certificate until" in ok.detail and "API " in ok.detail

    # Another CA than the one that issued the certificate: refused at the handshake.
    other = tmp_path / "other-ca.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=Other CA", "-keyout", str(tmp_path / "k.pem"), "-out", str(other)],
        check=True, capture_output=True,
    )  # fmt: skip
    untrusted = selftest.check_backend(_settings(site=SiteSettings(https_backend, str(other))))
    assert not untrusted.ok and "certificate not trusted" in untrusted.detail

    missing = selftest.check_backend(
        _settings(site=SiteSettings(https_backend, str(tmp_path / "nope.pem")))
    )
    assert not missing.ok and "nope.pem is missing" in missing.detail


def test_the_backend_check_names_what_is_wrong_with_the_address(tmp_path: Path) -> None:
    assert "no backend address" in selftest.check_backend(_settings()).detail
    plain = selftest.check_backend(_settings(site=SiteSettings("http://yoyaku.example")))
    assert not plain.ok and "must be reached over HTTPS" in plain.detail
    closed = selftest.check_backend(_settings(site=SiteSettings("https://127.0.0.1:1")), 2.0)
    assert not closed.ok and "TLS handshake failed" in closed.detail


# --- printer --------------------------------------------------------------------------------


@pytest.mark.cups
def test_the_printer_check_wants_an_allowed_real_queue(
    paper_queue: CupsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUPS_SERVER", str(paper_queue.socket))

    def check(printer: str, allowed: tuple[str, ...]) -> selftest.Check:
        return selftest.check_printer_queue(
            _settings(site=SiteSettings(allowed_printers=allowed, printer=printer))
        )

    assert check(PAPER_QUEUE, (PAPER_QUEUE,)).ok
    assert "not on the allowed list" in check(PAPER_QUEUE, ("other",)).detail
    assert "writes files, not paper" in check(PDF_QUEUE, (PDF_QUEUE,)).detail
    assert "does not know" in check("gone", ("gone",)).detail
    assert "no counter printer" in selftest.check_printer_queue(_settings()).detail


# --- the window ---------------------------------------------------------------------------


def test_the_window_check_fails_when_a_part_loaded_after_start_is_missing() -> None:
    """The desk imports its tabs, forms, wire models and some rules' libraries after its first
    paint or on first use (issue 13); an install that lacks one still fails its self-test."""
    probe = (
        "import sys\n"
        "sys.modules['argon2'] = None  # as in a bundle built without it\n"
        "from center_desk import selftest\n"
        "check = selftest.check_window()\n"
        "print(check.ok, check.detail)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    ok, _, detail = result.stdout.strip().splitlines()[-1].partition(" ")
    assert ok == "False"
    assert "does not open" in detail and "argon2" in detail


# --- the command ----------------------------------------------------------------------------


@pytest.mark.keyring
def test_the_command_prints_one_line_per_check_and_nothing_personal(tmp_path: Path) -> None:
    # A counter user whose folders carry a person's name, and a desk.json of an enrolled desk.
    home = tmp_path / "tanaka-hanako"
    config = home / "config" / "center-desk" / "desk.json"
    config.parent.mkdir(parents=True)
    config.write_text(
        json.dumps(
            {
                "backend_url": "https://127.0.0.1:1",
                "device_id": "d-0001",
                "center_id": "ogawa-nishimachi",
                "device_name": "counter-1",
                "allowed_printers": ["counter"],
                "printer": "counter",
            }
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(Path(sys.executable).with_name("center-desk")), "--self-test"],
        env=self_test_env(home, CENTER_DESK_SYSTEM_ROOT=str(tmp_path / "root")),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "desk counter-1 of ogawa-nishimachi"
    names = [line.split()[1] for line in lines[1:-1]]
    assert names == ["keyring", "cache", "backend", "printer", "device-policy", "window"]
    assert [line.split()[0] for line in lines[1:-1]] == ["ok", "ok", "FAIL", "FAIL", "FAIL", "ok"]
    assert lines[-1] == "self-test: 3 of 6 checks failed"
    assert result.returncode == 1
    assert "tanaka" not in result.stdout
