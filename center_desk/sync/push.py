"""What a push does to the cache (DESIGN.md §4): the outbox's waiting mutations as the wire's
envelopes, and the backend's result for each applied to the cache. An applied mutation settles
its local row; a rejected one has its local effect taken back and stays in the outbox, marked,
for staff (要対応). The push's requests themselves are made by :class:`engine.SyncEngine`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from center_desk.protocol.sync import (
    AuditEventIn,
    LastMinuteBooking,
    MutationBody,
    MutationEnvelope,
    MutationResult,
)
from center_desk.store import Connection, audit, outbox, transaction
from center_desk.store import reservations as cached

from .clock_offset import ClockOffset
from .report import SyncReport

#: Mutations per push request: small enough that a loaded 2-core server answers each well
#: inside the desk's 10 s timeout, large enough that 1,000 waiting mutations take ten requests.
PUSH_CHUNK = 100


def envelopes(entries: list[outbox.OutboxEntry]) -> list[MutationEnvelope]:
    """The outbox's ``entries`` as the push request carries them."""
    return [
        MutationEnvelope(
            id=e.mutation_id,
            created_at=datetime.fromisoformat(e.created_at),
            staff_id=e.staff_id,
            body=e.body.model_dump(mode="json"),
        )
        for e in entries
    ]


def apply_results(
    db: Connection, results: list[MutationResult], report: SyncReport, offset: ClockOffset
) -> None:
    """The backend's ``results`` for pushed mutations, in one transaction with the clock
    offset the reply revealed."""
    with transaction(db):
        offset.store(db)
        for result in results:
            entry = outbox.get(db, result.id)
            if entry is None or entry.state != "pending":
                continue
            report.pushed += 1
            rejected = result.status == "rejected" or (
                result.status == "duplicate" and result.reason_code is not None
            )
            if rejected:
                code = result.reason_code or "rejected"
                outbox.mark_rejected(db, result.id, code, result.message)
                _undo(db, entry.body, entry.undo, code)
                report.rejected.append(result)
            else:
                outbox.mark_applied(db, result.id)
                _settle(db, entry.body)
                if result.status == "duplicate":
                    report.duplicates += 1
                else:
                    report.applied += 1


def close_gap(db: Connection, floor: int) -> int:
    """Continue the outbox's ids after ``floor``, the backend's last applied id, reopening
    the mutations it lost; returns how many were reopened."""
    with transaction(db):
        reopened = outbox.reopen_lost(db, floor)
        outbox.rebase(db, floor)
        return reopened


def _settle(db: Connection, body: MutationBody) -> None:
    """The backend took it: the local row stops being 'pending' unless another mutation for
    it is still waiting; an audit event is marked synced (for retention)."""
    if isinstance(body, AuditEventIn):
        audit.mark_synced(db, str(body.event_id))
        return
    reservation_id = outbox.reservation_of(body)
    if reservation_id is None:
        return
    if not outbox.waiting_for_reservation(db, reservation_id):
        cached.settle(db, reservation_id)


def _undo(db: Connection, body: MutationBody, undo: dict[str, Any] | None, code: str) -> None:
    """A rejected mutation's local effect is taken back; the mutation itself stays in the
    outbox, marked rejected, for staff to act on (要対応)."""
    reservation_id = outbox.reservation_of(body)
    if reservation_id is None:
        return
    if isinstance(body, LastMinuteBooking):
        # Its local effect is a reservation row the desk created.
        cached.refuse_booking(db, reservation_id, code)
        return
    if undo:
        cached.restore(db, reservation_id, undo)
    cached.end_waiting(db, reservation_id)
