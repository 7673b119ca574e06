"""What every endpoint shares: the version header and the error body."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

API_VERSION = 1
MIN_API_VERSION = 1
API_VERSION_HEADER = "X-Center-Desk-Api"


class WireModel(BaseModel):
    """Base of every wire schema: unknown fields are refused so a typo is an error, not a
    silently ignored value."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class FieldError(WireModel):
    """One problem with one field; ``field`` is a dotted path such as
    ``representative.phone``."""

    field: str
    code: str
    message: str


class ErrorBody(WireModel):
    """Every 4xx reply. ``code`` is a domain :class:`ReasonCode` value or one of the API's own
    codes (``unauthorized``, ``forbidden``, ``not_found``, ``invalid_input``, ``conflict``,
    ``device_revoked``, ``offline_required``...). ``message`` is English for logs and
    developers; the desk shows its own Japanese sentence for the code."""

    code: str
    message: str
    fields: list[FieldError] = []
