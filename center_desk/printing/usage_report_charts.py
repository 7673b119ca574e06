"""The charts of 月次利用状況報告 as reportlab drawings (vector, so they print sharply): the room ×
slot heat map, bookings by kind and lottery entries by slot against the same month a year
earlier, and each center's occupancy on the city office's summary page.

Shades stay distinct on the counters' monochrome lasers, and every shape also prints its
number, so no figure depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from ..domain.usage import CenterUsage
from .fonts import GOTHIC, MINCHO
from .layout import CONTENT_WIDTH
from .missing_glyphs import printable

KIND_LABELS = {"lottery": "抽選", "first_come": "先着", "last_minute": "直前（窓口）"}

THIS_MONTH = colors.Color(0.16, 0.38, 0.67)
LAST_YEAR = colors.Color(0.72, 0.76, 0.82)


def percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def nice_step(top: int) -> int:
    """An axis step of 1, 2 or 5 times a power of ten giving about four gridlines."""
    rough = max(1.0, top / 4)
    power = 1
    while power * 10 <= rough:
        power *= 10
    for factor in (1, 2, 5, 10):
        if power * factor >= rough:
            return power * factor
    return power * 10


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # reportlab starts a drawing in Helvetica, which would put an unembedded font in the PDF.
    drawing.initialFontName = MINCHO
    return drawing


def heat_colour(rate: float) -> colors.Color:
    """White (unused) to dark blue (full); dark cells print their text in white."""
    rate = max(0.0, min(1.0, rate))
    return colors.Color(1 - 0.82 * rate, 1 - 0.6 * rate, 1 - 0.25 * rate)


def heat_map(usage: CenterUsage, width: float = CONTENT_WIDTH) -> Drawing:
    """Rooms down, slots across; each cell shaded by occupancy, with the month's rate and the
    previous year's beneath it."""
    label_w = 34 * mm
    cell_h = 8.5 * mm
    head_h = 7 * mm
    cols = max(1, len(usage.slots))
    cell_w = (width - label_w) / cols
    height = head_h + cell_h * len(usage.rooms) + 2
    drawing = _drawing(width, height)
    top = height - head_h
    for c, (_, label) in enumerate(usage.slots):
        x = label_w + c * cell_w + cell_w / 2
        drawing.add(
            String(
                x,
                top + 2 * mm,
                printable(label),
                fontName=GOTHIC,
                fontSize=8.5,
                textAnchor="middle",
            )
        )
    for r, (room_id, name) in enumerate(usage.rooms):
        y = top - (r + 1) * cell_h
        drawing.add(
            String(0, y + cell_h / 2 - 1.2 * mm, printable(name), fontName=GOTHIC, fontSize=8.5)
        )
        for c, (slot_id, _) in enumerate(usage.slots):
            x = label_w + c * cell_w
            cell = usage.this_month.cell(room_id, slot_id)
            if not cell.offered:
                drawing.add(
                    Rect(
                        x,
                        y,
                        cell_w,
                        cell_h,
                        fillColor=colors.Color(0.93, 0.93, 0.93),
                        strokeColor=colors.white,
                        strokeWidth=1.5,
                    )
                )
                drawing.add(
                    String(
                        x + cell_w / 2,
                        y + cell_h / 2 - 1.2 * mm,
                        "貸出なし",
                        fontName=MINCHO,
                        fontSize=7.5,
                        textAnchor="middle",
                        fillColor=colors.Color(0.4, 0.4, 0.4),
                    )
                )
                continue
            rate = cell.occupancy
            drawing.add(
                Rect(
                    x,
                    y,
                    cell_w,
                    cell_h,
                    fillColor=heat_colour(rate),
                    strokeColor=colors.white,
                    strokeWidth=1.5,
                )
            )
            ink = colors.white if rate >= 0.55 else colors.black
            drawing.add(
                String(
                    x + cell_w / 2,
                    y + cell_h / 2 + 0.3 * mm,
                    f"{percent(rate)}（{cell.used}/{cell.offered}）",
                    fontName=GOTHIC,
                    fontSize=8.5,
                    textAnchor="middle",
                    fillColor=ink,
                )
            )
            before = usage.previous_year.cell(room_id, slot_id)
            drawing.add(
                String(
                    x + cell_w / 2,
                    y + 1.6 * mm,
                    f"前年 {percent(before.occupancy)}",
                    fontName=MINCHO,
                    fontSize=6.5,
                    textAnchor="middle",
                    fillColor=ink,
                )
            )
    return drawing


def _legend(x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = MINCHO, 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.boxAnchor = "nw"
    legend.dx = legend.dy = 6
    legend.deltax = 48
    legend.colorNamePairs = [(THIS_MONTH, "当月"), (LAST_YEAR, "前年同月")]
    return legend


def _bars(
    title: str,
    labels: Sequence[str],
    now: Sequence[int],
    before: Sequence[int],
    width: float,
    height: float = 42 * mm,
) -> Drawing:
    drawing = _drawing(width, height)
    drawing.add(String(0, height - 4 * mm, title, fontName=GOTHIC, fontSize=9))
    chart = VerticalBarChart()
    chart.x, chart.y = 10 * mm, 9 * mm
    chart.width, chart.height = width - 14 * mm, height - 24 * mm
    chart.data = [list(now), list(before)]
    chart.bars[0].fillColor = THIS_MONTH
    chart.bars[1].fillColor = LAST_YEAR
    chart.bars.strokeWidth = 0
    chart.categoryAxis.categoryNames = [printable(label) for label in labels]
    chart.categoryAxis.labels.fontName = MINCHO
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = MINCHO
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    step = nice_step(max([*now, *before, 1]))
    chart.valueAxis.valueMax = step * (max([*now, *before, 1]) // step + 1)
    chart.valueAxis.valueStep = step
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = MINCHO
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 5
    drawing.add(chart)
    drawing.add(_legend(width - 48 * mm, height - 1 * mm))
    return drawing


def kind_chart(usage: CenterUsage, width: float) -> Drawing:
    kinds = list(KIND_LABELS)
    return _bars(
        "予約の種類別件数",
        [KIND_LABELS[k] for k in kinds],
        [usage.this_month.by_kind.get(k, 0) for k in kinds],
        [usage.previous_year.by_kind.get(k, 0) for k in kinds],
        width,
    )


def lottery_chart(usage: CenterUsage, width: float) -> Drawing:
    return _bars(
        "抽選申込数（コマ別）",
        [label for _, label in usage.slots],
        [usage.this_month.lottery_entries_by_slot.get(s, 0) for s, _ in usage.slots],
        [usage.previous_year.lottery_entries_by_slot.get(s, 0) for s, _ in usage.slots],
        width,
    )


def centers_chart(usages: Sequence[CenterUsage], width: float = CONTENT_WIDTH) -> Drawing:
    """Each center's occupancy this month against a year earlier."""
    # All 19 centers and the table above must share one page.
    row_h = (5.2 if len(usages) <= 12 else 4.0) * mm
    height = row_h * len(usages) + 22 * mm
    drawing = _drawing(width, height)
    drawing.add(
        String(
            0, height - 4 * mm, "センター別利用率（当月と前年同月）", fontName=GOTHIC, fontSize=9
        )
    )
    chart = HorizontalBarChart()
    chart.x, chart.y = 36 * mm, 8 * mm
    chart.width, chart.height = width - 44 * mm, height - 22 * mm
    # reportlab draws the first category at the bottom; reverse so the list reads downwards.
    ordered = list(reversed(usages))
    chart.data = [
        [round(u.this_month.occupancy * 100, 1) for u in ordered],
        [round(u.previous_year.occupancy * 100, 1) for u in ordered],
    ]
    chart.bars[0].fillColor = THIS_MONTH
    chart.bars[1].fillColor = LAST_YEAR
    chart.bars.strokeWidth = 0
    chart.categoryAxis.categoryNames = [printable(u.center_name) for u in ordered]
    chart.categoryAxis.labels.fontName = MINCHO
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = MINCHO
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.barLabelFormat = "%.1f%%"
    chart.barLabels.fontName = MINCHO
    chart.barLabels.fontSize = 6
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    drawing.add(_legend(width - 48 * mm, height - 1 * mm))
    return drawing
