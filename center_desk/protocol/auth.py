"""Sign-in and device enrollment."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .common import WireModel


class EnrollRequest(WireModel):
    """A desk enrolls with a one-time code issued by the city for one center."""

    code: str = Field(min_length=6, max_length=64)
    device_name: str = Field(min_length=1, max_length=64)


class EnrollResponse(WireModel):
    device_id: str
    #: Secret; the desk keeps it in the OS keyring, never in settings.
    device_token: str
    center_id: str
    server_time: datetime


class StaffSignIn(WireModel):
    staff_id: str = Field(min_length=1, max_length=32)
    password: str = Field(min_length=1, max_length=256)


class StaffSession(WireModel):
    token: str
    expires_at: datetime
    staff_id: str
    staff_name: str
    server_time: datetime
    #: For the desk's offline sign-in: a verifier the desk stores in its encrypted cache.
    #: An argon2id hash of the password with its own salt (never the backend's own hash).
    offline_verifier: str | None = None


class CitizenSignIn(WireModel):
    user_id: str = Field(min_length=1, max_length=16)
    password: str = Field(min_length=1, max_length=256)


class CitizenSession(WireModel):
    token: str
    expires_at: datetime
    user_id: str
    group_name: str
