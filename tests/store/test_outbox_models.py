"""The outbox takes the protocol's mutation models and gives them back (issue 11, item 2):
each kind round-trips through a real SQLCipher cache as the same model, its ``kind`` taken from
the model, and a row stored before the outbox took models (the same JSON) still reads."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from uuid import UUID

import pytest

from center_desk.domain import TOKYO
from center_desk.protocol.reservations import FeeReceiptIn, ReservationIn, UsageReportIn
from center_desk.protocol.sync import (
    AuditEventIn,
    CancelReservation,
    CheckIn,
    LastMinuteBooking,
    MarkNoShow,
    MutationBody,
    RecordFeeReceipt,
    RecordUsageReport,
)
from center_desk.store import KeyStore, audit, open_cache, outbox, transaction

AT = datetime(2027, 2, 10, 10, 30, tzinfo=TOKYO)
BOOKED = UUID("6b0c3c4e-9d3a-4f55-8a43-2f4f0f6f1a01")

BODIES: list[MutationBody] = [
    LastMinuteBooking(
        reservation=ReservationIn(
            id=BOOKED,
            room_id="ogawa-hall",
            use_date=date(2027, 2, 10),
            slot_id="afternoon",
            kind="last_minute",
            user_id="U0001234",
            purpose="合唱",
            headcount=12,
            fee_exemption="none",
            fee_exemption_note="",
        ),
        approval_number="K012-000153",
    ),
    CancelReservation(reservation_id=BOOKED, reason="団体の都合"),
    CheckIn(reservation_id=BOOKED, at=AT),
    MarkNoShow(reservation_id=BOOKED),
    RecordUsageReport(
        reservation_id=BOOKED, report=UsageReportIn(actual_headcount=11, remarks="異常なし")
    ),
    RecordFeeReceipt(
        reservation_id=BOOKED, receipt=FeeReceiptIn(amount=1200, receipt_number="R-1")
    ),
    AuditEventIn(
        event_id=UUID(int=5), at=AT, event="walk_in_booked", staff_id="S01", subject="K012-000153"
    ),
]


@pytest.mark.parametrize("body", BODIES, ids=lambda b: b.kind)
def test_an_outbox_entry_round_trips_as_its_model(
    cache_path: Path, key_store: KeyStore, body: MutationBody
) -> None:
    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        with transaction(db):
            mutation_id = outbox.enqueue(
                db, body=body, created_at=AT.isoformat(), staff_id="S01", summary="x"
            )
        entry = outbox.get(db, mutation_id)
        assert entry is not None
        assert entry.kind == body.kind
        assert entry.body == body
        assert type(entry.body) is type(body)
        expected = None if isinstance(body, AuditEventIn) else str(BOOKED)
        assert entry.reservation_id == expected
        # What is pushed is the model's JSON form, whatever kind it is.
        assert entry.body.model_dump(mode="json") == body.model_dump(mode="json")


def test_a_row_stored_as_a_hand_made_dict_still_reads_as_its_model(
    cache_path: Path, key_store: KeyStore
) -> None:
    # The JSON the desk wrote before the outbox took models (operations.py built it by hand).
    old_body = {
        "kind": "check_in",
        "reservation_id": str(BOOKED),
        "at": AT.isoformat(),
    }
    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        with transaction(db):
            db.execute(
                "INSERT INTO outbox (kind, payload, created_at, summary) VALUES (?, ?, ?, ?)",
                (
                    "check_in",
                    json.dumps({"body": old_body, "staff_id": "S01"}),
                    AT.isoformat(),
                    "入館受付 K012-000153",
                ),
            )
        (entry,) = outbox.pending(db)
        assert entry.body == CheckIn(reservation_id=BOOKED, at=AT)
        assert entry.staff_id == "S01"
        assert outbox.waiting_for_reservation(db, str(BOOKED))


def test_an_audit_event_is_queued_as_its_model(cache_path: Path, key_store: KeyStore) -> None:
    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        with transaction(db):
            event_id = audit.record(
                db, event="group_viewed", at=AT, staff_id="S01", subject="U0001234"
            )
        (entry,) = outbox.pending(db)
        assert entry.kind == "audit_event"
        assert entry.body == AuditEventIn(
            event_id=UUID(event_id), at=AT, event="group_viewed", staff_id="S01", subject="U0001234"
        )
