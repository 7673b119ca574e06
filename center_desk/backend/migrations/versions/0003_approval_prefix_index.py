"""reservations: an index for a desk's approval numbers by prefix

Every pull answers with the highest approval number the desk has issued offline
(``K012-000153``), found with ``approval_number LIKE 'K012-%'``. PostgreSQL can serve such a
prefix from an index only under the C collation or with ``text_pattern_ops``; without one,
every pull, even an empty one, read the whole reservations table (issue 13). SQLite (the demo)
keeps its small table as it is.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_reservations_approval_prefix"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX {INDEX} ON reservations (approval_number text_pattern_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX {INDEX}")
