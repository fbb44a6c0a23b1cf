"""Give each party the section responsible for its agreements (所管課), which reports name.

Both columns default to the empty string: a party stored before keeps no section until one
is set, and its reports print a dash for it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for name in ("section_ja", "section_en"):
        op.add_column("parties", sa.Column(name, sa.String(length=100), nullable=False,
                                           server_default=""))


def downgrade() -> None:
    # ALTER TABLE .. DROP COLUMN on both databases (SQLite 3.35 and later): a batch rebuild
    # of the table would drop it, which SQLite refuses while agreements refer to it.
    for name in ("section_en", "section_ja"):
        op.execute(f"ALTER TABLE parties DROP COLUMN {name}")
