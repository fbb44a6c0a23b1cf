"""The database tables, declared apart from the domain and read and written by repositories."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from offset.db.types import Fixed, UTCDateTime
from offset.quantities import (
    AREA,
    CO2,
    EMISSION_FACTOR,
    GROWTH,
    INTENSITY,
    PARAMETER,
    PER_AREA_RATE,
    STEM_VOLUME,
    VOLUME,
)

# Stable constraint names, so that migrations can refer to them on every database.
metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# SQLite only auto-numbers a column declared exactly INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer(), "sqlite")

parties = Table(
    "parties", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(6), nullable=False, unique=True),
    Column("name_ja", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("prefecture_code", String(2), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("section_ja", String(100), nullable=False, server_default=""),
    Column("section_en", String(100), nullable=False, server_default=""),
)

agreements = Table(
    "agreements", metadata,
    Column("id", Integer, primary_key=True),
    Column("title_ja", String(200), nullable=False),
    Column("title_en", String(200), nullable=False),
    Column("urban_party_id", ForeignKey("parties.id"), nullable=False, index=True),
    Column("forest_party_id", ForeignKey("parties.id"), nullable=False, index=True),
    Column("signed_on", Date, nullable=False),
    Column("annual_target_ha", Fixed(AREA.places), nullable=False),
    Column("crediting_window", Integer, nullable=False),
    Column("absorption_method", String(40), nullable=False),
    Column("per_area_rate", Fixed(PER_AREA_RATE.places), nullable=True),
    Column("cost_sharing", Text, nullable=False),
    Column("emission_scope", String(200), nullable=False, server_default="ward facilities"),
    Column("closing_rules", Text, nullable=False, server_default="{}"),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("urban_party_id <> forest_party_id", name="distinct_parties"),
    CheckConstraint("crediting_window BETWEEN 1 AND 100", name="crediting_window_range"),
)

agreement_terms = Table(
    "agreement_terms", metadata,
    Column("agreement_id", ForeignKey("agreements.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("first_fy", Integer, nullable=False),
    Column("last_fy", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("first_fy <= last_fy", name="ordered_years"),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("party_id", ForeignKey("parties.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("password_hash", String(200), nullable=True),
    Column("password_set_at", UTCDateTime, nullable=True),
    CheckConstraint("role IN ('urban', 'forestry', 'auditor', 'admin', 'council')",
                    name="known_role"),
    CheckConstraint("(role IN ('urban', 'forestry')) = (party_id IS NOT NULL)",
                    name="party_iff_party_role"),
)

auditor_assignments = Table(
    "auditor_assignments", metadata,
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Column("agreement_id", ForeignKey("agreements.id"), primary_key=True),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("last_used_at", UTCDateTime, nullable=True),
)

# A browser's login: only the hash of the cookie's secret is kept, as for tokens.
web_sessions = Table(
    "web_sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id"), nullable=False, index=True),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
)

password_links = Table(
    "password_links", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id"), nullable=False, index=True),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime, nullable=True),
)

login_failures = Table(
    "login_failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_name", String(100), nullable=False),
    Column("address", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False, index=True),
)

idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response_body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

chain_heads = Table(
    "chain_heads", metadata,
    Column("agreement_id", ForeignKey("agreements.id"), primary_key=True),
    Column("entry_count", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    # The last fiscal year closed, as the chain's period-close entries say (verify checks).
    Column("closed_through", Integer, nullable=True),
)

accounts = Table(
    "accounts", metadata,
    Column("id", Integer, primary_key=True),
    Column("agreement_id", ForeignKey("agreements.id"), nullable=False),
    Column("name", String(200), nullable=False),
    UniqueConstraint("agreement_id", "name"),
)

entries = Table(
    "entries", metadata,
    Column("id", Id, primary_key=True),
    Column("agreement_id", ForeignKey("agreements.id"), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("recorded_by", String(100), nullable=False),
    Column("description", String(500), nullable=False),
    Column("details", Text, nullable=False),
    Column("reverses_id", ForeignKey("entries.id"), nullable=True, unique=True),
    Column("reason", String(500), nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("agreement_id", "seq"),
    Index(None, "agreement_id", "fiscal_year", "seq"),
)

postings = Table(
    "postings", metadata,
    Column("id", Id, primary_key=True),
    Column("entry_id", ForeignKey("entries.id"), nullable=False),
    Column("line", Integer, nullable=False),
    Column("account_id", ForeignKey("accounts.id"), nullable=False, index=True),
    Column("commodity", String(10), nullable=False),
    # Yen are whole and tonnes have CO2's places: one column with the most places holds both.
    Column("amount", Fixed(CO2.places), nullable=False),
    UniqueConstraint("entry_id", "line"),
    CheckConstraint("commodity IN ('JPY', 'tCO2e', 'tCO2e-est')", name="known_commodity"),
)

# Forestry: versioned reference data, stands (versioned) and thinning work.

parameter_sets = Table(
    "parameter_sets", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("version", String(40), nullable=False),
    Column("loaded_at", UTCDateTime, nullable=False),
    UniqueConstraint("name", "version"),
)

parameter_species = Table(
    "parameter_species", metadata,
    Column("set_id", ForeignKey("parameter_sets.id"), primary_key=True),
    Column("species_code", String(40), primary_key=True),
    Column("name_ja", String(100), nullable=False),
    Column("name_en", String(200), nullable=False),
)

parameter_values = Table(
    "parameter_values", metadata,
    Column("set_id", Integer, primary_key=True),
    Column("species_code", String(40), primary_key=True),
    Column("parameter", String(40), primary_key=True),
    Column("value", Fixed(PARAMETER.places), nullable=False),
    Column("status", String(20), nullable=False),
    Column("source", Text, nullable=False),
    ForeignKeyConstraint(["set_id", "species_code"],
                         ["parameter_species.set_id", "parameter_species.species_code"]),
)

yield_tables = Table(
    "yield_tables", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("version", String(40), nullable=False),
    Column("illustrative", Boolean, nullable=False),
    Column("loaded_at", UTCDateTime, nullable=False),
    UniqueConstraint("name", "version"),
)

yield_volumes = Table(
    "yield_volumes", metadata,
    Column("table_id", ForeignKey("yield_tables.id"), primary_key=True),
    Column("species_code", String(40), primary_key=True),
    Column("site_class", Integer, primary_key=True),
    Column("age_class", Integer, primary_key=True),
    Column("volume_m3_per_ha", Fixed(STEM_VOLUME.places), nullable=False),
)

stands = Table(
    "stands", metadata,
    Column("id", Integer, primary_key=True),
    Column("forest_party_id", ForeignKey("parties.id"), nullable=False),
    Column("site", String(100), nullable=False),
    Column("compartment", String(20), nullable=False),
    Column("stand_number", String(20), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("forest_party_id", "site", "compartment", "stand_number"),
)

stand_versions = Table(
    "stand_versions", metadata,
    Column("stand_id", ForeignKey("stands.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("area_ha", Fixed(AREA.places), nullable=False),
    Column("species_code", String(40), nullable=False),
    Column("planting_year", Integer, nullable=False),
    Column("site_class", Integer, nullable=True),
    Column("measured_growth", Fixed(GROWTH.places), nullable=True),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("recorded_by", String(100), nullable=False),
)

# Each account's balance per fiscal year, kept in the same transaction as every posting
# (offset.db.journal_store.append_chains): what the council's national view reads, as a
# query over a million entries could not answer in time. Derived, never the record: the
# postings are; a test recomputes these from them.
year_totals = Table(
    "year_totals", metadata,
    # The year first: the national view reads one fiscal year of every agreement.
    Column("fiscal_year", Integer, primary_key=True),
    Column("agreement_id", ForeignKey("agreements.id"), primary_key=True),
    Column("account_id", ForeignKey("accounts.id"), primary_key=True),
    Column("commodity", String(10), primary_key=True),
    Column("amount", Fixed(CO2.places), nullable=False),  # as postings.amount
)

# The national council's certification of a partnership (連携推進協議会の認定): the conditions
# it found met, its number and the dates it is valid between.
partnership_certifications = Table(
    "partnership_certifications", metadata,
    Column("id", Integer, primary_key=True),
    Column("agreement_id", ForeignKey("agreements.id"), nullable=False, index=True),
    Column("number", String(60), nullable=False, unique=True),
    Column("certified_on", Date, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("conditions", Text, nullable=False),  # a JSON list of the conditions met
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("recorded_by", String(100), nullable=False),
    CheckConstraint("certified_on <= valid_until", name="ordered_dates"),
)

# A stand enrolled in another crediting scheme's project (a J-Credit FO-001 project) for a
# span of fiscal years: no agreement credits it for them.
stand_enrollments = Table(
    "stand_enrollments", metadata,
    Column("id", Integer, primary_key=True),
    Column("stand_id", ForeignKey("stands.id"), nullable=False, index=True),
    Column("scheme", String(40), nullable=False),
    Column("methodology", String(40), nullable=False),
    Column("project_number", String(60), nullable=False),
    Column("first_fy", Integer, nullable=False),
    Column("last_fy", Integer, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("recorded_by", String(100), nullable=False),
)

thinnings = Table(
    "thinnings", metadata,
    Column("id", Integer, primary_key=True),
    Column("agreement_id", ForeignKey("agreements.id"), nullable=False),
    Column("stand_id", Integer, nullable=False, index=True),
    Column("stand_version", Integer, nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("started_on", Date, nullable=False),
    Column("finished_on", Date, nullable=False),
    Column("area_ha", Fixed(AREA.places), nullable=False),
    Column("intensity_percent", Fixed(INTENSITY.places), nullable=True),
    Column("volume_m3", Fixed(VOLUME.places), nullable=True),
    Column("contractor", String(200), nullable=False),
    Column("note", String(1000), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("recorded_by", String(100), nullable=False),
    ForeignKeyConstraint(["stand_id", "stand_version"],
                         ["stand_versions.stand_id", "stand_versions.version"]),
    Index(None, "agreement_id", "fiscal_year"),
)

# The urban side: emission factor sets (each set id is one edition) and the emission scope
# an agreement offsets.

emission_factors = Table(
    "emission_factors", metadata,
    Column("set_id", String(60), primary_key=True),
    Column("activity", String(60), primary_key=True),
    Column("unit", String(40), nullable=False),
    Column("t_co2_per_unit", Fixed(EMISSION_FACTOR.places), nullable=False),
    Column("status", String(20), nullable=False),
    Column("source", Text, nullable=False),
    Column("loaded_at", UTCDateTime, nullable=False),
)

# Issued reports: the register of documents, each with the PDF issued (never re-rendered).

issued_reports = Table(
    "issued_reports", metadata,
    Column("id", Id, primary_key=True),
    Column("agreement_id", ForeignKey("agreements.id"), nullable=False),
    Column("number", String(60), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("fiscal_year", Integer, nullable=False),  # a term report's: its last year
    Column("term_number", Integer, nullable=True),
    Column("made_at_seq", BigInteger, nullable=False),
    Column("made_at_head", String(64), nullable=False),
    Column("generated_at", UTCDateTime, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("issued_by", String(100), nullable=False),
    Column("entry_id", ForeignKey("entries.id"), nullable=False, unique=True),
    Column("replaces", String(60), nullable=True),
    Column("reason", String(500), nullable=True),
    UniqueConstraint("agreement_id", "number"),
    # A report is replaced at most once: re-issues form a line, never a tree.
    UniqueConstraint("agreement_id", "replaces"),
    ForeignKeyConstraint(["agreement_id", "replaces"],
                         ["issued_reports.agreement_id", "issued_reports.number"]),
    CheckConstraint("kind IN ('annual', 'term')", name="known_kind"),
    CheckConstraint("(kind = 'term') = (term_number IS NOT NULL)", name="term_iff_term_number"),
    Index(None, "agreement_id", "generated_at"),
)

APPEND_ONLY_TABLES = ("entries", "postings", "issued_reports")
