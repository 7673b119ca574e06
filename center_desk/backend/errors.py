"""The backend's refusals: one exception type, rendered as :class:`ErrorBody` with a status.

Rule refusals carry the domain's :class:`ReasonCode`; the rest use the API's own codes. Messages
here are English for logs and developers and name no person: the desk and the portal phrase
their own words from the code.
"""

from __future__ import annotations

from datetime import date

from center_desk.domain import DomainError, FieldProblem, ReasonCode
from center_desk.domain.months import FIRST_YEAR, LAST_YEAR, within_service_years
from center_desk.protocol.common import ErrorBody, FieldError


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: list[FieldError] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or []
        #: Sent with the answer, e.g. ``Retry-After`` on a 429.
        self.headers = headers or {}

    def body(self) -> ErrorBody:
        return ErrorBody(code=self.code, message=self.message, fields=self.fields)


def unauthorized(message: str = "sign in again") -> ApiError:
    return ApiError(401, "unauthorized", message)


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def not_found(what: str, field: str | None = None) -> ApiError:
    """``field``: the request field that named the missing thing (a room id in a booking),
    so the caller can mark it; None when the path did (``/reservations/{id}``)."""
    fields = [FieldError(field=field, code="not_found", message=f"no such {what}")] if field else []
    return ApiError(404, "not_found", f"{what} not found", fields)


def invalid(message: str, fields: list[FieldError] | None = None) -> ApiError:
    return ApiError(422, ReasonCode.INVALID_INPUT.value, message, fields)


def check_dates(**days: date | None) -> None:
    """Refuse a date outside the years the service deals in, naming its field (``from``)."""
    fields = [
        FieldError(
            field=name.rstrip("_"),
            code="out_of_range",
            message=f"a date from {FIRST_YEAR} to {LAST_YEAR}",
        )
        for name, day in days.items()
        if day is not None and not within_service_years(day)
    ]
    if fields:
        raise invalid("a date is outside the years this service deals in", fields)


def from_problems(problems: tuple[FieldProblem, ...] | list[FieldProblem]) -> ApiError:
    return invalid(
        "the form has problems",
        [FieldError(field=p.field, code=p.code, message=p.message) for p in problems],
    )


#: HTTP status for each rule refusal: 409 when the state of the world says no (taken, quota,
#: window), 403 when this caller may never do it (counter-only, room not for individuals).
_STATUS_FOR_REASON: dict[ReasonCode, int] = {
    ReasonCode.COUNTER_ONLY: 403,
    ReasonCode.ROOM_NOT_FOR_USER: 403,
    ReasonCode.UNKNOWN_SLOT: 422,
    ReasonCode.INVALID_INPUT: 422,
    ReasonCode.OVER_CAPACITY: 422,
}


#: The request field at fault for refusals that are about one field.
_FIELD_FOR_REASON: dict[ReasonCode, str] = {
    ReasonCode.UNKNOWN_SLOT: "slot_id",
    ReasonCode.OVER_CAPACITY: "headcount",
}


def refused(code: ReasonCode, detail: str) -> ApiError:
    field = _FIELD_FOR_REASON.get(code)
    fields = [FieldError(field=field, code=code.value, message=detail)] if field else []
    return ApiError(_STATUS_FOR_REASON.get(code, 409), code.value, detail, fields)


def from_domain(error: DomainError) -> ApiError:
    return refused(error.code, error.detail or error.code.value)
