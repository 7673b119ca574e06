"""Groups in the cache: look-up and search at the counter.

Personal data is read here for the screen and the printed forms only; callers record an audit
event when staff open a group's details (DESIGN.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from center_desk.domain import (
    GroupForm,
    Person,
    normalize_digits,
    normalize_furigana,
    normalize_text,
)

from .dbapi import Connection, Row


@dataclass(frozen=True)
class CachedGroup:
    user_id: str
    form: GroupForm
    valid_until: date
    active: bool

    @property
    def name(self) -> str:
        return self.form.name


def _person(row: Row, prefix: str) -> Person:
    return Person(
        name=row[f"{prefix}_name"],
        furigana=row[f"{prefix}_furigana"],
        postal_code=row[f"{prefix}_postal_code"],
        address=row[f"{prefix}_address"],
        phone=row[f"{prefix}_phone"],
        email=row[f"{prefix}_email"],
    )


def _group(db: Connection, row: Row) -> CachedGroup:
    return CachedGroup(
        user_id=row["user_id"],
        form=GroupForm(
            name=row["name"],
            furigana=row["furigana"],
            activity=row["activity"],
            member_count=int(row["member_count"]),
            kodaira_member_count=int(row["kodaira_member_count"]),
            representative_is_resident=bool(row["representative_is_resident"]),
            representative=_person(row, "representative"),
            responsible=_person(row, "responsible"),
            fee_exemption=row["fee_exemption"],
            fee_exemption_note=row["fee_exemption_note"],
        ),
        valid_until=date.fromisoformat(row["valid_until"]),
        active=bool(row["active"]),
    )


def get(db: Connection, user_id: str) -> CachedGroup | None:
    row = db.execute("SELECT * FROM groups WHERE user_id = ?", (user_id,)).fetchone()
    return _group(db, row) if row is not None else None


def search(db: Connection, query: str, limit: int = 50) -> list[CachedGroup]:
    """By user id, name, furigana (hiragana typed is fine) or phone, as staff type it."""
    text = normalize_text(query)
    if not text:
        return []
    digits = "".join(ch for ch in normalize_digits(text) if ch.isdigit())
    kana = normalize_furigana(text)
    clauses = ["name LIKE :text", "furigana LIKE :kana", "representative_name LIKE :text"]
    params: dict[str, str | int] = {
        "text": f"%{_escape(text)}%",
        "kana": f"%{_escape(kana)}%",
        "limit": limit,
    }
    if digits:
        clauses.append("user_id LIKE :id_prefix")
        params["id_prefix"] = f"{digits}%"
        if len(digits) >= 4:
            clauses.append("replace(representative_phone, '-', '') LIKE :phone")
            clauses.append("replace(responsible_phone, '-', '') LIKE :phone")
            params["phone"] = f"%{digits}%"
    rows = db.execute(
        "SELECT * FROM groups WHERE "
        + " OR ".join(f"({c} ESCAPE '\\')" for c in clauses)
        + " ORDER BY furigana LIMIT :limit",
        params,
    ).fetchall()
    return [_group(db, r) for r in rows]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def count(db: Connection) -> int:
    row = db.execute("SELECT count(*) FROM groups").fetchone()
    return int(row[0]) if row else 0
