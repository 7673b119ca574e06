"""Follow-up to issue 15: the name/phone search across centers is bounded like a foreign
look-up, and a group's lottery entries are listed only for the asking desk's center."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from center_desk.backend.routes.groups import FOREIGN_HITS_PER_SEARCH
from center_desk.backend.services import foreign_lookups
from tests.backend.test_cli import cli, refused
from tests.support.backend_app import CENTER, OTHER_CENTER, Backend, person, tokyo

ADMIN = {"Authorization": "Bearer admin-secret"}
SEARCH = "/v1/groups/search"
#: The test group's representative and person responsible (tests/support/backend_app.py).
REP_NAME = "小平 花子"
REP_PHONE = "042-341-1211"


def _search(backend: Backend, headers: dict[str, str], query: str, reason: str | None = None):
    body: dict[str, object] = {"query": query}
    if reason is not None:
        body["reason"] = reason
    return backend.client.post(SEARCH, json=body, headers=headers)


def _lookups(backend: Backend) -> list[str]:
    rows = backend.client.get(
        "/v1/admin/audit-events", params={"center": OTHER_CENTER}, headers=ADMIN
    ).json()
    return [r["subject"] for r in rows if r["event"] == foreign_lookups.LOOKUP_EVENT]


def test_without_a_reason_another_centers_group_is_found_by_name_only_and_without_personal_data(
    backend: Backend,
) -> None:
    user_id, _ = backend.register()  # at CENTER
    away = backend.desk(OTHER_CENTER, "s002")

    by_name = _search(backend, away, "囲碁クラブ")
    assert by_name.status_code == 200, by_name.text
    [hit] = by_name.json()
    assert hit["user_id"] == user_id
    assert hit["representative_name"] is None
    assert hit["registered_elsewhere"] is True
    assert REP_NAME not in by_name.text
    assert [h["user_id"] for h in _search(backend, away, user_id).json()] == [user_id]

    # A person's name or phone does not lead to another center's group without a reason.
    assert _search(backend, away, REP_NAME).json() == []
    assert _search(backend, away, REP_PHONE).json() == []
    assert _search(backend, away, "3411211").json() == []
    assert _lookups(backend) == []  # nothing personal was shown, nothing counted

    # The registering center finds its own group every way, with the representative's name.
    here = backend.desk(CENTER)
    for query in ("囲碁", REP_NAME, REP_PHONE):
        [own] = _search(backend, here, query).json()
        assert (own["representative_name"], own["registered_elsewhere"]) == (REP_NAME, False)


def test_with_a_reason_each_group_shown_is_an_audited_look_up(backend: Backend) -> None:
    user_id, _ = backend.register()
    away = backend.desk(OTHER_CENTER, "s002")

    odd = _search(backend, away, REP_NAME, reason="curious")
    assert odd.status_code == 422
    found = _search(backend, away, REP_PHONE, reason="walk_in")
    assert found.status_code == 200, found.text
    [hit] = found.json()
    assert (hit["user_id"], hit["representative_name"]) == (user_id, REP_NAME)
    assert _lookups(backend) == [f"{user_id} walk_in search"]
    # The privacy officer's "who saw this group" lists the search.
    who = backend.client.get(f"/v1/admin/audit-events/who-saw/{user_id}", headers=ADMIN)
    assert who.status_code == 200, who.text
    assert OTHER_CENTER in who.text and "s002" in who.text

    # A search that shows no other center's group costs nothing.
    assert _search(backend, away, "見つからない名前", reason="walk_in").json() == []
    assert len(_lookups(backend)) == 1


def test_a_broad_search_shows_few_foreign_groups_and_the_limit_counts_groups(
    backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    settings = backend.ctx.settings
    ids = [
        backend.register(
            name=f"小平合唱団{'アイウエオカキク'[n]}",
            furigana=f"コダイラガッショウダン{'アイウエオカキク'[n]}",
            representative=person(name=f"合唱 {'一二三四五六七八'[n]}郎"),
        )[0]
        for n in range(FOREIGN_HITS_PER_SEARCH + 2)
    ]
    away = backend.desk(OTHER_CENTER, "s002")
    caplog.set_level(logging.WARNING)

    broad = _search(backend, away, "合唱", reason="inquiry").json()
    assert len(broad) == FOREIGN_HITS_PER_SEARCH
    assert {h["user_id"] for h in broad} < set(ids)
    assert all(h["representative_name"] for h in broad)
    assert len(_lookups(backend)) == FOREIGN_HITS_PER_SEARCH

    # Single look-ups fill the hour up to one short of the limit...
    spent = FOREIGN_HITS_PER_SEARCH
    while spent < settings.foreign_lookups_per_hour - 1:
        got = backend.client.get(f"/v1/groups/{ids[0]}", params={"reason": "inquiry"}, headers=away)
        assert got.status_code == 200, got.text
        spent += 1
    assert any("ALERT unusual" in r.getMessage() for r in caplog.records)
    # ...so a search that would show five more is refused whole, and recorded.
    refused = _search(backend, away, "合唱", reason="inquiry")
    assert (refused.status_code, refused.json()["code"]) == (429, "lookup_rate_limited")
    assert len(_lookups(backend)) == spent
    # One more single look-up still fits.
    one = _search(backend, away, ids[-1], reason="inquiry")
    assert one.status_code == 200 and len(one.json()) == 1
    # The search without a reason still finds the groups by name, without personal data.
    plain = _search(backend, away, "合唱").json()
    assert len(plain) == len(ids) and all(h["representative_name"] is None for h in plain)
    for record in caplog.records:
        assert not any(i in record.getMessage() for i in ids)

    backend.at(backend.clock.now() + timedelta(hours=1, minutes=1))
    away = backend.desk(OTHER_CENTER, "s002")
    assert _search(backend, away, "合唱", reason="inquiry").status_code == 200


def test_a_groups_lottery_entries_are_listed_only_for_the_asking_center(backend: Backend) -> None:
    user_id, _ = backend.register()
    backend.at(tokyo(2026, 12, 12))
    here, away = backend.desk(CENTER), backend.desk(OTHER_CENTER, "s002")
    for headers, room in ((here, f"{CENTER}/1-shukai"), (away, f"{OTHER_CENTER}/1-shukai")):
        entered = backend.client.post(
            "/v1/counter/lottery-entries",
            json=backend.entry(room=room, day=date(2027, 2, 15), user_id=user_id),
            headers=headers,
        )
        assert entered.status_code == 201, entered.text
    url = f"/v1/counter/groups/{user_id}/lottery-entries"
    assert [e["center_id"] for e in backend.client.get(url, headers=here).json()] == [CENTER]
    assert [e["center_id"] for e in backend.client.get(url, headers=away).json()] == [OTHER_CENTER]


def test_the_audit_report_refuses_far_dates_and_long_ids_by_api_and_cli(
    backend: Backend, postgres_url: str
) -> None:
    far = backend.client.get("/v1/admin/audit-events", params={"to": "9999-12-31"}, headers=ADMIN)
    assert far.status_code == 422 and [f["field"] for f in far.json()["fields"]] == ["to"]
    long_id = backend.client.get(
        "/v1/admin/audit-events", params={"staff": "s" * 100}, headers=ADMIN
    )
    assert long_id.status_code == 422
    stderr = refused(cli(postgres_url, "audit", "--to", "9999-12-31"))
    assert "2199" in stderr
