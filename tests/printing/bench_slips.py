"""Benchmark: from "confirm booking" to both slips ready to send to the printer (PDF bytes).

    .venv/bin/python tests/printing/bench_slips.py [RUNS]

Prints the median over RUNS (default 30) of building the usage application and the approval slip
as one PDF, against a baseline measured in the same run: a trivial one-page reportlab PDF with
one line in the same embedded font, so the ratio says what our layout costs on this machine.
The first build in a process also parses the two TrueType fonts (about 5 MB each); that cold
start is printed on its own, since the desk pays it once, at its first print (or at start, if the
GUI warms the fonts up).
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from center_desk.printing import booking_slips_pdf
from center_desk.printing.fonts import MINCHO, register_fonts
from center_desk.printing.render_samples import sample_paying_slip, sample_slip


def trivial_pdf() -> bytes:
    """The baseline: one A4 page, one line of Japanese in the embedded font."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=MINCHO)
    canvas.setFont(MINCHO, 12)
    canvas.drawString(72, 750, "地域センター利用承認書 R8-000123")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def confirm_booking(number: int) -> bytes:
    """What the desk does after "confirm": fill the slip data and build both slips."""
    base = sample_paying_slip() if number % 2 else sample_slip()
    slip = replace(base, approval_number=f"R8-{number:06d}")
    return booking_slips_pdf(slip).data


def _median_ms(action: Callable[[int], object], runs: int) -> tuple[float, float]:
    times = []
    for number in range(runs):
        start = time.perf_counter()
        action(number)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def run(runs: int = 30) -> dict[str, float]:
    start = time.perf_counter()
    register_fonts()
    confirm_booking(0)
    cold = (time.perf_counter() - start) * 1000
    baseline, baseline_max = _median_ms(lambda _n: trivial_pdf(), runs)
    slips, slips_max = _median_ms(confirm_booking, runs)
    return {
        "runs": runs,
        "cold_first_build_ms": cold,
        "baseline_median_ms": baseline,
        "baseline_max_ms": baseline_max,
        "both_slips_median_ms": slips,
        "both_slips_max_ms": slips_max,
        "ratio": slips / baseline,
    }


def main(argv: list[str]) -> None:
    runs = int(argv[0]) if argv else 30
    figures = run(runs)
    rows = [
        ("cold first build (font parsing included)", figures["cold_first_build_ms"], ""),
        (
            "baseline one-line PDF, same font",
            figures["baseline_median_ms"],
            f" median (max {figures['baseline_max_ms']:.1f})",
        ),
        (
            "both slips (2 pages, one PDF)",
            figures["both_slips_median_ms"],
            f" median (max {figures['both_slips_max_ms']:.1f})",
        ),
    ]
    print(f"confirm booking -> both slips ready (PDF bytes), {runs} runs")
    for label, value, extra in rows:
        print(f"  {label:<42} {value:8.1f} ms{extra}")
    print(f"  {'ratio both slips / baseline':<42} {figures['ratio']:8.1f} x")


if __name__ == "__main__":
    main(sys.argv[1:])


@pytest.mark.benchmark
def test_slips_benchmark() -> None:
    """``bash tests/run.sh -m benchmark -s`` prints the figures."""
    main(["20"])
