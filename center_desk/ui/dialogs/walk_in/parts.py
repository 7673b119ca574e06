"""The walk-in form's pieces without a dialog: what it reads about a day from the cache, its
date field, how a group reads in the group list, and a booking's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtGui import (
    QKeyEvent,
)
from PySide6.QtWidgets import (
    QDateEdit,
)

from center_desk.domain import (
    CHARGE_FEE,
    Center,
    SlotDef,
)
from center_desk.store import Connection
from center_desk.store import catalog as cached_catalog
from center_desk.store import reservations as cached
from center_desk.store.groups import CachedGroup
from center_desk.store.reservations import CachedReservation

from ...widgets.booking_words import closure_text

SEARCH_DELAY_MS = 200
#: What a lock keeps of this dialog is filed under this kind (drafts.py), with no origin.
DRAFT_KIND = "walk_in"
#: How far ahead the date field goes: the days this desk keeps (a later day is never a walk-in).
LAST_DAY_SHOWN = 92


class DateEdit(QDateEdit):
    """Enter in the date moves on to the next field; it never books (the form is not yet
    looked at)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.focusNextChild()
            return
        super().keyPressEvent(event)


@dataclass(frozen=True)
class DayFacts:
    """What the form needs to know about the chosen day, read from the cache."""

    center: Center | None
    slots: tuple[SlotDef, ...]
    closure: str
    #: (room id, slot id) -> approval number of the booking holding it.
    taken: dict[tuple[str, str], str]


@dataclass(frozen=True)
class Outcome:
    booked: list[CachedReservation]
    error: BaseException | None


def read_day(db: Connection, center_id: str, day: date) -> DayFacts:
    closure = cached_catalog.calendar(db, center_id).closure(day)
    return DayFacts(
        center=cached_catalog.center(db, center_id),
        slots=cached_catalog.slots(db),
        closure=closure_text(closure) if closure else "",
        taken={
            (b.room_id, b.slot_id): b.approval_number
            for b in cached.between(db, center_id, day, day)
        },
    )


def group_choice_text(group: CachedGroup) -> str:
    text = f"{group.name}（{group.form.furigana}） {group.user_id}"
    if not group.active:
        text += QCoreApplication.translate("WalkInDialog", " (de-registered)")
    return text


#: The exemption list's "the fee is charged" entry.
CHARGED = CHARGE_FEE


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
