"""Starting the desk: the Qt application, fonts and translations, the cache on its worker
thread, the sync loop, and the main window. ``center-desk --demo`` brings its own backend."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from center_desk.domain import Clock, SystemClock
from center_desk.store import (
    CacheKeyStore,
    EphemeralKeyStore,
    InsecureKeyringError,
    KeyStore,
    wipe_cache,
)
from center_desk.store.keys import default_backend
from center_desk.sync.config import DeskConfig, load_config, save_config
from center_desk.sync.credentials import DeviceCredentials, MemoryCredentials
from center_desk.sync.recovery import (
    CacheNeedsDecision,
    CacheTrouble,
    Recovery,
    ledger_for,
    open_desk_cache,
    purge_set_aside,
    start_fresh,
)
from center_desk.sync.sync_lock import SyncLock

from . import messages
from .context import DeskContext, OnlineParts
from .i18n import install_fonts, install_translations
from .startup import after_first_paint, warm_up_printing
from .sync_driver import SyncDriver
from .tasks import Tasks
from .worker import DbWorker

if TYPE_CHECKING:
    import httpx

    from center_desk.sync.engine import SyncEngine

log = logging.getLogger("center_desk.ui")

#: The common counter-PC screen (issue 5): the window is laid out for it.
COUNTER_SCREEN = (1366, 768)


@dataclass
class Desk:
    ctx: DeskContext
    recovery: Recovery | None
    make_engine: Callable[[], SyncEngine]

    def start_sync(self) -> None:
        """Start the sync loop, making its engine first if it is not made yet."""
        driver = self.ctx.sync
        driver.start(driver.engine or self.make_engine())

    def close(self) -> None:
        self.ctx.sync.stop()
        self.ctx.tasks.wait(10000)
        self.ctx.db.close()


def build_desk(
    config: DeskConfig,
    *,
    key_store: CacheKeyStore,
    credentials: Any,
    clock: Clock | None = None,
    http: httpx.Client | None = None,
    demo: bool = False,
    start_sync: bool = True,
    engine_now: bool = True,
) -> Desk:
    """Assemble the desk's parts. Opening the cache may wipe and rebuild it (recovery).

    With ``engine_now=False`` (and ``start_sync=False``) the sync engine is made by
    ``Desk.start_sync()``; the client, the operations and the sign-in are always made on first
    use (``DeskContext.online``). Both bring the HTTP client and the wire models (httpx,
    pydantic), which the window's first paint does not need (issue 13)."""
    clock = clock or SystemClock()
    recovered: list[Recovery] = []

    def open_cache_on_worker() -> Any:
        if not key_store.persistent:
            # The demo's key dies with each run: its old file (demo data only) never opens
            # again, and there is nothing to decide about it.
            try:
                cache, _ = open_desk_cache(config.cache_path, key_store, clock)
                return cache
            except CacheNeedsDecision:
                wipe_cache(config.cache_path, key_store)
        cache, recovery = open_desk_cache(config.cache_path, key_store, clock)
        if recovery is not None:
            recovered.append(recovery)
        return cache

    db = DbWorker(open_cache_on_worker)
    driver = SyncDriver()
    ledger = ledger_for(config.cache_path)

    def make_online() -> OnlineParts:
        from center_desk.sync.client import BackendClient, make_http
        from center_desk.sync.operations import DeskOperations
        from center_desk.sync.sign_in import StaffSignIn

        client = BackendClient(
            http or (lambda: make_http(config.backend_url, ca_file=config.ca_file)),
            device_token=lambda: credentials.token(config.device_id),
        )
        ops = DeskOperations(
            db,
            client,
            clock,
            staff_id=lambda: ctx.staff_id,
            after_change=driver.nudge,
            ledger=ledger,
        )
        sign_in = StaffSignIn(db, client, clock, offline_days=config.offline_sign_in_days)
        return OnlineParts(client=client, ops=ops, staff_sign_in=sign_in)

    ctx = DeskContext(
        config=config,
        clock=clock,
        db=db,
        make_online=make_online,
        sync=driver,
        tasks=Tasks(),
        demo=demo,
    )

    def make_engine() -> SyncEngine:
        from center_desk.sync.engine import SyncEngine

        engine = SyncEngine(
            db,
            ctx.client,
            clock,
            on_status=driver.on_status,
            on_progress=driver.on_progress,
            # A long push (a day offline) shows its progress on the same bar as a long pull.
            on_push_progress=driver.on_progress,
            on_revoked=driver.on_revoked,
            ledger=ledger,
            sync_lock=SyncLock.beside(config.cache_path),
            device_id=None if demo else config.device_id,
            retention_days=config.retention_days,
        )
        engine.backoff.interval = config.sync_interval
        return engine

    desk = Desk(ctx, recovered[0] if recovered else None, make_engine)
    if start_sync:
        desk.start_sync()
    elif engine_now:
        driver.engine = make_engine()
    return desk


def _on_helper_thread(work: Any) -> Any:
    """Run ``work`` on a short-lived thread and wait for it: the cache is never touched on
    the GUI thread, even at start before the window exists (DESIGN.md §2)."""
    import threading

    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as exc:  # handed back to the caller's thread
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="cache-check")
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def open_deciding(
    open_desk: Callable[[], Desk],
    config: DeskConfig,
    key_store: CacheKeyStore,
    clock: Clock,
    ask: Callable[[CacheTrouble], str],
) -> tuple[Desk, Recovery | None] | None:
    """Open the desk (``open_desk`` opens the cache once, on the thread that keeps it); if the
    cache will not open, ``ask(trouble)`` what staff choose and act on it.

    Returns the desk with the recovery a fresh start made (None when the cache opened), or
    None when staff close the desk (nothing was changed). The cache is opened once on a good
    start: the open that finds it readable is the one the desk keeps (its key is read once).
    """
    _on_helper_thread(
        lambda: purge_set_aside(config.cache_path.parent, key_store, clock, config.set_aside_days)
    )
    while True:
        try:
            return open_desk(), None
        except CacheNeedsDecision as needs:
            trouble = needs.trouble
        choice = ask(trouble)
        if choice == "retry":
            continue
        if choice != "fresh":
            return None

        def fresh(trouble: CacheTrouble = trouble) -> Recovery:
            cache, recovery = start_fresh(trouble, key_store, clock)
            cache.close()
            return recovery

        recovery: Recovery = _on_helper_thread(fresh)
        return open_desk(), recovery


def _ask_about_cache(trouble: CacheTrouble, keep_days: int) -> str:
    from .dialogs.cache_recovery import CacheRecoveryDialog

    dialog = CacheRecoveryDialog(trouble, keep_days)
    dialog.exec()
    return dialog.choice.value


def _explain_recovery(recovery: Recovery) -> None:
    lost = "\n".join(f"・{item.summary}" for item in recovery.lost) or QCoreApplication.translate(
        "App", "(nothing was waiting)"
    )
    if not recovery.lost_known:
        lost = QCoreApplication.translate("App", "(what was waiting could not be determined)")
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("App", "Local data rebuilt"),
        QCoreApplication.translate(
            "App",
            "The desk started with fresh local data. These changes could not be read from the "
            "old data and must be entered again:",
        ),
    )
    box.setInformativeText(lost)
    box.exec()


def _enroll_interactively(app: QApplication) -> DeskConfig | None:
    from .enroll import EnrollDialog

    dialog = EnrollDialog()
    if dialog.exec() != EnrollDialog.DialogCode.Accepted or dialog.result_config is None:
        return None
    save_config(dialog.result_config)
    return dialog.result_config


def run_desk(*, demo: bool = False) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # httpx logs every request URL at INFO; ours carry ids only, but the log need not.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("center-desk")
    install_fonts(app)
    translators = install_translations(app)  # noqa: F841 - must stay alive
    backend = None
    hint = ""
    try:
        if demo:
            from center_desk.sync.client import BackendClient, make_http

            from .demo import start_demo_backend

            backend = start_demo_backend()
            credentials: Any = MemoryCredentials()
            http = make_http(backend.url)
            enrolled = BackendClient(http).enroll(backend.enrollment_code, "demo-desk")
            credentials.store(enrolled.device_id, enrolled.device_token)
            config = backend.config(enrolled.device_id)
            key_store: CacheKeyStore = EphemeralKeyStore()
            hint = (
                QCoreApplication.translate(
                    "App",
                    "Demo: staff ID “%1”, password “%2”. The demo keeps its local data "
                    "under a temporary key and forgets it when closed.",
                )
                .replace("%1", backend.staff_id)
                .replace("%2", backend.staff_password)
            )
        else:
            loaded = load_config()
            chosen = loaded if loaded is not None else _enroll_interactively(app)
            if chosen is None:
                return 1
            config = chosen
            try:
                # One keyring connection for the cache key and the device token.
                keyring_backend = default_backend()
                key_store = KeyStore(keyring_backend)
                credentials = DeviceCredentials(keyring_backend)
            except InsecureKeyringError as exc:
                message = messages.for_error(exc)
                box = QMessageBox(
                    QMessageBox.Icon.Critical,
                    QCoreApplication.translate("App", "The desk cannot start"),
                    message.sentence,
                )
                box.setInformativeText(message.next_step)
                # The technical reason, for the office's IT (English, from the keyring layer).
                box.setDetailedText(str(exc))
                box.exec()
                return 3

        def open_desk() -> Desk:
            return build_desk(
                config,
                key_store=key_store,
                credentials=credentials,
                demo=demo,
                start_sync=False,
                engine_now=False,
            )

        fresh: Recovery | None = None
        if demo:
            desk = open_desk()
        else:
            opened = open_deciding(
                open_desk,
                config,
                key_store,
                SystemClock(),
                lambda trouble: _ask_about_cache(trouble, config.set_aside_days),
            )
            if opened is None:
                return 5
            desk, fresh = opened
        if fresh is not None and fresh.lost:
            _explain_recovery(fresh)
        from .main_window import MainWindow

        window = MainWindow(desk.ctx, demo_hint=hint)
        if demo:
            window.sign_in_panel.reset(backend.staff_id if backend else "")
        window.resize(*COUNTER_SCREEN)
        after_first_paint(window, desk.start_sync, warm_up_printing)
        window.show()
        code = app.exec()
        desk.close()
        return int(code)
    finally:
        if backend is not None:
            backend.stop()
