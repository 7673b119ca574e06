"""Starting the desk: the Qt application, fonts and translations, the cache on its worker
thread, the sync loop, and the main window. ``center-desk --demo`` brings its own backend."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any

import httpx
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from center_desk.domain import Clock, SystemClock
from center_desk.store import CacheKeyStore, EphemeralKeyStore, InsecureKeyringError, KeyStore
from center_desk.store.keys import default_backend
from center_desk.sync.client import BackendClient, make_http
from center_desk.sync.config import DeskConfig, load_config, save_config
from center_desk.sync.credentials import DeviceCredentials, MemoryCredentials
from center_desk.sync.engine import SyncEngine
from center_desk.sync.operations import DeskOperations
from center_desk.sync.recovery import Recovery, ledger_for, open_desk_cache
from center_desk.sync.sign_in import StaffSignIn

from . import messages
from .context import DeskContext
from .i18n import install_fonts, install_translations
from .startup import after_first_paint, warm_up_printing
from .sync_driver import SyncDriver
from .tasks import Tasks
from .worker import DbWorker

log = logging.getLogger("center_desk.ui")

#: The common counter-PC screen (issue 5): the window is laid out for it.
COUNTER_SCREEN = (1366, 768)


@dataclass
class Desk:
    ctx: DeskContext
    recovery: Recovery | None

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
) -> Desk:
    """Assemble the desk's parts. Opening the cache may wipe and rebuild it (recovery)."""
    clock = clock or SystemClock()
    recovered: list[Recovery] = []

    def open_cache_on_worker() -> Any:
        cache, recovery = open_desk_cache(config.cache_path, key_store, clock)
        if recovery is not None:
            recovered.append(recovery)
        return cache

    db = DbWorker(open_cache_on_worker)
    client = BackendClient(
        http or (lambda: make_http(config.backend_url, ca_file=config.ca_file)),
        device_token=lambda: credentials.token(config.device_id),
    )
    driver = SyncDriver()
    ledger = ledger_for(config.cache_path)
    ctx_holder: list[DeskContext] = []
    ops = DeskOperations(
        db,
        client,
        clock,
        staff_id=lambda: ctx_holder[0].staff_id if ctx_holder else None,
        after_change=driver.nudge,
        ledger=ledger,
    )
    ctx = DeskContext(
        config=config,
        clock=clock,
        db=db,
        client=client,
        ops=ops,
        staff_sign_in=StaffSignIn(db, client, clock, offline_days=config.offline_sign_in_days),
        sync=driver,
        tasks=Tasks(),
        demo=demo,
    )
    ctx_holder.append(ctx)
    engine = SyncEngine(
        db,
        client,
        clock,
        on_status=driver.on_status,
        on_progress=driver.on_progress,
        on_revoked=driver.on_revoked,
        ledger=ledger,
    )
    engine.backoff.interval = config.sync_interval
    if start_sync:
        driver.start(engine)
    else:
        driver.engine = engine
    return Desk(ctx, recovered[0] if recovered else None)


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
            "The desk's local data could not be opened, so it was erased and is being "
            "rebuilt from the reservation system. These changes had not been sent and are lost:",
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
        desk = build_desk(
            config, key_store=key_store, credentials=credentials, demo=demo, start_sync=False
        )
        if desk.recovery is not None:
            _explain_recovery(desk.recovery)
        from .main_window import MainWindow

        window = MainWindow(desk.ctx, demo_hint=hint)
        if demo:
            window.sign_in_panel.reset(backend.staff_id if backend else "")
        window.resize(*COUNTER_SCREEN)
        engine = desk.ctx.sync.engine
        assert engine is not None
        after_first_paint(window, lambda: desk.ctx.sync.start(engine), warm_up_printing)
        window.show()
        code = app.exec()
        desk.close()
        return int(code)
    finally:
        if backend is not None:
            backend.stop()
