"""A closed form's draft, kept in the encrypted cache until the next form opens it
(DESIGN.md §5)."""

from __future__ import annotations

import json

from center_desk.store import meta

from ...context import DeskContext
from ...drafts import write_behind


def draft_key(user_id: str | None) -> str:
    """Where a closed form's draft waits in the cache's meta table (encrypted with the rest)."""
    return f"draft:group_form:{user_id or 'new'}"


def save_draft(ctx: DeskContext, user_id: str | None, values: dict[str, str]) -> None:
    _put_draft(ctx, user_id, json.dumps(values, ensure_ascii=False))


def clear_draft(ctx: DeskContext, user_id: str | None) -> None:
    _put_draft(ctx, user_id, "")


def _put_draft(ctx: DeskContext, user_id: str | None, text: str) -> None:
    key = draft_key(user_id)
    write_behind(ctx, lambda conn: meta.put(conn, key, text), "draft not kept")
