"""The benchmarks' one table (issue 13): every figure beside a baseline measured in the same run.

A figure is the ratio subject / baseline over *interleaved* pairs (A B A B …), so drift of a
shared 2-core machine lands on both sides of each pair instead of in the ratio. The table shows
the median of the pairs' ratios with their min–max, and the median times of each side.

Every benchmark (``@pytest.mark.benchmark``, deselected by default) records its figures with
:func:`record`; at the end of ``bash tests/run.sh -m benchmark -s`` the table is printed and
written to ``docs/benchmarks.md`` with the machine it ran on (see ``tests/conftest.py``).

To add a figure from another benchmark (the backend rush, for one), measure and call::

    from tests.support import bench
    bench.record(
        bench.interleaved(
            "what is measured", subject, "its baseline", baseline, runs=20, target="≤ 2×"
        )
    )

or, for figures that are not timed by a pair of callables (latency percentiles measured under a
load, say), build a :class:`Figure` yourself with :func:`from_pairs` (the subject and baseline
seconds of each interleaved pair) or :func:`value` (a plain value with no baseline) and
:func:`record` it. The rush's p50/p99 belong here.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    """One row of the table."""

    measure: str
    baseline: str
    #: Median seconds of each side; None for a plain value.
    subject_s: float | None
    baseline_s: float | None
    #: Median, min and max of the pairs' ratios (subject / baseline).
    ratio: float | None
    ratio_min: float | None
    ratio_max: float | None
    pairs: int
    target: str = ""
    #: For a plain value (no baseline): the text to show, e.g. "p50 12 ms, p99 80 ms".
    note: str = ""
    group: str = ""


_FIGURES: list[Figure] = []


def record(figure: Figure) -> Figure:
    _FIGURES.append(figure)
    return figure


def figures() -> list[Figure]:
    return list(_FIGURES)


def from_pairs(
    measure: str,
    baseline: str,
    pairs: list[tuple[float, float]],
    *,
    target: str = "",
    group: str = "",
    note: str = "",
) -> Figure:
    """A figure from (subject seconds, baseline seconds) of interleaved pairs."""
    if not pairs:
        raise ValueError("no pairs")
    ratios = [s / b for s, b in pairs if b > 0]
    return Figure(
        measure=measure,
        baseline=baseline,
        subject_s=statistics.median(s for s, _ in pairs),
        baseline_s=statistics.median(b for _, b in pairs),
        ratio=statistics.median(ratios),
        ratio_min=min(ratios),
        ratio_max=max(ratios),
        pairs=len(pairs),
        target=target,
        group=group,
        note=note,
    )


def value(measure: str, note: str, *, target: str = "", group: str = "") -> Figure:
    """A figure with no baseline (shown as text)."""
    return Figure(measure, "", None, None, None, None, None, 0, target, note, group)


def timed(action: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    start = clock()
    action()
    return clock() - start


def interleave(
    subject: Callable[[], object],
    baseline: Callable[[], object],
    runs: int,
    *,
    warmup: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> list[tuple[float, float]]:
    """(subject seconds, baseline seconds) of ``runs`` pairs, alternating which goes first so
    that neither side always follows the other (A B, B A, A B …). ``clock`` may be
    ``time.thread_time`` for CPU time, which a loaded machine disturbs less than wall time."""
    for _ in range(warmup):
        subject()
        baseline()
    pairs = []
    for n in range(runs):
        if n % 2 == 0:
            s = timed(subject, clock)
            b = timed(baseline, clock)
        else:
            b = timed(baseline, clock)
            s = timed(subject, clock)
        pairs.append((s, b))
    return pairs


def interleaved(
    measure: str,
    subject: Callable[[], object],
    baseline_label: str,
    baseline: Callable[[], object],
    *,
    runs: int,
    warmup: int = 1,
    target: str = "",
    group: str = "",
) -> Figure:
    return from_pairs(
        measure,
        baseline_label,
        interleave(subject, baseline, runs, warmup=warmup),
        target=target,
        group=group,
    )


# -- the report ------------------------------------------------------------------------------


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.3f} ms"


def _ratio(figure: Figure) -> str:
    if figure.ratio is None:
        return figure.note
    text = f"{figure.ratio:.2f}× ({figure.ratio_min:.2f}–{figure.ratio_max:.2f})"
    return f"{text}; {figure.note}" if figure.note else text


def table_rows(items: list[Figure]) -> list[tuple[str, ...]]:
    return [
        (
            f.measure,
            _duration(f.subject_s),
            f.baseline,
            _duration(f.baseline_s),
            _ratio(f),
            str(f.pairs) if f.pairs else "",
            f.target,
        )
        for f in items
    ]


HEADER = (
    "measure",
    "median",
    "baseline (same run)",
    "median",
    "ratio (min–max)",
    "pairs",
    "target",
)


def text_table(items: list[Figure]) -> str:
    rows = [HEADER, *table_rows(items)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(items: list[Figure]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += [
        "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in table_rows(items)
    ]
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return "unknown"


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return (
        f"{_cpu_model()}, {os.cpu_count()} logical CPUs, {_memory_gb()} RAM; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"load average at the end {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"
    )


def markdown(items: list[Figure]) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# Benchmarks",
            "",
            "Written by `bash tests/run.sh -m benchmark -s` (see `tests/support/bench.py`).",
            "Each figure is the median ratio subject / baseline over interleaved pairs measured"
            " in the same run (min–max of the pairs in brackets), beside the median time of"
            " each side. Benchmarks report; they never fail CI.",
            "",
            f"- run: {when}, commit {_commit()}",
            f"- machine: {machine()}",
            "",
            markdown_table(items),
            "",
        ]
    )


def report(path: Path | None) -> str:
    """Print-ready table of everything recorded; also written to ``path`` (markdown), unless
    it is None (a part of the benchmarks ran: the written table stays whole)."""
    items = figures()
    table = f"benchmarks ({machine()}):\n" + text_table(items)
    if path is None:
        return table + "\n(a part of the benchmarks: docs/benchmarks.md left as it was)"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown(items), encoding="utf-8")
    return table + f"\n(written to {path})"
