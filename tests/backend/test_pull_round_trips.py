"""A pull from a desk that has pulled before is one statement to PostgreSQL when there is
nothing new: the device's row and what every pull reads, together (issue 13). The answer is the
same as the ordinary way's, and a revoked or unknown device is still refused."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select

from center_desk.backend.models import DeviceRow
from center_desk.backend.security import token_hash
from center_desk.backend.services import auth, sync
from tests.support.backend_app import Backend, tokyo


@contextmanager
def statements(backend: Backend) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    engine = backend.ctx.db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def pull(backend: Backend, token: str, cursor: str | None) -> dict[str, Any]:
    params = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
    response = backend.client.get("/v1/sync/pull", params=params, headers={"X-Device-Token": token})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def caught_up(backend: Backend, token: str) -> str:
    cursor: str | None = None
    while True:
        page = pull(backend, token, cursor)
        cursor = page["cursor"]
        if not page["has_more"]:
            assert cursor
            return cursor


def test_an_empty_pull_of_a_known_desk_is_one_statement(backend: Backend) -> None:
    backend.at(tokyo(2027, 2, 10, 10, 0))
    backend.register()
    token = backend.enroll(name="round-trips")
    cursor = caught_up(backend, token)

    with statements(backend) as seen:
        page = pull(backend, token, cursor)

    assert page["changes"] == [] and not page["has_more"]
    assert len(seen) == 1, seen
    assert "devices.token_hash" in seen[0]


def test_the_one_statement_answer_is_the_ordinary_answer(backend: Backend) -> None:
    backend.at(tokyo(2027, 2, 10, 10, 0))
    backend.register()
    backend.register(name="小平将棋クラブ", furigana="コダイラショウギクラブ")
    token = backend.enroll(name="same-answer")
    ctx = backend.ctx
    cursor = caught_up(backend, token)
    for at in (None, cursor):
        keys = sync.DeskKeys()
        answers = []
        for _ in range(2):  # the ordinary way, then the one statement
            with ctx.db.statement_session() as session:
                answers.append(
                    sync.pull_json_for_token(
                        session,
                        token,
                        at,
                        limit=1000,
                        now=ctx.now(),
                        settings=ctx.settings,
                        keys=keys,
                    )
                )
            assert keys.get(token_hash(token)) is not None
        assert answers[0] == answers[1]


def test_a_known_desk_once_revoked_is_refused(backend: Backend) -> None:
    backend.at(tokyo(2027, 2, 10, 10, 0))
    token = backend.enroll(name="revoked")
    cursor = caught_up(backend, token)
    pull(backend, token, cursor)
    with backend.ctx.db.session() as session:
        device_id = session.scalars(
            select(DeviceRow.id).where(DeviceRow.token_hash == token_hash(token))
        ).one()
        auth.revoke_device(session, device_id, now=backend.clock.now())

    refused = backend.client.get(
        "/v1/sync/pull", params={"cursor": cursor}, headers={"X-Device-Token": token}
    )
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "device_revoked"
    unknown = backend.client.get(
        "/v1/sync/pull", params={"cursor": cursor}, headers={"X-Device-Token": token + "x"}
    )
    assert unknown.status_code == 401, unknown.text
