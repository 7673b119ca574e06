"""Benchmark: the desk's cold start to its main window painted, against a bare PySide6
``QMainWindow`` shown, in interleaved pairs of fresh processes (issue 13).

    bash tests/run.sh tests/ui/bench_cold_start.py -m benchmark -s

The desk is started as staff start it (``center-desk``, enrolled, its cache key in the Secret
Service, the sign-in panel up) against a backend that is not there: nothing the start does
waits for the network. Each process is timed from its spawn to the line it prints after the
window's first paint (tests/support/cold_start.py); the memory figure is the resident set at
that moment. One start before the pairs creates the cache, so the pairs measure the everyday
start, not the first one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.support import bench

ROOT = Path(__file__).resolve().parents[2]
PAIRS = 8


def _start(kind: str, env: dict[str, str]) -> tuple[float, dict[str, int]]:
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.cold_start", kind],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    seconds = time.perf_counter() - start
    process.wait(timeout=60)
    if not line:
        raise RuntimeError(f"the {kind} start printed nothing (exit {process.returncode})")
    return seconds, json.loads(line)


def _desk_env(tmp: Path) -> dict[str, str]:
    config_home, data_home = tmp / "config", tmp / "data"
    (config_home / "center-desk").mkdir(parents=True)
    data_home.mkdir()
    settings = {
        # A port nobody listens on: the desk starts offline, as it must be able to.
        "backend_url": "http://127.0.0.1:9",
        "device_id": str(uuid.uuid4()),
        "center_id": "ogawa-nishimachi",
        "data_dir": str(data_home / "center-desk"),
    }
    (config_home / "center-desk" / "desk.json").write_text(json.dumps(settings))
    return {
        **os.environ,
        "XDG_CONFIG_HOME": str(config_home),
        "XDG_DATA_HOME": str(data_home),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONDONTWRITEBYTECODE": "",
    }


def run(tmp: Path, pairs: int = PAIRS) -> list[bench.Figure]:
    env = _desk_env(tmp)
    env.pop("PYTHONDONTWRITEBYTECODE")  # the installed desk runs from compiled modules
    _start("desk", env)  # creates the cache and its key, and compiles what is not yet
    _start("bare", env)
    times: list[tuple[float, float]] = []
    memory: list[tuple[float, float]] = []
    for n in range(pairs):
        order = ("desk", "bare") if n % 2 == 0 else ("bare", "desk")
        got = {kind: _start(kind, env) for kind in order}
        times.append((got["desk"][0], got["bare"][0]))
        memory.append((float(got["desk"][1]["rss_kb"]), float(got["bare"][1]["rss_kb"])))
    rss = bench.from_pairs("desk RSS at first paint", "bare window RSS", memory, target="≤ 2×")
    rss_note = f"{rss.subject_s / 1024:.0f} MB vs {rss.baseline_s / 1024:.0f} MB"  # type: ignore[operator]
    return [
        bench.from_pairs(
            "desk cold start to the main window painted",
            "bare PySide6 QMainWindow shown",
            times,
            target="≤ 3×",
            group="cold start",
        ),
        bench.Figure(
            measure=rss.measure,
            baseline=rss.baseline,
            subject_s=None,
            baseline_s=None,
            ratio=rss.ratio,
            ratio_min=rss.ratio_min,
            ratio_max=rss.ratio_max,
            pairs=rss.pairs,
            target=rss.target,
            note=rss_note,
            group="cold start",
        ),
    ]


@pytest.mark.benchmark
def test_cold_start_benchmark(tmp_path: Path) -> None:
    for figure in run(tmp_path):
        bench.record(figure)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as workdir:
        print(
            bench.text_table(run(Path(workdir), int(sys.argv[1]) if len(sys.argv) > 1 else PAIRS))
        )
