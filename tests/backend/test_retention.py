"""Issue 15: the backend anonymises personal data past the city's periods and keeps the
figures (``POST /v1/admin/retention/run``, ``center-desk-backend retention run``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from center_desk.backend.models import AuditEventRow, ChangeRow, GroupRow, ReservationRow
from center_desk.backend.services.retention import ANONYMISED_NAME
from tests.backend.test_cli import cli, ok
from tests.support.backend_app import (
    TATAMI2,
    Backend,
    insert_reservation,
    person,
    tokyo,
)

ADMIN = {"Authorization": "Bearer admin-secret"}
RUN = "/v1/admin/retention/run"
GONE_PERSONAL = ("退会 一郎", "タイカイ イチロウ", "小平市学園東町9-9", "042-999-0001", "ichiro@")


def _group(backend: Backend, user_id: str) -> GroupRow:
    with backend.ctx.db.session() as session:
        row = session.get(GroupRow, user_id)
        assert row is not None
        session.expunge(row)
        return row


def test_deregistered_groups_and_old_audit_events_are_anonymised_keeping_the_figures(
    backend: Backend,
) -> None:
    backend.ctx.settings = replace(
        backend.ctx.settings, personal_data_retention_days=365, audit_retention_days=730
    )
    leaving, password = backend.register(
        name="退会一郎の会",
        representative=person(
            name="退会 一郎",
            furigana="タイカイ イチロウ",
            address="東京都小平市学園東町9-9",
            phone="042-999-0001",
            email="ichiro@example.jp",
        ),
        activity="退会 一郎 宅での練習",
    )
    staying, _ = backend.register(name="継続クラブ", furigana="ケイゾククラブ")
    day = tokyo(2026, 12, 1).date()  # used on the day of the de-registration
    insert_reservation(backend.ctx, user_id=leaving, day=day, now=backend.clock.now())
    individual = insert_reservation(
        backend.ctx, user_id=staying, day=day, room=TATAMI2, now=backend.clock.now()
    )
    with backend.ctx.db.session() as session:
        row = session.get(ReservationRow, individual)
        assert row is not None
        row.user_id, row.individual_name = None, "個人 利用子"
    gone = backend.client.post(
        f"/v1/groups/{leaving}/deregister", json={"reason": "解散"}, headers=backend.desk()
    )
    assert gone.status_code == 200, gone.text
    deregistered_at = backend.clock.now()
    before = _group(backend, leaving)

    # Within the period nothing changes.
    backend.at(deregistered_at + timedelta(days=364))
    early = backend.client.post(RUN, headers=ADMIN)
    assert early.json() == {"groups": 0, "individual_names": 0, "audit_events": 0}
    assert _group(backend, leaving).rep_name == "退会 一郎"

    backend.at(deregistered_at + timedelta(days=366))
    done = backend.client.post(RUN, headers=ADMIN)
    assert done.status_code == 200, done.text
    assert done.json() == {"groups": 1, "individual_names": 1, "audit_events": 0}
    after = _group(backend, leaving)
    stored = " ".join(str(v) for v in vars(after).values())
    assert not any(p in stored for p in GONE_PERSONAL), stored
    assert "退会一郎の会" not in stored
    assert after.name == ANONYMISED_NAME and after.rep_email is None and after.resp_phone == ""
    # The figures stay: the user id, member counts, its booking.
    assert (after.user_id, after.member_count, after.kodaira_member_count) == (
        before.user_id,
        before.member_count,
        before.kodaira_member_count,
    )
    with backend.ctx.db.session() as session:
        bookings = session.scalars(
            select(ReservationRow).where(ReservationRow.use_date == day)
        ).all()
        assert {b.user_id for b in bookings} == {leaving, None}
        assert {b.individual_name for b in bookings} == {None, ANONYMISED_NAME}
        # Desks that keep the group pull its blanked row.
        change = session.scalars(
            select(ChangeRow).where(ChangeRow.entity == "group", ChangeRow.entity_id == leaving)
        ).one()
        assert change.changed_at == backend.clock.now()
    # Desks still read it (what they pull is the blanked row).
    read = backend.client.get(f"/v1/groups/{leaving}", headers=backend.desk())
    assert read.status_code == 200, read.text
    assert read.json()["representative"]["name"] == "" and read.json()["name"] == ANONYMISED_NAME
    # The staying group is untouched, and the anonymised one can no longer sign in.
    assert _group(backend, staying).rep_name == "小平 花子"
    refused = backend.client.post(
        "/v1/citizen/sign-in", json={"user_id": leaving, "password": password}
    )
    assert refused.status_code == 401

    # Audit events past their own period lose who and what; the counts stay.
    with backend.ctx.db.session() as session:
        events_before = int(session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)
    backend.at(deregistered_at + timedelta(days=731))
    aged = backend.client.post(RUN, headers=ADMIN).json()
    assert aged["groups"] == 0 and aged["audit_events"] > 0
    with backend.ctx.db.session() as session:
        events = session.scalars(
            select(AuditEventRow).where(AuditEventRow.at <= deregistered_at)
        ).all()
        assert events and all(e.staff_id is None and e.subject == "" for e in events)
        assert {e.event for e in events} >= {"group_registered", "group_deregistered"}
        total = int(session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)
    assert total >= events_before
    again = backend.client.post(RUN, headers=ADMIN).json()
    assert again == {"groups": 0, "individual_names": 0, "audit_events": 0}
    assert backend.client.post(RUN).status_code == 401


def test_retention_command(backend: Backend, postgres_url: str) -> None:
    leaving, _ = backend.register(name="退会の会")
    backend.client.post(
        f"/v1/groups/{leaving}/deregister", json={"reason": "解散"}, headers=backend.desk()
    )
    later = backend.clock.now() + timedelta(days=40)
    run = cli(postgres_url, "retention", "run", fixed_time=later)
    kept = ok(run)
    assert "anonymised 0 de-registered groups" in kept
    # Said once, on stdout: not again as a log line on stderr.
    assert (run.stdout + run.stderr).count("anonymised") == 1
    short = {"CENTER_DESK_BACKEND_PERSONAL_DATA_RETENTION_DAYS": "30"}
    done = ok(cli(postgres_url, "retention", "run", fixed_time=later, env=short))
    assert "anonymised 1 de-registered groups" in done
    assert _group(backend, leaving).name == ANONYMISED_NAME
