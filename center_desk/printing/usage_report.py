"""月次利用状況報告: the monthly usage report, one page per center, with a summary page of every
center first when there are several (the city office's copy).

Figures only (from :mod:`center_desk.domain.usage`): no group or person appears, so unlike the
other forms this PDF may be saved as a file for the city office. Charts are reportlab drawings
(vector, so they print sharply): the room × slot heat map, bookings by kind against the same
month a year earlier, lottery entries by slot, and on the summary page each center's occupancy
against a year earlier. Shades are chosen to stay distinct on the counters' monochrome lasers;
each heat-map cell also prints its percentage.
"""

from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from ..domain import EXEMPTION_SHORT_LABELS, ExemptionReason, format_era_date
from ..domain.eras import era_year
from ..domain.usage import CenterUsage, PeriodUsage
from .document import FormKind, FormPdf
from .layout import CONTENT_WIDTH, MUNICIPALITY, FormPart, build_pdf
from .paragraphs import markup, para, yen
from .styles import styles
from .tables import grid_table, side_by_side
from .usage_report_charts import (
    KIND_LABELS,
    centers_chart,
    heat_map,
    kind_chart,
    lottery_chart,
    percent,
)

TITLE = "月次利用状況報告"
#: Tighter rows than the journal's, so a page's table and charts share one page.
TIGHT_ROWS = [("TOPPADDING", (0, 0), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2)]


def era_month(first: date) -> str:
    """令和9年2月."""
    name, year = era_year(first)
    return f"{name}{'元' if year == 1 else year}年{first.month}月"


def ratio(value: float) -> str:
    return f"{value:.2f}倍"


def change(now: float, before: float, *, as_percent: bool = False) -> str:
    """The difference from a year earlier, signed (＋3.2pt, −4)."""
    diff = now - before
    if as_percent:
        text = f"{abs(diff) * 100:.1f}pt"
    elif float(diff).is_integer():
        text = f"{abs(int(diff)):,}"
    else:
        text = f"{abs(diff):.2f}"
    if diff == 0:
        return "±0"
    return ("＋" if diff > 0 else "−") + text


# --- tables ---------------------------------------------------------------------------------


def _figure_rows(usage: CenterUsage) -> list[list[str]]:
    now, before, ytd = usage.this_month, usage.previous_year, usage.year_to_date

    def count_row(label: str, pick: str) -> list[str]:
        a, b, y = (int(getattr(p, pick)) for p in (now, before, ytd))
        return [label, f"{a:,}", f"{b:,}", change(a, b), f"{y:,}"]

    def kind_row(kind: str) -> list[str]:
        a, b, y = (p.by_kind.get(kind, 0) for p in (now, before, ytd))
        return [f"　{KIND_LABELS[kind]}", f"{a:,}", f"{b:,}", change(a, b), f"{y:,}"]

    def exemption_row(reason: str) -> list[str]:
        a, b, y = (p.exemptions.get(reason, 0) for p in (now, before, ytd))
        label = f"　{EXEMPTION_SHORT_LABELS.get(reason, reason)}"
        return [label, f"{a:,}", f"{b:,}", change(a, b), f"{y:,}"]

    def yen_row(label: str, pick: str) -> list[str]:
        a, b, y = (int(getattr(p, pick)) for p in (now, before, ytd))
        return [label, yen(a), yen(b), change(a, b), yen(y)]

    return [
        count_row("提供コマ数", "offered"),
        count_row("利用コマ数", "used"),
        [
            "利用率",
            percent(now.occupancy),
            percent(before.occupancy),
            change(now.occupancy, before.occupancy, as_percent=True),
            percent(ytd.occupancy),
        ],
        count_row("予約件数", "bookings"),
        *(kind_row(kind) for kind in KIND_LABELS),
        count_row("抽選申込数", "lottery_entries"),
        [
            "抽選倍率（申込／コマ）",
            ratio(now.lottery_demand),
            ratio(before.lottery_demand),
            change(now.lottery_demand, before.lottery_demand),
            ratio(ytd.lottery_demand),
        ],
        count_row("取消件数", "cancellations"),
        count_row("不参加（無断）件数", "no_shows"),
        yen_row("使用料（規定額）", "fees_nominal"),
        yen_row("使用料（請求額）", "fees_charged"),
        yen_row("使用料（収納額）", "fees_received"),
        count_row("使用料免除件数", "exempted"),
        *(exemption_row(reason) for reason in _reasons(now, before, ytd)),
    ]


def _reasons(*periods: PeriodUsage) -> list[str]:
    """The named grounds always, in the rules' order; any other recorded value after them."""
    named = [r.value for r in ExemptionReason]
    recorded = {reason for period in periods for reason in period.exemptions}
    return [*named, *sorted(recorded - set(named))]


def figures_table(usage: CenterUsage) -> Table:
    st = styles()
    first = 46 * mm
    rest = (CONTENT_WIDTH - first) / 4
    rows = [
        [para(r[0], st.cell), *(para(v, st.cell_right) for v in r[1:])] for r in _figure_rows(usage)
    ]
    return grid_table(
        ["項目", "当月", "前年同月", "前年比", "年度累計"],
        rows,
        [first, rest, rest, rest, rest],
        styles_extra=TIGHT_ROWS,
    )


def _heading(text: str) -> Flowable:
    return para(text, styles().heading)


def center_part(usage: CenterUsage, *, made_on: date) -> FormPart:
    st = styles()
    half = (CONTENT_WIDTH - 6 * mm) / 2
    story: list[Flowable] = [
        para(TITLE, st.title),
        side_by_side(
            markup(
                "{center}　{month}分",
                st.value_large,
                center=usage.center_name,
                month=era_month(usage.month),
            ),
            markup("作成日　{day}", st.body_right, day=format_era_date(made_on)),
            left_width=CONTENT_WIDTH * 0.62,
        ),
        Spacer(1, 2 * mm),
        figures_table(usage),
        _heading("部屋・コマ別の利用率（当月）"),
        heat_map(usage),
        Spacer(1, 3 * mm),
        side_by_side(kind_chart(usage, half), lottery_chart(usage, half), left_width=half + 6 * mm),
        Spacer(1, 2 * mm),
        para(
            "提供コマ数：開館日（休館日を除く）に各部屋が貸し出すコマの数。"
            "利用コマ数：取消を除く予約（不参加を含む）。"
            "抽選倍率：取り下げを除く申込数を、申込のあったコマの数で割ったもの。"
            "年度累計：4月1日から当月末まで。個人情報は含まない。",
            st.small,
        ),
    ]
    footer = f"{MUNICIPALITY} {usage.center_name} {TITLE} {usage.month_text}"
    return FormPart(story=story, footer=footer)


def summary_part(usages: Sequence[CenterUsage], *, made_on: date) -> FormPart:
    st = styles()
    month = usages[0].month
    rows = []
    for u in usages:
        now, before = u.this_month, u.previous_year
        rows.append(
            [
                para(u.center_name, st.cell),
                para(f"{now.offered:,}", st.cell_right),
                para(f"{now.used:,}", st.cell_right),
                para(percent(now.occupancy), st.cell_right),
                para(percent(before.occupancy), st.cell_right),
                para(f"{now.by_kind.get('lottery', 0):,}", st.cell_right),
                para(f"{now.by_kind.get('first_come', 0):,}", st.cell_right),
                para(f"{now.by_kind.get('last_minute', 0):,}", st.cell_right),
                para(ratio(now.lottery_demand), st.cell_right),
                para(f"{now.cancellations:,}", st.cell_right),
                para(f"{now.no_shows:,}", st.cell_right),
                para(yen(now.fees_received), st.cell_right),
            ]
        )
    widths = [40 * mm, *([(CONTENT_WIDTH - 40 * mm - 18 * mm) / 10] * 10), 18 * mm]
    story: list[Flowable] = [
        para(TITLE, st.title),
        side_by_side(
            markup("全センター　{month}分", st.value_large, month=era_month(month)),
            markup("作成日　{day}", st.body_right, day=format_era_date(made_on)),
            left_width=CONTENT_WIDTH * 0.62,
        ),
        Spacer(1, 2 * mm),
        grid_table(
            [
                "センター",
                "提供\nコマ",
                "利用\nコマ",
                "利用率",
                "前年\n利用率",
                "抽選",
                "先着",
                "直前",
                "抽選\n倍率",
                "取消",
                "不参加",
                "収納額",
            ],
            rows,
            widths,
            styles_extra=TIGHT_ROWS,
        ),
        Spacer(1, 4 * mm),
        centers_chart(usages),
    ]
    return FormPart(
        story=story, footer=f"{MUNICIPALITY} {TITLE} {usages[0].month_text}", page_numbers=True
    )


def usage_report_pdf(usages: Sequence[CenterUsage], *, made_on: date) -> FormPdf:
    """One center: its page. Several (the city office's copy): a summary page, then one page
    per center in the order given."""
    if not usages:
        raise ValueError("no center to report on")
    parts = [center_part(u, made_on=made_on) for u in usages]
    if len(usages) > 1:
        parts.insert(0, summary_part(usages, made_on=made_on))
    data, pages = build_pdf(parts, title=f"{TITLE} {usages[0].month_text}")
    return FormPdf(kinds=(FormKind.USAGE_REPORT,), data=data, pages=pages)
