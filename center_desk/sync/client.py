"""The desk's HTTP client for the backend (httpx), one method per endpoint.

The transport is injectable: production uses HTTPS verified against the CA the city
configures; tests pass the real backend app's test client, or an ``httpx.MockTransport`` where
a fault has to be scripted (STYLE.md §6).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from center_desk.protocol import API_VERSION, API_VERSION_HEADER
from center_desk.protocol.auth import EnrollRequest, EnrollResponse, StaffSession, StaffSignIn
from center_desk.protocol.common import ErrorBody
from center_desk.protocol.groups import (
    GroupIn,
    GroupOut,
    GroupRegistered,
    GroupSearch,
    GroupSummary,
    LookupReason,
)
from center_desk.protocol.paging import paused_cycle_collection
from center_desk.protocol.reservations import (
    LotteryEntryIn,
    LotteryEntryOut,
    QuotaOut,
    ReservationIn,
    ReservationOut,
)
from center_desk.protocol.sync import MutationEnvelope, PullResponse, PushRequest, PushResponse
from center_desk.protocol.usage import CenterUsageOut

from .errors import (
    DeviceRevoked,
    Offline,
    ProtocolError,
    Refused,
    ServerUnavailable,
    Unauthorized,
    UpgradeRequired,
)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def make_http(base_url: str, *, ca_file: str | None = None, timeout: float = 10.0) -> httpx.Client:
    """An HTTPS client verified against the city's CA (or the system's when none is set)."""
    return httpx.Client(
        base_url=base_url,
        verify=ca_file if ca_file else True,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
    )


#: A Retry-After is honoured up to an hour: a misconfigured proxy must not stop a desk
#: syncing for a day.
MAX_RETRY_AFTER = 3600.0


def retry_after_seconds(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds. The backend sends delta-seconds; an HTTP date (which a
    proxy may send) is read against the reply's own ``Date`` so the desk's clock does not
    matter."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        until = parsedate_to_datetime(value)
        sent = parsedate_to_datetime(response.headers.get("date", ""))
    except (TypeError, ValueError):
        return None
    return min(max(0.0, (until - sent).total_seconds()), MAX_RETRY_AFTER)


class BackendClient:
    def __init__(
        self,
        http: httpx.Client | Callable[[], httpx.Client],
        *,
        device_token: Callable[[], str | None] = lambda: None,
    ) -> None:
        """``http``: the client, or how to make it on first use. The desk passes the latter:
        an HTTPS client loads the CA bundle into a TLS context, which its start need not wait
        for (issue 13)."""
        self._http = http
        self._http_lock = threading.Lock()
        self._device_token = device_token
        self._staff_token: str | None = None

    # --- plumbing -----------------------------------------------------------------------

    def _client(self) -> httpx.Client:
        made = self._http
        if isinstance(made, httpx.Client):
            return made
        with self._http_lock:  # the sync thread and a GUI task may be first at once
            if not isinstance(self._http, httpx.Client):
                self._http = made()
            return self._http

    def set_staff_token(self, token: str | None) -> None:
        self._staff_token = token

    def _headers(self, *, staff: bool) -> dict[str, str]:
        headers = {API_VERSION_HEADER: str(API_VERSION)}
        token = self._device_token()
        if token:
            headers["X-Device-Token"] = token
        if staff and self._staff_token:
            headers["Authorization"] = f"Bearer {self._staff_token}"
        return headers

    def _call(
        self,
        method: str,
        path: str,
        *,
        staff: bool = False,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        try:
            response = self._client().request(
                method, path, json=json, params=params, headers=self._headers(staff=staff)
            )
        except (httpx.TransportError, httpx.TimeoutException) as exc:
            raise Offline(type(exc).__name__) from exc
        if response.status_code < 400:
            return response
        error = self._error_body(response)
        if response.status_code >= 500:
            # 503 "busy" is the backend shedding load at a rush: transient, like a lost line,
            # and the engine waits at least its Retry-After before the next try.
            raise ServerUnavailable(
                response.status_code,
                error.code if error else "",
                retry_after_seconds(response),
            )
        if response.status_code == 401:
            raise Unauthorized(error.code if error else "unauthorized")
        if response.status_code == 403 and error is not None and error.code == "device_revoked":
            raise DeviceRevoked(error.message)
        if response.status_code == 426:
            raise UpgradeRequired("the backend needs a newer desk")
        if error is None:
            raise ProtocolError(f"{response.status_code} without an error body")
        raise Refused(
            response.status_code,
            error.code,
            error.message,
            list(error.fields),
            retry_after_seconds(response),
        )

    @staticmethod
    def _error_body(response: httpx.Response) -> ErrorBody | None:
        try:
            return ErrorBody.model_validate(response.json())
        except (ValueError, ValidationError):
            return None

    @staticmethod
    def _parse(model: type[M], response: httpx.Response) -> M:
        try:
            return model.model_validate(response.json())
        except (ValueError, ValidationError) as exc:
            raise ProtocolError(f"unexpected reply for {model.__name__}") from exc

    @staticmethod
    def _parse_list(model: type[M], response: httpx.Response) -> list[M]:
        try:
            return TypeAdapter(list[model]).validate_python(response.json())  # type: ignore[valid-type]
        except (ValueError, ValidationError) as exc:
            raise ProtocolError(f"unexpected reply for a list of {model.__name__}") from exc

    # --- desk and staff -----------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        data = self._call("GET", "/v1/health").json()
        assert isinstance(data, dict)
        return data

    def enroll(self, code: str, device_name: str) -> EnrollResponse:
        body = EnrollRequest(code=code, device_name=device_name).model_dump(mode="json")
        return self._parse(EnrollResponse, self._call("POST", "/v1/devices/enroll", json=body))

    def staff_sign_in(self, staff_id: str, password: str) -> StaffSession:
        body = StaffSignIn(staff_id=staff_id, password=password).model_dump(mode="json")
        session = self._parse(StaffSession, self._call("POST", "/v1/staff/sign-in", json=body))
        self._staff_token = session.token
        return session

    def staff_sign_out(self) -> None:
        if self._staff_token:
            try:
                self._call("POST", "/v1/staff/sign-out", staff=True)
            finally:
                self._staff_token = None

    # --- sync ---------------------------------------------------------------------------

    def push(
        self, envelopes: list[MutationEnvelope], *, sent_at: datetime | None = None
    ) -> PushResponse:
        """``sent_at``: the desk's clock now, from which the backend learns its skew."""
        body = PushRequest(mutations=envelopes, sent_at=sent_at).model_dump(mode="json")
        return self._parse(PushResponse, self._call("POST", "/v1/sync/push", json=body))

    def pull(self, cursor: str | None, limit: int) -> PullResponse:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = self._call("GET", "/v1/sync/pull", params=params)
        try:
            # Parsed and validated from the raw bytes in one pass of pydantic-core: a snapshot
            # page is megabytes, and ``json.loads`` first then validating the objects cost
            # twice the time (issue 13).
            with paused_cycle_collection():
                return PullResponse.model_validate_json(response.content)
        except ValidationError as exc:
            raise ProtocolError("unexpected reply for PullResponse") from exc

    # --- online-only counter work ---------------------------------------------------------

    def register_group(self, group: GroupIn) -> GroupRegistered:
        response = self._call("POST", "/v1/groups", staff=True, json=group.model_dump(mode="json"))
        return self._parse(GroupRegistered, response)

    def change_group(
        self, user_id: str, group: GroupIn, lookup_reason: LookupReason | None = None
    ) -> GroupOut:
        """``lookup_reason``: required by the backend for a group registered elsewhere."""
        params = {"reason": lookup_reason} if lookup_reason else None
        response = self._call(
            "PUT",
            f"/v1/groups/{user_id}",
            staff=True,
            json=group.model_dump(mode="json"),
            params=params,
        )
        return self._parse(GroupOut, response)

    def deregister_group(
        self, user_id: str, reason: str, lookup_reason: LookupReason | None = None
    ) -> GroupOut:
        params = {"reason": lookup_reason} if lookup_reason else None
        response = self._call(
            "POST",
            f"/v1/groups/{user_id}/deregister",
            staff=True,
            json={"reason": reason},
            params=params,
        )
        return self._parse(GroupOut, response)

    def get_group(self, user_id: str, reason: LookupReason | None = None) -> GroupOut:
        params = {"reason": reason} if reason else None
        response = self._call("GET", f"/v1/groups/{user_id}", staff=True, params=params)
        return self._parse(GroupOut, response)

    def search_groups(self, query: str, reason: LookupReason | None = None) -> list[GroupSummary]:
        """Every center's groups. Without ``reason`` another center's group is found only by
        name, furigana or user id, without its representative; with one, each such group
        shown counts as a look-up (audited, rate-limited per desk)."""
        body = GroupSearch(query=query, reason=reason).model_dump(mode="json", exclude_none=True)
        response = self._call("POST", "/v1/groups/search", staff=True, json=body)
        return self._parse_list(GroupSummary, response)

    def similar_groups(self, name: str, phone: str) -> list[GroupSummary]:
        response = self._call(
            "POST", "/v1/groups/similar", staff=True, json={"name": name, "phone": phone}
        )
        return self._parse_list(GroupSummary, response)

    def quota(self, user_id: str, month_day: str) -> QuotaOut:
        response = self._call(
            "GET", f"/v1/groups/{user_id}/quota", staff=True, params={"month": month_day}
        )
        return self._parse(QuotaOut, response)

    def book(self, reservation: ReservationIn) -> ReservationOut:
        response = self._call(
            "POST",
            "/v1/counter/reservations",
            staff=True,
            json=reservation.model_dump(mode="json"),
        )
        return self._parse(ReservationOut, response)

    def enter_lottery(self, entry: LotteryEntryIn) -> LotteryEntryOut:
        response = self._call(
            "POST", "/v1/counter/lottery-entries", staff=True, json=entry.model_dump(mode="json")
        )
        return self._parse(LotteryEntryOut, response)

    def lottery_entries(self, user_id: str) -> list[LotteryEntryOut]:
        response = self._call("GET", f"/v1/counter/groups/{user_id}/lottery-entries", staff=True)
        return self._parse_list(LotteryEntryOut, response)

    def center_usage(self, center_id: str, month: str) -> CenterUsageOut:
        """利用状況 of this desk's center for ``month`` (YYYY-MM): figures, no personal data."""
        response = self._call(
            "GET", f"/v1/centers/{center_id}/usage", staff=True, params={"month": month}
        )
        return self._parse(CenterUsageOut, response)
