"""QA follow-up to issue 15: booking for a group registered at another center hands the booking
center the group's personal data (its desks pull it), so it is a foreign look-up with reason
``booking``: audited, counted toward the desk's hour, named by ``audit --who-saw``, but the
booking itself is never refused for the look-up limit."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from center_desk.backend.services import foreign_lookups
from tests.backend.test_cli import cli, ok
from tests.support.backend_app import CENTER, OTHER_CENTER, Backend, group_payload, tokyo

ADMIN = {"Authorization": "Bearer admin-secret"}
AWAY_ROOM = f"{OTHER_CENTER}/1-shukai"


def _lookups(backend: Backend, user_id: str) -> list[tuple[str, str, str]]:
    events = backend.client.get(
        "/v1/admin/audit-events", params={"group": user_id}, headers=ADMIN
    ).json()
    return [
        (e["subject"], e["staff_id"], e["center_id"])
        for e in events
        if e["event"] == foreign_lookups.LOOKUP_EVENT
    ]


def test_a_lottery_entry_for_another_centers_group_is_an_audited_look_up(
    backend: Backend, postgres_url: str
) -> None:
    user_id, _ = backend.register()  # registered at CENTER
    backend.at(tokyo(2026, 12, 12))
    away = backend.desk(OTHER_CENTER, "s002")
    for slot in ("morning", "afternoon"):
        entered = backend.client.post(
            "/v1/counter/lottery-entries",
            json=backend.entry(room=AWAY_ROOM, day=date(2027, 2, 15), slot=slot, user_id=user_id),
            headers=away,
        )
        assert entered.status_code == 201, entered.text
    # Once: the second entry finds the group already referenced by this center.
    assert _lookups(backend, user_id) == [(f"{user_id} booking", "s002", OTHER_CENTER)]
    who = ok(cli(postgres_url, "audit", "--who-saw", user_id))
    assert any(line.startswith("s002") and OTHER_CENTER in line for line in who.splitlines())

    # The registering center's own bookings are no look-up.
    own_id, _ = backend.register(name="上水コーラスの会", furigana="ジョウスイコーラスノカイ")
    entered = backend.client.post(
        "/v1/counter/lottery-entries",
        json=backend.entry(room=f"{CENTER}/1-shukai", day=date(2027, 2, 15), user_id=own_id),
        headers=backend.desk(CENTER),
    )
    assert entered.status_code == 201, entered.text
    assert _lookups(backend, own_id) == []


def test_bookings_count_toward_the_alert_but_are_never_refused_at_the_limit(
    backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    settings = backend.ctx.settings
    ids = [
        backend.register(name=name, furigana=kana)[0]
        for name, kana in (
            ("小平合唱団", "コダイラガッショウダン"),
            ("上水会", "ジョウスイカイ"),
            ("中島会", "ナカジマカイ"),
        )
    ]
    backend.at(tokyo(2026, 12, 12))
    away = backend.desk(OTHER_CENTER, "s002")
    # The desk has spent its hour on look-ups of another group (the limit reached).
    spent = ids[0]
    for _ in range(settings.foreign_lookups_per_hour):
        got = backend.client.get(f"/v1/groups/{spent}", params={"reason": "inquiry"}, headers=away)
        assert got.status_code == 200, got.text
    refused = backend.client.get(f"/v1/groups/{ids[1]}", params={"reason": "inquiry"}, headers=away)
    assert refused.status_code == 429
    caplog.set_level(logging.WARNING)
    # Booking for two more foreign groups still goes through, and both are recorded.
    for user_id in ids[1:]:
        booked = backend.client.post(
            "/v1/counter/lottery-entries",
            json=backend.entry(room=AWAY_ROOM, day=date(2027, 2, 15), user_id=user_id),
            headers=away,
        )
        assert booked.status_code == 201, booked.text
        assert _lookups(backend, user_id) == [(f"{user_id} booking", "s002", OTHER_CENTER)]


def test_a_booking_look_up_fires_the_alert_when_it_crosses_the_line(
    backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    settings = backend.ctx.settings
    spent, booked_id = (
        backend.register()[0],
        backend.register(name="上水コーラスの会", furigana="ジョウスイコーラスノカイ")[0],
    )
    backend.at(tokyo(2026, 12, 12))
    away = backend.desk(OTHER_CENTER, "s002")
    for _ in range(settings.foreign_lookup_alert_per_hour - 1):
        got = backend.client.get(f"/v1/groups/{spent}", params={"reason": "inquiry"}, headers=away)
        assert got.status_code == 200, got.text
    caplog.set_level(logging.WARNING)
    assert not [r for r in caplog.records if "ALERT unusual" in r.getMessage()]
    booked = backend.client.post(
        "/v1/counter/lottery-entries",
        json=backend.entry(room=AWAY_ROOM, day=date(2027, 2, 15), user_id=booked_id),
        headers=away,
    )
    assert booked.status_code == 201, booked.text
    alerts = [r for r in caplog.records if "ALERT unusual" in r.getMessage()]
    assert len(alerts) == 1 and booked_id not in alerts[0].getMessage()
    events = backend.client.get(
        "/v1/admin/audit-events", params={"center": OTHER_CENTER}, headers=ADMIN
    ).json()
    assert [e["event"] for e in events].count(foreign_lookups.ALERT_EVENT) == 1


def test_changing_or_deregistering_another_centers_group_takes_a_reason_and_counts(
    backend: Backend,
) -> None:
    user_id, _ = backend.register()
    away = backend.desk(OTHER_CENTER, "s002")
    form = group_payload(name="小平混声合唱団", furigana="コダイラコンセイガッショウダン")
    bare = backend.client.put(f"/v1/groups/{user_id}", json=form, headers=away)
    assert (bare.status_code, bare.json()["code"]) == (422, "lookup_reason_required")
    gone = backend.client.post(
        f"/v1/groups/{user_id}/deregister", json={"reason": "解散"}, headers=away
    )
    assert (gone.status_code, gone.json()["code"]) == (422, "lookup_reason_required")
    assert backend.client.get(f"/v1/groups/{user_id}", headers=backend.desk()).json()["active"]
    assert _lookups(backend, user_id) == []

    changed = backend.client.put(
        f"/v1/groups/{user_id}", params={"reason": "change"}, json=form, headers=away
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "小平混声合唱団"
    gone = backend.client.post(
        f"/v1/groups/{user_id}/deregister",
        params={"reason": "change"},
        json={"reason": "解散"},
        headers=away,
    )
    assert gone.status_code == 200, gone.text
    assert _lookups(backend, user_id) == [(f"{user_id} change", "s002", OTHER_CENTER)] * 2

    # The registering center changes its own groups without a reason.
    own = backend.client.put(f"/v1/groups/{user_id}", json=form, headers=backend.desk())
    assert own.status_code == 200, own.text
    assert len(_lookups(backend, user_id)) == 2


def test_a_foreign_change_is_refused_at_the_desks_limit(backend: Backend) -> None:
    settings = backend.ctx.settings
    user_id, _ = backend.register()
    away = backend.desk(OTHER_CENTER, "s002")
    for _ in range(settings.foreign_lookups_per_hour):
        got = backend.client.get(
            f"/v1/groups/{user_id}", params={"reason": "inquiry"}, headers=away
        )
        assert got.status_code == 200, got.text
    form = group_payload(name="小平混声合唱団", furigana="コダイラコンセイガッショウダン")
    refused = backend.client.put(
        f"/v1/groups/{user_id}", params={"reason": "change"}, json=form, headers=away
    )
    assert (refused.status_code, refused.json()["code"]) == (429, "lookup_rate_limited")
    mine = backend.client.get(f"/v1/groups/{user_id}", headers=backend.desk()).json()
    assert mine["name"] != "小平混声合唱団"
