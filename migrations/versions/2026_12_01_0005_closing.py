"""Closed fiscal years: each chain's last closed year, and each agreement's closing rules.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No year was ever closed before this revision; every agreement keeps the default rules
    # (settlement period to 31 May, no forest consent, numbers like 2014-新伊-001).
    with op.batch_alter_table("chain_heads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_through", sa.Integer(), nullable=True))
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closing_rules", sa.Text(), nullable=False,
                                      server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_column("closing_rules")
    with op.batch_alter_table("chain_heads", schema=None) as batch_op:
        batch_op.drop_column("closed_through")
