"""QA follow-up to issue 15: a desk's audit events are only the events a desk emits, with a
subject that is an id, never free text that could hold a name (protocol/audit_events.py)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from center_desk.backend.models import AuditEventRow
from center_desk.protocol.audit_events import DESK_AUDIT_EVENTS
from tests.support.backend_app import Backend

ADMIN = {"Authorization": "Bearer admin-secret"}


def _event(backend: Backend, event: str, subject: str) -> dict[str, Any]:
    return {
        "kind": "audit_event",
        "event_id": str(uuid.uuid4()),
        "at": backend.clock.now().isoformat(),
        "event": event,
        "subject": subject,
    }


def _stored(backend: Backend) -> list[tuple[str, str]]:
    rows = backend.client.get("/v1/admin/audit-events", headers=ADMIN).json()
    return [(r["event"], r["subject"]) for r in rows if r["event"] in DESK_AUDIT_EVENTS]


GOOD = [
    ("printed", "K001-000123 reprint"),
    ("printed", "journal 2026-12-01"),
    ("group_viewed", "10000017"),
    ("locked", "on_demand"),
    ("removable_media_connected", "sdb1"),
    ("removable_media_connected", "E:"),
    (
        "posture_failed",
        "usb_storage_module_allowed,removable_mount_allowed,usbguard_not_blocking_storage",
    ),
    ("cache_set_aside", "unreadable; 0 salvaged, 1 lost; cache.sqlite3.aside-20261201T0900"),
    ("end_of_day", ""),
    ("check_in", "W000000012"),
]
BAD = [
    (("printed", "小平 花子"), "subject"),
    (("printed", "hanako@example.jp"), "subject"),
    (("group_viewed", "042-341-1211"), "subject"),
    (("group_viewed", "09012345678"), "subject"),
    (("printed", "a  b"), "subject"),
    (("printed", "x" * 129), "subject"),
    (("group_viewed_foreign", "10000017 walk_in"), "event"),
    (("anything", "10000017"), "event"),
]


def test_the_counter_route_takes_only_desk_events_with_id_subjects(backend: Backend) -> None:
    here = backend.desk()
    for event, subject in GOOD:
        sent = backend.client.post(
            "/v1/counter/audit-events", json=_event(backend, event, subject), headers=here
        )
        assert sent.status_code == 202, (event, subject, sent.text)
    for (event, subject), field in BAD:
        sent = backend.client.post(
            "/v1/counter/audit-events", json=_event(backend, event, subject), headers=here
        )
        assert sent.status_code == 422, (event, subject)
        assert [f["field"] for f in sent.json()["fields"]] == [field], (event, subject)
    assert sorted(_stored(backend)) == sorted(GOOD)


def test_pushed_events_are_judged_the_same(backend: Backend) -> None:
    device = {"X-Device-Token": backend.device_token()}
    cases = [(e, s) for e, s in GOOD[:2]] + [case for case, _ in BAD]
    mutations = [
        {"id": n, "created_at": backend.clock.now().isoformat(), "body": _event(backend, e, s)}
        for n, (e, s) in enumerate(cases, start=1)
    ]
    pushed = backend.client.post("/v1/sync/push", json={"mutations": mutations}, headers=device)
    assert pushed.status_code == 200, pushed.text
    statuses = [(r["status"], r["reason_code"]) for r in pushed.json()["results"]]
    assert statuses == [("applied", None)] * 2 + [("rejected", "invalid_input")] * len(BAD)
    assert sorted(_stored(backend)) == sorted(GOOD[:2])


def _pushed_at(backend: Backend, n: int, desk_at: datetime, sent_at: datetime) -> datetime:
    """Push event ``n`` the desk dated ``desk_at`` with its clock reading ``sent_at``; the
    time the backend stored for it."""
    device = {"X-Device-Token": backend.device_token()}
    body = {**_event(backend, "printed", "K001-000001"), "at": desk_at.isoformat()}
    mutation = {"id": n, "created_at": desk_at.isoformat(), "body": body}
    pushed = backend.client.post(
        "/v1/sync/push",
        json={"mutations": [mutation], "sent_at": sent_at.isoformat()},
        headers=device,
    )
    assert [r["status"] for r in pushed.json()["results"]] == ["applied"], pushed.text
    with backend.ctx.db.session() as session:
        row = session.get(AuditEventRow, uuid.UUID(body["event_id"]))
        assert row is not None
        return row.at


def test_a_pushed_event_is_dated_by_the_measured_skew_or_at_receipt(backend: Backend) -> None:
    now = backend.clock.now()
    # The desk's clock runs 3 hours slow; the event happened an hour before the push.
    slow = timedelta(hours=3)
    assert _pushed_at(backend, 1, now - slow - timedelta(hours=1), now - slow) == now - timedelta(
        hours=1
    )
    # Claimed in the future (the desk's clock jumped ahead after the event): receipt time.
    assert _pushed_at(backend, 2, now + timedelta(days=2), now) == now
    # Older than the offline window: receipt time, not a date the report would file it under.
    assert _pushed_at(backend, 3, now - timedelta(days=30), now) == now
    # The counter route has no skew to apply, and the same window.
    sent = backend.client.post(
        "/v1/counter/audit-events",
        json={
            **_event(backend, "printed", "K001-000002"),
            "at": (now + timedelta(days=1)).isoformat(),
        },
        headers=backend.desk(),
    )
    assert sent.status_code == 202, sent.text
    dated = [
        r["at"]
        for r in backend.client.get("/v1/admin/audit-events", headers=ADMIN).json()
        if r["subject"] == "K001-000002"
    ]
    assert [datetime.fromisoformat(a) for a in dated] == [now]
