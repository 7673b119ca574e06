"""The figures table of 利用状況: each figure for the month, the same month a year earlier, the
change, and the fiscal year to date (slots, occupancy, bookings by kind, lottery demand,
cancellations, no-shows, fees and exemptions by reason)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from center_desk.domain.usage import CenterUsage

from ..widgets.booking_words import exemption_label
from ..widgets.exemption import EXEMPTION_CODES
from .usage_charts import percent


def signed(diff: float, text: str) -> str:
    if diff == 0:
        return "±0"
    return ("＋" if diff > 0 else "−") + text


class UsageFigures(QTableWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(0, 5, parent)
        self.setObjectName("usageFigures")
        self.setHorizontalHeaderLabels(
            [
                self.tr("Figure"),
                self.tr("This month"),
                self.tr("Same month last year"),
                self.tr("Change"),
                self.tr("Fiscal year to date"),
            ]
        )
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(False)
        # Rows as tall as a line of the surrounding view's text, with a little air (the view's
        # font, not an item-view font a platform may give tables).
        self.verticalHeader().setDefaultSectionSize(parent.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        # Every column as wide as its longest figure; the spare width goes to the labels.
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.setMinimumWidth(540)

    def set_usage(self, usage: CenterUsage | None, kinds: dict[str, str]) -> None:
        """The figures of ``usage`` (none: an empty table); ``kinds`` names the booking kinds
        as the view's chart does."""
        if usage is None:
            self.setRowCount(0)
            return
        now, before, ytd = usage.this_month, usage.previous_year, usage.year_to_date
        periods = (now, before, ytd)

        def count(label: str, pick: str) -> list[str]:
            a, b, y = (int(getattr(p, pick)) for p in periods)
            return [label, f"{a:,}", f"{b:,}", signed(a - b, f"{abs(a - b):,}"), f"{y:,}"]

        def counted(label: str, values: tuple[int, int, int]) -> list[str]:
            a, b, y = values
            return [label, f"{a:,}", f"{b:,}", signed(a - b, f"{abs(a - b):,}"), f"{y:,}"]

        def yen(label: str, pick: str) -> list[str]:
            a, b, y = (int(getattr(p, pick)) for p in periods)
            return [
                label,
                self.tr("¥%1").replace("%1", f"{a:,}"),
                self.tr("¥%1").replace("%1", f"{b:,}"),
                signed(a - b, self.tr("¥%1").replace("%1", f"{abs(a - b):,}")),
                self.tr("¥%1").replace("%1", f"{y:,}"),
            ]

        def by(pick: str, key: str) -> tuple[int, int, int]:
            a, b, y = (getattr(p, pick).get(key, 0) for p in periods)
            return int(a), int(b), int(y)

        rate_diff = now.occupancy - before.occupancy
        demand_diff = now.lottery_demand - before.lottery_demand
        rows: list[list[str]] = [
            count(self.tr("Slots offered"), "offered"),
            count(self.tr("Slots used"), "used"),
            [
                self.tr("Occupancy"),
                percent(now.occupancy),
                percent(before.occupancy),
                signed(rate_diff, self.tr("%1 pt").replace("%1", f"{abs(rate_diff) * 100:.1f}")),
                percent(ytd.occupancy),
            ],
            count(self.tr("Bookings"), "bookings"),
            *(counted(f"　{label}", by("by_kind", kind)) for kind, label in kinds.items()),
            count(self.tr("Lottery entries"), "lottery_entries"),
            [
                self.tr("Entries per lottery slot"),
                *(f"{p.lottery_demand:.2f}" for p in (now, before)),
                signed(demand_diff, f"{abs(demand_diff):.2f}"),
                f"{ytd.lottery_demand:.2f}",
            ],
            count(self.tr("Cancellations"), "cancellations"),
            count(self.tr("No-shows"), "no_shows"),
            yen(self.tr("Fees (nominal)"), "fees_nominal"),
            yen(self.tr("Fees charged"), "fees_charged"),
            yen(self.tr("Fees received"), "fees_received"),
            count(self.tr("Fee exemptions"), "exempted"),
            *(
                counted(f"　{exemption_label(reason)}", by("exemptions", reason))
                for reason in EXEMPTION_CODES
            ),
        ]
        self.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.setItem(row, column, item)
