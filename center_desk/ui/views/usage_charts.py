"""Painted charts for 利用状況: a room × slot heat map and grouped bars.

The desk ships PySide6-Essentials, which has no QtCharts, so these paint with QPainter. Both
draw numbers on the shapes as well, so a colour never carries a figure alone (colour-blind
staff, monochrome printouts of a screenshot).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from center_desk.domain.usage import CenterUsage

# The month's bars and the previous year's, as on the printed report.
THIS_MONTH = QColor(41, 97, 171)
LAST_YEAR = QColor(184, 194, 209)
INK = QColor(33, 37, 41)
MUTED = QColor(108, 117, 125)
NOT_OFFERED = QColor(236, 236, 236)


def heat_colour(rate: float) -> QColor:
    """White (unused) to dark blue (full), the printed report's scale."""
    rate = max(0.0, min(1.0, rate))
    return QColor.fromRgbF(1 - 0.82 * rate, 1 - 0.6 * rate, 1 - 0.25 * rate)


def percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


class HeatMap(QWidget):
    """Rooms down, slots across: each cell coloured by the month's occupancy, with the rate,
    used/offered, and the previous year's rate beneath."""

    ROW = 46
    HEAD = 26
    LABEL = 118

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.usage: CenterUsage | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.HEAD + self.ROW)

    def set_usage(self, usage: CenterUsage | None) -> None:
        self.usage = usage
        rows = len(usage.rooms) if usage else 1
        self.setFixedHeight(self.HEAD + self.ROW * max(1, rows) + 2)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, self.height())

    def cell_rect(self, row: int, column: int) -> QRectF:
        usage = self.usage
        columns = max(1, len(usage.slots)) if usage else 1
        width = (self.width() - self.LABEL) / columns
        return QRectF(self.LABEL + column * width, self.HEAD + row * self.ROW, width, self.ROW)

    def paintEvent(self, event: QPaintEvent) -> None:
        usage = self.usage
        if usage is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bold = QFont(self.font())
        bold.setBold(True)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        for column, (_, label) in enumerate(usage.slots):
            rect = self.cell_rect(0, column)
            painter.setFont(bold)
            painter.setPen(INK)
            painter.drawText(
                QRectF(rect.x(), 0, rect.width(), self.HEAD), Qt.AlignmentFlag.AlignCenter, label
            )
        for row, (room_id, name) in enumerate(usage.rooms):
            top = self.HEAD + row * self.ROW
            painter.setFont(self.font())
            painter.setPen(INK)
            painter.drawText(
                QRectF(0, top, self.LABEL - 6, self.ROW),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                name,
            )
            for column, (slot_id, _) in enumerate(usage.slots):
                rect = self.cell_rect(row, column).adjusted(1, 1, -1, -1)
                cell = usage.this_month.cell(room_id, slot_id)
                if not cell.offered:
                    painter.fillRect(rect, NOT_OFFERED)
                    painter.setPen(MUTED)
                    painter.setFont(small)
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("Not let"))
                    continue
                rate = cell.occupancy
                painter.fillRect(rect, heat_colour(rate))
                ink = QColor(Qt.GlobalColor.white) if rate >= 0.55 else INK
                painter.setPen(ink)
                painter.setFont(bold)
                upper = QRectF(rect.x(), rect.y() + 3, rect.width(), rect.height() / 2)
                painter.drawText(
                    upper,
                    Qt.AlignmentFlag.AlignCenter,
                    f"{percent(rate)}（{cell.used}/{cell.offered}）",
                )
                painter.setFont(small)
                before = usage.previous_year.cell(room_id, slot_id)
                lower = QRectF(rect.x(), rect.center().y(), rect.width(), rect.height() / 2 - 3)
                painter.drawText(
                    lower,
                    Qt.AlignmentFlag.AlignCenter,
                    self.tr("Last year %1").replace("%1", percent(before.occupancy)),
                )
        painter.end()


@dataclass(frozen=True)
class Series:
    label: str
    colour: QColor
    values: tuple[int, ...]


class BarChart(QWidget):
    """Grouped vertical bars, one group per category, with the values on the bars and a
    legend at the top right."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.categories: tuple[str, ...] = ()
        self.series: tuple[Series, ...] = ()
        self.setMinimumSize(260, 190)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, categories: Sequence[str], series: Sequence[Series]) -> None:
        self.categories = tuple(categories)
        self.series = tuple(series)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(INK)
        painter.drawText(QRectF(0, 0, self.width(), line + 4), self.title)
        painter.setFont(self.font())
        # Legend on its own line under the title, so a narrow chart never overlaps the two.
        x = 0.0
        legend_y = line + 4
        for series in self.series:
            painter.fillRect(QRectF(x, legend_y + (line - 10) / 2, 10, 10), series.colour)
            x += 14
            width = metrics.horizontalAdvance(series.label)
            painter.drawText(QRectF(x, legend_y, width + 4, line), series.label)
            x += width + 16
        if not self.categories or not self.series:
            painter.end()
            return
        top, bottom = 2 * line + 18, self.height() - line - 8
        left, right = 6.0, self.width() - 6.0
        highest = max([1, *(v for s in self.series for v in s.values)])
        painter.setPen(QPen(MUTED, 1))
        painter.drawLine(int(left), int(bottom), int(right), int(bottom))
        group = (right - left) / len(self.categories)
        bar = min(48.0, group * 0.8 / len(self.series))
        for index, category in enumerate(self.categories):
            start = left + index * group + (group - bar * len(self.series)) / 2
            for number, series in enumerate(self.series):
                value = series.values[index] if index < len(series.values) else 0
                height = (bottom - top - line) * value / highest
                rect = QRectF(start + number * bar, bottom - height, bar - 2, height)
                painter.fillRect(rect, series.colour)
                painter.setPen(INK)
                painter.drawText(
                    QRectF(rect.x() - 8, rect.y() - line - 1, rect.width() + 16, line),
                    Qt.AlignmentFlag.AlignCenter,
                    f"{value:,}",
                )
            painter.setPen(INK)
            painter.drawText(
                QRectF(left + index * group, bottom + 3, group, line + 2),
                Qt.AlignmentFlag.AlignCenter,
                category,
            )
        painter.end()
