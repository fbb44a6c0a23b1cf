"""A stand can be enrolled in another crediting scheme's project (a J-Credit forest-management
project, FO-001) for a span of fiscal years; no agreement credits it for those years.

A new table only: no data moves.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stand_enrollments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("stand_id", sa.Integer(), sa.ForeignKey("stands.id"), nullable=False,
                  index=True),
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("methodology", sa.String(length=40), nullable=False),
        sa.Column("project_number", sa.String(length=60), nullable=False),
        sa.Column("first_fy", sa.Integer(), nullable=False),
        sa.Column("last_fy", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stand_enrollments")
