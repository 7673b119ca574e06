"""When an offline mutation happened on the server's clock (domain/offline_time.py): a desk's
absurd clock at sending must not break the arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from center_desk.domain import TOKYO
from center_desk.domain.offline_time import decision_time, desk_skew

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=TOKYO)


def test_a_desk_sending_in_the_year_9999_or_1_is_judged_at_the_servers_present() -> None:
    recorded = NOW - timedelta(hours=1)
    for sent in (
        datetime(9999, 12, 31, 23, 0, tzinfo=UTC),
        datetime(1, 1, 1, 9, 0, tzinfo=TOKYO),
    ):
        skew = desk_skew(sent, NOW)
        assert decision_time(recorded, NOW, skew=skew) == NOW


def test_a_slow_desk_is_still_corrected_by_its_skew() -> None:
    skew = desk_skew(NOW - timedelta(days=3), NOW)
    recorded = NOW - timedelta(days=3, hours=1)
    assert decision_time(recorded, NOW, skew=skew) == NOW - timedelta(hours=1)
