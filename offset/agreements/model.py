"""Municipalities, agreements, their terms and cost-sharing rules, as immutable values."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import Any

from offset.agreements.errors import OutsideTerms
from offset.errors import InvalidInput
from offset.fiscal import SETTLEMENT_ENDS, FiscalYear

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Prefecture:
    code: str
    name_ja: str
    name_en: str


@cache
def prefectures() -> dict[str, Prefecture]:
    """Return the 47 prefectures by their two-digit JIS X 0401 code."""
    text = (files("offset") / "data" / "prefectures.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["code"]: Prefecture(row["code"], row["name_ja"], row["name_en"]) for row in rows}


def check_local_government_code(code: str) -> Prefecture:
    """Return the prefecture of a 6-digit local-government code (JIS X 0402 with check digit).

    Raises InvalidInput naming `code` when the format, prefecture or check digit is wrong.
    """
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise InvalidInput("must be 6 digits, e.g. 131041", field="code")
    weighted = sum(int(digit) * weight for digit, weight in zip(code[:5], (6, 5, 4, 3, 2),
                                                                 strict=True))
    if (11 - weighted % 11) % 10 != int(code[5]):
        raise InvalidInput(f"{code} has a wrong check digit", field="code")
    prefecture = prefectures().get(code[:2])
    if prefecture is None:
        raise InvalidInput(f"{code[:2]} is not a prefecture code", field="code")
    return prefecture


@dataclass(frozen=True)
class Party:
    """A municipality taking part in agreements (urban or forest side is per agreement)."""

    id: int
    code: str
    name_ja: str
    name_en: str
    # The section responsible for its agreements (所管課), as reports name it; may be blank.
    section_ja: str = ""
    section_en: str = ""

    @property
    def prefecture(self) -> Prefecture:
        return prefectures()[self.code[:2]]


class AbsorptionMethod(StrEnum):
    NATIONAL_INVENTORY = "national-inventory"
    PER_AREA_RATE = "per-area-rate"


class Side(StrEnum):
    URBAN = "urban"
    FOREST = "forest"


@dataclass(frozen=True)
class CostSharing:
    """Which share (percent) of a cost the urban partner bears; the forest party bears the rest.

    `by_category` overrides `urban_percent` for the named cost categories.
    """

    urban_percent: Decimal = HUNDRED
    by_category: dict[str, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, percent in {"urban_percent": self.urban_percent, **self.by_category}.items():
            if not Decimal(0) <= percent <= HUNDRED:
                raise InvalidInput("a share must be between 0 and 100 percent",
                                   field=f"cost_sharing.{name}")

    def as_data(self) -> dict[str, object]:
        return {"urban_percent": str(self.urban_percent),
                "by_category": {name: str(p) for name, p in sorted(self.by_category.items())}}


@dataclass(frozen=True)
class ClosingRules:
    """How the agreement's fiscal years are closed and their reports numbered.

    `settlement_ends` is the (month, day) of the next calendar year up to which payments of
    a fiscal year may still be recorded (出納整理期間, 31 May by default). When
    `forest_consent` is set, a close records the forest party's consent and is refused
    without it. `report_number` numbers issued reports: `{year}` is the calendar year of
    issue, `{urban}` and `{forest}` the first character of each party's Japanese name (its
    short name in a municipality's document numbers: 新 for 新宿区, 伊 for 伊那市) and
    `{serial}` the agreement's running number of reports issued that year.
    """

    settlement_ends: tuple[int, int] = SETTLEMENT_ENDS
    forest_consent: bool = False
    report_number: str = "{year}-{urban}{forest}-{serial:03d}"

    def __post_init__(self) -> None:
        month, day = self.settlement_ends
        try:
            date(2001, month, day)  # any year without 29 February
        except (TypeError, ValueError):
            raise InvalidInput("settlement_ends must be a month and day, e.g. [5, 31]",
                               field="closing.settlement_ends") from None
        try:
            sample = self.number(2014, "新", "伊", 1)
        except (KeyError, IndexError, ValueError):
            raise InvalidInput("report_number may use {year}, {urban}, {forest} and {serial}",
                               field="closing.report_number") from None
        if not sample or len(sample) > 60 or "/" in sample:
            raise InvalidInput("report_number must give 1..60 characters and no '/'",
                               field="closing.report_number")

    def number(self, year: int, urban: str, forest: str, serial: int) -> str:
        """Return the document number of the `serial`-th report issued in `year`."""
        return self.report_number.format(year=year, urban=urban[:1], forest=forest[:1],
                                         serial=serial)

    def as_data(self) -> dict[str, object]:
        return {"settlement_ends": list(self.settlement_ends),
                "forest_consent": self.forest_consent, "report_number": self.report_number}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ClosingRules:
        """Return the rules stored as `as_data` gave them; missing keys take the defaults."""
        default = cls()
        ends = data.get("settlement_ends", default.settlement_ends)
        return cls((int(ends[0]), int(ends[1])), bool(data.get("forest_consent", False)),
                   str(data.get("report_number", default.report_number)))


@dataclass(frozen=True)
class Term:
    """One term of an agreement: a range of fiscal years, numbered from 1."""

    number: int
    first_fy: int
    last_fy: int

    def __contains__(self, fiscal_year: int) -> bool:
        return self.first_fy <= fiscal_year <= self.last_fy

    @property
    def label(self) -> str:
        first, last = FiscalYear(self.first_fy), FiscalYear(self.last_fy)
        return f"{first}–{last} ({first.era_label}〜{last.era_label})"


@dataclass(frozen=True)
class Agreement:
    id: int
    title_ja: str
    title_en: str
    urban_party_id: int
    forest_party_id: int
    signed_on: date
    annual_target_ha: Decimal
    crediting_window: int
    absorption_method: AbsorptionMethod
    per_area_rate: Decimal | None
    cost_sharing: CostSharing
    terms: tuple[Term, ...]
    # Which of the urban partner's emissions the agreement offsets (e.g. 区の施設).
    emission_scope: str = "ward facilities"
    closing: ClosingRules = ClosingRules()

    def side_of(self, party_id: int) -> Side | None:
        """Return which side `party_id` is on in this agreement, or None."""
        if party_id == self.urban_party_id:
            return Side.URBAN
        if party_id == self.forest_party_id:
            return Side.FOREST
        return None

    @property
    def first_fy(self) -> int:
        """The agreement's first fiscal year: where figures "to date" start."""
        return min(term.first_fy for term in self.terms)

    def term_of(self, fiscal_year: int) -> Term | None:
        return next((term for term in self.terms if fiscal_year in term), None)

    def covers(self, fiscal_year: int) -> bool:
        return self.term_of(fiscal_year) is not None

    def within_terms(self, fiscal_year: int) -> FiscalYear:
        """Return `fiscal_year` as a FiscalYear. Raises InvalidInput for a year out of range,
        OutsideTerms when no term of the agreement covers it."""
        fy = FiscalYear(fiscal_year)
        if not self.covers(fy.year):
            raise OutsideTerms(fy.year, self.terms)
        return fy


def check_terms(terms: tuple[Term, ...], signed_on: date, *,
                new_term_field: str | None = None) -> None:
    """Refuse terms that are empty, overlap, run backwards or start before the signing FY.

    Raises InvalidInput naming the offending term ("terms.0"), or `new_term_field` when the
    last term is the one at fault and the caller names its years so.
    """
    if not terms:
        raise InvalidInput("an agreement needs at least one term", field="terms")
    signed_fy = FiscalYear.of(signed_on).year
    previous_last = signed_fy - 1
    for index, term in enumerate(terms):
        where = f"terms.{index}"
        if new_term_field is not None and index == len(terms) - 1:
            where = new_term_field
        FiscalYear(term.first_fy), FiscalYear(term.last_fy)
        if term.first_fy > term.last_fy:
            raise InvalidInput("first_fy is after last_fy", field=where)
        if term.first_fy <= previous_last:
            raise InvalidInput(f"term starts in FY{term.first_fy}, before the previous term "
                               "ends or before the agreement was signed", field=where)
        previous_last = term.last_fy


def check_agreement(agreement: Agreement) -> None:
    """Refuse an agreement whose fields contradict each other. Raises InvalidInput."""
    if agreement.urban_party_id == agreement.forest_party_id:
        raise InvalidInput("urban and forest party must differ", field="forest_party_id")
    if not 1 <= agreement.crediting_window <= 100:
        raise InvalidInput("must be 1..100 fiscal years", field="crediting_window")
    if agreement.annual_target_ha < 0:
        raise InvalidInput("must not be negative", field="annual_target")
    if (agreement.absorption_method is AbsorptionMethod.PER_AREA_RATE) != (
            agreement.per_area_rate is not None):
        raise InvalidInput("is required with, and only with, the per-area-rate method",
                           field="per_area_rate")
    if agreement.per_area_rate is not None and agreement.per_area_rate <= 0:
        raise InvalidInput("must be positive", field="per_area_rate")
    if not agreement.emission_scope.strip() or len(agreement.emission_scope) > 200:
        raise InvalidInput("must be 1..200 characters", field="emission_scope")
    check_terms(agreement.terms, agreement.signed_on)
