"""What can go wrong talking to the backend, as types the desk can act on (STYLE.md §3).

SyncError
 ├── Offline            the network or the backend is unreachable, or timed out: retry later
 ├── ServerUnavailable  the backend answered 5xx (503 "busy": shedding load): retry later,
 │                      not before its Retry-After
 ├── Unauthorized       401: sign in (or enroll) again
 ├── DeviceRevoked      the city revoked this desk: wipe the cache
 ├── UpgradeRequired    the backend no longer speaks this desk's protocol
 ├── Refused            a 4xx with a reason code (and the fields at fault)
 ├── ProtocolError      the reply was not what the protocol says
 ├── WrongDesk          the cache belongs to another enrolment: re-enrol with a clean cache
 ├── SyncInProgress     another sync of this cache is running: try again shortly
 └── NeedsBackend       this operation cannot be done offline (the screen explains)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # The wire model (pydantic) is only named here; the client builds these errors from a reply.
    from center_desk.protocol.common import FieldError


class SyncError(Exception):
    """Base of every sync-layer error."""


class Offline(SyncError):
    pass


class ServerUnavailable(SyncError):
    """``code`` is "busy" when the backend sheds load at a rush (503); ``retry_after`` is its
    ``Retry-After`` in seconds, when it sent one."""

    def __init__(self, status: int, code: str = "", retry_after: float | None = None) -> None:
        super().__init__(f"the backend answered {status}" + (f" {code}" if code else ""))
        self.status = status
        self.code = code
        self.retry_after = retry_after


class Unauthorized(SyncError):
    def __init__(self, code: str = "unauthorized") -> None:
        super().__init__(code)
        self.code = code


class DeviceRevoked(SyncError):
    pass


class UpgradeRequired(SyncError):
    pass


class ProtocolError(SyncError):
    pass


class WrongDesk(SyncError):
    """The cache was filled for another device or center than the backend now knows this desk
    as (a re-enrolment that kept the old cache). Nothing is pushed from it: its mutations
    carry another device's numbers and another center's personal data."""


class SyncInProgress(SyncError):
    """Another process or thread is syncing this cache right now."""


class Refused(SyncError):
    """The backend said no, with a reason code (a domain ``ReasonCode`` value or an API code)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: list[FieldError],
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        #: Seconds, from ``Retry-After`` (a 429 at sign-in says how long to wait).
        self.retry_after = retry_after


class NeedsBackend(SyncError):
    """Lottery and first-come proxies and group registration compete with online users or need
    a server-issued id, so they wait for the line to come back (DESIGN.md §4)."""

    def __init__(self, operation: str) -> None:
        super().__init__(f"{operation} needs the backend, which is unreachable")
        self.operation = operation
