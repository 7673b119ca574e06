"""The data a pull page carries for each change-log row, read with a few Core queries per page.

A snapshot of one center is tens of thousands of rows in pages of a thousand or more. Building
ORM objects and re-validating each one through the wire models cost most of the server's time
(issue 13): here each kind is one ``SELECT`` of the columns the wire form needs, joined to what
it names (a reservation's group name and whether its fee was received), and the rows become the
wire models' JSON form directly. The values were validated when they were written.

The ids of a page go to PostgreSQL as one array parameter (``= ANY(:ids)``), so the statement
text is the same for every page and psycopg prepares it once; SQLite (the demo) gets a list.
The statements run on the session's connection, not through the ORM's result machinery, and on
PostgreSQL moments come back as psycopg reads them (already aware): per-row Python on 18,000
rows was most of a snapshot's time on the server.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import (
    ColumnElement,
    DateTime,
    Executable,
    Result,
    RowMapping,
    String,
    and_,
    bindparam,
    cast,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.types import TypeEngine, Uuid

from center_desk.protocol.sync import Change, construct_change

from ..models import (
    CenterRow,
    ClosureRow,
    FeeReceiptRow,
    GroupRow,
    LotteryEntryRow,
    ReservationRow,
)
from .catalog import rooms_of, slots

#: A person's columns on the group row, after the role's prefix (rep_… / resp_…), in the order
#: of the wire form's ``PersonOut``.
_PERSON_FIELDS = ("name", "furigana", "postal_code", "address", "phone", "email")


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _one_of(
    session: Session, column: InstrumentedAttribute[Any], ids: Sequence[str], item: TypeEngine[Any]
) -> ColumnElement[bool]:
    """``column`` is one of ``ids`` (their text form): an array parameter on PostgreSQL, which
    casts the text array to the column's type itself; a list elsewhere."""
    if _postgresql(session):
        texts = bindparam("ids", list(ids), type_=ARRAY(String))
        return column == cast(texts, ARRAY(item)).any_()
    if isinstance(item, Uuid):
        return column.in_([uuid.UUID(i) for i in ids])
    return column.in_(ids)


def moment_column(session: Session, column: InstrumentedAttribute[Any]) -> Any:
    """A moment column as PostgreSQL's driver reads it: already aware, so the model's
    ``AwareDateTime`` has nothing to add but a Python call per value. SQLite keeps no zone,
    and there the model's type adds UTC."""
    if _postgresql(session):
        return type_coerce(column, DateTime(timezone=True)).label(column.key)
    return column


def _run(session: Session, query: Executable) -> Result[Any]:
    """``query`` on the session's connection: Core rows, without the ORM's per-row steps.
    Take them with ``all()``: one fetch from the driver, where iterating the result fetched
    them one by one, a driver call each."""
    return session.connection().execute(query)


def _reservations(
    session: Session, ids: Sequence[str], first_day: date, last_day: date
) -> dict[str, dict[str, Any]]:
    """ReservationOut, by id, of the reservations in the desk's time scope."""
    if not ids:
        return {}
    r = ReservationRow
    query = (
        select(
            r.id,
            r.approval_number,
            r.center_id,
            r.room_id,
            r.use_date,
            r.slot_id,
            r.kind,
            r.channel,
            r.status,
            r.user_id,
            GroupRow.name,
            r.purpose,
            r.headcount,
            r.fee_nominal,
            r.fee_charged,
            r.fee_exemption,
            r.fee_exemption_note,
            FeeReceiptRow.id,
            moment_column(session, r.checked_in_at),
            moment_column(session, r.created_at),
            r.cancelled_reason,
        )
        .outerjoin(GroupRow, GroupRow.user_id == r.user_id)
        .outerjoin(FeeReceiptRow, FeeReceiptRow.reservation_id == r.id)
        .where(
            _one_of(session, r.id, ids, r.__table__.c.id.type),
            and_(r.use_date >= first_day, r.use_date <= last_day),
        )
    )
    out: dict[str, dict[str, Any]] = {}
    row: Any
    for row in _run(session, query).all():
        (rid, number, center, room, day, slot, kind, channel, status, user, group_name) = row[:11]
        (purpose, headcount, nominal, charged, exemption, note, receipt) = row[11:18]
        (checked_in_at, created_at, cancelled_reason) = row[18:]
        out[str(rid)] = {
            "id": rid,
            "approval_number": number,
            "center_id": center,
            "room_id": room,
            "use_date": day,
            "slot_id": slot,
            "kind": kind,
            "channel": channel,
            "status": status,
            "user_id": user,
            "group_name": group_name,
            "purpose": purpose,
            "headcount": headcount,
            "fee_nominal": nominal,
            "fee_charged": charged,
            "fee_exemption": exemption,
            "fee_exemption_note": note,
            "fee_paid": charged == 0 or receipt is not None,
            "checked_in_at": checked_in_at,
            "created_at": created_at,
            "cancelled_reason": cancelled_reason,
        }
    return out


def _person(row: RowMapping, prefix: str) -> dict[str, Any]:
    return {field: row[f"{prefix}_{field}"] for field in _PERSON_FIELDS}


def _groups(session: Session, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """GroupOut, by user id. Never the password hash or the sign-in counters."""
    if not ids:
        return {}
    g = GroupRow
    query = select(
        g.user_id,
        g.name,
        g.furigana,
        g.activity,
        g.member_count,
        g.kodaira_member_count,
        g.representative_is_resident,
        *(getattr(g, f"{p}_{f}") for p in ("rep", "resp") for f in _PERSON_FIELDS),
        g.fee_exemption,
        g.fee_exemption_note,
        moment_column(session, g.registered_at),
        g.valid_until,
        g.active,
        g.registered_center_id,
    ).where(_one_of(session, g.user_id, ids, g.__table__.c.user_id.type))
    out: dict[str, dict[str, Any]] = {}
    for row in _run(session, query).mappings().all():
        out[row["user_id"]] = {
            "user_id": row["user_id"],
            "name": row["name"],
            "furigana": row["furigana"],
            "activity": row["activity"],
            "member_count": row["member_count"],
            "kodaira_member_count": row["kodaira_member_count"],
            "representative_is_resident": row["representative_is_resident"],
            "representative": _person(row, "rep"),
            "responsible": _person(row, "resp"),
            "fee_exemption": row["fee_exemption"],
            "fee_exemption_note": row["fee_exemption_note"],
            "registered_at": row["registered_at"],
            "valid_until": row["valid_until"],
            "active": row["active"],
            "registered_center_id": row["registered_center_id"],
        }
    return out


def _lottery_entries(session: Session, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """LotteryEntryOut, by id. Desks see results once they are public, as the portal does."""
    if not ids:
        return {}
    e = LotteryEntryRow
    query = select(
        e.id,
        e.user_id,
        e.room_id,
        e.center_id,
        e.use_date,
        e.slot_id,
        e.channel,
        e.status,
        e.reservation_id,
        moment_column(session, e.created_at),
    ).where(_one_of(session, e.id, ids, e.__table__.c.id.type))
    out: dict[str, dict[str, Any]] = {}
    for row in _run(session, query).mappings().all():
        out[str(row["id"])] = {
            **row,
            "reservation_id": row["reservation_id"] if row["status"] == "won" else None,
        }
    return out


def _closure(session: Session, entity_id: str) -> dict[str, Any] | None:
    center_id, day = entity_id.split(":", 1)
    for closure in session.scalars(select(ClosureRow).where(ClosureRow.center_id == center_id)):
        if closure.day.isoformat() == day:
            return {"center_id": center_id, "day": day, "reason": closure.reason}
    return None


def _center(session: Session, center_id: str) -> dict[str, Any] | None:
    center = session.get(CenterRow, center_id)
    if center is None:
        return None
    return {
        "id": center.id,
        "name": center.name,
        "rooms": [
            {
                "id": r.id,
                "center_id": center.id,
                "name": r.name,
                "kind": r.kind,
                "capacity": r.capacity,
                "individuals_allowed": r.individuals_allowed,
                "fees": r.fees,
                "position": r.position,
            }
            for r in rooms_of(session, center.id)
        ],
    }


def _slots(session: Session) -> dict[str, Any]:
    return {
        "slots": [
            {"id": s.id, "label": s.label, "start": s.start.isoformat(), "end": s.end.isoformat()}
            for s in slots(session)
        ]
    }


def materialise(
    session: Session, rows: Iterable[Any], first_day: date, last_day: date
) -> list[Change]:
    """The changes of one page, each with its entity's current data; a row whose entity is
    gone or outside the desk's time scope is left out (its upsert has nothing to carry).

    ``rows``: change-log rows, ORM objects or Core rows with ``seq``, ``entity``,
    ``entity_id`` and ``op``."""
    changes = page_changes(session, rows, first_day, last_day)
    # One pass of pydantic-core's serialiser over the page: dates, moments and UUIDs come out
    # exactly as the wire models' ``model_dump(mode="json")`` writes them.
    return [construct_change(change) for change in to_jsonable_python(changes)]


def page_changes(
    session: Session, rows: Iterable[Any], first_day: date, last_day: date
) -> list[dict[str, Any]]:
    """:func:`materialise` as the wire form's fields (``seq``, ``entity``, ``op``, ``id``,
    ``data``), the data's values still Python's (dates, UUIDs): a pull page is serialised
    from these straight to JSON, with no model object per change (issue 13)."""
    rows = list(rows)
    wanted: dict[str, list[str]] = {}
    for row in rows:
        if row.op == "upsert":
            wanted.setdefault(row.entity, []).append(row.entity_id)
    found: dict[str, dict[str, dict[str, Any]]] = {
        "reservation": _reservations(session, wanted.get("reservation", []), first_day, last_day),
        "group": _groups(session, wanted.get("group", [])),
        "lottery_entry": _lottery_entries(session, wanted.get("lottery_entry", [])),
    }
    changes: list[dict[str, Any]] = []
    for row in rows:
        data: dict[str, Any] | None = None
        if row.op == "upsert":
            if row.entity in found:
                data = found[row.entity].get(row.entity_id)
            elif row.entity == "closure":
                data = _closure(session, row.entity_id)
            elif row.entity == "center":
                data = _center(session, row.entity_id)
            elif row.entity == "slots":
                data = _slots(session)
            if data is None:
                continue
        changes.append(
            {"seq": row.seq, "entity": row.entity, "op": row.op, "id": row.entity_id, "data": data}
        )
    return changes
