"""利用状況 (issue 12, item 6): a seeded month on the real backend (PostgreSQL). The figures
the admin API, the desk route and ``center-desk-backend report`` give match a count made
directly from the bookings in the database; the desk sees its own center only."""

from __future__ import annotations

import csv
import io
import random
import re
import subprocess
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from center_desk.backend.models import FeeReceiptRow, LotteryEntryRow, ReservationRow, RoomRow
from center_desk.backend.services.catalog import calendar_for, set_closure
from center_desk.backend.services.ids import next_approval_number
from center_desk.printing import render_png_pages
from tests.backend.test_cli import CATALOG as CATALOG_FILE
from tests.backend.test_cli import cli, ok, refused
from tests.support.backend_app import CENTER, OTHER_CENTER, Backend, insert_groups, tokyo

ADMIN = {"Authorization": "Bearer admin-secret"}
MONTH = "2027-02"
#: Closed days of the two months at CENTER: the 1st and 3rd Tuesdays (none a holiday in these
#: months), and a temporary closure the test sets on 2027-02-15.
CLOSED = {
    date(2027, 2, 2),
    date(2027, 2, 16),
    date(2027, 2, 15),
    date(2026, 2, 3),
    date(2026, 2, 17),
}
STATUSES = ["used"] * 6 + ["booked", "no_show", "cancelled", "cancelled"]
KINDS = ["lottery", "first_come", "last_minute"]
EXEMPTIONS = [None, None, "city_subsidy", "school_pta", "shakyo_subsidy"]


def seed(backend: Backend, rng_seed: int = 12) -> None:
    """Bookings, receipts and lottery entries in February 2027 and February 2026 at two
    centers (and a few in the fiscal year between), written straight into the database."""
    now = backend.clock.now()
    rng = random.Random(rng_seed)
    users = insert_groups(backend.ctx, 6, now=now)
    with backend.ctx.db.session() as session:
        set_closure(session, CENTER, date(2027, 2, 15), "選挙投票所", now)
    months = [(2027, 2), (2026, 2), (2026, 11)]
    with backend.ctx.db.session() as session:
        rooms = list(
            session.scalars(select(RoomRow).where(RoomRow.center_id.in_([CENTER, OTHER_CENTER])))
        )
        calendar = calendar_for(session, CENTER)
        for year, month in months:
            day = date(year, month, 1)
            while day.month == month:
                # The rules book nothing on a closed day; a holiday Tuesday moves the closure
                # to the Wednesday (2026-11-04), so the seed asks the calendar.
                if day in CLOSED or calendar.is_closed(day):
                    day += timedelta(days=1)
                    continue
                for room in rooms:
                    for slot_id in room.fees:
                        if rng.random() < 0.45:
                            _booking(session, rng, room, day, slot_id, users, now)
                        if rng.random() < 0.25:
                            # Each group enters a slot once (a unique index says so).
                            for user in rng.sample(users, rng.randint(1, 3)):
                                _entry(session, rng, room, day, slot_id, user, now)
                day += timedelta(days=1)


def _booking(
    session: Any,
    rng: random.Random,
    room: RoomRow,
    day: date,
    slot: str,
    users: list[str],
    now: Any,
) -> None:
    exemption = rng.choice(EXEMPTIONS)
    nominal = int(room.fees[slot])
    status = rng.choice(STATUSES)
    row = ReservationRow(
        id=uuid.uuid4(),
        approval_number=next_approval_number(session),
        center_id=room.center_id,
        room_id=room.id,
        use_date=day,
        use_month=f"{day.year:04d}-{day.month:02d}",
        slot_id=slot,
        kind=rng.choice(KINDS),
        channel="counter",
        status=status,
        user_id=rng.choice(users),
        individual_name=None,
        purpose="練習",
        headcount=10,
        fee_nominal=nominal,
        fee_charged=0 if exemption else nominal,
        fee_exemption=exemption,
        fee_exemption_note="",
        created_at=now,
        created_by="test",
        updated_at=now,
    )
    session.add(row)
    session.flush()
    if exemption is None and status == "used":
        session.add(
            FeeReceiptRow(
                reservation_id=row.id,
                amount=nominal,
                receipt_number=f"R{row.approval_number}",
                received_at=now,
                received_by="s001",
            )
        )
    # A cancelled slot may be booked again by another group: the live index allows it.
    if status == "cancelled" and rng.random() < 0.5:
        _booking(session, rng, room, day, slot, users, now)


def _entry(
    session: Any,
    rng: random.Random,
    room: RoomRow,
    day: date,
    slot: str,
    user: str,
    now: Any,
) -> None:
    session.add(
        LotteryEntryRow(
            id=uuid.uuid4(),
            user_id=user,
            center_id=room.center_id,
            room_id=room.id,
            use_date=day,
            use_month=f"{day.year:04d}-{day.month:02d}",
            slot_id=slot,
            channel="online",
            headcount=10,
            status=rng.choice(["won", "lost", "lost", "withdrawn"]),
            created_at=now,
            created_by="test",
        )
    )


def direct_counts(backend: Backend, center_id: str, start: date, end: date) -> dict[str, Any]:
    """The month's figures counted straight from the bookings, in SQL, without the service."""
    where = "center_id = :c AND use_date BETWEEN :s AND :e"
    params = {"c": center_id, "s": start, "e": end}
    with backend.ctx.db.engine.connect() as conn:

        def one(sql: str) -> int:
            return int(conn.execute(text(sql), params).scalar() or 0)

        cells = {
            (r[0], r[1]): int(r[2])
            for r in conn.execute(
                text(
                    f"SELECT room_id, slot_id, count(*) FROM reservations WHERE {where}"
                    " AND status <> 'cancelled' GROUP BY room_id, slot_id"
                ),
                params,
            )
        }
        kinds = dict(
            conn.execute(
                text(
                    f"SELECT kind, count(*) FROM reservations WHERE {where}"
                    " AND status <> 'cancelled' GROUP BY kind"
                ),
                params,
            ).all()
        )
        exemptions = dict(
            conn.execute(
                text(
                    f"SELECT fee_exemption, count(*) FROM reservations WHERE {where}"
                    " AND status <> 'cancelled' AND fee_exemption IS NOT NULL GROUP BY 1"
                ),
                params,
            ).all()
        )
        return {
            "cells": cells,
            "kinds": kinds,
            "exemptions": exemptions,
            "cancelled": one(
                f"SELECT count(*) FROM reservations WHERE {where} AND status = 'cancelled'"
            ),
            "no_show": one(
                f"SELECT count(*) FROM reservations WHERE {where} AND status = 'no_show'"
            ),
            "charged": one(
                f"SELECT sum(fee_charged) FROM reservations WHERE {where} AND status <> 'cancelled'"
            ),
            "received": one(
                "SELECT sum(f.amount) FROM fee_receipts f JOIN reservations r"
                " ON r.id = f.reservation_id WHERE r.center_id = :c"
                " AND r.use_date BETWEEN :s AND :e"
            ),
            "entries": one(
                f"SELECT count(*) FROM lottery_entries WHERE {where} AND status <> 'withdrawn'"
            ),
            "entry_slots": one(
                "SELECT count(*) FROM (SELECT DISTINCT room_id, use_date, slot_id"
                f" FROM lottery_entries WHERE {where} AND status <> 'withdrawn') AS d"
            ),
        }


def assert_matches(period: dict[str, Any], counted: dict[str, Any], open_days: int) -> None:
    cells = {(c["room_id"], c["slot_id"]): c for c in period["cells"]}
    for key, used in counted["cells"].items():
        assert cells[key]["used"] == used, key
    assert sum(c["used"] for c in cells.values()) == sum(counted["cells"].values())
    for cell in cells.values():
        assert cell["offered"] in (0, open_days)
    assert {k: v for k, v in period["by_kind"].items() if v} == counted["kinds"]
    assert period["exemptions"] == counted["exemptions"]
    assert period["cancellations"] == counted["cancelled"]
    assert period["no_shows"] == counted["no_show"]
    assert period["fees_charged"] == counted["charged"]
    assert period["fees_received"] == counted["received"]
    assert period["lottery_entries"] == counted["entries"]
    assert period["lottery_slots"] == counted["entry_slots"]


def test_admin_figures_match_a_direct_count_of_the_bookings(backend: Backend) -> None:
    seed(backend)
    backend.at(tokyo(2027, 3, 2))
    response = backend.client.get("/v1/admin/usage", params={"month": MONTH}, headers=ADMIN)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["month"] == MONTH
    by_center = {c["center_id"]: c for c in body["centers"]}
    assert CENTER in by_center and OTHER_CENTER in by_center and len(by_center) >= 10

    ours = by_center[CENTER]
    counted = direct_counts(backend, CENTER, date(2027, 2, 1), date(2027, 2, 28))
    assert counted["cells"] and counted["cancelled"] and counted["entries"]  # the seed did seed
    assert_matches(ours["this_month"], counted, open_days=28 - 3)
    last_year = direct_counts(backend, CENTER, date(2026, 2, 1), date(2026, 2, 28))
    assert_matches(ours["previous_year"], last_year, open_days=28 - 2)
    fiscal = direct_counts(backend, CENTER, date(2026, 4, 1), date(2027, 2, 28))
    ytd = ours["year_to_date"]
    assert sum(c["used"] for c in ytd["cells"]) == sum(fiscal["cells"].values())
    assert ytd["cancellations"] == fiscal["cancelled"]

    other = by_center[OTHER_CENTER]
    counted_other = direct_counts(backend, OTHER_CENTER, date(2027, 2, 1), date(2027, 2, 28))
    # No temporary closure there: only the two Tuesdays.
    assert_matches(other["this_month"], counted_other, open_days=28 - 2)

    # Figures only: no group, user id or name anywhere in the reply.
    raw = response.text
    assert "テスト団体" not in raw and "代表" not in raw and "user_id" not in raw


def test_admin_usage_needs_the_token_and_a_strict_month(backend: Backend) -> None:
    assert backend.client.get("/v1/admin/usage", params={"month": MONTH}).status_code == 401
    # Years outside the service's (0001, 9999) once overflowed the previous-year arithmetic: 500.
    for bad in ("2027-2", "2027-13", "Feb", "0001-01", "9999-12"):
        response = backend.client.get("/v1/admin/usage", params={"month": bad}, headers=ADMIN)
        assert response.status_code == 422, bad
        assert response.json()["fields"][0]["field"] == "month"


def test_desk_sees_its_own_center_only(backend: Backend) -> None:
    seed(backend)
    desk = backend.desk(CENTER)
    own = backend.client.get(f"/v1/centers/{CENTER}/usage", params={"month": MONTH}, headers=desk)
    assert own.status_code == 200, own.text
    admin = backend.client.get("/v1/admin/usage", params={"month": MONTH}, headers=ADMIN).json()
    assert own.json() == next(c for c in admin["centers"] if c["center_id"] == CENTER)

    other = backend.client.get(
        f"/v1/centers/{OTHER_CENTER}/usage", params={"month": MONTH}, headers=desk
    )
    assert (other.status_code, other.json()["code"]) == (403, "forbidden")
    no_staff = {"X-Device-Token": desk["X-Device-Token"]}
    anonymous = backend.client.get(
        f"/v1/centers/{CENTER}/usage", params={"month": MONTH}, headers=no_staff
    )
    assert anonymous.status_code == 401
    bad = backend.client.get(
        f"/v1/centers/{CENTER}/usage", params={"month": "2027-2"}, headers=desk
    )
    assert bad.status_code == 422
    far = backend.client.get(
        f"/v1/centers/{CENTER}/usage", params={"month": "9999-12"}, headers=desk
    )
    assert (far.status_code, far.json()["code"]) == (422, "invalid_input")


def test_report_command_writes_pdf_and_csv(
    backend: Backend, postgres_url: str, tmp_path: Path
) -> None:
    seed(backend)
    out = tmp_path / "office"
    printed = ok(
        cli(postgres_url, "report", MONTH, "--out", str(out), fixed_time=tokyo(2027, 3, 2))
    )
    pdf, summary, rooms = (
        out / f"usage-{MONTH}{suffix}" for suffix in (".pdf", ".csv", "-rooms.csv")
    )
    for path in (pdf, summary, rooms):
        assert str(path) in printed and path.stat().st_size > 0

    # The PDF renders: a summary page, then one page per center.
    centers = len(
        backend.client.get("/v1/admin/usage", params={"month": MONTH}, headers=ADMIN).json()[
            "centers"
        ]
    )
    pages = render_png_pages(pdf.read_bytes(), dpi=40)
    assert len(pages) == centers + 1
    text_out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "月次利用状況報告" in text_out and "令和9年2月分" in text_out
    assert "予約の種類別件数" in text_out and "部屋・コマ別の利用率" in text_out

    # The CSV's month row for CENTER equals the direct count.
    assert summary.read_bytes().startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(summary.read_text(encoding="utf-8-sig"))))
    assert len(table) == centers * 3
    row = next(r for r in table if r["センターID"] == CENTER and r["期間"] == "当月")
    counted = direct_counts(backend, CENTER, date(2027, 2, 1), date(2027, 2, 28))
    assert int(row["利用コマ数"]) == sum(counted["cells"].values())
    assert int(row["取消件数"]) == counted["cancelled"]
    assert int(row["使用料収納額"]) == counted["received"]
    room_rows = list(csv.DictReader(io.StringIO(rooms.read_text(encoding="utf-8-sig"))))
    ours = [r for r in room_rows if r["センターID"] == CENTER]
    assert sum(int(r["利用コマ数"]) for r in ours) == sum(counted["cells"].values())

    # The office reads the headers: Japanese words with full-width brackets, no internal codes.
    for header in (list(table[0]), list(room_rows[0])):
        assert not [name for name in header if re.search(r"[a-z_():%]", name)], header
    assert "免除（市の補助金）" in table[0] and "利用率（％）" in room_rows[0]


@pytest.mark.parametrize("month", ["2027-2", "2027-13", "202702", "next"])
def test_report_command_refuses_a_bad_month_clearly(postgres_url: str, month: str) -> None:
    message = refused(cli(postgres_url, "report", month), status=2)
    assert "YYYY-MM" in message


def test_report_command_says_what_is_missing_or_unwritable(
    postgres_url: str, tmp_path: Path
) -> None:
    ok(cli(postgres_url, "migrate"))
    empty = refused(cli(postgres_url, "report", MONTH, "--out", str(tmp_path)))
    assert "catalog load" in empty
    ok(cli(postgres_url, "catalog", "load", str(CATALOG_FILE)))
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("", encoding="utf-8")
    unwritable = refused(cli(postgres_url, "report", MONTH, "--out", str(a_file / "office")))
    assert "cannot write to" in unwritable
    assert list(tmp_path.iterdir()) == [a_file]
