"""A pulled page is read as typed changes and the cache takes them (issue 11, item 2): each
entity's change carries its protocol model, and an entity a newer backend sends that this desk
does not know is read as :class:`UnknownChange` and skipped, the rest of the page applied.
A real SQLCipher cache, the page as JSON bytes as the backend sends them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from center_desk.protocol.sync import (
    CenterChange,
    ClosureChange,
    PullResponse,
    ReservationChange,
    SlotsChange,
    UnknownChange,
)
from center_desk.store import KeyStore, mirror, open_cache, transaction

CENTER = "ogawa-nishimachi"
ROOM = f"{CENTER}/1-shukai"
RESERVATION = "6b0c3c4e-9d3a-4f55-8a43-2f4f0f6f1a01"


def _page(changes: list[dict[str, Any]]) -> bytes:
    return json.dumps(
        {
            "desk": {
                "device_id": "d1",
                "center_id": CENTER,
                "device_number": 12,
                "last_mutation_id": 0,
                "last_approval_counter": 0,
            },
            "changes": changes,
            "cursor": "c1",
            "has_more": False,
            "snapshot": False,
            "server_time": "2026-12-01T00:00:00Z",
        },
        ensure_ascii=False,
    ).encode()


CATALOG: list[dict[str, Any]] = [
    {
        "seq": 1,
        "entity": "slots",
        "op": "upsert",
        "id": "all",
        "data": {
            "slots": [{"id": "afternoon", "label": "午後", "start": "13:00:00", "end": "17:00:00"}]
        },
    },
    {
        "seq": 2,
        "entity": "center",
        "op": "upsert",
        "id": CENTER,
        "data": {
            "id": CENTER,
            "name": "小川西町公民館",
            "rooms": [
                {
                    "id": ROOM,
                    "center_id": CENTER,
                    "name": "第一集会室",
                    "kind": "meeting",
                    "capacity": 40,
                    "individuals_allowed": False,
                    "fees": {"afternoon": 1200},
                    "position": 0,
                }
            ],
        },
    },
]
BOOKING: dict[str, Any] = {
    "seq": 5,
    "entity": "reservation",
    "op": "upsert",
    "id": RESERVATION,
    "data": {
        "id": RESERVATION,
        "approval_number": "R2026-000001",
        "center_id": CENTER,
        "room_id": ROOM,
        "use_date": "2026-12-03",
        "slot_id": "afternoon",
        "kind": "first_come",
        "channel": "online",
        "status": "booked",
        "user_id": None,
        "group_name": None,
        "purpose": "練習",
        "headcount": 12,
        "fee_nominal": 1200,
        "fee_charged": 1200,
        "fee_exemption": None,
        "fee_exemption_note": "",
        "fee_paid": False,
        "checked_in_at": None,
        "created_at": "2026-11-30T03:00:00Z",
        "cancelled_reason": "",
    },
}
#: What a newer backend might send: an entity this desk has never heard of.
NEWER: dict[str, Any] = {
    "seq": 4,
    "entity": "room_photo",
    "op": "upsert",
    "id": "p1",
    "data": {"room_id": ROOM, "url": "https://example.invalid/p1.jpg"},
}
CLOSURE_GONE: dict[str, Any] = {
    "seq": 6,
    "entity": "closure",
    "op": "delete",
    "id": f"{CENTER}:2026-12-29",
    "data": None,
}


def test_an_unknown_entity_is_read_and_skipped_and_the_rest_applies(
    cache_path: Path, key_store: KeyStore
) -> None:
    page = PullResponse.model_validate_json(_page([*CATALOG, NEWER, BOOKING, CLOSURE_GONE]))
    assert [type(c) for c in page.changes] == [
        SlotsChange,
        CenterChange,
        UnknownChange,
        ReservationChange,
        ClosureChange,
    ]
    unknown = page.changes[2]
    assert isinstance(unknown, UnknownChange) and unknown.entity == "room_photo"
    booking = page.changes[3]
    assert isinstance(booking, ReservationChange) and booking.data is not None
    assert booking.data.fee_charged == 1200

    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        with transaction(db):
            mirror.apply_changes(db, page.changes, "2026-12-01T09:00:00+09:00")
        row = db.execute(
            "SELECT approval_number, applicant_kind, use_date, created_at FROM reservations "
            "WHERE id = ?",
            (RESERVATION,),
        ).fetchone()
        assert tuple(row) == (
            "R2026-000001",
            "individual",
            "2026-12-03",
            "2026-11-30T03:00:00+00:00",
        )
        slot = db.execute("SELECT label, starts_at, ends_at FROM slots").fetchone()
        assert tuple(slot) == ("午後", "13:00", "17:00")


def test_a_known_entity_with_malformed_data_is_refused_not_skipped() -> None:
    """Only an unknown entity falls back: a known one whose data does not match its model is
    an error (the page is not applied), not silently read as unknown."""
    broken = {**BOOKING, "data": {**BOOKING["data"], "fee_charged": "a lot"}}
    with pytest.raises(ValidationError):
        PullResponse.model_validate_json(_page([broken]))


def test_a_renumbered_booking_replaces_the_row_that_held_its_approval_number(
    cache_path: Path, key_store: KeyStore
) -> None:
    """A page is first written as it is (issue 13); a pulled booking whose approval number is
    held by another row (the backend renumbered) still lands, the other row dropped, and the
    rest of the page with it."""
    other = "6b0c3c4e-9d3a-4f55-8a43-2f4f0f6f1a02"
    second = {
        **BOOKING,
        "seq": 7,
        "id": other,
        "data": {**BOOKING["data"], "id": other, "approval_number": "R2026-000002"},
    }
    first_page = PullResponse.model_validate_json(_page([*CATALOG, BOOKING, second]))
    # The backend gave R2026-000001 to another booking and numbered the first one anew.
    renumbered = {
        **BOOKING,
        "seq": 8,
        "data": {**BOOKING["data"], "approval_number": "R2026-000003"},
    }
    taker = {
        **second,
        "seq": 9,
        "data": {**second["data"], "approval_number": "R2026-000001", "headcount": 30},
    }
    next_page = PullResponse.model_validate_json(_page([taker, renumbered]))
    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        with transaction(db):
            mirror.apply_changes(db, first_page.changes, "2026-12-01T09:00:00+09:00")
        with transaction(db):
            mirror.apply_changes(db, next_page.changes, "2026-12-01T09:05:00+09:00")
        rows = db.execute(
            "SELECT id, approval_number, headcount FROM reservations ORDER BY approval_number"
        ).fetchall()
        # The taker landed under its new number; the booking it took the number from was
        # dropped before it and written again by the same page under its own new number.
        assert [tuple(r) for r in rows] == [
            (other, "R2026-000001", 30),
            (RESERVATION, "R2026-000003", 12),
        ]


def test_a_pulled_row_confirms_what_a_snapshot_in_progress_marked_stale(
    cache_path: Path, key_store: KeyStore
) -> None:
    page = PullResponse.model_validate_json(_page([*CATALOG, BOOKING]))
    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        with transaction(db):
            mirror.apply_changes(db, page.changes, "2026-12-01T09:00:00+09:00")
            db.execute("UPDATE reservations SET snapshot_stale = 1, sync_state = 'pending'")
        with transaction(db):
            mirror.apply_changes(db, page.changes, "2026-12-01T09:05:00+09:00")
        # The desk's pending version stays, and the snapshot counts the row as confirmed.
        row = db.execute("SELECT snapshot_stale, sync_state FROM reservations").fetchone()
        assert tuple(row) == (0, "pending")
