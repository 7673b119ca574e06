"""staff attribution: whether the named staff member was verified

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 09:10:00

An audit event or a pushed mutation names the staff member a desk claims; the backend now
records whether that staff member may work at the event's center (issue 9, item 5). Rows from
before are unverified: nobody checked them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("staff_verified", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("device_mutations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_id", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("staff_verified", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("device_mutations", schema=None) as batch_op:
        batch_op.drop_column("staff_verified")
        batch_op.drop_column("staff_id")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("staff_verified")
