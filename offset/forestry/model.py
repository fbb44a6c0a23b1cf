"""Stands (versioned) and thinning records, with the pure rules they must obey."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from offset.agreements.model import Agreement
from offset.errors import InvalidInput
from offset.fiscal import MAX_YEAR, FiscalYear
from offset.forestry.errors import (
    DoubleCounting,
    EnrolledElsewhere,
    InvalidWork,
    StandAreaExceeded,
)
from offset.quantities import AREA, GROWTH, INTENSITY, VOLUME

AGE_CLASS_YEARS = 5
# Stands are older than the fiscal years offset records (FY1950 on): a sugi stand thinned in
# FY2009 may well have been planted in the 1920s, and yield tables run to 80 years and more.
EARLIEST_PLANTING_YEAR = 1800


@dataclass(frozen=True)
class StandVersion:
    """What a stand is, as recorded at one time; edits add versions, never overwrite."""

    area_ha: Decimal
    species_code: str
    planting_year: int
    site_class: int | None = None
    measured_growth: Decimal | None = None  # m3/ha/yr, replaces the yield table when given

    @classmethod
    def read(cls, area: str, species: str, planting_year: int, site_class: int | None = None,
             measured_growth: str | None = None) -> StandVersion:
        """Return the version stated as text ("12.5 ha", "3.5 m**3/ha/year").

        Raises InvalidQuantity naming the field (area, measured_growth).
        """
        return cls(AREA.parse(area, field="area"), species.strip(), planting_year, site_class,
                   GROWTH.parse_optional(measured_growth, field="measured_growth"))


@dataclass(frozen=True)
class StandInput:
    """What registering a stand takes, as every entrypoint fills it: where the stand is (its
    site, compartment and number, as typed) and what it is (its first version)."""

    site: str
    compartment: str
    stand_number: str
    first: StandVersion


@dataclass(frozen=True)
class Stand:
    """A compartment and stand (林班・小班) of a forest party, at one of its versions."""

    id: int
    forest_party_id: int
    site: str
    compartment: str
    stand_number: str
    version: int
    current: StandVersion

    def age(self, fiscal_year: int) -> int:
        """Return the stand's age in `fiscal_year`, counting its planting year as age 1."""
        return fiscal_year - self.current.planting_year + 1

    def age_class(self, fiscal_year: int) -> int:
        """Return the 5-year age class (ages 1–5 are class 1)."""
        return (self.age(fiscal_year) - 1) // AGE_CLASS_YEARS + 1

    @property
    def label(self) -> str:
        return f"{self.site} {self.compartment}林班 {self.stand_number}小班"


def check_stand_version(version: StandVersion, known_species: Iterable[str]) -> None:
    """Refuse a stand version with a bad area, species, planting year or growth, or none.

    Raises InvalidWork naming the field.
    """
    if version.area_ha <= 0:
        raise InvalidWork("must be greater than 0 ha", field="area")
    if version.species_code not in set(known_species):
        raise InvalidWork(f"unknown species {version.species_code!r}", field="species")
    if not EARLIEST_PLANTING_YEAR <= version.planting_year <= MAX_YEAR:
        raise InvalidWork(f"must be {EARLIEST_PLANTING_YEAR}..{MAX_YEAR}",
                          field="planting_year")
    if version.site_class is not None and not 1 <= version.site_class <= 5:
        raise InvalidWork("must be 1..5", field="site_class")
    if version.measured_growth is not None and version.measured_growth <= 0:
        raise InvalidWork("must be greater than 0 m3/ha/yr", field="measured_growth")
    if version.site_class is None and version.measured_growth is None:
        # Without either, no growth can be computed and every thinning on it would fail.
        raise InvalidWork("give a site class or a measured growth", field="site_class")


@dataclass(frozen=True)
class ThinningInput:
    """Thinning work as the forestry office states it, before it is logged on a stand.

    Every entrypoint (HTTP body, CLI options, a row of an imported file) fills this one type;
    log_thinning turns it into a Thinning of the agreement at the stand's current version.
    """

    stand_id: int
    fiscal_year: int
    started_on: date
    finished_on: date
    area_ha: Decimal
    intensity_percent: Decimal | None = None
    volume_m3: Decimal | None = None
    contractor: str = ""
    note: str = ""

    @classmethod
    def read(cls, stand_id: int, fiscal_year: int, started_on: date, finished_on: date,
             area: str, intensity: str | None = None, volume: str | None = None,
             contractor: str = "", note: str = "") -> ThinningInput:
        """Return the work stated as text ("29 ha", "30 %", "430 石"), texts stripped.

        Raises InvalidInput naming the field (area, intensity, volume).
        """
        return cls(stand_id, fiscal_year, started_on, finished_on,
                   AREA.parse(area, field="area"),
                   INTENSITY.parse_optional(intensity, field="intensity"),
                   VOLUME.parse_optional(volume, field="volume"),
                   contractor.strip(), note.strip())

    def work(self, agreement_id: int, stand_version: int) -> Thinning:
        """Return the work to store for `agreement_id` (id 0 until stored)."""
        return Thinning(0, agreement_id, self.stand_id, stand_version, self.fiscal_year,
                        self.started_on, self.finished_on, self.area_ha,
                        self.intensity_percent, self.volume_m3, self.contractor, self.note)


@dataclass(frozen=True)
class Thinning:
    """Thinning work (間伐) on one stand, logged by the forestry office for one agreement."""

    id: int
    agreement_id: int
    stand_id: int
    stand_version: int
    fiscal_year: int
    started_on: date
    finished_on: date
    area_ha: Decimal
    intensity_percent: Decimal | None
    volume_m3: Decimal | None
    contractor: str
    note: str

    def credited_years(self, window: int) -> range:
        """Return the fiscal years this work earns absorption for: FY y … y+W−1."""
        return range(self.fiscal_year, self.fiscal_year + window)


def check_thinning(work: Thinning, stand: Stand, agreement: Agreement) -> None:
    """Refuse work on another party's stand, outside its FY or the terms, or too large.

    Raises InvalidWork / InvalidInput naming the field, OutsideTerms outside the terms.
    """
    if stand.forest_party_id != agreement.forest_party_id:
        raise InvalidWork("the stand belongs to another municipality", field="stand_id")
    if work.area_ha <= 0:
        raise InvalidWork("must be greater than 0 ha", field="area")
    if work.area_ha > stand.current.area_ha:
        raise InvalidWork(f"{work.area_ha} ha is more than the stand's "
                          f"{stand.current.area_ha} ha", field="area")
    fy = FiscalYear(work.fiscal_year)
    if work.fiscal_year < stand.current.planting_year:
        raise InvalidWork(f"{fy} is before the stand was planted "
                          f"({stand.current.planting_year})", field="fiscal_year")
    agreement.within_terms(work.fiscal_year)
    for name, day in (("started_on", work.started_on), ("finished_on", work.finished_on)):
        if day not in fy:
            raise InvalidWork(f"{day} is outside {fy} ({fy.start}..{fy.end})", field=name)
    if work.finished_on < work.started_on:
        raise InvalidWork("is before started_on", field="finished_on")
    if work.intensity_percent is not None and not 0 < work.intensity_percent <= 100:
        raise InvalidInput("must be more than 0 and at most 100 percent", field="intensity")
    if work.volume_m3 is not None and work.volume_m3 < 0:
        raise InvalidWork("must not be negative", field="volume")


@dataclass(frozen=True)
class Enrollment:
    """A stand enrolled, for fiscal years `first_fy`..`last_fy`, in a project of another
    crediting scheme (a J-Credit forest-management project, methodology FO-001). Those
    years' tonnes are that project's: no agreement may credit the stand for them."""

    stand_id: int
    scheme: str
    methodology: str
    project_number: str
    first_fy: int
    last_fy: int
    id: int = 0

    @property
    def years(self) -> range:
        return range(self.first_fy, self.last_fy + 1)


J_CREDIT = "J-Credit"
FOREST_MANAGEMENT = "FO-001"  # the J-Credit methodology of forest management (森林経営活動)


def check_no_double_counting(new: Thinning, window: int, stand: Stand,
                             others: Iterable[tuple[Thinning, int]],
                             enrollments: Iterable[Enrollment] = ()) -> None:
    """Refuse work whose credited area would be counted twice.

    `others` are the stand's earlier thinnings with their agreements' crediting windows.
    A stand is credited to one agreement only in any fiscal year, never in a year it is
    enrolled in another scheme's project, and the area credited to it in a fiscal year never
    exceeds the stand's area.
    Raises DoubleCounting naming the years credited elsewhere, EnrolledElsewhere the years
    enrolled, StandAreaExceeded the first fiscal year that would credit more than the
    stand's area.
    """
    credits = Credits(enrollments)
    for other, other_window in others:
        credits.add(other, other_window)
    credits.check(new, window, stand)


class Credits:
    """The work credited on stands, by stand and fiscal year, in the order it was added.

    Checking a piece of work looks up its own credited years only, so checking a season's
    rows one after another (adding each that passes) takes time linear in the rows.
    """

    def __init__(self, enrollments: Iterable[Enrollment] = ()) -> None:
        self._enrolled: dict[int, list[Enrollment]] = {}
        for enrollment in enrollments:
            self._enrolled.setdefault(enrollment.stand_id, []).append(enrollment)
        self._area: dict[tuple[int, int], Decimal] = {}
        # (stand, year) → agreement → the first work credited to it then, with its order
        self._first: dict[tuple[int, int], dict[int, tuple[int, Thinning, int]]] = {}
        self._added = 0

    def add(self, work: Thinning, window: int) -> None:
        """Count `work`'s area on its stand for every year of its crediting window."""
        self._added += 1
        for year in work.credited_years(window):
            key = (work.stand_id, year)
            self._area[key] = self._area.get(key, Decimal(0)) + work.area_ha
            self._first.setdefault(key, {}).setdefault(
                work.agreement_id, (self._added, work, window))

    def check(self, new: Thinning, window: int, stand: Stand) -> None:
        """Refuse `new` if it would count area twice (as check_no_double_counting).

        Raises DoubleCounting, EnrolledElsewhere, StandAreaExceeded.
        """
        years = new.credited_years(window)
        for enrollment in self._enrolled.get(stand.id, ()):
            if enrolled := sorted(set(years) & set(enrollment.years)):
                raise EnrolledElsewhere(stand.id, enrolled, enrollment.scheme,
                                        enrollment.project_number)
        elsewhere = [first for year in years
                     for agreement_id, first in self._first.get((stand.id, year), {}).items()
                     if agreement_id != new.agreement_id]
        if elsewhere:
            _, other, other_window = min(elsewhere, key=lambda found: found[0])
            overlap = set(years) & set(other.credited_years(other_window))
            raise DoubleCounting(stand.id, sorted(overlap), other.agreement_id, other.id)
        for year in years:
            credited = self._area.get((stand.id, year))
            if credited is not None and credited + new.area_ha > stand.current.area_ha:
                raise StandAreaExceeded(stand.id, year, credited + new.area_ha,
                                        stand.current.area_ha)
