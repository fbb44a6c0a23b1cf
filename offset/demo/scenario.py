"""The demo's cases as values, read from the data files in offset/demo/data: the
Shinjuku–Ina case in the folder itself, each further (illustrative) partner forest of the
ward in a folder of its own beside it (numata/: Shinjuku–Numata, FY2017 on).

Every row keeps whether its figure is `published` or `illustrative` (説明用) and its source,
so that the builder can mark what it records and nobody mistakes an invented figure for a
published one.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

PUBLISHED = "published"
ILLUSTRATIVE = "illustrative"


@dataclass(frozen=True)
class Provenance:
    figure: str  # PUBLISHED or ILLUSTRATIVE
    source: str

    @property
    def illustrative(self) -> bool:
        return self.figure != PUBLISHED


@dataclass(frozen=True)
class StandRow:
    key: str
    site: str
    compartment: str
    stand_number: str
    species: str
    area_ha: Decimal
    planting_year: int
    measured_growth: Decimal
    provenance: Provenance


@dataclass(frozen=True)
class ThinningRow:
    fiscal_year: int
    stand: str
    area_ha: Decimal
    started_on: date
    finished_on: date
    intensity_percent: Decimal
    volume_m3: Decimal
    provenance: Provenance


@dataclass(frozen=True)
class MoneyRow:
    fiscal_year: int
    kind: str  # "cost" or "subsidy"
    category: str  # a cost category or a subsidy scheme
    amount: Decimal
    on: date
    description: str
    funds: tuple[str, ...]  # cost categories of the same year a subsidy funds
    provenance: Provenance


@dataclass(frozen=True)
class TimberRow:
    fiscal_year: int
    volume_m3: Decimal
    unit_price: Decimal
    buyer: str
    sold_on: date
    provenance: Provenance


@dataclass(frozen=True)
class EmissionRow:
    fiscal_year: int
    activity_type: str
    activity: str
    factor_set: str
    provenance: Provenance


@dataclass(frozen=True)
class CertificationRow:
    fiscal_year: int
    tonnes: Decimal
    area_ha: Decimal
    issued_on: date
    number: str
    provenance: Provenance


@dataclass(frozen=True)
class RetirementRow:
    fiscal_year: int
    tonnes: Decimal
    retired_on: date
    provenance: Provenance


@dataclass(frozen=True)
class TermRow:
    first_fy: int
    last_fy: int
    provenance: Provenance


@dataclass(frozen=True)
class Scenario:
    """The whole case: master data from case.toml, one tuple of rows per CSV file."""

    case: dict[str, Any]
    terms: tuple[TermRow, ...]
    stands: tuple[StandRow, ...]
    thinnings: tuple[ThinningRow, ...]
    money: tuple[MoneyRow, ...]
    timber: tuple[TimberRow, ...]
    emissions: tuple[EmissionRow, ...]
    certifications: tuple[CertificationRow, ...]
    retirements: tuple[RetirementRow, ...]

    @property
    def fiscal_years(self) -> range:
        return range(self.terms[0].first_fy, self.terms[-1].last_fy + 1)

    @property
    def urban_code(self) -> str:
        return str(self.case["urban"]["code"])

    @property
    def partners(self) -> tuple[str, ...]:
        """The folders of the urban party's further partner forests in the demo."""
        return tuple(self.case.get("partners", ()))


def _text(folder: str, name: str) -> str:
    place = files("offset.demo") / "data"
    if folder:
        place = place / folder
    return (place / name).read_text(encoding="utf-8")


def _rows(folder: str, name: str) -> Iterator[dict[str, str]]:
    lines = (line for line in _text(folder, name).splitlines() if not line.startswith("#"))
    yield from csv.DictReader(lines)


def _provenance(row: dict[str, Any]) -> Provenance:
    figure = str(row["figure"])
    if figure not in (PUBLISHED, ILLUSTRATIVE):
        raise ValueError(f"figure must be {PUBLISHED} or {ILLUSTRATIVE}, not {figure!r}")
    return Provenance(figure, str(row["source"]))


def _day(text: str) -> date:
    return date.fromisoformat(text)


@cache
def load(folder: str = "") -> Scenario:
    """Return a demo case read from the package's data files: the Shinjuku–Ina case, or the
    partner case in `folder` (one of its `partners`)."""
    case = tomllib.loads(_text(folder, "case.toml"))
    return Scenario(
        case=case,
        terms=tuple(TermRow(t["first_fy"], t["last_fy"], _provenance(t))
                    for t in case["terms"]),
        stands=tuple(StandRow(
            r["key"], r["site"], r["compartment"], r["stand_number"], r["species"],
            Decimal(r["area_ha"]), int(r["planting_year"]),
            Decimal(r["measured_growth_m3_ha_yr"]), _provenance(r))
            for r in _rows(folder, "stands.csv")),
        thinnings=tuple(ThinningRow(
            int(r["fiscal_year"]), r["stand"], Decimal(r["area_ha"]), _day(r["started_on"]),
            _day(r["finished_on"]), Decimal(r["intensity_percent"]), Decimal(r["volume_m3"]),
            _provenance(r)) for r in _rows(folder, "thinnings.csv")),
        money=tuple(MoneyRow(
            int(r["fiscal_year"]), r["kind"], r["category"], Decimal(r["amount_jpy"]),
            _day(r["on"]), r["description"], tuple(r["funds"].split()), _provenance(r))
            for r in _rows(folder, "money.csv")),
        timber=tuple(TimberRow(
            int(r["fiscal_year"]), Decimal(r["volume_m3"]), Decimal(r["unit_price_jpy"]),
            r["buyer"], _day(r["sold_on"]), _provenance(r)) for r in _rows(folder, "timber.csv")),
        emissions=tuple(EmissionRow(
            int(r["fiscal_year"]), r["activity_type"], r["activity"], r["factor_set"],
            _provenance(r)) for r in _rows(folder, "emissions.csv")),
        certifications=tuple(CertificationRow(
            int(r["fiscal_year"]), Decimal(r["tonnes"]), Decimal(r["area_ha"]),
            _day(r["issued_on"]), r["number"], _provenance(r))
            for r in _rows(folder, "certifications.csv")),
        retirements=tuple(RetirementRow(
            int(r["fiscal_year"]), Decimal(r["tonnes"]), _day(r["retired_on"]), _provenance(r))
            for r in _rows(folder, "retirements.csv")),
    )
