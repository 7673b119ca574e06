"""What the desk's cache may lack when staff act: refused as a rule would be (a
:class:`DomainError` with a reason code), so the screen words it like any other refusal."""

from __future__ import annotations

from center_desk.domain import DomainError, ReasonCode


class NotFound(DomainError):
    """A group or reservation that is not in this desk's cache."""

    code = ReasonCode.INVALID_INPUT
