"""The backend's tables (SQLAlchemy 2, typed). Alembic migrations in ``migrations/`` create
them; this module is their single description.

Personal data (代表者・利用責任者の氏名・住所・電話・メール) lives only in ``groups`` and, for
individual counter bookings, ``reservations.individual_name``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class AwareDateTime(TypeDecorator[datetime]):
    """Timezone-aware moments on every database. PostgreSQL keeps the offset; SQLite (the
    embedded demo) does not, so moments are stored in UTC and read back as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass a timezone-aware one")
        return value.astimezone(UTC) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: AwareDateTime(),
        dict[str, Any]: JSON,
    }


# --- catalog ----------------------------------------------------------------------------


class CenterRow(Base):
    __tablename__ = "centers"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)


class SlotRow(Base):
    __tablename__ = "slots"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(32))
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    position: Mapped[int] = mapped_column(Integer, default=0)


class RoomRow(Base):
    __tablename__ = "rooms"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    capacity: Mapped[int] = mapped_column(Integer)
    individuals_allowed: Mapped[bool] = mapped_column(Boolean)
    fees: Mapped[dict[str, Any]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ClosureRow(Base):
    """A temporary closure (臨時休館日, election days); regular closures are rules in code."""

    __tablename__ = "closures"
    __table_args__ = (UniqueConstraint("center_id", "day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"))
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime]


# --- groups -----------------------------------------------------------------------------


class GroupRow(Base):
    __tablename__ = "groups"
    user_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(100), index=True)
    furigana: Mapped[str] = mapped_column(String(200), index=True)
    activity: Mapped[str] = mapped_column(Text)
    member_count: Mapped[int] = mapped_column(Integer)
    kodaira_member_count: Mapped[int] = mapped_column(Integer)
    representative_is_resident: Mapped[bool] = mapped_column(Boolean)
    rep_name: Mapped[str] = mapped_column(String(60))
    rep_furigana: Mapped[str] = mapped_column(String(120))
    rep_postal_code: Mapped[str] = mapped_column(String(8))
    rep_address: Mapped[str] = mapped_column(String(200))
    rep_phone: Mapped[str] = mapped_column(String(20), index=True)
    rep_email: Mapped[str | None] = mapped_column(String(254))
    resp_name: Mapped[str] = mapped_column(String(60))
    resp_furigana: Mapped[str] = mapped_column(String(120))
    resp_postal_code: Mapped[str] = mapped_column(String(8))
    resp_address: Mapped[str] = mapped_column(String(200))
    resp_phone: Mapped[str] = mapped_column(String(20), index=True)
    resp_email: Mapped[str | None] = mapped_column(String(254))
    fee_exemption: Mapped[str | None] = mapped_column(String(32))
    fee_exemption_note: Mapped[str] = mapped_column(String(200), default="")
    registered_at: Mapped[datetime]
    registered_center_id: Mapped[str | None] = mapped_column(ForeignKey("centers.id"))
    valid_until: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deregistered_at: Mapped[datetime | None]
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class IdCounterRow(Base):
    """Counters for ids the backend issues (user ids, approval numbers). A row lock makes
    issuing safe across processes."""

    __tablename__ = "id_counters"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


# --- reservations -----------------------------------------------------------------------


class ReservationRow(Base):
    __tablename__ = "reservations"
    __table_args__ = (
        # No double booking, whatever the race: one live reservation per room, day and slot.
        Index(
            "uq_reservations_live_slot",
            "room_id",
            "use_date",
            "slot_id",
            unique=True,
            postgresql_where=text("status <> 'cancelled'"),
            sqlite_where=text("status <> 'cancelled'"),
        ),
        Index("ix_reservations_center_date", "center_id", "use_date"),
        Index("ix_reservations_group_month", "user_id", "use_month"),
        # PostgreSQL also has ix_reservations_approval_prefix (approval_number
        # text_pattern_ops), made by migration 0003 only there: keep it when autogenerating.
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    approval_number: Mapped[str] = mapped_column(String(24), unique=True)
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"))
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id"))
    use_date: Mapped[date] = mapped_column(Date)
    use_month: Mapped[str] = mapped_column(String(7))  # "2027-02": quotas count by month
    slot_id: Mapped[str] = mapped_column(ForeignKey("slots.id"))
    kind: Mapped[str] = mapped_column(String(16))  # lottery / first_come / last_minute
    channel: Mapped[str] = mapped_column(String(16))  # online / counter
    status: Mapped[str] = mapped_column(String(16), default="booked")
    user_id: Mapped[str | None] = mapped_column(ForeignKey("groups.user_id"))
    individual_name: Mapped[str | None] = mapped_column(String(60))
    purpose: Mapped[str] = mapped_column(String(200), default="")
    headcount: Mapped[int] = mapped_column(Integer)
    fee_nominal: Mapped[int] = mapped_column(Integer)
    fee_charged: Mapped[int] = mapped_column(Integer)
    fee_exemption: Mapped[str | None] = mapped_column(String(32))
    fee_exemption_note: Mapped[str] = mapped_column(String(200), default="")
    checked_in_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    #: staff id, device id or "citizen:<user id>": who made it (no personal data)
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class LotteryEntryRow(Base):
    __tablename__ = "lottery_entries"
    __table_args__ = (
        Index(
            "uq_lottery_entry_once",
            "user_id",
            "room_id",
            "use_date",
            "slot_id",
            unique=True,
            postgresql_where=text("status <> 'withdrawn'"),
            sqlite_where=text("status <> 'withdrawn'"),
        ),
        Index("ix_lottery_entries_month", "use_month", "status"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("groups.user_id"))
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"))
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id"))
    use_date: Mapped[date] = mapped_column(Date)
    use_month: Mapped[str] = mapped_column(String(7))
    slot_id: Mapped[str] = mapped_column(ForeignKey("slots.id"))
    channel: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(200), default="")
    headcount: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reservation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reservations.id"))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class LotteryRunRow(Base):
    __tablename__ = "lottery_runs"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    seed: Mapped[str] = mapped_column(String(64))
    ran_at: Mapped[datetime]
    entries: Mapped[int] = mapped_column(Integer)
    winners: Mapped[int] = mapped_column(Integer)


class NotificationRow(Base):
    """Notices to send (lottery results by e-mail). No mail server here: they wait as pending
    for the operator's mailer."""

    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("groups.user_id"))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class UsageReportRow(Base):
    """利用報告書."""

    __tablename__ = "usage_reports"
    reservation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reservations.id"), primary_key=True
    )
    actual_headcount: Mapped[int] = mapped_column(Integer)
    remarks: Mapped[str] = mapped_column(String(400), default="")
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(64))


class FeeReceiptRow(Base):
    __tablename__ = "fee_receipts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reservation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reservations.id"), unique=True)
    amount: Mapped[int] = mapped_column(Integer)
    receipt_number: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime]
    received_by: Mapped[str] = mapped_column(String(64))


# --- who may call -----------------------------------------------------------------------


class StaffRow(Base):
    __tablename__ = "staff"
    staff_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]


class SessionRow(Base):
    """Sessions live in the database so any backend instance can check any token."""

    __tablename__ = "sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # staff / citizen
    subject: Mapped[str] = mapped_column(String(32), index=True)  # staff id or user id
    device_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class DeviceRow(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_mutation_id: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seen_at: Mapped[datetime | None]
    #: Short number used in the approval numbers this desk issues offline.
    number: Mapped[int] = mapped_column(Integer, unique=True)


class EnrollmentCodeRow(Base):
    __tablename__ = "enrollment_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    device_id: Mapped[str | None] = mapped_column(String(36))


class DeviceMutationRow(Base):
    """What became of each mutation a desk pushed, so a retry gets the same answer."""

    __tablename__ = "device_mutations"
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    mutation_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # applied / rejected
    reason_code: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(String(200), default="")
    applied_at: Mapped[datetime]
    #: The staff member the desk named, and whether they may work at the desk's center
    #: (services/attribution.py); the device is always known.
    staff_id: Mapped[str | None] = mapped_column(String(32))
    staff_verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AuditEventRow(Base):
    __tablename__ = "audit_events"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    event: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[str | None] = mapped_column(String(32))
    device_id: Mapped[str | None] = mapped_column(String(36))
    center_id: Mapped[str | None] = mapped_column(String(64))
    #: What was touched, by id (approval number, user id); never a person's name.
    subject: Mapped[str] = mapped_column(String(128), default="")
    received_at: Mapped[datetime]
    #: Whether ``staff_id`` names someone who may work at ``center_id`` (a signed-in session
    #: or a check of the claim); False: only the device is vouched for.
    staff_verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


# --- the change log that sync reads -----------------------------------------------------


class ChangeRow(Base):
    """One row per entity, moved to a new ``seq`` on every change; deletions leave a
    tombstone. A desk pulls rows with ``seq`` above its cursor, in its scope."""

    __tablename__ = "changes"
    __table_args__ = (
        UniqueConstraint("entity", "entity_id"),
        Index("ix_changes_center_seq", "center_id", "seq"),
    )
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    #: The center whose desks see it; None for groups (scoped by ``center_groups``) and for
    #: catalog-wide rows such as slots.
    center_id: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[str | None] = mapped_column(String(16), index=True)
    op: Mapped[str] = mapped_column(String(8))  # upsert / delete
    changed_at: Mapped[datetime]


class CenterGroupRow(Base):
    """Groups a center's desks may see: booked there, registered there or looked up there."""

    __tablename__ = "center_groups"
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("groups.user_id"), primary_key=True)
    since: Mapped[datetime]


class MetaRow(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
