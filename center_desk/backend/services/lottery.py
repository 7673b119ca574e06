"""The lottery draw (抽選) for one use-month.

Fair and reproducible: entries are put in a fixed order (by id), then each slot's entries are
shuffled with a generator seeded from the run's recorded seed and the slot, so anyone holding
the seed and the entries can redo the draw and get the same winners. Idempotent: the run's row
(primary key: the month) is written first, so a second run, even a concurrent one, finds it and
changes nothing. Quota-aware: a group never ends up over its per-center quota, and an entry for
a day that has since closed, or a slot that is no longer free, loses.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from center_desk.domain import CenterCalendar, QuotaPolicy, months, tokyo_date
from center_desk.domain.windows import application_windows
from center_desk.protocol.common import FieldError

from ..errors import ApiError
from ..models import GroupRow, LotteryEntryRow, LotteryRunRow, NotificationRow, ReservationRow
from . import groups
from .catalog import calendar_for, domain_room, get_room
from .changes import record_row_change
from .ids import next_approval_number
from .reservations import _slot_taken, usage_of


@dataclass(frozen=True)
class DrawResult:
    month: str
    seed: str
    entries: int
    winners: int
    already_run: bool


def parse_month(month: str) -> date:
    """The first day of a canonical ``YYYY-MM`` month; anything else is a 422 naming
    ``month`` (``2027-3`` would record a run for a month no entry is filed under)."""
    try:
        return months.parse_month(month)
    except months.MonthError as error:
        problem = FieldError(field="month", code="invalid_month", message=str(error))
        raise ApiError(422, "invalid_input", "month must look like 2027-02", [problem]) from None


def _slot_rng(seed: str, room_id: str, use_date: date, slot_id: str) -> random.Random:
    material = f"{seed}|{room_id}|{use_date.isoformat()}|{slot_id}".encode()
    return random.Random(int.from_bytes(hashlib.sha256(material).digest(), "big"))


def run_draw(
    session: Session,
    month: str,
    *,
    now: datetime,
    seed: str | None = None,
    policy: QuotaPolicy = QuotaPolicy(),
) -> DrawResult:
    first_day = parse_month(month)
    existing = session.get(LotteryRunRow, month)
    if existing is not None:
        return DrawResult(month, existing.seed, existing.entries, existing.winners, True)
    # Every use date in the month shares the application window, so the first day's tells.
    # The lottery window depends on no center's closures.
    windows = application_windows(first_day, CenterCalendar())
    if tokyo_date(now) <= windows.lottery_apply_to:
        raise ApiError(
            409,
            "outside_window",
            f"applications for {month} are open until {windows.lottery_apply_to}; draw afterwards",
        )
    run = LotteryRunRow(
        month=month, seed=seed or secrets.token_hex(16), ran_at=now, entries=0, winners=0
    )
    try:
        with session.begin_nested():
            session.add(run)
            session.flush()
    except IntegrityError:
        done = session.get(LotteryRunRow, month)
        assert done is not None
        return DrawResult(month, done.seed, done.entries, done.winners, True)

    entries = list(
        session.scalars(
            select(LotteryEntryRow)
            .where(LotteryEntryRow.use_month == month, LotteryEntryRow.status == "pending")
            .order_by(LotteryEntryRow.id)
        )
    )
    by_slot: dict[tuple[str, date, str], list[LotteryEntryRow]] = defaultdict(list)
    for entry in entries:
        by_slot[(entry.room_id, entry.use_date, entry.slot_id)].append(entry)

    wins_at_center: dict[tuple[str, str], int] = defaultdict(int)
    winners = 0
    for room_id, use_date, slot_id in sorted(by_slot):
        candidates = by_slot[(room_id, use_date, slot_id)]
        _slot_rng(run.seed, room_id, use_date, slot_id).shuffle(candidates)
        room = domain_room(get_room(session, room_id))
        closed = calendar_for(session, room.center_id).is_closed(use_date)
        free = not closed and not _slot_taken(session, room_id, use_date, slot_id)
        winner: LotteryEntryRow | None = None
        for entry in candidates:
            if not free or winner is not None:
                break
            group = session.get(GroupRow, entry.user_id)
            if group is None or not groups.group_eligible(group):
                continue
            _, held = usage_of(session, entry.user_id, room.center_id, month, policy)
            if held + wins_at_center[(entry.user_id, room.center_id)] >= (
                policy.center_slots_per_month
            ):
                continue
            winner = entry
        for entry in candidates:
            entry.status = "won" if entry is winner else "lost"
        if winner is not None:
            reservation = _reservation_for(session, winner, room.fees[slot_id], now)
            winner.reservation_id = reservation.id
            wins_at_center[(winner.user_id, room.center_id)] += 1
            winners += 1
        session.flush()
        for entry in candidates:
            _notify(session, entry, now)
            record_row_change(session, "lottery_entry", entry, now)
    run.entries = len(entries)
    run.winners = winners
    session.flush()
    return DrawResult(month, run.seed, run.entries, winners, False)


def _reservation_for(
    session: Session, entry: LotteryEntryRow, nominal: int, now: datetime
) -> ReservationRow:
    group = session.get(GroupRow, entry.user_id)
    assert group is not None
    exempt = group.fee_exemption is not None
    row = ReservationRow(
        id=uuid.uuid4(),
        approval_number=next_approval_number(session),
        center_id=entry.center_id,
        room_id=entry.room_id,
        use_date=entry.use_date,
        use_month=entry.use_month,
        slot_id=entry.slot_id,
        kind="lottery",
        channel=entry.channel,
        status="booked",
        user_id=entry.user_id,
        individual_name=None,
        purpose=entry.purpose,
        headcount=entry.headcount,
        fee_nominal=nominal,
        fee_charged=0 if exempt else nominal,
        fee_exemption=group.fee_exemption,
        fee_exemption_note=group.fee_exemption_note if exempt else "",
        created_at=now,
        created_by="lottery",
        updated_at=now,
    )
    session.add(row)
    session.flush()
    record_row_change(session, "reservation", row, now)
    return row


def _notify(session: Session, entry: LotteryEntryRow, now: datetime) -> None:
    """Results are mailed to groups with an e-mail address (DOMAIN.md): record the notice
    for the mailer. The payload names the entry, not the people."""
    group = session.get(GroupRow, entry.user_id)
    if group is None or not (group.rep_email or group.resp_email):
        return
    session.add(
        NotificationRow(
            user_id=entry.user_id,
            kind="lottery_result",
            payload={
                "entry_id": str(entry.id),
                "result": entry.status,
                "room_id": entry.room_id,
                "use_date": entry.use_date.isoformat(),
                "slot_id": entry.slot_id,
            },
            created_at=now,
            sent_at=None,
        )
    )
