"""月次利用状況報告 (issue 12, item 6): the PDF renders with pdftoppm, with its charts drawn, one
page per center (and a summary page for several), and prints the figures it was given."""

from __future__ import annotations

import dataclasses
import io
import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from PIL import Image
from pypdf import PdfReader

from center_desk.domain import CenterCalendar
from center_desk.domain.usage import BookingFact, CenterUsage, LotteryEntryFact, center_usage
from center_desk.printing import FormKind, PrinterConfig, PrintPolicy, print_pdf, render_png_pages
from center_desk.printing.fonts import GOTHIC, MINCHO
from center_desk.printing.usage_report import usage_report_pdf
from center_desk.printing.usage_report_charts import THIS_MONTH, heat_colour
from center_desk.resources import load_catalog

if TYPE_CHECKING:  # the fixture's type; conftest.py is not importable as a module
    from conftest import CupsServer

CATALOG = load_catalog()
MONTH = date(2027, 2, 1)


def usage_of(center_id: str, seed: int) -> CenterUsage:
    center = CATALOG.center(center_id)
    calendar = CenterCalendar()
    rng = random.Random(seed)
    facts: list[BookingFact] = []
    entries: list[LotteryEntryFact] = []
    day = date(2026, 2, 1)
    while day <= date(2027, 2, 28):
        for room in center.rooms:
            for slot in CATALOG.slots:
                if room.offers(slot.id) and rng.random() < 0.5:
                    kind = rng.choice(["lottery", "first_come", "last_minute"])
                    status = rng.choice(["used", "used", "no_show", "cancelled"])
                    facts.append(
                        BookingFact(room.id, day, slot.id, kind, status, 900, 0, "school_pta")
                    )
                if rng.random() < 0.2:
                    entries.append(LotteryEntryFact(room.id, day, slot.id, "lost"))
        day += timedelta(days=1)
    return center_usage(center, CATALOG.slots, calendar, MONTH, facts, entries)


def pixels_near(image: Image.Image, rgb: tuple[int, int, int], tolerance: int = 6) -> int:
    count = 0
    for pixel in image.convert("RGB").get_flattened_data():
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, rgb, strict=True)):
            count += 1
    return count


def rgb(colour: object) -> tuple[int, int, int]:
    red, green, blue = (round(getattr(colour, part) * 255) for part in ("red", "green", "blue"))
    return red, green, blue


def test_one_center_is_one_page_with_its_charts_and_figures() -> None:
    usage = usage_of("ogawa-nishimachi", 1)
    form = usage_report_pdf([usage], made_on=date(2027, 3, 1))
    assert form.pages == 1
    text = PdfReader(io.BytesIO(form.data)).pages[0].extract_text()
    for words in (
        "月次利用状況報告",
        "小川西町地域センター",
        "令和9年2月分",
        "前年同月",
        "年度累計",
    ):
        assert words in text.replace(" ", ""), words
    assert f"{usage.this_month.used:,}" in text and f"{usage.year_to_date.used:,}" in text

    (png,) = render_png_pages(form.data, dpi=60)
    image = Image.open(io.BytesIO(png))
    # The bars of "this month" and the heat map's cells are drawn (not a table alone).
    assert pixels_near(image, rgb(THIS_MONTH)) > 300
    busiest = max(usage.this_month.cells, key=lambda c: c.occupancy)
    assert pixels_near(image, rgb(heat_colour(busiest.occupancy)), tolerance=3) > 100


def test_city_office_copy_has_a_summary_page_then_one_page_per_center() -> None:
    usages = [usage_of(c.id, n) for n, c in enumerate(CATALOG.centers[:4])]
    form = usage_report_pdf(usages, made_on=date(2027, 3, 1))
    assert form.pages == 5
    assert len(render_png_pages(form.data, dpi=30)) == 5
    reader = PdfReader(io.BytesIO(form.data))
    summary = reader.pages[0].extract_text().replace(" ", "")
    assert "全センター" in summary
    for usage in usages:
        assert usage.center_name in summary
    # All 19 centers of the city still fit their summary page.
    many = [
        dataclasses.replace(
            usages[n % len(usages)], center_id=f"c{n}", center_name=f"第{n}センター"
        )
        for n in range(19)
    ]
    assert usage_report_pdf(many, made_on=date(2027, 3, 1)).pages == 1 + 19
    # Only the bundled fonts, embedded: the office's PC need not have a Japanese font.
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert all(GOTHIC in f or MINCHO in f for f in fonts), fonts


@pytest.mark.cups
def test_the_report_prints_through_a_real_cups_queue(cups_server: CupsServer) -> None:
    usage = usage_of("ogawa-nishimachi", 3)
    form = usage_report_pdf([usage], made_on=date(2027, 3, 1))
    config = PrinterConfig(
        queue=cups_server.queue,
        allowed_queues=frozenset({cups_server.queue}),
        cups_server=str(cups_server.socket),
    )
    record = print_pdf(form, config, PrintPolicy(allow_virtual_for_tests=True))
    assert record.forms == (FormKind.USAGE_REPORT,) and record.pages == 1
    output = cups_server.wait_for_job(record.job_id)
    assert cups_server.spooled_document(record.job_id) == form.data
    (printed,) = render_png_pages(output.read_bytes(), dpi=60)
    # The printed page still carries the charts' colour (cups-pdf keeps it).
    assert pixels_near(Image.open(io.BytesIO(printed)), rgb(THIS_MONTH), tolerance=12) > 300
