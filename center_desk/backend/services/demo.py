"""Demo data: the demo catalog, a demo staff account, and a few months of plausible groups and
bookings around today. Every name, address and number here is made up; the town names and
postal codes are Kodaira's own so the postal-code lookup works in the demo.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_desk.domain import (
    GroupForm,
    Person,
    QuotaPolicy,
    registration_valid_until,
    require_valid_group,
    tokyo_date,
)
from center_desk.resources import load_catalog as read_catalog_file

from ..models import GroupRow, LotteryEntryRow, RoomRow, SlotRow, StaffRow
from ..security import hash_password
from . import auth
from .catalog import calendar_for, load_catalog
from .changes import record_row_change, reference_group
from .demo_history import demo_booking, seed_history
from .groups import apply_form
from .ids import next_user_id
from .reservations import month_of

DEMO_STAFF_ID = "demo"
#: Shown on the demo's sign-in window; a demo backend holds only made-up data.
DEMO_STAFF_PASSWORD = "demo-kodaira"
DEMO_CENTER_ID = "ogawa-nishimachi"

_FAMILY = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "松本",
    "井上",
    "木村",
]
_FAMILY_KANA = [
    "サトウ",
    "スズキ",
    "タカハシ",
    "タナカ",
    "イトウ",
    "ワタナベ",
    "ヤマモト",
    "ナカムラ",
    "コバヤシ",
    "カトウ",
    "ヨシダ",
    "ヤマダ",
    "ササキ",
    "マツモト",
    "イノウエ",
    "キムラ",
]
_GIVEN = [
    ("花子", "ハナコ"),
    ("太郎", "タロウ"),
    ("恵子", "ケイコ"),
    ("健一", "ケンイチ"),
    ("美穂", "ミホ"),
    ("誠", "マコト"),
    ("由美", "ユミ"),
    ("浩", "ヒロシ"),
]
_TOWNS = [
    ("187-0032", "東京都小平市小川町"),
    ("187-0031", "東京都小平市小川東町"),
    ("187-0035", "東京都小平市小川西町"),
    ("187-0022", "東京都小平市上水本町"),
    ("187-0023", "東京都小平市上水新町"),
    ("187-0044", "東京都小平市喜平町"),
    ("187-0043", "東京都小平市学園東町"),
    ("187-0033", "東京都小平市中島町"),
]
_GROUPS = [
    ("小平囲碁クラブ", "コダイライゴクラブ", "囲碁"),
    ("上水コーラスの会", "ジョウスイコーラスノカイ", "合唱"),
    ("小川西町太極拳同好会", "オガワニシマチタイキョクケンドウコウカイ", "太極拳"),
    ("けやき書道会", "ケヤキショドウカイ", "書道"),
    ("たまご子育てサロン", "タマゴコソダテサロン", "子育て交流"),
    ("小平民謡保存会", "コダイラミンヨウホゾンカイ", "民謡"),
    ("喜平俳句会", "キヘイハイクカイ", "俳句"),
    ("ブルーベリー手芸の会", "ブルーベリーシュゲイノカイ", "手芸"),
    ("中島町自治会", "ナカジマチョウジチカイ", "自治会活動"),
    ("学園東町ヨガ", "ガクエンヒガシチョウヨガ", "ヨガ"),
    ("小川東町将棋の会", "オガワヒガシチョウショウギノカイ", "将棋"),
    ("みどり絵手紙クラブ", "ミドリエテガミクラブ", "絵手紙"),
    ("小平フラダンス愛好会", "コダイラフラダンスアイコウカイ", "フラダンス"),
    ("上水本町PTA", "ジョウスイホンチョウピーティーエー", "PTA活動"),
    ("こだいら朗読の会", "コダイラロウドクノカイ", "朗読"),
    ("小平英会話サークル", "コダイラエイカイワサークル", "英会話"),
]
_EXEMPTIONS = [None, "city_subsidy", "school_pta", "shakyo_subsidy", "city_subsidy"]


def _person(rng: random.Random, n: int) -> Person:
    family = rng.randrange(len(_FAMILY))
    given, given_kana = _GIVEN[rng.randrange(len(_GIVEN))]
    postal, town = _TOWNS[rng.randrange(len(_TOWNS))]
    return Person(
        name=f"{_FAMILY[family]} {given}",
        furigana=f"{_FAMILY_KANA[family]} {given_kana}",
        postal_code=postal,
        address=f"{town}{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}",
        phone=f"042-3{rng.randint(10, 49)}-{1000 + n * 37 % 9000:04d}",
        email=f"demo{n}@example.jp" if rng.random() < 0.6 else None,
    )


def seed(session: Session, *, now: datetime, rng_seed: int = 2026) -> str:
    """Idempotent: a second run finds the demo staff account and adds nothing."""
    if session.get(StaffRow, DEMO_STAFF_ID) is not None:
        return "demo data already present"
    rng = random.Random(rng_seed)
    load_catalog(session, read_catalog_file(), now)
    auth.add_staff(session, DEMO_STAFF_ID, "窓口 デモ", DEMO_STAFF_PASSWORD, now=now)
    today = tokyo_date(now)

    user_ids: list[str] = []
    for n, (name, kana, activity) in enumerate(_GROUPS):
        members = rng.randint(6, 30)
        exemption = _EXEMPTIONS[n % len(_EXEMPTIONS)]
        form = require_valid_group(
            GroupForm(
                name=name,
                furigana=kana,
                activity=activity,
                member_count=members,
                kodaira_member_count=members - rng.randint(0, members // 2),
                representative_is_resident=True,
                representative=_person(rng, 2 * n),
                responsible=_person(rng, 2 * n + 1),
                fee_exemption=exemption,
                fee_exemption_note="",
            )
        )
        row = GroupRow(
            user_id=next_user_id(session),
            password_hash=hash_password(f"demo-{n}"),
            registered_at=now - timedelta(days=400 - n),
            registered_center_id=DEMO_CENTER_ID,
            valid_until=registration_valid_until(today),
            active=True,
            failed_sign_ins=0,
            updated_at=now,
        )
        apply_form(row, form)
        session.add(row)
        session.flush()
        reference_group(session, center_id=DEMO_CENTER_ID, user_id=row.user_id, now=now)
        user_ids.append(row.user_id)

    rooms = list(session.scalars(select(RoomRow).where(RoomRow.center_id == DEMO_CENTER_ID)))
    slots = list(session.scalars(select(SlotRow).order_by(SlotRow.position)))
    calendar = calendar_for(session, DEMO_CENTER_ID)
    booked = 0
    # The demo keeps the quotas it shows (2 lottery slots a month per group, 4 at this center),
    # and a lottery win has its entry, so a group's remaining counts agree with its bookings.
    policy = QuotaPolicy()
    lottery_used: dict[tuple[str, str], int] = {}
    center_used: dict[tuple[str, str], int] = {}
    for offset in range(-30, 92):
        day = today + timedelta(days=offset)
        if calendar.is_closed(day):
            continue
        # Busier near today and on weekends, thinning out further ahead.
        density = 0.45 if day.weekday() >= 5 else 0.3
        if offset > 35:
            density *= 0.5
        for room in rooms:
            for slot in slots:
                if rng.random() > density:
                    continue
                user_id = rng.choice(user_ids)
                group = session.get(GroupRow, user_id)
                assert group is not None
                kind = (
                    "last_minute"
                    if 0 <= offset <= 7 and rng.random() < 0.3
                    else ("lottery" if rng.random() < 0.4 else "first_come")
                )
                month_key = (user_id, month_of(day))
                if kind != "last_minute":
                    if center_used.get(month_key, 0) >= policy.center_slots_per_month:
                        continue
                    if (
                        kind == "lottery"
                        and lottery_used.get(month_key, 0) >= policy.lottery_slots_per_month
                    ):
                        kind = "first_come"
                    center_used[month_key] = center_used.get(month_key, 0) + 1
                    if kind == "lottery":
                        lottery_used[month_key] = lottery_used.get(month_key, 0) + 1
                status = "booked"
                if offset < 0:
                    status = "used" if rng.random() < 0.9 else "no_show"
                booking = demo_booking(
                    session,
                    rng,
                    room,
                    group,
                    day,
                    slot.id,
                    kind=kind,
                    channel="counter"
                    if kind == "last_minute"
                    else rng.choice(["online", "online", "counter"]),
                    status=status,
                    created_at=now - timedelta(days=max(1, 40 - offset)),
                    updated_at=now,
                )
                session.add(booking)
                session.flush()
                record_row_change(session, "reservation", booking, now)
                if kind == "lottery":
                    session.add(
                        LotteryEntryRow(
                            id=uuid.uuid4(),
                            user_id=user_id,
                            center_id=DEMO_CENTER_ID,
                            room_id=room.id,
                            use_date=day,
                            use_month=month_of(day),
                            slot_id=slot.id,
                            channel=booking.channel,
                            purpose=group.activity,
                            headcount=booking.headcount,
                            status="won",
                            reservation_id=booking.id,
                            created_at=booking.created_at,
                            created_by="demo",
                        )
                    )
                booked += 1
    # A year earlier too, for the usage figures' comparison (利用状況).
    seed_history(
        session, center_id=DEMO_CENTER_ID, user_ids=user_ids, today=today, now=now, rng=rng
    )
    return f"demo data: {len(user_ids)} groups, {booked} reservations at {DEMO_CENTER_ID}"
