"""利用状況 (how the rooms are used): this center's figures for a month, beside the same month a
year earlier and the fiscal year to date, with a heat map and bar charts; printable as the
monthly report (月次利用状況報告).

The desk's cache holds only 30 days back, so the figures come from the reservation system,
fetched on a pool thread (never the GUI's). Offline, the view says it needs the system. The
figures carry no personal data.

The figures table is usage_figures.py; the heat map and the charts, usage_charts.py.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import tokyo_date
from center_desk.domain.eras import era_year
from center_desk.domain.usage import CenterUsage
from center_desk.printing import FormPdf, PrintRecord, render_png_pages
from center_desk.printing.usage_report import usage_report_pdf

from .. import messages
from ..context import DeskContext
from ..print_service import PreviewDialog, describe, print_service
from ..widgets.background import run_for
from ..widgets.message_bar import MessageBar
from .usage_charts import LAST_YEAR, THIS_MONTH, BarChart, HeatMap, Series
from .usage_figures import UsageFigures

log = logging.getLogger("center_desk.ui.usage")

# How far ahead staff may look: bookings exist up to about three months ahead.
MONTHS_AHEAD = 3


def month_text(first: date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def shift_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def era_month(first: date) -> str:
    """令和9年2月, as staff read dates."""
    name, year = era_year(first)
    return f"{name}{'元' if year == 1 else year}年{first.month}月"


class UsageView(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.month = tokyo_date(ctx.clock.now()).replace(day=1)
        self.usage: CenterUsage | None = None
        self.loaded_month: date | None = None
        self._loading_month: date | None = None
        self._generation = 0

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.previous = QPushButton(self.tr("◀ Previous month"), self)
        self.previous.setObjectName("previousMonth")
        self.previous.clicked.connect(lambda: self.show_month(shift_month(self.month, -1)))
        self.month_label = QLabel(self)
        self.month_label.setObjectName("usageMonth")
        self.month_label.setStyleSheet("font-size: 14pt; font-weight: bold; padding: 0 12px;")
        self.next = QPushButton(self.tr("Next month ▶"), self)
        self.next.setObjectName("nextMonth")
        self.next.clicked.connect(lambda: self.show_month(shift_month(self.month, 1)))
        self.reload = QPushButton(self.tr("Reload"), self)
        self.reload.setObjectName("reloadUsage")
        self.reload.clicked.connect(self.load)
        self.print_button = QPushButton(self.tr("Print monthly report…"), self)
        self.print_button.setObjectName("printUsageReport")
        self.print_button.clicked.connect(self.preview_report)
        self.previous.setToolTip(self.tr("Previous month (Alt+Page Up)"))
        self.next.setToolTip(self.tr("Next month (Alt+Page Down)"))
        self.print_button.setToolTip(
            self.tr("Preview and print the monthly usage report for this month (Ctrl+P)")
        )
        # Keys for this view only (WidgetWithChildrenShortcut), as in 空き状況.
        for keys, button in (
            ("Alt+PgUp", self.previous),
            ("Alt+PgDown", self.next),
            ("Ctrl+P", self.print_button),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, b=button: b.isEnabled() and b.click())
            self.addAction(action)
        for widget in (self.previous, self.month_label, self.next, self.reload):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        outer.addLayout(bar)

        self.message = MessageBar(self)
        self.message.setObjectName("usageMessage")
        outer.addWidget(self.message)
        note = QLabel(
            self.tr(
                "Counted by the reservation system: changes this desk has not sent yet are not "
                "included. Offered slots leave out closed days; used slots count every booking "
                "not cancelled, no-shows included."
            ),
            self,
        )
        note.setObjectName("usageNote")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        outer.addWidget(note)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget(scroll)
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)

        heat_title = QLabel(self.tr("Occupancy by room and slot (this month)"), body)
        heat_title.setStyleSheet("font-weight: bold;")
        self.heat_map = HeatMap(body)
        self.heat_map.setObjectName("usageHeatMap")
        self.kind_chart = BarChart(self.tr("Bookings by kind"), body)
        self.kind_chart.setObjectName("usageKindChart")
        self.lottery_chart = BarChart(self.tr("Lottery entries by slot"), body)
        self.lottery_chart.setObjectName("usageLotteryChart")
        charts = QHBoxLayout()
        charts.addWidget(self.kind_chart)
        charts.addWidget(self.lottery_chart)

        left = QVBoxLayout()
        left.addWidget(heat_title)
        left.addWidget(self.heat_map)
        left.addLayout(charts, 1)

        self.table = UsageFigures(body)

        grid.addLayout(left, 0, 0)
        grid.addWidget(self.table, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self._show_month_label()
        self._set_enabled()

    # --- loading --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Called after every sync: the figures are the backend's, so ask again only when the
        view is on screen and the month is not loaded yet."""
        if self.isVisible():
            self._load_if_needed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._load_if_needed()

    def _load_if_needed(self) -> None:
        if self.month not in (self.loaded_month, self._loading_month):
            self.load()

    def show_month(self, first: date) -> None:
        self.month = first
        # Never the old month's figures under the new month's name while the new ones load.
        self.usage = None
        self._show(None)
        self._show_month_label()
        self._set_enabled()
        self.load()

    def load(self) -> None:
        self._generation += 1
        generation = self._generation
        month = self.month
        self._loading_month = month
        center_id = self.ctx.center_id
        self.message.show_message(
            "info", self.tr("Loading the figures from the reservation system…")
        )
        self.reload.setEnabled(False)
        run_for(
            self,
            self.ctx,
            lambda: self.ctx.ops.usage(center_id, month_text(month)).to_domain(),
            lambda usage: self._loaded(generation, month, usage),
            lambda error: self._failed(generation, error),
        )

    def _loaded(self, generation: int, month: date, usage: CenterUsage) -> None:
        if generation != self._generation:
            return  # the clerk moved on to another month meanwhile
        self._loading_month = None
        self.usage = usage
        self.loaded_month = month
        self.message.clear_message()
        self.reload.setEnabled(True)
        self._show(usage)
        self._set_enabled()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading_month = None
        self.reload.setEnabled(True)
        self.usage = None
        self.loaded_month = None
        self._show(None)
        self._set_enabled()
        self.message.show_message("error", messages.for_error(error).text())

    # --- showing --------------------------------------------------------------------------

    def _show_month_label(self) -> None:
        self.month_label.setText(era_month(self.month))

    def _set_enabled(self) -> None:
        today = tokyo_date(self.ctx.clock.now()).replace(day=1)
        self.next.setEnabled(self.month < shift_month(today, MONTHS_AHEAD))
        self.print_button.setEnabled(self.usage is not None and self.loaded_month == self.month)

    def _show(self, usage: CenterUsage | None) -> None:
        self.heat_map.set_usage(usage)
        legend = (self.tr("This month"), self.tr("Same month last year"))
        if usage is None:
            self.kind_chart.set_data([], [])
            self.lottery_chart.set_data([], [])
            self.table.set_usage(None, {})
            return
        now, before = usage.this_month, usage.previous_year
        kinds = self._kind_labels()
        self.kind_chart.set_data(
            list(kinds.values()),
            [
                Series(legend[0], THIS_MONTH, tuple(now.by_kind.get(k, 0) for k in kinds)),
                Series(legend[1], LAST_YEAR, tuple(before.by_kind.get(k, 0) for k in kinds)),
            ],
        )
        slot_ids = [slot_id for slot_id, _ in usage.slots]
        self.lottery_chart.set_data(
            [label for _, label in usage.slots],
            [
                Series(
                    legend[0],
                    THIS_MONTH,
                    tuple(now.lottery_entries_by_slot.get(s, 0) for s in slot_ids),
                ),
                Series(
                    legend[1],
                    LAST_YEAR,
                    tuple(before.lottery_entries_by_slot.get(s, 0) for s in slot_ids),
                ),
            ],
        )
        self.table.set_usage(usage, kinds)

    def _kind_labels(self) -> dict[str, str]:
        return {
            "lottery": self.tr("Lottery"),
            "first_come": self.tr("First-come"),
            "last_minute": self.tr("Walk-in (counter)"),
        }

    # --- the monthly report ------------------------------------------------------------------

    def preview_report(self) -> None:
        usage = self.usage
        if usage is None:
            return
        made_on = tokyo_date(self.ctx.clock.now())

        def build() -> tuple[FormPdf, list[bytes]]:
            form = usage_report_pdf([usage], made_on=made_on)
            return form, render_png_pages(form.data, dpi=90)

        def show(result: tuple[FormPdf, list[bytes]]) -> None:
            form, pages = result
            dialog = PreviewDialog(
                self.tr("Monthly usage report %1").replace("%1", era_month(usage.month)),
                pages,
                self,
                print_label=self.tr("Print the report"),
            )
            dialog.setObjectName("usageReportPreview")
            dialog.print_requested.connect(lambda: self.print_report(form, usage))
            dialog.open()

        run_for(self, self.ctx, build, show, self._print_failed)

    def print_report(self, form: FormPdf, usage: CenterUsage) -> None:
        service = print_service(self.ctx)
        subject = f"usage_report {usage.center_id} {usage.month_text}"
        run_for(
            self,
            self.ctx,
            lambda: service.print_form(form, subject),
            self._printed,
            self._print_failed,
        )

    def _printed(self, _record: PrintRecord) -> None:
        self.message.show_message(
            "success", self.tr("The monthly usage report has been sent to the printer.")
        )

    def _print_failed(self, error: BaseException) -> None:
        self.message.show_message("error", describe(error).text())
