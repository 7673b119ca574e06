"""The real backend app on a real PostgreSQL database, with an injected clock."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from center_desk.backend.app import create_app
from center_desk.backend.config import BackendSettings
from center_desk.backend.context import BackendContext
from center_desk.backend.db import Database
from center_desk.backend.migrate import upgrade
from center_desk.backend.models import StaffRow
from center_desk.backend.services import auth
from center_desk.backend.services.catalog import load_catalog
from center_desk.domain import TOKYO, ManualClock
from center_desk.resources import load_catalog as read_catalog

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


@pytest.fixture
def backend(postgres_url: str) -> Iterator[Backend]:
    clock = ManualClock(tokyo(2026, 12, 1, 9, 0))
    ctx = make_context(postgres_url, clock)
    with TestClient(create_app(ctx=ctx), raise_server_exceptions=False) as client:
        yield Backend(ctx, client, clock)
    ctx.db.dispose()
