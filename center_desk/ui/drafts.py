"""Unsaved input kept across a lock (DESIGN.md §5: "dialogs close, drafts stay in the encrypted
cache").

The lock closes every dialog. Before it does, each dialog that knows how it was opened
(:class:`Reopenable`) leaves what was typed in the cache's meta table, which SQLCipher encrypts
with the rest of the cache. After the next unlock the window offers the dialogs back, and each
one is rebuilt from its origin (which booking, which group) and refilled from its draft.

Most dialogs need nothing of their own: :func:`collect` reads every named input widget and
:func:`apply` writes the values back. A dialog whose fields depend on each other (the walk-in's
slots exist only once its day and room are read) gives its own ``draft_values`` and
``restore_draft``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import shiboken6
from PySide6.QtCore import QDate, QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from center_desk.store import Connection, meta

from .context import DeskContext

log = logging.getLogger("center_desk.ui.drafts")

#: The meta key listing the dialogs the last lock closed, with their drafts.
REOPEN_KEY = meta.DRAFT_PREFIX + "reopen"


@dataclass(frozen=True)
class Draft:
    """One dialog the lock closed: ``kind`` and ``origin`` say how to open it again (e.g.
    ("booking_action", {"action": "fee", "reservation_id": "…"})); ``values`` is what was
    typed; ``title`` is the dialog's window title, for the offer after unlock."""

    kind: str
    origin: dict[str, str]
    values: dict[str, str]
    title: str

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "origin": self.origin,
            "values": self.values,
            "title": self.title,
        }

    @classmethod
    def from_json(cls, data: object) -> Draft | None:
        if not isinstance(data, dict):
            return None
        origin, values = data.get("origin"), data.get("values")
        if not isinstance(origin, dict) or not isinstance(values, dict):
            return None
        return cls(
            kind=str(data.get("kind", "")),
            origin={str(k): str(v) for k, v in origin.items()},
            values={str(k): str(v) for k, v in values.items()},
            title=str(data.get("title", "")),
        )


@runtime_checkable
class Reopenable(Protocol):
    """A dialog the window can open again after a lock."""

    def draft_origin(self) -> tuple[str, dict[str, str]]: ...


def draft_of(dialog: QWidget) -> Draft | None:
    """What to keep of this dialog, or ``None`` when nothing was typed (or it cannot be
    reopened)."""
    if not isinstance(dialog, Reopenable):
        return None
    own = getattr(dialog, "draft_values", None)
    values: dict[str, str] | None = own() if callable(own) else collect(dialog)
    if not values:
        return None
    kind, origin = dialog.draft_origin()
    return Draft(kind, origin, values, dialog.windowTitle())


def collect(root: QWidget) -> dict[str, str]:
    """The typed value of every named input widget under ``root``; empty fields are left out,
    so an untouched dialog gives an empty dict."""
    values: dict[str, str] = {}
    for widget in root.findChildren(QWidget):
        name = widget.objectName()
        if not name or name.startswith("qt_") or not widget.isEnabled():
            continue
        value = _value_of(widget)
        if value:
            values[name] = value
    return values


def apply(root: QWidget, values: dict[str, str]) -> None:
    """Put values from :func:`collect` back into the widgets of the same names."""
    for widget in root.findChildren(QWidget):
        value = values.get(widget.objectName())
        if value is not None:
            _put_value(widget, value)


def _value_of(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        return "" if widget.isReadOnly() else widget.text()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return "" if widget.isReadOnly() else widget.toPlainText()
    if isinstance(widget, QSpinBox):
        return str(widget.value()) if widget.value() != widget.minimum() else ""
    if isinstance(widget, QDateEdit):
        return ""  # dates come from the dialog's origin, not from typing
    if isinstance(widget, QComboBox):
        return str(widget.currentIndex()) if widget.currentIndex() > 0 else ""
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return "1" if widget.isChecked() else ""
    return ""


def _put_value(widget: QWidget, value: str) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText(value)
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
        widget.setPlainText(value)
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value or 0))
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(int(value or 0))
    elif isinstance(widget, QAbstractButton) and widget.isCheckable():
        widget.setChecked(value == "1")


def qdate_text(day: QDate) -> str:
    return day.toString("yyyy-MM-dd")


# --- the cache ------------------------------------------------------------------------------


def keep(ctx: DeskContext, drafts: list[Draft]) -> None:
    """Add ``drafts`` to what the next unlock offers back (a dialog of the same kind and
    origin replaces its older draft)."""
    if not drafts:
        return
    # The sync engine forgets drafts past their time (SyncEngine.retain), counted from here.
    kept_at = ctx.clock.now().isoformat()

    def store(conn: Connection) -> None:
        _rewrite(conn, without=drafts, adding=drafts)
        meta.put(conn, meta.DRAFTS_KEPT_AT, kept_at)

    write_behind(ctx, store, "draft not kept")


def take(ctx: DeskContext, then: Callable[[list[Draft]], None], owner: QObject) -> None:
    """Read what the last lock kept (``then`` gets it on the GUI thread) without removing it:
    :func:`forget` does that once staff have reopened or discarded it."""
    db = ctx.db

    def done(drafts: list[Draft]) -> None:
        if shiboken6.isValid(owner):
            then(drafts)

    ctx.tasks.run(
        lambda: db.call(_read),
        done,
        lambda e: log.warning("drafts not read: %s", type(e).__name__),
    )


def drop(ctx: DeskContext, kind: str, origin: dict[str, str]) -> None:
    """Take back what a lock kept of a dialog whose work was finished after all (a booking
    that was in flight when the lock closed it): offered again, it would only be refused."""
    gone = Draft(kind, origin, {}, "")
    write_behind(ctx, lambda conn: _rewrite(conn, without=[gone], adding=[]), "draft not dropped")


def forget(ctx: DeskContext) -> None:
    write_behind(ctx, lambda conn: meta.put(conn, REOPEN_KEY, ""), "drafts not cleared")


def write_behind(ctx: DeskContext, store: Callable[[Connection], None], failure: str) -> None:
    """``store`` on the cache, in the background and tied to no dialog: the write must happen
    although the lock has just closed the dialogs it is about."""
    db = ctx.db
    ctx.tasks.run(
        lambda: db.call(store), on_error=lambda e: log.warning("%s: %s", failure, type(e).__name__)
    )


def _rewrite(conn: Connection, *, without: list[Draft], adding: list[Draft]) -> None:
    """The kept drafts, less those of the same kind and origin as ``without``, plus ``adding``."""
    kept = [d for d in _read(conn) if not any(_same(d, n) for n in without)]
    meta.put(conn, REOPEN_KEY, json.dumps([d.to_json() for d in kept + adding], ensure_ascii=False))


def _same(a: Draft, b: Draft) -> bool:
    return a.kind == b.kind and a.origin == b.origin


def _read(conn: Connection) -> list[Draft]:
    text = meta.get(conn, REOPEN_KEY)
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    return [d for d in (Draft.from_json(item) for item in data) if d is not None]
