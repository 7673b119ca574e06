"""The real backend app on a real PostgreSQL database, with an injected clock."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from center_desk.backend.app import create_app
from center_desk.backend.config import BackendSettings
from center_desk.backend.context import BackendContext
from center_desk.backend.db import Database
from center_desk.backend.migrate import upgrade
from center_desk.backend.models import (
    Base,
    GroupRow,
    ReservationRow,
    RoomRow,
    SessionRow,
    StaffRow,
)
from center_desk.backend.security import hash_password, new_token, token_hash
from center_desk.backend.services import auth
from center_desk.backend.services.catalog import load_catalog
from center_desk.backend.services.groups import apply_form
from center_desk.backend.services.ids import next_approval_number, user_id_with_check_digit
from center_desk.domain import (
    TOKYO,
    GroupForm,
    ManualClock,
    Person,
    registration_valid_until,
    tokyo_date,
)
from center_desk.resources import load_catalog as read_catalog
from tests.support.postgres import PostgresServer

CENTER = "ogawa-nishimachi"
OTHER_CENTER = "nakajima"
HALL = f"{CENTER}/1-shukai"  # 第一集会室, capacity 40, groups only
TATAMI2 = f"{CENTER}/2-goraku"  # 第二娯楽室, individuals allowed
STAFF_PASSWORD = "correct-horse-9"


def tokyo(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TOKYO)


def person(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "小平 花子",
        "furigana": "こだいら はなこ",
        "postal_code": "187-0032",
        "address": "東京都小平市小川町1-2-3",
        "phone": "042-341-1211",
        "email": "hanako@example.jp",
    }
    data.update(overrides)
    return data


def group_payload(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "小平囲碁クラブ",
        "furigana": "コダイライゴクラブ",
        "activity": "囲碁",
        "member_count": 10,
        "kodaira_member_count": 8,
        "representative_is_resident": True,
        "representative": person(),
        "responsible": person(
            name="上水 太郎", furigana="ジョウスイ タロウ", phone="090-1234-5678", email=None
        ),
        "fee_exemption": None,
        "fee_exemption_note": "",
    }
    data.update(overrides)
    return data


@dataclass
class Backend:
    ctx: BackendContext
    client: TestClient
    clock: ManualClock
    staff_headers: dict[str, dict[str, str]] = field(default_factory=dict)
    device_tokens: dict[str, str] = field(default_factory=dict)

    def at(self, moment: datetime) -> None:
        """Move the server's clock. Staff sessions are signed in again on next use, as a desk
        would after a long pause; enrolled devices stay."""
        self.clock.set(moment)
        self.staff_headers.clear()

    def desk(self, center_id: str = CENTER, staff_id: str = "s001") -> dict[str, str]:
        """Headers of a desk enrolled at ``center_id`` with ``staff_id`` signed in."""
        key = f"{center_id}/{staff_id}"
        if key in self.staff_headers:
            return self.staff_headers[key]
        with self.ctx.db.session() as session:
            if session.get(StaffRow, staff_id) is None:
                auth.add_staff(session, staff_id, "窓口 職員", STAFF_PASSWORD, now=self.clock.now())
        device = {"X-Device-Token": self.device_token(center_id)}
        signed = self.client.post(
            "/v1/staff/sign-in",
            json={"staff_id": staff_id, "password": STAFF_PASSWORD},
            headers=device,
        )
        assert signed.status_code == 200, signed.text
        headers = {**device, "Authorization": f"Bearer {signed.json()['token']}"}
        self.staff_headers[key] = headers
        return headers

    def device_token(self, center_id: str = CENTER) -> str:
        if center_id not in self.device_tokens:
            self.device_tokens[center_id] = self.enroll(center_id)
        return self.device_tokens[center_id]

    def enroll(self, center_id: str = CENTER, name: str = "desk") -> str:
        with self.ctx.db.session() as session:
            code = auth.issue_enrollment_code(
                session, center_id, now=self.clock.now(), settings=self.ctx.settings
            )
        enrolled = self.client.post(
            "/v1/devices/enroll", json={"code": code, "device_name": f"{name}-{center_id}"}
        )
        assert enrolled.status_code == 201, enrolled.text
        return str(enrolled.json()["device_token"])

    def register(self, **overrides: Any) -> tuple[str, str]:
        response = self.client.post(
            "/v1/groups", json=group_payload(**overrides), headers=self.desk()
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return body["group"]["user_id"], body["initial_password"]

    def citizen(self, user_id: str, password: str) -> dict[str, str]:
        response = self.client.post(
            "/v1/citizen/sign-in", json={"user_id": user_id, "password": password}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}

    def booking(
        self,
        *,
        room: str = HALL,
        day: date,
        slot: str = "afternoon",
        kind: str,
        user_id: str | None = None,
        headcount: int = 10,
        **extra: Any,
    ) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "room_id": room,
            "use_date": day.isoformat(),
            "slot_id": slot,
            "kind": kind,
            "user_id": user_id,
            "headcount": headcount,
            "purpose": "練習",
            **extra,
        }

    def entry(
        self, *, room: str = HALL, day: date, slot: str = "afternoon", user_id: str | None = None
    ) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "room_id": room,
            "use_date": day.isoformat(),
            "slot_id": slot,
            "user_id": user_id,
            "headcount": 10,
            "purpose": "練習",
        }


def make_context(url: str, clock: ManualClock) -> BackendContext:
    settings = BackendSettings(database_url=url, environment="test", admin_token="admin-secret")
    db = Database(url)
    upgrade(db.engine)
    with db.session() as session:
        load_catalog(session, read_catalog(), clock.now())
    return BackendContext(settings, db, clock)


#: Migrated databases holding the catalog, one per (cluster, catalog time), made on first use;
#: every ``backend`` starts on a copy (``CREATE DATABASE … TEMPLATE``: ~15 ms, where migrating
#: and loading the catalog again cost ~0.3 s per test).
_CATALOG_TEMPLATES: dict[tuple[str, datetime], str] = {}


def replace_with_catalog_copy(server: PostgresServer, url: str, now: datetime) -> None:
    """Make the (unused) database at ``url`` as :func:`make_context` would leave it for a
    clock at ``now`` (migrated, catalog loaded): dropped and created again from a template."""
    key = (str(server.data_dir), now)
    template = _CATALOG_TEMPLATES.get(key)
    if template is None:
        template = f"catalog_template_{len(_CATALOG_TEMPLATES) + 1}"
        made = server.create_database(template)
        make_context(made, ManualClock(now)).db.dispose()  # no connection may stay open to it
        _CATALOG_TEMPLATES[key] = template
    name = url.rsplit("/", 1)[1]
    server.drop_database(name)
    server.create_database(name, template=template)


@pytest.fixture
def backend(postgres_server: PostgresServer, postgres_url: str) -> Iterator[Backend]:
    """The app on this test's database (``postgres_url``), migrated and with the catalog."""
    clock = ManualClock(tokyo(2026, 12, 1, 9, 0))
    replace_with_catalog_copy(postgres_server, postgres_url, clock.now())
    settings = BackendSettings(
        database_url=postgres_url, environment="test", admin_token="admin-secret"
    )
    ctx = BackendContext(settings, Database(postgres_url), clock)
    with TestClient(create_app(ctx=ctx), raise_server_exceptions=False) as client:
        yield Backend(ctx, client, clock)
    ctx.db.dispose()


# -- direct database helpers (set-up at scale, where the API's argon2 hashing is too slow) ------


_GROUP_PASSWORD_HASH: list[str] = []


def _shared_password_hash() -> str:
    """One argon2 hash for every group inserted directly: they sign in by inserted sessions."""
    if not _GROUP_PASSWORD_HASH:
        _GROUP_PASSWORD_HASH.append(hash_password(secrets.token_urlsafe(16)))
    return _GROUP_PASSWORD_HASH[0]


def insert_groups(
    ctx: BackendContext,
    count: int,
    *,
    now: datetime,
    first_number: int = 50_000_001,
    email: str | None = "group@example.jp",
) -> list[str]:
    """Insert ``count`` eligible groups straight into the database; returns their user ids
    (well-formed, with check digits, from ``first_number`` on)."""
    user_ids: list[str] = []
    rows: list[GroupRow] = []
    for n in range(count):
        user_id = user_id_with_check_digit(first_number + n)
        row = GroupRow(
            user_id=user_id,
            password_hash=_shared_password_hash(),
            registered_at=now,
            registered_center_id=CENTER,
            valid_until=registration_valid_until(tokyo_date(now)),
            active=True,
            failed_sign_ins=0,
            updated_at=now,
        )
        form = GroupForm(
            name=f"テスト団体{n:03d}",
            furigana=f"テストダンタイ{n:03d}",
            activity="囲碁",
            member_count=10,
            kodaira_member_count=8,
            representative_is_resident=True,
            representative=Person(
                f"代表 {n:03d}",
                "ダイヒョウ",
                "187-0032",
                "東京都小平市小川町1-2-3",
                "042-341-1211",
                email,
            ),
            responsible=Person(
                f"責任 {n:03d}",
                "セキニン",
                "187-0032",
                "東京都小平市小川町1-2-3",
                "090-1234-5678",
                None,
            ),
        )
        apply_form(row, form)
        rows.append(row)
        user_ids.append(user_id)
    with ctx.db.session() as session:
        session.add_all(rows)
    return user_ids


def insert_citizen_session(
    ctx: BackendContext, user_id: str, *, now: datetime, minutes: int = 120
) -> dict[str, str]:
    """A citizen session for ``user_id`` made in the database, as sign-in would make it;
    returns the request headers that carry it."""
    token = new_token()
    with ctx.db.session() as session:
        session.add(
            SessionRow(
                token_hash=token_hash(token),
                kind="citizen",
                subject=user_id,
                device_id=None,
                created_at=now,
                expires_at=now + timedelta(minutes=minutes),
            )
        )
    return {"Authorization": f"Bearer {token}"}


def insert_citizen_sessions(
    ctx: BackendContext, user_ids: list[str], *, now: datetime, minutes: int = 120
) -> dict[str, dict[str, str]]:
    """:func:`insert_citizen_session` for many groups in one transaction."""
    headers: dict[str, dict[str, str]] = {}
    with ctx.db.session() as session:
        for user_id in user_ids:
            token = new_token()
            session.add(
                SessionRow(
                    token_hash=token_hash(token),
                    kind="citizen",
                    subject=user_id,
                    device_id=None,
                    created_at=now,
                    expires_at=now + timedelta(minutes=minutes),
                )
            )
            headers[user_id] = {"Authorization": f"Bearer {token}"}
    return headers


def insert_reservation(
    ctx: BackendContext,
    *,
    user_id: str,
    day: date,
    room: str = HALL,
    slot: str = "afternoon",
    kind: str = "first_come",
    now: datetime,
) -> uuid.UUID:
    """A live reservation written straight into the database (no rule is asked)."""
    with ctx.db.session() as session:
        room_row = session.get(RoomRow, room)
        assert room_row is not None, room
        row = ReservationRow(
            id=uuid.uuid4(),
            approval_number=next_approval_number(session),
            center_id=room_row.center_id,
            room_id=room,
            use_date=day,
            use_month=f"{day.year:04d}-{day.month:02d}",
            slot_id=slot,
            kind=kind,
            channel="online",
            status="booked",
            user_id=user_id,
            individual_name=None,
            purpose="練習",
            headcount=10,
            fee_nominal=900,
            fee_charged=900,
            fee_exemption=None,
            fee_exemption_note="",
            created_at=now,
            created_by="test",
            updated_at=now,
        )
        session.add(row)
        return row.id


def table_counts(ctx: BackendContext) -> dict[str, int]:
    """Rows in every backend table: compare before and after a request that must change
    nothing."""
    counts: dict[str, int] = {}
    with ctx.db.session() as session:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = int(session.scalar(select(func.count()).select_from(table)) or 0)
    return counts
