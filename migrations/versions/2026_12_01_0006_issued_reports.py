"""Issued reports: a register of documents with the PDF bytes and their SHA-256, append-only.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "issued_reports"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("term_number", sa.Integer(), nullable=True),
        sa.Column("made_at_seq", sa.BigInteger(), nullable=False),
        sa.Column("made_at_head", sa.String(length=64), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("replaces", sa.String(length=60), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint("kind IN ('annual', 'term')",
                           name=op.f("ck_issued_reports_known_kind")),
        sa.CheckConstraint("(kind = 'term') = (term_number IS NOT NULL)",
                           name=op.f("ck_issued_reports_term_iff_term_number")),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"],
                                name=op.f("fk_issued_reports_agreement_id_agreements")),
        sa.ForeignKeyConstraint(["agreement_id", "replaces"],
                                ["issued_reports.agreement_id", "issued_reports.number"],
                                name=op.f("fk_issued_reports_agreement_id_issued_reports")),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"],
                                name=op.f("fk_issued_reports_entry_id_entries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_reports")),
        sa.UniqueConstraint("agreement_id", "number",
                            name=op.f("uq_issued_reports_agreement_id_number")),
        sa.UniqueConstraint("agreement_id", "replaces",
                            name=op.f("uq_issued_reports_agreement_id_replaces")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_issued_reports_entry_id")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issued_reports_agreement_id_generated_at"),
                              ["agreement_id", "generated_at"], unique=False)
    _guard()


def downgrade() -> None:
    _unguard()
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_reports_agreement_id_generated_at"))
    op.drop_table(TABLE)


def _guard() -> None:
    # An issued report is a document: like the journal, its row and bytes never change
    # (offset_refuse_change() is revision 0001's, which guards the journal).
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
                   "FOR EACH ROW EXECUTE FUNCTION offset_refuse_change()")
        op.execute(f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION offset_refuse_change()")
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON {TABLE} "
                   f"BEGIN SELECT RAISE(ABORT, 'offset register of issued reports is "
                   f"append-only: {action} on {TABLE} refused'); END")


def _unguard() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER {TABLE}_append_only ON {TABLE}")
        op.execute(f"DROP TRIGGER {TABLE}_no_truncate ON {TABLE}")
        return
    for action in ("update", "delete"):
        op.execute(f"DROP TRIGGER {TABLE}_no_{action}")
