"""What every request must be before any endpoint sees it: a body of bounded size (413), and no
character PostgreSQL refuses to store (NUL) or UTF-8 cannot carry (a lone surrogate, which
JSON's ``\\ud800`` escapes can produce) in the path, the query or any JSON string.

Checked once here rather than field by field: such a character is never valid in any field,
and letting it reach the database turns a typo or an attack into a 5xx. The answer names the
field (``query.name``, or the body's dotted path) and never echoes the value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from center_desk.protocol import API_VERSION, API_VERSION_HEADER
from center_desk.protocol.common import ErrorBody, FieldError

_REFUSED = re.compile("[\x00\ud800-\udfff]")


def refused_character(text: str) -> bool:
    return _REFUSED.search(text) is not None


def _bad_fields(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, str):
        if refused_character(value):
            yield path or "request"
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if refused_character(str(key)):
                yield path or "request"
            else:
                yield from _bad_fields(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bad_fields(item, f"{path}.{index}" if path else str(index))


class RequestGuard:
    """A pure ASGI middleware: buffers the body (up to ``max_body_bytes``) and checks it."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fields = self._bad_url_fields(scope)
        if fields:
            await _refuse(
                send, 422, "invalid_input", "the request holds a refused character", fields
            )
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await _too_large(send, self.max_body_bytes)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await _too_large(send, self.max_body_bytes)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if body:
            try:
                parsed = json.loads(body)
                bad = sorted(set(_bad_fields(parsed, "")))
            except ValueError:
                bad = []  # not JSON: the endpoint's own validation answers
            except RecursionError:
                bad = ["request"]  # nested deeper than any of our schemas goes
            if bad:
                await _refuse(
                    send, 422, "invalid_input", "the request holds a refused character", bad
                )
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _bad_url_fields(scope: Scope) -> list[str]:
        fields: list[str] = []
        if refused_character(str(scope.get("path", ""))):
            fields.append("path")
        raw_query = bytes(scope.get("query_string", b"")).decode("latin-1")
        try:
            pairs = parse_qsl(raw_query, keep_blank_values=True, errors="surrogateescape")
        except ValueError:
            return [*fields, "query"]
        for key, value in pairs:
            if refused_character(key) or refused_character(value):
                fields.append(f"query.{key}" if not refused_character(key) else "query")
        return sorted(set(fields))


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send, limit: int) -> None:
    await _refuse(send, 413, "too_large", f"the request body is over {limit} bytes", [])


async def _refuse(send: Send, status: int, code: str, message: str, fields: list[str]) -> None:
    body = ErrorBody(
        code=code,
        message=message,
        fields=[FieldError(field=f, code="refused_character", message=message) for f in fields],
    )
    payload = json.dumps(body.model_dump(mode="json")).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (API_VERSION_HEADER.lower().encode("ascii"), str(API_VERSION).encode("ascii")),
                (b"content-length", str(len(payload)).encode("ascii")),
                # The rest of an oversized body is not read: the connection cannot be reused.
                *([(b"connection", b"close")] if status == 413 else []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
