"""Numbers the backend issues (approval numbers, user ids) come from named counters under a row
lock: single numbers and whole blocks (the demo's history takes thousands at once), never one
number twice, also when many transactions ask at once (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from center_desk.backend.services.ids import (
    approval_number_of,
    next_approval_number,
    next_value,
    reserve_values,
)
from tests.support.backend_app import Backend


def test_blocks_and_single_numbers_follow_each_other(backend: Backend) -> None:
    with backend.ctx.db.session() as session:
        assert reserve_values(session, "test-block", 100, 5) == 100  # the counter's first use
        assert next_value(session, "test-block", 100) == 105
        assert reserve_values(session, "test-block", 100, 3) == 106
        assert next_value(session, "test-block", 100) == 109
        with pytest.raises(ValueError):
            reserve_values(session, "test-block", 100, 0)
    assert approval_number_of(42) == "W000000042"


def test_blocks_and_single_numbers_taken_at_once_never_overlap(backend: Backend) -> None:
    """More transactions than the connection pool holds, each taking a block or one number."""
    taken: list[range] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(48)

    def take(index: int) -> None:
        try:
            start.wait(timeout=30)
            with backend.ctx.db.session() as session:
                if index % 2:
                    first, size = int(next_approval_number(session).removeprefix("W")), 1
                else:
                    size = 1 + index % 7
                    first = reserve_values(session, "approval", 1, size)
            with lock:
                taken.append(range(first, first + size))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=take, args=(i,)) for i in range(48)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(taken) == 48
    every = sorted(n for numbers in taken for n in numbers)
    assert len(every) == len(set(every)), "a number was handed out twice"
    assert every == list(range(every[0], every[0] + len(every))), "a number was skipped"
