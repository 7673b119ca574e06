"""A desk that followed every change as it happened and a desk that arrived afterwards and
took one snapshot hold the same copy (issue 13: the snapshot's pages are built by their own
queries now, so the two paths must not drift apart)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from center_desk.store import Connection
from center_desk.sync.operations import WalkIn
from tests.support.backend_app import HALL, TATAMI2, Backend, group_payload, tokyo
from tests.support.desk import Desk

#: The copy of the backend's data every desk of a center keeps, table by table.
MIRRORED = (
    "centers",
    "rooms",
    "slots",
    "room_slots",
    "closures",
    "groups",
    "reservations",
    "lottery_entries",
)
#: Columns that record this desk's own history, not the backend's data: when the group was
#: last looked at here, and whether a booking made here still waits to be pushed.
DESK_OWN = {"last_seen_here_at", "sync_state"}


def _instant(value: Any) -> Any:
    """A moment as the instant it names: a booking made at this desk keeps the desk's own
    spelling of its creation time (+09:00) where the backend writes UTC (Z)."""
    if isinstance(value, str) and len(value) > 19 and value[10:11] == "T":
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value


def mirror(db: Connection) -> dict[str, list[tuple[Any, ...]]]:
    copy: dict[str, list[tuple[Any, ...]]] = {}
    for table in MIRRORED:
        columns = [
            row[1]
            for row in db.execute(f"PRAGMA table_info({table})").fetchall()
            if row[1] not in DESK_OWN
        ]
        rows = db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        copy[table] = sorted(
            (tuple(_instant(v) for v in row) for row in rows), key=lambda r: repr(r[:2])
        )
    return copy


def _synced(desk: Desk, *, snapshot: bool = False) -> None:
    report = desk.sync()
    assert report.error == "" and report.rejected == [], report
    assert report.snapshot is snapshot, report


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201, 202), response.text
    return response.json() if response.content else {}


def test_snapshot_and_incremental_pulls_leave_identical_caches(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    backend.at(tokyo(2027, 2, 10, 10, 0))
    staff = backend.desk()
    first, _ = backend.register()
    second, _ = backend.register(name="上水合唱団", furigana="ジョウスイガッショウダン")
    following = desks("following")
    _synced(following, snapshot=True)

    # First-come proxies at the counter; one is cancelled afterwards.
    kept = _ok(
        backend.client.post(
            "/v1/counter/reservations",
            json=backend.booking(
                day=date(2027, 3, 10), slot="morning", kind="first_come", user_id=first
            ),
            headers=staff,
        )
    )
    dropped = _ok(
        backend.client.post(
            "/v1/counter/reservations",
            json=backend.booking(day=date(2027, 3, 11), kind="first_come", user_id=second),
            headers=staff,
        )
    )
    _synced(following)
    _ok(
        backend.client.post(
            f"/v1/counter/reservations/{dropped['id']}/cancel",
            json={"reason": "都合により"},
            headers=staff,
        )
    )
    # A lottery entry for April, a third group, a change to the first one, a closure.
    third, _ = backend.register(name="喜平体操会", furigana="キヘイタイソウカイ")
    _ok(
        backend.client.post(
            "/v1/counter/lottery-entries",
            json=backend.entry(day=date(2027, 4, 12), user_id=third),
            headers=staff,
        )
    )
    _synced(following)
    _ok(
        backend.client.put(
            f"/v1/groups/{first}",
            json=group_payload(member_count=14, kodaira_member_count=12),
            headers=staff,
        )
    )
    _ok(
        backend.client.post(
            "/v1/admin/closures",
            json={"center_id": kept["center_id"], "day": "2027-03-24", "reason": "設備点検"},
            headers={"Authorization": "Bearer admin-secret"},
        )
    )
    # The desk's own walk-in, pushed and pulled back, and an individual's booking.
    following.ops.book_walk_in(
        WalkIn(
            room_id=HALL,
            use_date=date(2027, 2, 15),
            slot_id="evening",
            headcount=9,
            purpose="練習",
            user_id=second,
        )
    )
    _ok(
        backend.client.post(
            "/v1/counter/reservations",
            json=backend.booking(
                room=TATAMI2,
                day=date(2027, 2, 17),
                slot="morning",
                kind="last_minute",
                headcount=2,
                individual_name="小平 花子",
            ),
            headers=staff,
        )
    )
    _synced(following)
    _ok(
        backend.client.post(
            f"/v1/counter/reservations/{kept['id']}/fee-receipt",
            json={"amount": 700, "receipt_number": "R-0001"},
            headers=staff,
        )
    )
    _synced(following)

    arriving = desks("arriving")
    _synced(arriving, snapshot=True)

    followed, snapshotted = mirror(following.db), mirror(arriving.db)
    assert len(followed["reservations"]) == 4
    assert len(followed["groups"]) == 3
    assert len(followed["lottery_entries"]) == 1
    assert len(followed["closures"]) >= 1
    for table in MIRRORED:
        columns = [
            row[1]
            for row in following.db.execute(f"PRAGMA table_info({table})").fetchall()
            if row[1] not in DESK_OWN
        ]
        for a, b in zip(snapshotted[table], followed[table], strict=True):
            differing = {c: (x, y) for c, x, y in zip(columns, a, b, strict=True) if x != y}
            assert differing == {}, (table, differing)
