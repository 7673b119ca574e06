"""Whether a group may register, and until when its registration holds (DOMAIN.md, Groups).

What the city requires of a group (登録要件):

- at least 5 members;
- the representative (代表者) lives, works or studies in Kodaira (市民等);
- at least half of the members are 市民等.

A registration is valid to the end of the fiscal year after next, and a room application renews
it. The booking decision (``booking``) asks both: an ineligible group or an expired registration
may not book.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from center_desk.domain.group import FieldProblem, GroupForm

__all__ = [
    "MIN_MEMBERS",
    "eligibility_problems",
    "is_eligible",
    "registration_valid_until",
]

#: 登録要件: a group has at least this many members (DOMAIN.md, [city rule]).
MIN_MEMBERS: Final = 5


def eligibility_problems(form: GroupForm) -> tuple[FieldProblem, ...]:
    """Why the group may not register (登録要件), or nothing when it may."""
    problems: list[FieldProblem] = []
    members, residents = form.member_count, form.kodaira_member_count
    if members < MIN_MEMBERS:
        problems.append(
            FieldProblem(
                "member_count",
                "too_few_members",
                f"会員が{MIN_MEMBERS}人以上の団体でないと登録できません。",
            )
        )
    if not form.representative_is_resident:
        problems.append(
            FieldProblem(
                "representative_is_resident",
                "representative_not_resident",
                "代表者が市内在住・在勤・在学でないと登録できません。",
            )
        )
    if residents < 0:
        problems.append(
            FieldProblem("kodaira_member_count", "bad_count", "市民等の会員数を確かめてください。")
        )
    elif residents > members:
        problems.append(
            FieldProblem(
                "kodaira_member_count",
                "kodaira_more_than_members",
                "市民等の会員数が会員数を超えています。",
            )
        )
    elif residents * 2 < members:
        # Integer arithmetic: "at least half" of 7 members is 4 (3.5 rounded up).
        problems.append(
            FieldProblem(
                "kodaira_member_count",
                "too_few_residents",
                "会員の半数以上が市内在住・在勤・在学でないと登録できません。",
            )
        )
    return tuple(problems)


def is_eligible(form: GroupForm) -> bool:
    """True when the group meets the registration requirements (登録要件)."""
    return not eligibility_problems(form)


def registration_valid_until(registered_or_renewed_on: date) -> date:
    """The last day a registration made or renewed on the given day is valid.

    Rule (DOMAIN.md, Groups, [sister rule]): valid to the end of the fiscal year after next
    (翌々年度末). The Japanese fiscal year N runs from 1 April N to 31 March N+1, so a day in
    fiscal year N gives 31 March N+3:

    - 2026-11-26 is in FY2026 -> FY2028 ends 2029-03-31;
    - 2027-03-31 is still in FY2026 -> 2029-03-31;
    - 2027-04-01 is in FY2027 -> 2030-03-31.

    A room application renews the registration: call this again with that day.
    """
    day = registered_or_renewed_on
    fiscal_year = day.year if day.month >= 4 else day.year - 1
    return date(fiscal_year + 3, 3, 31)
