"""Typed refusals of the booking rules.

Every refusal carries a :class:`ReasonCode`. The backend sends the same codes over the wire and
the UI maps each code to one Japanese sentence and one next step (STYLE.md §3): the domain never
phrases messages for the counter screen itself.
"""

from __future__ import annotations

from enum import StrEnum


class ReasonCode(StrEnum):
    """Why a booking request was refused. Values are stable wire identifiers."""

    CLOSED_DAY = "closed_day"  # 休館日
    OUTSIDE_WINDOW = "outside_window"  # 受付期間外
    COUNTER_ONLY = "counter_only"  # 直前予約は窓口のみ
    LOTTERY_QUOTA = "lottery_quota"  # 抽選: 1団体月2コマまで (全センター)
    CENTER_QUOTA = "center_quota"  # 先着: 1センター月4コマまで (抽選当選を含む)
    SLOT_TAKEN = "slot_taken"  # 予約済み
    ROOM_NOT_FOR_USER = "room_not_for_user"  # 個人利用不可の部屋
    GROUP_NOT_ELIGIBLE = "group_not_eligible"  # 登録要件を満たさない
    REGISTRATION_EXPIRED = "registration_expired"  # 登録有効期限切れ
    UNKNOWN_SLOT = "unknown_slot"  # その部屋にないコマ
    ALREADY_ENTERED = "already_entered"  # 同じコマに抽選申込済み
    OVER_CAPACITY = "over_capacity"  # 定員超過
    INVALID_INPUT = "invalid_input"  # 入力内容の誤り
    # After booking (domain/reservation.py):
    WRONG_STATUS = "wrong_status"  # 取消済み・利用済みなど、その操作ができない状態
    SLOT_STARTED = "slot_started"  # 利用開始後は取消できない
    SLOT_NOT_ENDED = "slot_not_ended"  # 不参加は利用時間の終了後
    CHECKED_IN = "checked_in"  # 入館受付済み


class DomainError(Exception):
    """Base of every rule violation. ``code`` is what crosses layers; ``detail`` is for logs
    and never contains personal data."""

    code: ReasonCode = ReasonCode.INVALID_INPUT

    def __init__(self, detail: str = "", *, code: ReasonCode | None = None) -> None:
        super().__init__(detail or (code or self.code).value)
        if code is not None:
            self.code = code
        self.detail = detail


class ClosedDay(DomainError):
    code = ReasonCode.CLOSED_DAY


class WindowClosed(DomainError):
    code = ReasonCode.OUTSIDE_WINDOW


class CounterOnly(DomainError):
    code = ReasonCode.COUNTER_ONLY


class QuotaExceeded(DomainError):
    code = ReasonCode.CENTER_QUOTA


class SlotTaken(DomainError):
    code = ReasonCode.SLOT_TAKEN


class NotAllowedForUser(DomainError):
    code = ReasonCode.ROOM_NOT_FOR_USER


class GroupNotEligible(DomainError):
    code = ReasonCode.GROUP_NOT_ELIGIBLE


class RegistrationExpired(DomainError):
    code = ReasonCode.REGISTRATION_EXPIRED


class WrongStatus(DomainError):
    """The reservation's state does not allow the action (cancelled, used, checked in…)."""

    code = ReasonCode.WRONG_STATUS


_EXCEPTION_FOR_CODE: dict[ReasonCode, type[DomainError]] = {
    ReasonCode.CLOSED_DAY: ClosedDay,
    ReasonCode.OUTSIDE_WINDOW: WindowClosed,
    ReasonCode.COUNTER_ONLY: CounterOnly,
    ReasonCode.LOTTERY_QUOTA: QuotaExceeded,
    ReasonCode.CENTER_QUOTA: QuotaExceeded,
    ReasonCode.SLOT_TAKEN: SlotTaken,
    ReasonCode.ROOM_NOT_FOR_USER: NotAllowedForUser,
    ReasonCode.GROUP_NOT_ELIGIBLE: GroupNotEligible,
    ReasonCode.REGISTRATION_EXPIRED: RegistrationExpired,
    ReasonCode.WRONG_STATUS: WrongStatus,
    ReasonCode.CHECKED_IN: WrongStatus,
    ReasonCode.SLOT_STARTED: WindowClosed,
    ReasonCode.SLOT_NOT_ENDED: WindowClosed,
}


def error_for(code: ReasonCode, detail: str = "") -> DomainError:
    """The typed exception for a reason code (for callers that prefer raising)."""
    return _EXCEPTION_FOR_CODE.get(code, DomainError)(detail, code=code)
