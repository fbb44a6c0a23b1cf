"""Urban use cases: load factor sets, record emissions, retire certified credits.

Callers open the unit of work and commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib.resources import files
from typing import TYPE_CHECKING

from offset.agreements.model import Agreement
from offset.closing.services import check_open_for_work
from offset.emissions.model import Emission, Factor, in_factor_units, parse_factors
from offset.errors import InvalidInput, InvalidQuantity
from offset.ledger import services as ledger
from offset.ledger.accounts import (
    CERTIFIED,
    EMISSIONS,
    EMISSIONS_LIABILITY,
    RETIRED,
    is_under,
    under,
)
from offset.ledger.errors import PeriodClosed
from offset.ledger.model import (
    Commodity,
    Entry,
    EntryKind,
    JournalEntry,
    Posting,
    Provenance,
    provenance_details,
)
from offset.netting.errors import CreditsInsufficient, EmissionsExceeded
from offset.numbers import ZERO, exactly, fixed

if TYPE_CHECKING:
    from offset.ports import UnitOfWork

MAX_TONNES = Decimal(10) ** 9  # a billion t-CO2: Japan emits about 1.1 billion a year


def emission_account(activity: str) -> str:
    return under(EMISSIONS, "".join(p.capitalize() for p in activity.split("_")))


def load_factor_sets(uow: UnitOfWork, text: str) -> list[str]:
    """Store the factor sets in CSV `text`; return their ids. Raises ImportRejected,
    AlreadyExists."""
    sets = parse_factors(text)
    uow.emissions.add_factor_sets(sets)
    return sorted(sets)


def factors(uow: UnitOfWork) -> list[Factor]:
    """Return every loaded emission factor, by set and activity."""
    return uow.emissions.factors()


def load_default_factors(uow: UnitOfWork) -> list[str]:
    """Load the shipped factor sets that are not loaded yet; return the ids loaded now."""
    text = (files("offset") / "data" / "emission_factors.csv").read_text(encoding="utf-8")
    known = {f.set_id for f in factors(uow)}
    fresh = {k: v for k, v in parse_factors(text).items() if k not in known}
    if fresh:
        uow.emissions.add_factor_sets(fresh)
    return sorted(fresh)



@dataclass(frozen=True)
class EmissionInput:
    fiscal_year: int
    activity_type: str
    activity: str  # a quantity with its unit, e.g. "1200000 kWh"
    factor_set: str
    source: str = ""  # the facility or meter, free text
    scope: str | None = None


def record_emission(uow: UnitOfWork, agreement: Agreement, given: EmissionInput,
                    recorded_by: str, *, provenance: Provenance | None = None,
                    today: date | None = None) -> JournalEntry:
    """Post activity × factor as the urban partner's emissions for a fiscal year; `today` is
    the date in Japan the settlement-period rule is read on (by default the clock's).

    Raises InvalidInput / InvalidQuantity naming the field: FactorNotFound, UnitMismatch,
    OutsideTerms, a scope other than the agreement's, a quantity too large to compute;
    PeriodSettling in the year's settlement period, PeriodClosed for a closed year.
    """
    fy = agreement.within_terms(given.fiscal_year)
    # The head too: a year closed in its settlement period is closed, not settling.
    check_open_for_work(agreement, fy.year, "fiscal_year",
                        head=uow.journal.heads([agreement.id])[0], today=today)
    scope = (given.scope or agreement.emission_scope).strip()
    if scope != agreement.emission_scope:
        raise InvalidInput(f"this agreement offsets {agreement.emission_scope!r} only",
                           field="scope")
    factor = uow.emissions.factor(given.factor_set, given.activity_type)
    emission = Emission(fy.year, factor.activity, given.activity.strip(),
                        in_factor_units(given.activity, factor, field="activity"), factor,
                        scope)
    try:
        tonnes = emission.tonnes
    except InvalidOperation:  # more digits than exact arithmetic carries
        raise InvalidQuantity("is too large", field="activity") from None
    if tonnes <= 0:
        raise InvalidInput("is too small to emit a kilogram of CO2", field="activity")
    if tonnes >= MAX_TONNES:
        raise InvalidInput(f"gives {tonnes} t-CO2, more than any municipality emits",
                           field="activity")
    return ledger.post(uow, [Entry(
        agreement.id, fy.year, EntryKind.EMISSION, fy.end,
        f"Emissions {fy} {factor.activity}" + (f" ({given.source.strip()})"
                                               if given.source.strip() else ""),
        (Posting(emission_account(factor.activity), Commodity.TCO2E, emission.tonnes),
         Posting(EMISSIONS_LIABILITY, Commodity.TCO2E, -emission.tonnes)),
        details={**provenance_details(provenance),
                 "activity_type": factor.activity, "activity": emission.activity_text,
                 "quantity_in_factor_units": f"{emission.quantity_in_factor_units:f}",
                 "unit": factor.unit, "factor": str(factor.t_co2_per_unit),
                 "factor_set": factor.set_id, "factor_status": factor.status,
                 "factor_source": factor.source, "scope": scope,
                 "source": given.source.strip(), "tonnes": str(emission.tonnes)},
        recorded_by=recorded_by)])[0]


@dataclass(frozen=True)
class Retirement:
    against_fiscal_year: int
    tonnes: Decimal
    beneficiary: str
    purpose: str
    retired_on: date
    vintage: int | None = None


def available_by_vintage(uow: UnitOfWork, agreement_id: int) -> dict[int, Decimal]:
    """Return certified tonnes not yet retired, by the fiscal year they were certified for."""
    return {credits.vintage: credits.available for credits in credits_by_vintage(
        uow, agreement_id) if credits.available}


@dataclass(frozen=True)
class VintageCredits:
    """The credits of one vintage (the fiscal year certified for): certified, retired, and
    so available to retire."""

    vintage: int
    certified: Decimal
    retired: Decimal

    @property
    def available(self) -> Decimal:
        return self.certified - self.retired


def credits_by_vintage(uow: UnitOfWork, agreement_id: int) -> list[VintageCredits]:
    """Return every certified vintage's credits, oldest first (reversed entries left out)."""
    certified: dict[int, Decimal] = {}
    retired: dict[int, Decimal] = {}
    for certification in uow.journal.live_of_kind(agreement_id, [EntryKind.CERTIFICATION]):
        year = certification.entry.fiscal_year
        certified[year] = certified.get(year, ZERO) + Decimal(
            certification.entry.details["certified"])
    for retirement in uow.journal.live_of_kind(agreement_id, [EntryKind.RETIREMENT]):
        for year, tonnes in retirement.entry.details["vintages"].items():
            retired[int(year)] = retired.get(int(year), ZERO) + Decimal(tonnes)
    return [VintageCredits(year, certified.get(year, ZERO), retired.get(year, ZERO))
            for year in sorted(certified.keys() | retired.keys())]


@dataclass(frozen=True)
class RetirementPlan:
    """What a retirement would draw from each vintage, and what each eligible vintage would
    have left after it."""

    fiscal_year: int
    tonnes: Decimal
    drawn: dict[int, Decimal]
    left: dict[int, Decimal]


def plan_retirement(uow: UnitOfWork, agreement: Agreement,
                    retirement: Retirement) -> RetirementPlan:
    """Return what `retirement` would draw and leave, storing nothing; raises what retire
    raises for it (but a later write may still change the answer: retire checks again)."""
    fy = agreement.within_terms(retirement.against_fiscal_year)
    fy.check_payment_date(retirement.retired_on, "retired_on",
                          agreement.closing.settlement_ends)
    tonnes = exactly(retirement.tonnes, 3, field="quantity")
    if tonnes <= 0:
        raise InvalidInput("must be more than 0 t-CO2", field="quantity")
    for field, text in (("beneficiary", retirement.beneficiary),
                        ("purpose", retirement.purpose)):
        if not text.strip():
            raise InvalidInput("must not be blank", field=field)
    head = uow.journal.heads([agreement.id])[0]
    if head.closed(fy.year):  # as the ledger would refuse the entry
        assert head.closed_through is not None
        raise PeriodClosed(agreement.id, fy.year, head.closed_through)
    _check_emissions_left(uow, agreement, fy.year, tonnes)
    available = available_by_vintage(uow, agreement.id)
    drawn = _draw(available, retirement, fy.year, tonnes)
    left = {vintage: tonnes - drawn.get(vintage, ZERO)
            for vintage, tonnes in available.items() if vintage <= fy.year}
    return RetirementPlan(fy.year, tonnes, drawn, left)


def retire(uow: UnitOfWork, agreement: Agreement, retirement: Retirement,
           recorded_by: str, *, provenance: Provenance | None = None) -> JournalEntry:
    """Retire certified tCO2e against a fiscal year's emissions, oldest eligible vintage first.

    Credits certified for FY v retire against FY v or later within the terms. Raises
    InvalidInput for a bad quantity or year, OutsideTerms for a year outside the terms,
    OutsideFiscalYear for a date outside the year and its settlement period,
    EmissionsExceeded beyond the year's emissions not yet offset, CreditsInsufficient when too
    few eligible credits remain.
    """
    uow.journal.lock_head(agreement.id)
    plan = plan_retirement(uow, agreement, retirement)
    fy, tonnes, drawn = agreement.within_terms(plan.fiscal_year), plan.tonnes, plan.drawn
    return ledger.post(uow, [Entry(
        agreement.id, fy.year, EntryKind.RETIREMENT, retirement.retired_on,
        f"Retirement against {fy} emissions for {retirement.beneficiary.strip()}",
        (Posting(RETIRED, Commodity.TCO2E, tonnes), Posting(CERTIFIED, Commodity.TCO2E, -tonnes)),
        details={**provenance_details(provenance),
                 "vintages": {str(y): str(t) for y, t in drawn.items()},
                 "beneficiary": retirement.beneficiary.strip(),
                 "purpose": retirement.purpose.strip(), "tonnes": str(tonnes)},
        recorded_by=recorded_by)])[0]


def _check_emissions_left(uow: UnitOfWork, agreement: Agreement, year: int,
                          tonnes: Decimal) -> None:
    # Credits offset recorded emissions: retiring more than a year's emissions not yet
    # offset would use up credits for nothing.
    balances = ledger.balances(uow, agreement.id, fiscal_year=year)
    emitted = sum((a for (name, c), a in balances.items()
                   if c is Commodity.TCO2E and is_under(name, EMISSIONS)), ZERO)
    left = emitted - balances.get((RETIRED, Commodity.TCO2E), ZERO)
    if tonnes > left:
        raise EmissionsExceeded(year, fixed(left, 3), tonnes)


def _draw(available: dict[int, Decimal], retirement: Retirement, year: int,
          wanted: Decimal) -> dict[int, Decimal]:
    eligible = {v: t for v, t in available.items() if v <= year
                and (retirement.vintage is None or v == retirement.vintage)}
    if retirement.vintage is not None and retirement.vintage > year:
        raise InvalidInput(f"credits of FY{retirement.vintage} cannot offset FY{year}",
                           field="vintage")
    total = sum(eligible.values(), ZERO)
    if total < wanted:
        raise CreditsInsufficient(year, retirement.vintage, total, wanted)
    drawn = {}
    for vintage, tonnes in sorted(eligible.items()):
        take = min(tonnes, wanted)
        if take > 0:
            drawn[vintage] = take
            wanted -= take
    return drawn


