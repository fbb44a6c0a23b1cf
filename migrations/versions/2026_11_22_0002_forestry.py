"""Add stands, thinning work, parameter sets and yield tables.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "parameter_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parameter_sets")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_parameter_sets_name_version")),
    )
    op.create_table(
        "yield_tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_yield_tables")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_yield_tables_name_version")),
    )
    op.create_table(
        "parameter_species",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("species_code", sa.String(length=40), nullable=False),
        sa.Column("name_ja", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["parameter_sets.id"],
            name=op.f("fk_parameter_species_set_id_parameter_sets"),
        ),
        sa.PrimaryKeyConstraint("set_id", "species_code", name=op.f("pk_parameter_species")),
    )
    op.create_table(
        "stands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forest_party_id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=100), nullable=False),
        sa.Column("compartment", sa.String(length=20), nullable=False),
        sa.Column("stand_number", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["forest_party_id"], ["parties.id"], name=op.f("fk_stands_forest_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stands")),
        sa.UniqueConstraint(
            "forest_party_id",
            "site",
            "compartment",
            "stand_number",
            name=op.f("uq_stands_forest_party_id_site_compartment_stand_number"),
        ),
    )
    op.create_table(
        "yield_volumes",
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("species_code", sa.String(length=40), nullable=False),
        sa.Column("site_class", sa.Integer(), nullable=False),
        sa.Column("age_class", sa.Integer(), nullable=False),
        sa.Column("volume_m3_per_ha", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["table_id"], ["yield_tables.id"], name=op.f("fk_yield_volumes_table_id_yield_tables")
        ),
        sa.PrimaryKeyConstraint(
            "table_id", "species_code", "site_class", "age_class", name=op.f("pk_yield_volumes")
        ),
    )
    op.create_table(
        "parameter_values",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("species_code", sa.String(length=40), nullable=False),
        sa.Column("parameter", sa.String(length=40), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id", "species_code"],
            ["parameter_species.set_id", "parameter_species.species_code"],
            name=op.f("fk_parameter_values_set_id_parameter_species"),
        ),
        sa.PrimaryKeyConstraint(
            "set_id", "species_code", "parameter", name=op.f("pk_parameter_values")
        ),
    )
    op.create_table(
        "stand_versions",
        sa.Column("stand_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("area_ha", sa.BigInteger(), nullable=False),
        sa.Column("species_code", sa.String(length=40), nullable=False),
        sa.Column("planting_year", sa.Integer(), nullable=False),
        sa.Column("site_class", sa.Integer(), nullable=True),
        sa.Column("measured_growth", sa.BigInteger(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["stand_id"], ["stands.id"], name=op.f("fk_stand_versions_stand_id_stands")
        ),
        sa.PrimaryKeyConstraint("stand_id", "version", name=op.f("pk_stand_versions")),
    )
    op.create_table(
        "thinnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("stand_id", sa.Integer(), nullable=False),
        sa.Column("stand_version", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("finished_on", sa.Date(), nullable=False),
        sa.Column("area_ha", sa.BigInteger(), nullable=False),
        sa.Column("intensity_percent", sa.BigInteger(), nullable=True),
        sa.Column("volume_m3", sa.BigInteger(), nullable=True),
        sa.Column("contractor", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_thinnings_agreement_id_agreements")
        ),
        sa.ForeignKeyConstraint(
            ["stand_id", "stand_version"],
            ["stand_versions.stand_id", "stand_versions.version"],
            name=op.f("fk_thinnings_stand_id_stand_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thinnings")),
    )
    with op.batch_alter_table("thinnings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_thinnings_agreement_id_fiscal_year"),
            ["agreement_id", "fiscal_year"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_thinnings_stand_id"), ["stand_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("thinnings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thinnings_stand_id"))
        batch_op.drop_index(batch_op.f("ix_thinnings_agreement_id_fiscal_year"))

    op.drop_table("thinnings")
    op.drop_table("stand_versions")
    op.drop_table("parameter_values")
    op.drop_table("yield_volumes")
    op.drop_table("stands")
    op.drop_table("parameter_species")
    op.drop_table("yield_tables")
    op.drop_table("parameter_sets")
