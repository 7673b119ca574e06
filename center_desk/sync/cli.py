"""Headless desk commands, with no Qt imported (for city IT, scripts and tests):

    center-desk enroll --backend URL --code CODE [--name NAME] [--ca-file PEM] [--data-dir DIR]
    center-desk sync --once

They use the same settings file, keyring entries and encrypted cache as the window.
"""

from __future__ import annotations

import argparse
import sys

from center_desk.domain import SystemClock
from center_desk.store import InsecureKeyringError, KeyStore, StoreError, wipe_cache

from .client import BackendClient, make_http
from .commands import add_commands as add_commands
from .config import DeskConfig, load_config, save_config
from .credentials import DeviceCredentials
from .engine import SyncEngine
from .errors import SyncError
from .recovery import (
    CacheNeedsDecision,
    CacheTrouble,
    ledger_for,
    open_desk_cache,
    purge_set_aside,
    set_aside,
    start_fresh,
    waiting,
    wipe_revoked,
)
from .runner import InlineRunner
from .sync_lock import SyncLock

#: ``sync --once`` exit codes besides 0 (done), 1 (incomplete), 2 (not enrolled), 3 (no secure
#: keyring), 4 (revoked).
EXIT_CACHE_NEEDS_DECISION = 5


def run(args: argparse.Namespace) -> int:
    try:
        if args.command == "enroll":
            return _enroll(args)
        return _sync_once(args)
    except InsecureKeyringError as exc:
        print(f"center-desk: {exc}", file=sys.stderr)
        return 3
    except (StoreError, SyncError, ValueError) as exc:
        print(f"center-desk: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _describe_trouble(trouble: CacheTrouble) -> None:
    print(f"center-desk: the desk cache cannot be opened ({trouble.reason})", file=sys.stderr)
    if not trouble.known:
        print("  what was waiting to be sent could not be determined", file=sys.stderr)
        return
    print(
        f"  waiting to be sent: {len(trouble.waiting)} change(s) and"
        f" {trouble.audit_events} audit event(s); {len(trouble.salvaged)} can be salvaged",
        file=sys.stderr,
    )
    for item in trouble.waiting:
        print(f"  waiting: #{item.mutation_id} {item.summary}", file=sys.stderr)


def _enroll(args: argparse.Namespace) -> int:
    credentials = DeviceCredentials()
    previous = load_config(args.config)
    http = make_http(args.backend, ca_file=args.ca_file)
    enrolled = BackendClient(http).enroll(args.code, args.name)
    credentials.store(enrolled.device_id, enrolled.device_token)
    if previous is not None and previous.device_id != enrolled.device_id:
        code = _leave_previous(previous, credentials)
        if code:
            return code
    config = DeskConfig(
        backend_url=args.backend,
        device_id=enrolled.device_id,
        center_id=enrolled.center_id,
        device_name=args.name,
        ca_file=args.ca_file,
        data_dir=str(args.data_dir.resolve()) if args.data_dir else None,
    )
    path = save_config(config, args.config)
    print(f"enrolled as a desk of {enrolled.center_id}; settings in {path}")
    return 0


def _leave_previous(previous: DeskConfig, credentials: DeviceCredentials) -> int:
    """Re-enrolment as another device or center (issue 10): push what the old enrolment has
    waiting, name what could not be pushed, and start the new one on a clean cache. The old
    cache is deleted only when nothing was left waiting; otherwise it is set aside (kept for
    IT) with its key. Returns a non-zero exit code when the old cache will not open."""
    path = previous.cache_path
    if not path.exists():
        return 0
    clock = SystemClock()
    key_store = KeyStore()
    try:
        cache, _ = open_desk_cache(path, key_store, clock)
    except CacheNeedsDecision as needs:
        _describe_trouble(needs.trouble)
        print(
            "the previous enrolment's cache cannot be opened: run `center-desk sync --once`"
            " first and decide what to do with it",
            file=sys.stderr,
        )
        return EXIT_CACHE_NEEDS_DECISION
    try:
        http = make_http(previous.backend_url, ca_file=previous.ca_file)
        old_device = previous.device_id
        client = BackendClient(http, device_token=lambda: credentials.token(old_device))
        engine = SyncEngine(
            InlineRunner(cache),
            client,
            clock,
            ledger=ledger_for(path),
            sync_lock=SyncLock.beside(path),
            device_id=previous.device_id,
        )
        if credentials.token(old_device):
            report = engine.sync_once()
            if report.error:
                print(f"the previous enrolment could not sync: {report.error}", file=sys.stderr)
        left = waiting(cache.connection, audit_events=True)
    finally:
        cache.close()
    if left:
        print(
            f"the previous enrolment still had {len(left)} change(s) waiting; its cache is"
            f" set aside (kept {previous.set_aside_days} days for IT):",
            file=sys.stderr,
        )
        for item in left:
            print(f"  waiting: #{item.mutation_id} {item.summary}", file=sys.stderr)
        set_aside(path, key_store, clock, "re-enrolled")
    else:
        wipe_cache(path, key_store)
        ledger_for(path).path.unlink(missing_ok=True)
    credentials.forget(previous.device_id)
    return 0


def _sync_once(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if config is None:
        print("center-desk: not enrolled yet: run `center-desk enroll` first", file=sys.stderr)
        return 2
    clock = SystemClock()
    key_store = KeyStore()
    credentials = DeviceCredentials()
    purge_set_aside(config.cache_path.parent, key_store, clock, config.set_aside_days)
    try:
        cache, recovery = open_desk_cache(config.cache_path, key_store, clock)
    except CacheNeedsDecision as needs:
        trouble = needs.trouble
        _describe_trouble(trouble)
        if not args.fresh_cache:
            print(
                "nothing was deleted. Either have IT restore the cache key and run this again,"
                " or run `center-desk sync --once --fresh-cache` to set the cache aside"
                f" (kept {config.set_aside_days} days for IT) and start a fresh one",
                file=sys.stderr,
            )
            return EXIT_CACHE_NEEDS_DECISION
        cache, recovery = start_fresh(trouble, key_store, clock)
        print(
            f"the cache was set aside and a fresh one started: {len(trouble.salvaged)}"
            f" salvaged change(s) will be pushed, {len(recovery.lost)} lost",
            file=sys.stderr,
        )
    try:
        http = make_http(config.backend_url, ca_file=config.ca_file)
        client = BackendClient(http, device_token=lambda: credentials.token(config.device_id))
        revoked = False

        def on_revoked() -> None:
            nonlocal revoked
            revoked = True

        engine = SyncEngine(
            InlineRunner(cache),
            client,
            clock,
            on_revoked=on_revoked,
            ledger=ledger_for(config.cache_path),
            sync_lock=SyncLock.beside(config.cache_path),
            device_id=config.device_id,
            retention_days=config.retention_days,
        )
        report = engine.sync_once()
        if revoked:
            lost = wipe_revoked(cache, key_store)
            credentials.forget(config.device_id)
            print(
                f"this desk was revoked by the city: its cache was wiped"
                f" ({len(lost.lost)} waiting change(s) lost)",
                file=sys.stderr,
            )
            return 4
        status = engine.status
        print(
            f"pushed {report.pushed} (applied {report.applied}, duplicates {report.duplicates},"
            f" rejected {len(report.rejected)}), pulled {report.pulled}"
            f"{' (snapshot)' if report.snapshot else ''}; waiting {status.pending},"
            f" needs attention {status.needs_attention}"
        )
        if status.clock_warning and status.clock_offset is not None:
            print(f"warning: this PC's clock is off by {status.clock_offset}", file=sys.stderr)
        if report.error:
            print(f"sync incomplete: {report.error}", file=sys.stderr)
            return 1
        return 0
    finally:
        if not cache.closed:
            cache.close()
