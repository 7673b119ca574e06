"""The unreadable-cache choice at start (issue 10): staff see what waits and decide; nothing
is deleted before they do. A real SQLCipher file, its key in the real Secret Service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from uuid import UUID

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from center_desk.domain import TOKYO, ManualClock
from center_desk.protocol.sync import CheckIn
from center_desk.store import KeyStore, audit, cache_id_for, open_cache, outbox, transaction
from center_desk.sync.config import DeskConfig
from center_desk.sync.credentials import MemoryCredentials
from center_desk.sync.recovery import CacheTrouble, Recovery, WaitingWork, ledger_for
from center_desk.ui.app import Desk, build_desk, open_deciding
from center_desk.ui.dialogs.cache_recovery import CacheRecoveryDialog, RecoveryChoice

NOW = datetime(2027, 2, 10, 10, 0, tzinfo=TOKYO)


def config_for(tmp_path: Path) -> DeskConfig:
    return DeskConfig(
        backend_url="http://127.0.0.1:9",
        device_id="d",
        center_id="c",
        data_dir=str(tmp_path / "data"),
    )


def opener(config: DeskConfig, key_store: KeyStore | CountingKeyStore) -> Callable[[], Desk]:
    """How the desk opens at start: build_desk, whose cache worker opens the cache."""
    return lambda: build_desk(
        config,
        key_store=key_store,
        credentials=MemoryCredentials(),
        clock=ManualClock(NOW),
        start_sync=False,
        engine_now=False,
    )


def pending(desk: Desk) -> int:
    return desk.ctx.db.submit(outbox.pending_count).result()


class CountingKeyStore:
    """The real KeyStore, counting how often the cache key is read."""

    persistent = True

    def __init__(self) -> None:
        self.inner = KeyStore()
        self.loads = 0

    def load_key(self, cache_id: str) -> bytes | None:
        self.loads += 1
        return self.inner.load_key(cache_id)

    def create_key(self, cache_id: str) -> bytes:
        return self.inner.create_key(cache_id)

    def store_key(self, cache_id: str, key: bytes) -> None:
        self.inner.store_key(cache_id, key)

    def delete_key(self, cache_id: str) -> None:
        self.inner.delete_key(cache_id)


def cache_with_waiting_work(config: DeskConfig) -> bytes:
    with open_cache(config.cache_path, KeyStore()) as cache:
        with transaction(cache.connection) as db:
            outbox.enqueue(
                db,
                body=CheckIn(reservation_id=UUID(int=7), at=NOW),
                created_at=NOW.isoformat(),
                staff_id=None,
                summary="受付 K001-000007",
            )
            audit.record(db, event="group_viewed", at=NOW, staff_id=None, subject="U1")
        ledger_for(config.cache_path).refresh(cache.connection)
    key = KeyStore().load_key(cache_id_for(config.cache_path))
    assert key is not None
    return key


def test_a_good_start_opens_the_cache_once(qapp: object, tmp_path: Path) -> None:
    config = config_for(tmp_path)
    cache_with_waiting_work(config)
    key_store = CountingKeyStore()

    def ask(trouble: CacheTrouble) -> str:
        raise AssertionError("a readable cache asks nothing")

    try:
        opened = open_deciding(opener(config, key_store), config, key_store, ManualClock(NOW), ask)
        assert opened is not None
        desk, fresh = opened
        try:
            assert fresh is None and pending(desk) == 2
            assert key_store.loads == 1  # the open that found it readable is the one kept
        finally:
            desk.close()
    finally:
        KeyStore().delete_key(cache_id_for(config.cache_path))


def test_try_again_after_the_key_is_restored_changes_nothing(qapp: object, tmp_path: Path) -> None:
    config = config_for(tmp_path)
    key = cache_with_waiting_work(config)
    KeyStore().create_key(cache_id_for(config.cache_path))  # replaced by mistake
    asked: list[CacheTrouble] = []

    def ask(trouble: CacheTrouble) -> str:
        asked.append(trouble)
        KeyStore().store_key(cache_id_for(config.cache_path), key)  # IT puts it back
        return "retry"

    try:
        key_store = KeyStore()
        opened = open_deciding(opener(config, key_store), config, key_store, ManualClock(NOW), ask)
        assert opened is not None
        desk, fresh = opened
        try:
            assert fresh is None
            assert len(asked) == 1 and asked[0].reason == "unreadable"
            assert pending(desk) == 2
        finally:
            desk.close()
    finally:
        KeyStore().delete_key(cache_id_for(config.cache_path))


def test_closing_the_desk_leaves_the_file_and_fresh_keeps_it_aside(
    qapp: object, tmp_path: Path
) -> None:
    config = config_for(tmp_path)
    cache_with_waiting_work(config)
    KeyStore().delete_key(cache_id_for(config.cache_path))
    before = config.cache_path.read_bytes()
    clock = ManualClock(NOW)
    key_store = KeyStore()
    open_desk = opener(config, key_store)
    assert open_deciding(open_desk, config, key_store, clock, lambda t: "quit") is None
    assert config.cache_path.read_bytes() == before
    opened = open_deciding(open_desk, config, key_store, clock, lambda t: "fresh")
    try:
        assert opened is not None
        desk, fresh = opened
        desk.close()
        assert isinstance(fresh, Recovery) and fresh.reason == "key_missing"
        # The ledger named the waiting change; with no key it could not be salvaged.
        assert [w.summary for w in fresh.lost] == ["受付 K001-000007"]
        aside = list((tmp_path / "data" / "set-aside").glob("*/desk-cache.sqlcipher"))
        assert len(aside) == 1 and aside[0].read_bytes() == before
    finally:
        KeyStore().delete_key(cache_id_for(config.cache_path))


def test_the_dialog_names_what_waits_and_returns_the_choice(qtbot: QtBot, tmp_path: Path) -> None:
    trouble = CacheTrouble(
        "unreadable",
        tmp_path / "desk-cache.sqlcipher",
        (WaitingWork(3, "last_minute_booking", "直前予約 K001-000003", NOW.isoformat()),),
        4,
        (),
        True,
    )
    dialog = CacheRecoveryDialog(trouble, keep_days=30)
    qtbot.addWidget(dialog)
    assert dialog.waiting.count() == 1
    assert "K001-000003" in dialog.waiting.item(0).text()
    dialog.fresh_button.click()
    assert dialog.choice is RecoveryChoice.FRESH


def dialog_text(dialog: CacheRecoveryDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


@pytest.mark.usefixtures(
    "english_ui"
)  # checked by its English source; test_translations checks the Japanese
def test_the_dialog_says_none_can_be_sent_when_nothing_reads(qtbot: QtBot, tmp_path: Path) -> None:
    waiting = WaitingWork(3, "last_minute_booking", "直前予約 K001-000003", NOW.isoformat())
    nothing_read = CacheTrouble(
        "key_missing", tmp_path / "desk-cache.sqlcipher", (waiting,), 0, (), True
    )
    dialog = CacheRecoveryDialog(nothing_read, keep_days=30)
    qtbot.addWidget(dialog)
    text = dialog_text(dialog)
    assert "None of them can be read" in text
    assert "0 of them" not in text and "will be sent" not in text
