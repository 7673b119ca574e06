"""The words, marks and colours for a cell's state, and the legend that explains them: the same
on the availability grids and in the proxy view."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QWidget,
)

from center_desk.domain import (
    Phase,
)

from .booking_words import closure_text, holder_text
from .cells import Cell, CellState

COLOURS: dict[CellState, tuple[str, str]] = {
    # (background, text); the text colour keeps at least 4.5:1 contrast on its background.
    CellState.FREE: ("#d4f0d4", "#0f4d0f"),
    CellState.BOOKED: ("#cfd8e3", "#1d2a3a"),
    CellState.LOTTERY: ("#e4d5f2", "#40225c"),
    CellState.PENDING: ("#ffe08a", "#4d3800"),
    CellState.CLOSED: ("#7a7a7a", "#ffffff"),
    CellState.ENDED: ("#eeeeee", "#555555"),
    CellState.NOT_OPEN: ("#f6f6f6", "#666666"),
}


def state_word(state: CellState) -> str:
    words = {
        CellState.FREE: QCoreApplication.translate("Availability", "Free"),
        CellState.BOOKED: QCoreApplication.translate("Availability", "Booked"),
        CellState.LOTTERY: QCoreApplication.translate("Availability", "Lottery"),
        CellState.PENDING: QCoreApplication.translate("Availability", "Waiting to sync"),
        CellState.CLOSED: QCoreApplication.translate("Availability", "Closed"),
        CellState.ENDED: QCoreApplication.translate("Availability", "Ended"),
        CellState.NOT_OPEN: QCoreApplication.translate("Availability", "Not open"),
    }
    return words[state]


def state_mark(state: CellState) -> str:
    """One character for the month view's narrow cells; the legend says what each means."""
    marks = {
        CellState.FREE: QCoreApplication.translate("Availability", "○"),
        CellState.BOOKED: QCoreApplication.translate("Availability", "×"),
        CellState.LOTTERY: QCoreApplication.translate("Availability", "L"),
        CellState.PENDING: QCoreApplication.translate("Availability", "W"),
        CellState.CLOSED: QCoreApplication.translate("Availability", "C"),
        CellState.ENDED: QCoreApplication.translate("Availability", "–"),
        CellState.NOT_OPEN: QCoreApplication.translate("Availability", "–"),
    }
    return marks[state]


def phase_text(phase: Phase | None) -> str:
    texts = {
        Phase.NOT_YET_OPEN: QCoreApplication.translate(
            "Availability", "Booking has not opened for this day yet."
        ),
        Phase.LOTTERY: QCoreApplication.translate(
            "Availability", "Lottery applications are being taken for this day."
        ),
        Phase.LOTTERY_CLOSED: QCoreApplication.translate(
            "Availability", "First-come booking has not opened for this day yet."
        ),
        Phase.COUNTER: QCoreApplication.translate(
            "Availability", "In the last seven days only walk-in bookings at the counter."
        ),
        Phase.PAST: QCoreApplication.translate("Availability", "This day has passed."),
    }
    if phase is None:
        return QCoreApplication.translate("Availability", "This room is not let in this slot.")
    return texts.get(phase, "")


def cell_tooltip(cell: Cell) -> str:
    if cell.booking is not None:
        text = f"{cell.booking.approval_number} {holder_text(cell.booking)}"
        if cell.state is CellState.PENDING:
            text += "\n" + QCoreApplication.translate(
                "Availability", "Booked at this desk; waiting to be sent to the reservation system."
            )
        return text
    if cell.closure is not None:
        return QCoreApplication.translate("Availability", "Closed: %1").replace(
            "%1", closure_text(cell.closure)
        )
    if cell.state is CellState.FREE:
        return QCoreApplication.translate("Availability", "Free")
    if cell.state is CellState.ENDED:
        return QCoreApplication.translate("Availability", "This slot is over.")
    return phase_text(cell.phase)


def legend(parent: QWidget, *, compact: bool) -> QWidget:
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    # Each grid explains the states it can show.
    states = list(CellState)
    states.remove(CellState.ENDED if compact else CellState.NOT_OPEN)
    for state in states:
        background, foreground = COLOURS[state]
        swatch = QLabel(state_mark(state) if compact else "", box)
        swatch.setFixedSize(22, 18)
        swatch.setAlignment(Qt.AlignmentFlag.AlignCenter)
        swatch.setStyleSheet(
            f"background: {background}; color: {foreground}; border: 1px solid #999;"
        )
        row.addWidget(swatch)
        row.addWidget(QLabel(state_word(state), box))
        row.addSpacing(8)
    row.addStretch(1)
    return box
