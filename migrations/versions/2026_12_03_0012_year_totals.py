"""Each account's balance per fiscal year, kept beside the journal for the national view.

Data moves: the table is filled from the postings already there, so every database holds
from this revision on what the write path keeps (offset.db.journal_store.append_chains).
The journal itself is not touched.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "year_totals",
        sa.Column("fiscal_year", sa.Integer(), primary_key=True),
        sa.Column("agreement_id", sa.Integer(), sa.ForeignKey("agreements.id"),
                  primary_key=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("commodity", sa.String(length=10), primary_key=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
    )
    op.execute(
        "INSERT INTO year_totals (agreement_id, fiscal_year, account_id, commodity, amount) "
        "SELECT e.agreement_id, e.fiscal_year, p.account_id, p.commodity, SUM(p.amount) "
        "FROM postings p JOIN entries e ON e.id = p.entry_id "
        "GROUP BY e.agreement_id, e.fiscal_year, p.account_id, p.commodity")


def downgrade() -> None:
    op.drop_table("year_totals")
