"""``center-desk --self-test``: is this installed desk ready for the counter?

For the city's IT after an install or an upgrade, and for CI on the built packages. Works
without a display and without signing in; one line per check, exit status 1 when any failed:

    ok    keyring        secure backend SecretService.Keyring, reachable
    ok    cache          desk-cache.sqlcipher opens (SQLCipher 4.6.1 community, schema 7)
    ok    backend        https://yoyaku.example.lg.jp:443 TLSv1.3, certificate until 2027-10-01…
    FAIL  printer        printer queue 'counter' is not on the allowed list
    ok    device-policy  USB storage blocked (modules, udisks2, USBGuard)
    ok    window         opens offscreen (Qt 6.11.0, font IPAexGothic, ja)
    self-test: 1 of 6 checks failed

Nothing personal is printed: no names, no cache contents, no tokens, no user folders (only file
names). Settings come from the enrolled desk's ``desk.json`` and, before enrollment, from the
machine's ``site.json`` that the installer wrote (:mod:`center_desk.sync.site`).

``CENTER_DESK_SYSTEM_ROOT`` (Linux) checks a system installed under another root (a chroot, an
image being prepared, the packaging tests) for the device policy and ``site.json``; the desk's own
posture check at run time never reads it.

This module sits above the desk's layers (like ``__main__``): it asks store, sync, printing
and security, and loads Qt only for the window check.
"""

from __future__ import annotations

import importlib
import os
import socket
import ssl
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from center_desk.printing.dispatch import PrinterConfig, PrintError, check_allowed, check_printer
from center_desk.security.posture import check_posture
from center_desk.store import (
    CacheKeyStore,
    InsecureKeyringError,
    KeyStore,
    StoreError,
    open_cache,
    wipe_cache,
)
from center_desk.sync.config import DeskConfig, load_config
from center_desk.sync.site import SITE_FILE, SiteSettings, load_site, site_dir

SYSTEM_ROOT_ENV = "CENTER_DESK_SYSTEM_ROOT"
TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok' if self.ok else 'FAIL':<5} {self.name:<14} {self.detail}"


@dataclass(frozen=True)
class Settings:
    """What the checks need to know, from desk.json or site.json."""

    desk: DeskConfig | None
    site: SiteSettings | None
    root: Path

    @property
    def backend_url(self) -> str | None:
        return (
            self.desk.backend_url if self.desk else (self.site.backend_url if self.site else None)
        )

    @property
    def ca_file(self) -> str | None:
        return self.desk.ca_file if self.desk else (self.site.ca_file if self.site else None)

    @property
    def printer(self) -> str | None:
        if self.desk and self.desk.printer:
            return self.desk.printer
        return self.site.printer if self.site else None

    @property
    def allowed_printers(self) -> tuple[str, ...]:
        if self.desk and self.desk.allowed_printers:
            return self.desk.allowed_printers
        return self.site.allowed_printers if self.site else ()


# --- the checks ---------------------------------------------------------------------------


def check_keyring() -> tuple[Check, CacheKeyStore | None]:
    """Secure (not a plaintext or null backend) and reachable (it answers a lookup)."""
    try:
        key_store = KeyStore()
        # A lookup of an entry that never exists: proves the Secret Service / Credential
        # Manager answers, without touching the desk's real keys.
        key_store.load_key("self-test-probe")
    except InsecureKeyringError as exc:
        return Check("keyring", False, f"not secure: {exc.backend_name}"), None
    except StoreError as exc:
        return Check("keyring", False, f"not reachable: {exc}"), None
    return Check("keyring", True, f"secure backend {_short(key_store.backend_name)}, reachable"), (
        key_store
    )


def check_cache(settings: Settings, key_store: CacheKeyStore | None) -> Check:
    """The enrolled desk's cache opens with its key; before the first sync (or enrollment),
    a new encrypted cache can be made and opened here, and is removed again."""
    if key_store is None:
        return Check("cache", False, "cannot be checked without a secure keyring")
    try:
        if settings.desk is not None and settings.desk.cache_path.exists():
            path = settings.desk.cache_path
            with open_cache(path, key_store, create=False) as cache:
                return Check(
                    "cache",
                    True,
                    f"{path.name} opens (SQLCipher {cache.cipher_version},"
                    f" schema {cache.schema_version()})",
                )
        with tempfile.TemporaryDirectory(prefix="center-desk-self-test-") as folder:
            probe = Path(folder) / "probe.sqlcipher"
            try:
                with open_cache(probe, key_store) as cache:
                    version = cache.cipher_version
            finally:
                wipe_cache(probe, key_store)
    except StoreError as exc:
        return Check("cache", False, f"does not open: {type(exc).__name__}: {exc}")
    before = "not enrolled yet" if settings.desk is None else "no cache yet (first sync makes it)"
    return Check("cache", True, f"{before}; a new encrypted cache opens (SQLCipher {version})")


def check_backend(settings: Settings, timeout: float = TIMEOUT_SECONDS) -> Check:
    """The address is set, the TLS handshake verifies against the configured CA (or the
    system's), and the backend answers its health check with an API this desk speaks."""
    url = settings.backend_url
    if not url:
        return Check("backend", False, f"no backend address (enroll, or write {SITE_FILE})")
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        return Check("backend", False, f"{url} is not an https:// address")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    where = f"{parts.scheme}://{host}:{port}"
    tls = "plain HTTP (loopback only)"
    if parts.scheme == "https":
        if settings.ca_file and not Path(settings.ca_file).is_file():
            return Check("backend", False, f"CA file {Path(settings.ca_file).name} is missing")
        try:
            tls = _handshake(host, port, settings.ca_file, timeout)
        except ssl.SSLCertVerificationError as exc:
            return Check("backend", False, f"{where} certificate not trusted: {exc.verify_message}")
        except (OSError, ssl.SSLError) as exc:
            return Check("backend", False, f"{where} TLS handshake failed: {_reason(exc)}")
    elif host not in ("127.0.0.1", "localhost", "::1"):
        return Check("backend", False, f"{where}: the backend must be reached over HTTPS")
    try:
        api = _health(url, settings.ca_file, timeout)
    except Exception as exc:  # any failure here is the answer of this check
        return Check("backend", False, f"{where} {tls}, but no health answer: {_reason(exc)}")
    return Check("backend", True, f"{where} {tls}, {api}")


def _handshake(host: str, port: int, ca_file: str | None, timeout: float) -> str:
    context = ssl.create_default_context(cafile=ca_file) if ca_file else _system_context()
    with (
        socket.create_connection((host, port), timeout=timeout) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        cert = tls.getpeercert() or {}
        version = tls.version() or "TLS"
    not_after = cert.get("notAfter")
    if isinstance(not_after, str):
        until = datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), tz=UTC).date()
        return f"{version}, certificate until {until.isoformat()}"
    return version


def _system_context() -> ssl.SSLContext:
    # What httpx (make_http) verifies against when no city CA is set.
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _health(url: str, ca_file: str | None, timeout: float) -> str:
    from center_desk.protocol import API_VERSION
    from center_desk.sync.client import make_http

    with make_http(url, ca_file=ca_file, timeout=timeout) as http:
        response = http.get("/v1/health")
        response.raise_for_status()
        body = response.json()
    low, high = int(body["min_api_version"]), int(body["api_version"])
    if not low <= API_VERSION <= high:
        raise RuntimeError(f"the backend speaks API {low}–{high}, this desk {API_VERSION}")
    return f"API {API_VERSION}"


def check_printer_queue(settings: Settings) -> Check:
    """The desk's queue is on the allowed list and, on Linux, known to CUPS and real paper."""
    queue = settings.printer
    if not queue:
        return Check("printer", False, "no counter printer set (printer, allowed_printers)")
    config = PrinterConfig(queue=queue, allowed_queues=frozenset(settings.allowed_printers))
    try:
        if sys.platform == "win32":  # pragma: no cover - Qt printing asks Windows at print time
            check_allowed(config)
            return Check("printer", True, f"queue {queue!r} is on the allowed list")
        info = check_printer(config)
    except PrintError as exc:
        return Check("printer", False, str(exc))
    return Check(
        "printer",
        True,
        f"queue {queue!r} is allowed and known to CUPS ({info.device_uri.split(':')[0]})",
    )


def check_device_policy(root: Path) -> Check:
    report = check_posture(root if sys.platform != "win32" else None)
    if report.in_force:
        return Check("device-policy", True, "USB storage blocked (modules, udisks2, USBGuard)")
    return Check("device-policy", False, "not in force: " + ", ".join(report.codes))


def check_window() -> Check:
    """Qt, its platform plugin, the bundled fonts and translations: the first-run window opens
    (offscreen, so nothing shows on the counter's screen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        smoke = importlib.import_module("center_desk.ui.smoke")
        detail: str = smoke.open_window_offscreen()
    except Exception as exc:  # a missing plugin or library is exactly what this check finds
        return Check("window", False, f"does not open: {_reason(exc)}")
    return Check("window", True, detail)


# --- running them -------------------------------------------------------------------------


def _short(name: str) -> str:
    return name.removeprefix("keyring.backends.")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


def load_settings(root: Path) -> tuple[Settings, list[Check]]:
    problems: list[Check] = []
    desk: DeskConfig | None = None
    site: SiteSettings | None = None
    try:
        desk = load_config()
    except (OSError, ValueError, TypeError) as exc:
        problems.append(Check("settings", False, f"desk.json unusable: {_reason(exc)}"))
    try:
        site = load_site(site_dir(root) / SITE_FILE)
    except (OSError, ValueError) as exc:
        problems.append(Check("settings", False, f"{SITE_FILE} unusable: {_reason(exc)}"))
    return Settings(desk, site, root), problems


def run_checks(settings: Settings, *, window: bool = True) -> list[Check]:
    keyring_check, key_store = check_keyring()
    checks = [
        keyring_check,
        check_cache(settings, key_store),
        check_backend(settings),
        check_printer_queue(settings),
        check_device_policy(settings.root),
    ]
    if window:
        checks.append(check_window())
    return checks


def main(print_line: Callable[[str], None] = print) -> int:
    root = Path(os.environ.get(SYSTEM_ROOT_ENV) or "/")
    settings, problems = load_settings(root)
    if settings.desk is not None:
        print_line(f"desk {settings.desk.device_name} of {settings.desk.center_id}")
    checks = problems + run_checks(settings)
    for check in checks:
        print_line(check.line())
    failed = sum(1 for c in checks if not c.ok)
    print_line(f"self-test: {failed} of {len(checks)} checks failed")
    return 1 if failed else 0
