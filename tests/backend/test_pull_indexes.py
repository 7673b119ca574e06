"""Every pull, even one with nothing new, looks up the desk's highest offline approval number:
on PostgreSQL that prefix search is served by an index, not a read of every reservation
(issue 13)."""

from __future__ import annotations

from sqlalchemy import select, text

from center_desk.backend.db import Database
from center_desk.backend.migrate import upgrade
from center_desk.backend.models import ReservationRow


def test_the_desk_state_prefix_search_uses_an_index(postgres_url: str) -> None:
    db = Database(postgres_url)
    try:
        upgrade(db.engine)
        # The statement desk_state runs, as PostgreSQL receives it.
        query = select(ReservationRow.approval_number).where(
            ReservationRow.approval_number.like("K012-%")
        )
        sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
        with db.engine.connect() as conn:
            # An empty table would be scanned anyway: ask whether an index *can* serve it.
            conn.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(row[0] for row in conn.execute(text(f"EXPLAIN {sql}")))
        assert "ix_reservations_approval_prefix" in plan, plan
    finally:
        db.dispose()
