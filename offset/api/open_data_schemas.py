"""The open data as JSON and CSV: one row per agreement and fiscal year, numbers as text
(t-CO2 with 3 places, hectares with 4), times in UTC (RFC 3339)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from offset.documents.open_data import OpenData, OpenRow
from offset.quantities import CO2

# The CSV's columns, in order; the JSON rows carry the same names.
COLUMNS = ("agreement_id", "agreement_ja", "agreement_en", "urban_code", "urban_ja",
           "urban_en", "forest_code", "forest_ja", "forest_en", "fiscal_year",
           "report_number", "issued_at", "area_thinned_ha", "estimated_t", "certified_t",
           "retired_t", "emissions_t", "emissions_offset_t", "chain_seq", "chain_head")


class OpenRowRead(BaseModel):
    agreement_id: int
    agreement_ja: str
    agreement_en: str
    urban_code: str = Field(description="the urban party's local government code")
    urban_ja: str
    urban_en: str
    forest_code: str = Field(description="the forest party's local government code")
    forest_ja: str
    forest_en: str
    fiscal_year: int = Field(description="April to March, named by the year it starts in")
    report_number: str = Field(description="the issued annual report the figures are from")
    issued_at: str = Field(description="when that report was issued, UTC (RFC 3339)")
    area_thinned_ha: str = Field(examples=["30.0000"])
    estimated_t: str = Field(description="absorption estimated for the year, t-CO2",
                             examples=["412.345"])
    certified_t: str = Field(description="absorption certified for the year, t-CO2")
    retired_t: str = Field(description="credits retired against the year, t-CO2")
    emissions_t: str = Field(description="the urban party's emissions recorded, t-CO2")
    emissions_offset_t: str = Field(description="emissions netted by retired credits, t-CO2")
    chain_seq: int = Field(description="the chain sequence number the report was made at")
    chain_head: str = Field(description="the SHA-256 of that entry (offset verify --at)")

    @classmethod
    def of(cls, row: OpenRow) -> OpenRowRead:
        return cls(**dict(zip(COLUMNS, csv_row(row), strict=True)))


class OpenDataRead(BaseModel):
    version: str = Field(description="changes whenever any row does (the ETag)")
    last_modified: str | None = Field(description="when the newest report was issued, UTC")
    rows: list[OpenRowRead]

    @classmethod
    def of(cls, data: OpenData) -> OpenDataRead:
        return cls(version=data.version,
                   last_modified=None if data.last_modified is None
                   else data.last_modified.isoformat(),
                   rows=[OpenRowRead.of(r) for r in data.rows])


def csv_row(row: OpenRow) -> list[str | int]:
    """Return the row's values in COLUMNS order, numbers as their text."""
    return [row.agreement_id, row.agreement_ja, row.agreement_en, row.urban_code,
            row.urban_ja, row.urban_en, row.forest_code, row.forest_ja, row.forest_en,
            row.fiscal_year, row.report_number, row.issued_at.isoformat(),
            f"{row.area_thinned_ha:.4f}", CO2.text(row.estimated_t), CO2.text(row.certified_t),
            CO2.text(row.retired_t), CO2.text(row.emissions_t),
            CO2.text(row.emissions_offset_t), row.chain_seq, row.chain_head]
