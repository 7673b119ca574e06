"""Issue 15: the audit trail is readable (admin API and ``center-desk-backend audit``), and a
desk's look-ups of groups registered elsewhere are explained, bounded and reported."""

from __future__ import annotations

import csv
import io
import logging
import uuid
from datetime import timedelta

import pytest

from center_desk.backend.services import foreign_lookups
from tests.backend.test_cli import cli, ok
from tests.support.backend_app import (
    CENTER,
    OTHER_CENTER,
    Backend,
    insert_reservation,
    tokyo,
)

ADMIN = {"Authorization": "Bearer admin-secret"}
REPORT = "/v1/admin/audit-events"
#: Everything personal the test group's form carries (tests/support/backend_app.py).
PERSONAL = ("小平 花子", "上水 太郎", "小川町1-2-3", "042-341-1211", "090-1234-5678", "hanako@")


def _report(backend: Backend, **params: str) -> list[dict[str, object]]:
    response = backend.client.get(REPORT, params=params, headers=ADMIN)
    assert response.status_code == 200, response.text
    rows: list[dict[str, object]] = response.json()
    return rows


def _print_event(backend: Backend, headers: dict[str, str], subject: str) -> None:
    sent = backend.client.post(
        "/v1/counter/audit-events",
        json={
            "kind": "audit_event",
            "event_id": str(uuid.uuid4()),
            "at": backend.clock.now().isoformat(),
            "event": "printed",
            "subject": subject,
        },
        headers=headers,
    )
    assert sent.status_code == 202, sent.text


def test_who_saw_a_group_by_center_staff_device_and_date(backend: Backend) -> None:
    user_id, _ = backend.register()  # at CENTER by s001
    other_id, _ = backend.register(name="小平将棋クラブ", furigana="コダイラショウギクラブ")

    backend.at(tokyo(2026, 12, 2, 11))
    here = backend.desk(CENTER, "s001")
    assert backend.client.get(f"/v1/groups/{user_id}", headers=here).status_code == 200
    backend.at(tokyo(2026, 12, 3, 15))
    here = backend.desk(CENTER, "s001")
    away = backend.desk(OTHER_CENTER, "s002")
    looked = backend.client.get(f"/v1/groups/{user_id}", params={"reason": "walk_in"}, headers=away)
    assert looked.status_code == 200, looked.text
    backend.clock.set(tokyo(2026, 12, 3, 15, 5))
    number_row = insert_reservation(
        backend.ctx, user_id=user_id, day=tokyo(2027, 2, 15).date(), now=backend.clock.now()
    )
    assert number_row
    listed = backend.client.get(f"/v1/counter/groups/{user_id}/reservations", headers=here).json()
    approval_number = listed[0]["approval_number"]
    _print_event(backend, here, f"{approval_number} reprint")
    backend.clock.set(tokyo(2026, 12, 3, 15, 10))
    backend.client.get(f"/v1/groups/{other_id}", headers=here)

    everything = _report(backend)
    assert {e["event"] for e in everything} >= {
        "group_registered",
        "group_viewed",
        foreign_lookups.LOOKUP_EVENT,
        "printed",
        "staff_signed_in",
    }
    # Each event: who, which desk, when, what, which subject; never a person's data.
    for event in everything:
        assert set(event) >= {"at", "event", "staff_id", "device_id", "center_id", "subject"}
        assert not any(p in str(event) for p in PERSONAL), event

    seen = _report(backend, group=user_id)
    assert [(e["event"], e["staff_id"], e["center_id"], e["subject"]) for e in seen] == [
        ("group_registered", "s001", CENTER, user_id),
        ("group_viewed", "s001", CENTER, user_id),
        (foreign_lookups.LOOKUP_EVENT, "s002", OTHER_CENTER, f"{user_id} walk_in"),
        ("printed", "s001", CENTER, f"{approval_number} reprint"),
    ]
    assert all(other_id not in str(e["subject"]) for e in seen)

    assert {e["staff_id"] for e in _report(backend, staff="s002")} == {"s002"}
    assert {e["center_id"] for e in _report(backend, center=OTHER_CENTER)} == {OTHER_CENTER}
    device_id = seen[2]["device_id"]
    assert isinstance(device_id, str)
    assert {e["device_id"] for e in _report(backend, device=device_id)} == {device_id}
    on_the_3rd = _report(backend, **{"from": "2026-12-03", "to": "2026-12-03"})
    assert [
        e["event"] for e in on_the_3rd if e["event"] not in {"staff_signed_in", "device_enrolled"}
    ] == [
        foreign_lookups.LOOKUP_EVENT,
        "printed",
        "group_viewed",
    ]
    assert _report(backend, **{"from": "2026-12-04"}) == []
    backwards = backend.client.get(
        REPORT, params={"from": "2026-12-04", "to": "2026-12-03"}, headers=ADMIN
    )
    assert backwards.status_code == 422

    as_csv = backend.client.get(REPORT, params={"group": user_id, "format": "csv"}, headers=ADMIN)
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(as_csv.text)))
    assert table[0][:3] == ["at", "event", "staff_id"]
    assert [r[1] for r in table[1:]] == [e["event"] for e in seen]
    assert table[3][0] == "2026-12-03 15:00:00"  # Tokyo time for the privacy officer

    who = backend.client.get(f"{REPORT}/who-saw/{user_id}", headers=ADMIN).json()
    assert [(w["staff_id"], w["center_id"], w["events"]) for w in who] == [
        ("s001", CENTER, {"group_registered": 1, "group_viewed": 1, "printed": 1}),
        ("s002", OTHER_CENTER, {foreign_lookups.LOOKUP_EVENT: 1}),
    ]
    assert backend.client.get(f"{REPORT}/who-saw/99999999", headers=ADMIN).status_code == 404
    assert backend.client.get(REPORT, headers=here).status_code == 401


def test_a_foreign_look_up_needs_a_reason_and_is_bounded_per_desk(
    backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    settings = backend.ctx.settings
    user_id, _ = backend.register()
    away = backend.desk(OTHER_CENTER, "s002")
    url = f"/v1/groups/{user_id}"

    bare = backend.client.get(url, headers=away)
    assert (bare.status_code, bare.json()["code"]) == (422, "lookup_reason_required")
    odd = backend.client.get(url, params={"reason": "curious"}, headers=away)
    assert odd.status_code == 422
    # The registering center reads its own groups without a reason.
    assert backend.client.get(url, headers=backend.desk(CENTER)).status_code == 200

    caplog.set_level(logging.WARNING)
    for n in range(settings.foreign_lookups_per_hour):
        got = backend.client.get(url, params={"reason": "inquiry"}, headers=away)
        assert got.status_code == 200, (n, got.text)
        alerts = [r for r in caplog.records if "ALERT unusual" in r.getMessage()]
        assert len(alerts) == (1 if n + 1 >= settings.foreign_lookup_alert_per_hour else 0)
    refused = backend.client.get(url, params={"reason": "inquiry"}, headers=away)
    assert (refused.status_code, refused.json()["code"]) == (429, "lookup_rate_limited")
    assert any("ALERT foreign group look-ups refused" in r.getMessage() for r in caplog.records)
    # The log line names the desk, never the group or a person.
    for record in caplog.records:
        assert user_id not in record.getMessage()
        assert not any(p in record.getMessage() for p in PERSONAL)

    # Another desk is not held back by this one.
    elsewhere = backend.desk("josui-shinmachi", "s003")
    assert (
        backend.client.get(url, params={"reason": "walk_in"}, headers=elsewhere).status_code == 200
    )

    # The report shows the alert and the refusal.
    events = [e["event"] for e in _report(backend, center=OTHER_CENTER)]
    assert events.count(foreign_lookups.ALERT_EVENT) == 1
    assert events.count(foreign_lookups.REFUSED_EVENT) == 1
    assert events.count(foreign_lookups.LOOKUP_EVENT) == settings.foreign_lookups_per_hour

    # An hour later the desk may look groups up again.
    backend.at(backend.clock.now() + timedelta(hours=1, minutes=1))
    away = backend.desk(OTHER_CENTER, "s002")
    assert backend.client.get(url, params={"reason": "walk_in"}, headers=away).status_code == 200


def test_a_groups_reservations_are_listed_only_for_the_asking_center(backend: Backend) -> None:
    user_id, _ = backend.register()
    day = tokyo(2027, 2, 15).date()
    insert_reservation(backend.ctx, user_id=user_id, day=day, now=backend.clock.now())
    insert_reservation(
        backend.ctx, user_id=user_id, day=day, room="nakajima/1-shukai", now=backend.clock.now()
    )
    url = f"/v1/counter/groups/{user_id}/reservations"
    here = backend.client.get(url, headers=backend.desk(CENTER)).json()
    away = backend.client.get(url, headers=backend.desk(OTHER_CENTER, "s002")).json()
    assert [r["center_id"] for r in here] == [CENTER]
    assert [r["center_id"] for r in away] == [OTHER_CENTER]


def test_audit_command_table_csv_and_who_saw(backend: Backend, postgres_url: str) -> None:
    user_id, _ = backend.register()
    away = backend.desk(OTHER_CENTER, "s002")
    backend.client.get(f"/v1/groups/{user_id}", params={"reason": "walk_in"}, headers=away)

    table = ok(cli(postgres_url, "audit", "--group", user_id))
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["at", "event", "staff_id"]
    assert "group_registered" in lines[1] and "s001" in lines[1] and CENTER in lines[1]
    assert foreign_lookups.LOOKUP_EVENT in lines[2] and f"{user_id} walk_in" in lines[2]
    assert lines[-1] == "2 events"

    as_csv = ok(cli(postgres_url, "audit", "--center", OTHER_CENTER, "--csv"))
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert {r["center_id"] for r in rows} == {OTHER_CENTER}
    assert foreign_lookups.LOOKUP_EVENT in {r["event"] for r in rows}

    who = ok(cli(postgres_url, "audit", "--who-saw", user_id))
    assert who.splitlines()[0] == f"who saw group {user_id}:"
    assert any(line.startswith("s001") and CENTER in line for line in who.splitlines())
    assert any(line.startswith("s002") and OTHER_CENTER in line for line in who.splitlines())
    for output in (table, as_csv, who):
        assert not any(p in output for p in PERSONAL)
    assert "no audit events match" in ok(cli(postgres_url, "audit", "--staff", "nobody"))


def test_a_date_beyond_the_service_years_is_refused_not_a_server_error(backend: Backend) -> None:
    # ``to=9999-12-31`` once overflowed the exclusive end of the range (a 500).
    for params in ({"to": "9999-12-31"}, {"from": "0001-01-01"}):
        response = backend.client.get(REPORT, params=params, headers=ADMIN)
        assert (response.status_code, response.json()["code"]) == (422, "invalid_input"), params


def test_a_desk_cannot_date_an_event_so_that_the_report_breaks(backend: Backend) -> None:
    # Once accepted: an event dated 9999-12-31T20:00Z (its Tokyo time is past what Python's
    # datetime holds) made every report that listed it, who-saw included, a 500; a time
    # without offset was a 500 on arrival.
    user_id, _ = backend.register()
    here = backend.desk()
    bad_times = ("9999-12-31T20:00:00+00:00", "0001-01-01T00:00:00+09:00", "2026-12-01T10:00:00")
    for at in bad_times:
        sent = backend.client.post(
            "/v1/counter/audit-events",
            json={"event_id": str(uuid.uuid4()), "at": at, "event": "printed", "subject": user_id},
            headers=here,
        )
        assert (sent.status_code, sent.json()["fields"][0]["field"]) == (422, "at"), at
    device = {"X-Device-Token": backend.device_token()}
    mutations = [
        {
            "id": n,
            "created_at": backend.clock.now().isoformat(),
            "body": {
                "kind": "audit_event",
                "event_id": str(uuid.uuid4()),
                "event": "printed",
                "at": at,
                "subject": user_id,
            },
        }
        for n, at in enumerate(bad_times, start=1)
    ]
    pushed = backend.client.post("/v1/sync/push", json={"mutations": mutations}, headers=device)
    assert pushed.status_code == 200, pushed.text
    assert [r["status"] for r in pushed.json()["results"]] == ["rejected"] * 3
    assert [e["event"] for e in _report(backend, group=user_id)] == ["group_registered"]
    who = backend.client.get(f"/v1/admin/audit-events/who-saw/{user_id}", headers=ADMIN)
    assert who.status_code == 200, who.text
