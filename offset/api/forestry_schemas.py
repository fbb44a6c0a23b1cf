"""Request and response bodies of the forestry office: stands, thinning work, certifications.

Quantities arrive as text with units ("29.5 ha", "120 m**3", "456.3 t_CO2") and leave as
exact decimal strings with a unit field beside them, like every other body of the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from offset.api.deps import MAX_ID
from offset.api.schemas import MULTI_LINE, ONE_LINE, Create, EntryRead, Line, Year
from offset.fiscal import FiscalYear
from offset.forestry.absorption import estimate_inputs
from offset.forestry.certification import Certificate
from offset.forestry.model import (
    FOREST_MANAGEMENT,
    J_CREDIT,
    Enrollment,
    Stand,
    StandInput,
    StandVersion,
    Thinning,
    ThinningInput,
)
from offset.forestry.parameters import ParameterSet
from offset.forestry.thinnings import Logged
from offset.ledger.model import JournalEntry
from offset.numbers import D
from offset.quantities import AREA, CO2, GROWTH, INTENSITY, VOLUME

# Text is checked by offset.text.clean_text (ONE_LINE, MULTI_LINE) before it is stripped.
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
                  ONE_LINE]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20),
                 ONE_LINE]
Contractor = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200),
                       ONE_LINE]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), MULTI_LINE]
ReferencedId = Annotated[int, Field(ge=1, le=MAX_ID)]


# Stands.

class StandVersionCreate(Create):
    """What a stand is from now on: every field, as a new version (earlier ones stay)."""

    area: Line = Field(description="any area unit: '12.5 ha', '125000 m**2', '12.6 町'")
    species: Line = Field(description="species code of the parameter set, e.g. akamatsu")
    planting_year: Year
    site_class: int | None = Field(None, description="yield-table site class, 1..5")
    measured_growth: Line | None = Field(
        None, description="measured stem-volume growth replacing the yield table, "
                          "e.g. '6.2 m**3/ha/year'")

    def version(self) -> StandVersion:
        """Return the domain stand version. Raises InvalidQuantity naming the field."""
        return StandVersion.read(self.area, self.species, self.planting_year,
                                 self.site_class, self.measured_growth)


class StandCreate(StandVersionCreate):
    site: Label = Field(description="e.g. 鹿嶺高原")
    compartment: Code = Field(description="林班, e.g. 12")
    stand_number: Code = Field(description="小班, e.g. ろ")

    def input(self) -> StandInput:
        """Return the registration's one input. Raises InvalidQuantity naming the field."""
        return StandInput(self.site, self.compartment, self.stand_number, self.version())


class EnrollmentCreate(Create):
    """The stand's enrollment in another crediting scheme's project for fiscal years."""

    scheme: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=40), ONE_LINE] = Field(
        J_CREDIT, description="the crediting scheme, e.g. J-Credit")
    methodology: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                  max_length=40), ONE_LINE] = Field(
        FOREST_MANAGEMENT, description="the scheme's methodology, e.g. FO-001 (森林経営活動)")
    project_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                     max_length=60), ONE_LINE] = Field(
        description="the project's registration number in the scheme, e.g. JCL-0123")
    first_fy: Year
    last_fy: Year

    def enrollment(self, stand_id: int) -> Enrollment:
        return Enrollment(stand_id, self.scheme, self.methodology, self.project_number,
                          self.first_fy, self.last_fy)


class EnrollmentRead(BaseModel):
    id: int
    stand_id: int
    scheme: str
    methodology: str
    project_number: str
    first_fy: int
    last_fy: int

    @classmethod
    def of(cls, enrollment: Enrollment) -> EnrollmentRead:
        return cls(id=enrollment.id, stand_id=enrollment.stand_id, scheme=enrollment.scheme,
                   methodology=enrollment.methodology,
                   project_number=enrollment.project_number, first_fy=enrollment.first_fy,
                   last_fy=enrollment.last_fy)


class StandRead(BaseModel):
    id: int
    forest_party_id: int
    site: str
    compartment: str
    stand_number: str
    version: int
    area: str
    area_unit: str
    species: str
    species_name_ja: str | None = Field(description="from the newest parameter set")
    species_name_en: str | None
    planting_year: int
    site_class: int | None
    measured_growth: str | None
    measured_growth_unit: str

    @classmethod
    def of(cls, stand: Stand, parameters: ParameterSet) -> StandRead:
        now = stand.current
        species = parameters.species.get(now.species_code)
        growth = now.measured_growth
        return cls(
            id=stand.id, forest_party_id=stand.forest_party_id, site=stand.site,
            compartment=stand.compartment, stand_number=stand.stand_number,
            version=stand.version, area=AREA.text(now.area_ha),
            area_unit=AREA.label, species=now.species_code,
            species_name_ja=species.name_ja if species else None,
            species_name_en=species.name_en if species else None,
            planting_year=now.planting_year, site_class=now.site_class,
            measured_growth=None if growth is None else GROWTH.text(growth),
            measured_growth_unit=GROWTH.label)


# Thinning work and the estimates it posts.

class ThinningCreate(Create):
    stand_id: ReferencedId
    fiscal_year: Year
    started_on: date
    finished_on: date
    area: Line = Field(description="area thinned, any area unit: '29.5 ha', '295000 m**2'")
    intensity: Line | None = Field(None, description="percent of stems removed, e.g. '30'")
    volume: Line | None = Field(None, description="volume removed, any volume unit: "
                                                 "'120 m**3', '430 石'")
    contractor: Contractor = ""
    note: Note = ""

    def input(self) -> ThinningInput:
        """Return the work to log. Raises InvalidInput naming the field."""
        return ThinningInput.read(self.stand_id, self.fiscal_year, self.started_on,
                                  self.finished_on, self.area, self.intensity, self.volume,
                                  self.contractor, self.note)


class ThinningRead(BaseModel):
    id: int
    agreement_id: int
    stand_id: int
    stand_version: int = Field(description="the stand's version when the work was logged")
    fiscal_year: int
    fiscal_year_label: str
    started_on: date
    finished_on: date
    area: str
    area_unit: str
    intensity: str | None
    intensity_unit: str
    volume: str | None
    volume_unit: str
    contractor: str
    note: str

    @classmethod
    def of(cls, work: Thinning) -> ThinningRead:
        intensity, volume = work.intensity_percent, work.volume_m3
        return cls(
            id=work.id, agreement_id=work.agreement_id, stand_id=work.stand_id,
            stand_version=work.stand_version, fiscal_year=work.fiscal_year,
            fiscal_year_label=FiscalYear(work.fiscal_year).era_label,
            started_on=work.started_on, finished_on=work.finished_on,
            area=AREA.text(work.area_ha), area_unit=AREA.label,
            intensity=None if intensity is None else INTENSITY.text(intensity),
            intensity_unit=INTENSITY.label,
            volume=None if volume is None else VOLUME.text(volume),
            volume_unit=VOLUME.label, contractor=work.contractor, note=work.note)


class RowRead(BaseModel):
    key: str = Field(description="stable name of the row, e.g. 'bef'; the label may change")
    name: str
    value: str
    unit: str
    source: str


class EstimateRead(BaseModel):
    """One estimate entry a thinning posted, with the computation row by row."""

    entry_id: int
    fiscal_year: int
    fiscal_year_label: str
    tonnes: str
    unit: str
    method: str
    method_version: str
    parameter_set: str | None
    yield_table: str | None
    rows: list[RowRead]

    @classmethod
    def of(cls, stored: JournalEntry) -> EstimateRead:
        entry, details = stored.entry, stored.entry.details
        return cls(
            entry_id=stored.id, fiscal_year=entry.fiscal_year,
            fiscal_year_label=FiscalYear(entry.fiscal_year).era_label,
            tonnes=str(details["tonnes"]), unit=CO2.label, method=str(details["method"]),
            method_version=str(details["method_version"]),
            parameter_set=details.get("parameter_set"), yield_table=details.get("yield_table"),
            rows=[RowRead(key=row.key, name=row.name, value=str(row.value), unit=row.unit,
                          source=row.source) for row in estimate_inputs(details).values()])


class LoggedThinningRead(BaseModel):
    thinning: ThinningRead
    estimates: list[EstimateRead] = Field(
        description="the tCO2e-est entries posted, one per credited fiscal year")

    @classmethod
    def of(cls, logged: Logged) -> LoggedThinningRead:
        return cls(thinning=ThinningRead.of(logged.thinning),
                   estimates=[EstimateRead.of(e) for e in logged.estimates])


# Certifications.

class CertificationCreate(Create):
    fiscal_year: Year
    certified: Line = Field(description="certified CO2, e.g. '456.3 t_CO2' or '456.3 tCO2'")
    body: Label = Field(description="certifying body, e.g. 長野県")
    certificate_number: Label
    issued_on: date
    certified_area: Line | None = Field(None, description="e.g. '142.90 ha'")

    def certificate(self) -> Certificate:
        """Return the domain certificate. Raises InvalidQuantity naming the field."""
        return Certificate(
            fiscal_year=self.fiscal_year,
            tonnes=CO2.parse(self.certified, field="certified"),
            body=self.body, number=self.certificate_number, issued_on=self.issued_on,
            area_ha=AREA.parse_optional(self.certified_area, field="certified_area"))


def _tonnes(details: Mapping[str, Any], key: str) -> str:
    return CO2.text(D(str(details[key])))


class CertificationRead(BaseModel):
    entry: EntryRead
    fiscal_year: int
    fiscal_year_label: str
    certified: str
    estimated: str = Field(description="the year's estimate the certification replaced")
    difference: str = Field(description="certified − estimated")
    unit: str
    body: str
    certificate_number: str
    issued_on: date
    certified_area: str | None
    area_unit: str

    @classmethod
    def of(cls, stored: JournalEntry) -> CertificationRead:
        details = stored.entry.details
        area = details.get("certified_area_ha")
        return cls(
            entry=EntryRead.of(stored), fiscal_year=stored.entry.fiscal_year,
            fiscal_year_label=FiscalYear(stored.entry.fiscal_year).era_label,
            certified=_tonnes(details, "certified"), estimated=_tonnes(details, "estimated"),
            difference=_tonnes(details, "difference"), unit=CO2.label,
            body=str(details["body"]), certificate_number=str(details["certificate_number"]),
            issued_on=date.fromisoformat(str(details["issued_on"])),
            certified_area=None if area is None else AREA.text(D(str(area))),
            area_unit=AREA.label)
