"""Benchmark: how long a GUI test's desk takes to be ready (issue 11), interleaved A B A B.

    bash tests/run.sh tests/ui/bench_desk_start.py -m benchmark -s

(A) built from nothing, as every GUI test used to: the demo backend migrated and seeded,
    the desk enrolled, its cache created and filled by a full first sync;
(B) started from the session's template (tests/support/demo_template.py): a copy of the
    backend's database and of the synced cache, a backend of its own, an incremental sync.
Both end with a desk that has synced and is closed again. Printed: the median of each, and the
median A/B ratio with its min–max over the pairs.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from center_desk.domain import ManualClock
from center_desk.store import KeyStore, cache_id_for
from center_desk.sync.client import BackendClient, make_http
from center_desk.sync.credentials import MemoryCredentials
from center_desk.ui.app import build_desk
from center_desk.ui.demo import DemoBackend, start_demo_backend
from tests.support.demo_template import DemoTemplate, forget_copy, start_copy
from tests.ui.conftest import NOW

PAIRS = 4


def _sync_and_close(
    qapp: QApplication, backend: DemoBackend, device_id: str, credentials: MemoryCredentials
) -> None:
    config = backend.config(device_id)
    desk = build_desk(
        config,
        key_store=KeyStore(),
        credentials=credentials,
        clock=ManualClock(NOW),
        start_sync=False,
    )
    done: list[bool] = []
    thread = threading.Thread(target=lambda: (desk.ctx.sync.sync_now(), done.append(True)))
    thread.start()
    while not done:
        qapp.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    thread.join()
    desk.close()


def _from_nothing(qapp: QApplication, data_dir: Path) -> None:
    backend = start_demo_backend(data_dir, clock=ManualClock(NOW))
    credentials = MemoryCredentials()
    enrolled = BackendClient(make_http(backend.url)).enroll(backend.enrollment_code, "bench")
    credentials.store(enrolled.device_id, enrolled.device_token)
    _sync_and_close(qapp, backend, enrolled.device_id, credentials)
    KeyStore().delete_key(cache_id_for(backend.config(enrolled.device_id).cache_path))
    backend.stop()


def _from_template(qapp: QApplication, data_dir: Path, template: DemoTemplate) -> None:
    backend, credentials = start_copy(template, data_dir, ManualClock(NOW))
    _sync_and_close(qapp, backend, template.device_id, credentials)
    forget_copy(template, backend)
    backend.stop()


def _timed(run: Callable[..., None], *args: object) -> float:
    started = time.perf_counter()
    run(*args)
    return time.perf_counter() - started


@pytest.mark.benchmark
def test_a_desk_from_the_template_starts_faster(
    qapp: QApplication, demo_template: DemoTemplate, tmp_path: Path
) -> None:
    old: list[float] = []
    new: list[float] = []
    for n in range(PAIRS):
        old.append(_timed(_from_nothing, qapp, tmp_path / f"a{n}"))
        new.append(_timed(_from_template, qapp, tmp_path / f"b{n}", demo_template))
    ratios = [a / b for a, b in zip(old, new, strict=True)]
    print(
        f"\ndesk ready, median of {PAIRS} interleaved pairs: "
        f"from nothing {statistics.median(old):.2f} s, from the template "
        f"{statistics.median(new):.2f} s; ratio {statistics.median(ratios):.1f}x "
        f"(min {min(ratios):.1f}x, max {max(ratios):.1f}x)"
    )
    assert statistics.median(new) < statistics.median(old)
