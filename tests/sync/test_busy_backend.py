"""Issue 9 at the desk: a backend that sheds load (503 "busy" + Retry-After) is a transient
failure; the sync loop waits at least what the backend asked, and then carries on."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
from sqlalchemy import text

from center_desk.sync.backoff import Backoff
from center_desk.sync.client import MAX_RETRY_AFTER, retry_after_seconds
from center_desk.sync.errors import ServerUnavailable
from tests.support.backend_app import Backend
from tests.support.desk import Desk, Fault


def busy(retry_after: str) -> Fault:
    """What the admission gate answers when it sheds a request (backend/admission.py)."""

    def fault(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            503,
            json={"code": "busy", "message": "the server is busy; try again shortly"},
            headers={"Retry-After": retry_after},
        )

    return fault


def test_a_real_lock_wait_is_answered_busy_and_the_desk_retries(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk = desks()
    assert desk.sync().error == ""
    # Another transaction holds the device table (a stuck request at the rush): the backend
    # gives up after its lock_timeout and answers 503 busy + Retry-After.
    with backend.ctx.db.engine.connect() as blocker:
        blocker.execute(text("LOCK TABLE devices IN ACCESS EXCLUSIVE MODE"))
        try:
            desk.client.pull(None, 10)
        except ServerUnavailable as refused:
            caught = refused
        else:
            raise AssertionError("the pull went through a locked table")
        blocker.rollback()
    assert (caught.status, caught.code, caught.retry_after) == (503, "busy", 1.0)
    assert desk.sync().error == ""


def test_the_sync_loop_waits_at_least_the_backends_retry_after(desks: Callable[..., Desk]) -> None:
    desk = desks()
    desk.engine.backoff.rng = random.Random(7)
    desk.transport.faults = [busy("30")]
    report = desk.sync()
    assert report.error == "ServerUnavailable"
    assert not desk.engine.status.online
    delays = [desk.engine.next_delay() for _ in range(50)]
    # Never sooner than asked, and spread a little beyond it so the desks turned away together
    # do not all return in the same second.
    assert min(delays) >= 30 and max(delays) <= 45 and len(set(delays)) > 1
    assert desk.sync().error == ""
    assert desk.engine.next_delay() == desk.engine.backoff.interval


def test_without_retry_after_the_usual_back_off_applies() -> None:
    backoff = Backoff(first_retry=2.0, rng=random.Random(1))
    backoff.failure()
    assert all(1.0 <= backoff.next_delay() <= 2.0 for _ in range(20))
    backoff.failure(retry_after=10.0)
    assert all(10.0 <= backoff.next_delay() <= 15.0 for _ in range(20))
    backoff.failure()  # the next failure did not say: the server's old word no longer holds
    assert all(backoff.next_delay() <= 8.0 for _ in range(20))
    backoff.success()
    assert backoff.next_delay() == backoff.interval


def test_retry_after_as_seconds_or_an_http_date() -> None:
    def reply(headers: dict[str, str]) -> httpx.Response:
        return httpx.Response(503, headers=headers)

    sent = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)
    assert retry_after_seconds(reply({"Retry-After": "12"})) == 12.0
    assert retry_after_seconds(reply({})) is None
    assert retry_after_seconds(reply({"Retry-After": "soon"})) is None
    dated = {
        "Retry-After": format_datetime(sent + timedelta(seconds=90), usegmt=True),
        "Date": format_datetime(sent, usegmt=True),
    }
    assert retry_after_seconds(reply(dated)) == 90.0
    assert retry_after_seconds(reply({"Retry-After": "999999"})) == MAX_RETRY_AFTER
