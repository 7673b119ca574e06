"""Every pull, even one with nothing new, looks up the desk's highest offline approval number:
on PostgreSQL that prefix search is served by an index, not a read of every reservation
(issue 13)."""

from __future__ import annotations

from sqlalchemy import select, text

from center_desk.backend.db import Database
from center_desk.backend.migrate import upgrade
from center_desk.backend.models import DeviceRow
from center_desk.backend.services import pull_state


def test_the_desk_state_prefix_search_uses_an_index(postgres_url: str) -> None:
    db = Database(postgres_url)
    try:
        upgrade(db.engine)
        # The statement every pull runs for desk 12, as PostgreSQL receives it: the pattern
        # is written into it (a parameter would get a generic plan that cannot use the index).
        query = select(pull_state._highest_number(DeviceRow(number=12)))
        sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
        assert "'K012-%%'" in sql or "'K012-%'" in sql, sql
        with db.engine.connect() as conn:
            # An empty table would be scanned anyway: ask whether an index *can* serve it.
            conn.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(row[0] for row in conn.execute(text(f"EXPLAIN {sql}")))
        assert "ix_reservations_approval_prefix" in plan, plan
    finally:
        db.dispose()
