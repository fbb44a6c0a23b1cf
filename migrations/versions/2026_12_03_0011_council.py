"""The national council (連携推進協議会): a `council` role, and its certifications of
partnerships.

No data moves. The role is a new value of users.role: on PostgreSQL the check constraint is
replaced; SQLite cannot alter a constraint, so the users table is rebuilt with its rows, the
foreign keys of tokens, logins and assignments checked when the transaction commits
(defer_foreign_keys), by when every referenced user is back under its own id.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = "role IN ('urban', 'forestry', 'auditor', 'admin')"
NEW_ROLES = "role IN ('urban', 'forestry', 'auditor', 'admin', 'council')"
USER_COLUMNS = "id, name, role, party_id, created_at, password_hash, password_set_at"


def _roles(check: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_users_known_role"), "users", type_="check")
        op.create_check_constraint(op.f("ck_users_known_role"), "users", check)
        return
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute(f"CREATE TABLE users_before_0011 AS SELECT {USER_COLUMNS} FROM users")
    op.drop_table("users")
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("password_set_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("(role IN ('urban', 'forestry')) = (party_id IS NOT NULL)",
                           name=op.f("ck_users_party_iff_party_role")),
        sa.CheckConstraint(check, name=op.f("ck_users_known_role")),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"],
                                name=op.f("fk_users_party_id_parties")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.execute(f"INSERT INTO users ({USER_COLUMNS}) SELECT {USER_COLUMNS} FROM users_before_0011")
    op.drop_table("users_before_0011")


def upgrade() -> None:
    _roles(NEW_ROLES)
    op.create_table(
        "partnership_certifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("agreement_id", sa.Integer(), sa.ForeignKey("agreements.id"), nullable=False,
                  index=True),
        sa.Column("number", sa.String(length=60), nullable=False, unique=True),
        sa.Column("certified_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("certified_on <= valid_until",
                           name=op.f("ck_partnership_certifications_ordered_dates")),
    )


def downgrade() -> None:
    op.drop_table("partnership_certifications")
    # The council's users go with the role: their tokens, sessions and keys first.
    council = "(SELECT id FROM users WHERE role = 'council')"
    for table in ("idempotency_keys", "password_links", "web_sessions", "api_tokens"):
        op.execute(f"DELETE FROM {table} WHERE user_id IN {council}")
    op.execute("DELETE FROM users WHERE role = 'council'")
    _roles(OLD_ROLES)
