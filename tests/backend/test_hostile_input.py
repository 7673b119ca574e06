"""Every operation in /openapi.json, sent what PostgreSQL or the calendar cannot take (issue 9):
NUL bytes and lone surrogates, far dates, integers past bigint, long strings, a cursor whose
sequence overflows, padded and full-width months. Never a 5xx, and not one row changes."""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from datetime import date
from typing import Any

from center_desk.backend.services.sync_cursor import Cursor
from tests.support.backend_app import (
    CENTER,
    HALL,
    Backend,
    group_payload,
    insert_citizen_session,
    insert_reservation,
    table_counts,
    tokyo,
)

#: (method, path, query, body, headers, must be refused)
Request = tuple[str, str, str, bytes | None, dict[str, str], bool]

ADMIN = {"Authorization": "Bearer admin-secret"}
USE = date(2027, 2, 15)

#: Never valid in any text field: refused characters, and longer than any column.
HOSTILE_STRINGS = ["a\x00b", "\ud800", "x" * 100_000]
HOSTILE_DATES = ["9999-12-31", "0001-01-01", "2027-02-30"]
HOSTILE_DATETIMES = ["9999-12-31T23:59:59+09:00", "0001-01-01T00:00:00+00:00"]
HOSTILE_INTS = [2**63, -(2**63) - 1, 10**30]
#: In a path a value may be merely unknown (a read of an unknown group finds nothing), so
#: these must never break anything, and a write must refuse them.
HOSTILE_PATH = ["a%00b", "x" * 3000, "%202027-02", "２０２７-０２", "2027-3", "9" * 40]


def _huge_cursor() -> str:
    raw = json.dumps({"e": "anything", "s": 2**70, "n": 0})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return _resolve(spec, options[0]) if options else {"type": "null"}
    if "allOf" in schema:
        return _resolve(spec, schema["allOf"][0])
    return schema


#: Plausible values for fields by name, so a request gets past the first check and the
#: hostile value in one other field is what the server has to deal with.
KNOWN = {
    "room_id": HALL,
    "center_id": CENTER,
    "use_date": USE.isoformat(),
    "day": USE.isoformat(),
    "slot_id": "afternoon",
    "kind": "first_come",
    "staff_id": "s001",
    "headcount": 5,
}


def _plausible(spec: dict[str, Any], schema: dict[str, Any], name: str, depth: int = 0) -> Any:
    schema = _resolve(spec, schema)
    if name in KNOWN:
        return KNOWN[name]
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        return {
            key: _plausible(spec, sub, key, depth + 1)
            for key, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    fmt = schema.get("format")
    if fmt == "date":
        return USE.isoformat()
    if fmt == "date-time":
        return "2027-01-04T09:00:00+09:00"
    if fmt == "uuid":
        return "00000000-0000-4000-8000-000000000001"
    return "x" * max(1, int(schema.get("minLength", 1)))


def _hostile_values(schema: dict[str, Any]) -> list[Any]:
    fmt = schema.get("format")
    kind = schema.get("type")
    if fmt == "date":
        return HOSTILE_DATES
    if fmt == "date-time":
        return HOSTILE_DATETIMES
    if kind in ("integer", "number"):
        return HOSTILE_INTS
    if kind == "string" or kind is None:
        return HOSTILE_STRINGS
    return []


def _leaves(
    spec: dict[str, Any], schema: dict[str, Any], path: tuple[str, ...], depth: int = 0
) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    schema = _resolve(spec, schema)
    if ("properties" in schema) and depth <= 4:
        found: list[tuple[tuple[str, ...], dict[str, Any]]] = []
        for key, sub in schema["properties"].items():
            found.extend(_leaves(spec, sub, (*path, key), depth + 1))
        return found
    return [(path, schema)]


def _with(body: Any, path: tuple[str, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(body))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


def _requests(
    backend: Backend, spec: dict[str, Any], values: dict[str, str], headers: dict[str, Any]
) -> list[Request]:
    """(method, url path, query, body, headers) for every operation and hostile value."""
    built: list[Request] = []
    for template, operations in spec["paths"].items():
        for method, operation in operations.items():
            who = (
                ADMIN
                if template.startswith("/v1/admin")
                else headers["citizen"]
                if template.startswith("/v1/citizen")
                else headers["staff"]
            )
            params = operation.get("parameters", [])
            path_names = [p["name"] for p in params if p["in"] == "path"]
            queries = {
                p["name"]: _resolve(spec, p.get("schema", {})) for p in params if p["in"] == "query"
            }

            def url(overrides: dict[str, str], template: str = template) -> str:
                return re.sub(
                    r"\{(\w+)\}", lambda m: overrides.get(m[1], values.get(m[1], "x")), template
                )

            body_schema = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            body = _plausible(spec, body_schema, "") if body_schema else None
            raw = (lambda b: json.dumps(b).encode()) if body_schema else (lambda b: None)
            plain_query = "&".join(
                f"{name}={_plausible(spec, schema, name)}"
                for name, schema in queries.items()
                if name not in ("cursor",)
            )
            for name in path_names:
                for bad in HOSTILE_PATH:
                    refuse = method != "get"
                    built.append((method, url({name: bad}), plain_query, raw(body), who, refuse))
            for name, schema in queries.items():
                bad_values = [*_hostile_values(schema), "a%00b"]
                if name == "cursor":
                    bad_values = [_huge_cursor(), "a%00b", "x" * 150]
                for bad in bad_values:
                    others = [
                        f"{n}={_plausible(spec, s, n)}"
                        for n, s in queries.items()
                        if n not in (name, "cursor")
                    ]
                    text = bad if isinstance(bad, str) else str(bad)
                    if "\x00" in text or "\ud800" in text:
                        text = "a%00b"
                    # Still far past any column, but within what an HTTP client sends in a URL
                    # (httpx refuses URLs over 64 KiB before they leave).
                    text = text[:30_000]
                    query = "&".join([*others, f"{name}={text}"])
                    # A cursor that is no cursor of ours is answered with a snapshot.
                    refuse = not (name == "cursor" and text == bad)
                    built.append((method, url({}), query, raw(body), who, refuse))
            if body_schema:
                for path, leaf in _leaves(spec, body_schema, ()):
                    if not path:
                        continue
                    # A desk's clock at sending is whatever that PC's clock says (a reset
                    # clock says 1970): it must break nothing, and it is never a reason to
                    # refuse the push that carries the desk's waiting bookings.
                    refuse = path[-1] != "sent_at"
                    for bad in _hostile_values(leaf):
                        built.append(
                            (method, url({}), plain_query, raw(_with(body, path, bad)), who, refuse)
                        )
    return built


def test_every_operation_survives_hostile_input_and_changes_nothing(backend: Backend) -> None:
    backend.at(tokyo(2027, 1, 4, 10, 0))
    user_id, _ = backend.register()
    reservation_id = insert_reservation(
        backend.ctx, user_id=user_id, day=USE, now=backend.clock.now()
    )
    headers = {
        "staff": backend.desk(),
        "citizen": insert_citizen_session(backend.ctx, user_id, now=backend.clock.now()),
    }
    values = {
        "center_id": CENTER,
        "user_id": user_id,
        "reservation_id": str(reservation_id),
        "entry_id": str(reservation_id),
        "number": "W000000001",
        "month": "2027-02",
        "device_id": "00000000-0000-4000-8000-000000000001",
    }
    spec = backend.client.get("/openapi.json").json()
    requests = _requests(backend, spec, values, headers)
    operations = sum(len(ops) for ops in spec["paths"].values())
    assert operations >= 39 and len(requests) > 400
    # A desk's first pull writes the change log's epoch: done here, so what follows is on
    # the hostile requests alone.
    assert backend.client.get("/v1/sync/pull", headers=headers["staff"]).status_code == 200
    before = table_counts(backend.ctx)
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    for method, path, query, body, who, refuse in requests:
        response = backend.client.request(
            method.upper(),
            path + (f"?{query}" if query else ""),
            content=body,
            headers={**who, **({"Content-Type": "application/json"} if body else {})},
        )
        statuses[response.status_code] += 1
        if response.status_code >= 500 or (refuse and response.status_code < 400):
            shown = (body or b"")[:200]
            failures.append(
                f"{method.upper()} {path[:80]}?{query[:80]} {shown!r} -> "
                f"{response.status_code} {response.text[:200]}"
            )
    assert failures == [], "\n".join(failures[:40])
    assert table_counts(backend.ctx) == before
    assert statuses[422] > 0


def test_an_oversized_body_is_413_before_anything_reads_it(backend: Backend) -> None:
    headers = backend.desk()
    limit = backend.ctx.settings.max_body_bytes
    query = json.dumps({"query": "x" * (limit + 1)})
    response = backend.client.post(
        "/v1/groups/search", content=query, headers={**headers, "Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()["code"]) == (413, "too_large")
    registered = backend.client.post("/v1/groups", json=group_payload(), headers=headers)
    assert registered.status_code == 201


def test_a_nul_byte_is_a_422_naming_the_field(backend: Backend) -> None:
    response = backend.client.post(
        "/v1/citizen/sign-in", json={"user_id": "1\x000", "password": "x"}
    )
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["fields"]] == ["user_id"]
    closures = backend.client.get("/v1/centers/nakajima/closures?from=2027-02-01&to=a%00")
    assert closures.status_code == 422
    assert [f["field"] for f in closures.json()["fields"]] == ["query.to"]


def test_a_cursor_past_bigint_is_no_cursor() -> None:
    assert Cursor.decode(_huge_cursor()) is None
    assert Cursor.decode(Cursor("e", 2**63 - 1).encode()) == Cursor("e", 2**63 - 1)
