"""Forestry use cases: reference data, stands, thinning work, estimates and certification.

Callers open the unit of work and commit; a thinning and the estimates it posts land
together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from importlib.resources import files
from typing import TYPE_CHECKING

from offset.agreements.model import AbsorptionMethod, Agreement
from offset.errors import AlreadyExists, InvalidInput, NotFound, OffsetError
from offset.fiscal import FiscalYear
from offset.forestry import absorption, imports
from offset.forestry.errors import AlreadyCertified, ImportRejected, InvalidWork
from offset.forestry.model import (
    Stand,
    StandVersion,
    Thinning,
    check_no_double_counting,
    check_stand_version,
    check_thinning,
)
from offset.forestry.parameters import (
    ParameterSet,
    YieldTable,
    metadata,
    parse_parameter_set,
    parse_yield_table,
)
from offset.ledger import services as ledger
from offset.ledger.model import (
    Commodity,
    Entry,
    EntryKind,
    JournalEntry,
    Posting,
    Provenance,
    provenance_details,
)
from offset.numbers import exactly

if TYPE_CHECKING:
    from offset.db.uow import UnitOfWork

ESTIMATED = "Assets:Carbon:Estimated"
ESTIMATED_SOURCE = "Income:Carbon:Estimated"
CERTIFIED = "Assets:Carbon:Certified"
CERTIFIED_SOURCE = "Income:Carbon:Certified"

Progress = Callable[[int, int], None]


# Reference data.

def load_parameter_set(uow: UnitOfWork, text: str, name: str | None = None,
                       version: str | None = None) -> ParameterSet:
    """Parse and store a parameter set (name and version from the file header unless given).

    Raises ImportRejected for bad rows, AlreadyExists for a loaded name and version.
    """
    header = metadata(text)
    name, version = _named(name or header.get("name"), version or header.get("version"))
    parameters = parse_parameter_set(text, name, version)
    uow.forestry.add_parameter_set(parameters)
    return parameters


def load_yield_table(uow: UnitOfWork, text: str, name: str | None = None,
                     version: str | None = None, illustrative: bool | None = None) -> YieldTable:
    """Parse and store a yield table; like load_parameter_set."""
    header = metadata(text)
    name, version = _named(name or header.get("name"), version or header.get("version"))
    if illustrative is None:
        illustrative = header.get("illustrative", "no").lower() in ("yes", "true")
    table = parse_yield_table(text, name, version, illustrative)
    uow.forestry.add_yield_table(table)
    return table


def _named(name: str | None, version: str | None) -> tuple[str, str]:
    if not name or not version:
        raise InvalidInput("give a name and a version (or '# name:' and '# version:' lines)",
                           field="version")
    return name.strip(), version.strip()


def load_defaults(uow: UnitOfWork) -> list[str]:
    """Load the shipped parameter set and illustrative yield table unless already loaded.

    Returns the labels of what was loaded now.
    """
    loaded = []
    for file, load in (("species_parameters.csv", load_parameter_set),
                       ("yield_table_illustrative.csv", load_yield_table)):
        text = (files("offset") / "data" / file).read_text(encoding="utf-8")
        try:
            loaded.append(load(uow, text).label)
        except AlreadyExists:
            continue
    return loaded


# Stands.

def register_stand(uow: UnitOfWork, forest_party_id: int, site: str, compartment: str,
                   stand_number: str, first: StandVersion, recorded_by: str) -> Stand:
    """Register a stand of `forest_party_id`. Raises InvalidWork, AlreadyExists."""
    for field, text in (("site", site), ("compartment", compartment),
                        ("stand_number", stand_number)):
        if not text.strip():
            raise InvalidWork("must not be blank", field=field)
    check_stand_version(first, uow.forestry.parameter_set().species)
    return uow.forestry.add_stand(forest_party_id, site.strip(), compartment.strip(),
                                  stand_number.strip(), first, recorded_by)


def revise_stand(uow: UnitOfWork, stand: Stand, revised: StandVersion,
                 recorded_by: str) -> Stand:
    """Record a new version of `stand`; earlier versions (and work logged on them) stay."""
    check_stand_version(revised, uow.forestry.parameter_set().species)
    uow.forestry.lock_stand(stand.id)
    return uow.forestry.add_stand_version(stand.id, revised, recorded_by)


# Thinning work and its estimates.

@dataclass(frozen=True)
class Logged:
    thinning: Thinning
    estimates: list[JournalEntry]


@dataclass(frozen=True)
class Basis:
    """What estimating an agreement's work reads besides the work: the reference data and
    the fiscal years already certified. Load it once to log many pieces of work."""

    parameters: ParameterSet
    table: YieldTable
    certified: frozenset[int]

    @classmethod
    def load(cls, uow: UnitOfWork, agreement: Agreement) -> Basis:
        parameters, table = _reference(uow, None)
        certified = uow.journal.live_of_kind(agreement.id, [EntryKind.CERTIFICATION])
        return cls(parameters, table, frozenset(e.entry.fiscal_year for e in certified))


def log_thinning(uow: UnitOfWork, agreement: Agreement, draft: Thinning,
                 recorded_by: str, basis: Basis | None = None, *,
                 provenance: Provenance | None = None) -> Logged:
    """Store thinning work and post its estimate for each fiscal year it is credited.

    Years already certified get no estimate (the certificate replaced it).
    Raises NotFound for an unknown stand, InvalidWork for bad work, DoubleCounting when the
    area is already credited for those years.
    """
    uow.forestry.lock_stand(draft.stand_id)
    stand = uow.forestry.stand(draft.stand_id)
    draft = replace(draft, stand_version=stand.version)
    check_thinning(draft, stand, agreement)
    check_no_double_counting(draft, agreement.crediting_window, stand,
                             uow.forestry.thinnings_of_stand(stand.id))
    basis = basis or Basis.load(uow, agreement)
    work = uow.forestry.add_thinning(draft, recorded_by)
    entries = [_estimate_entry(work, stand, e, recorded_by, provenance)
               for year in absorption.credited_years(work, agreement)
               if year not in basis.certified
               and (e := absorption.estimate(work, stand, agreement, year, basis.parameters,
                                             basis.table)).tonnes != 0]
    return Logged(work, ledger.post(uow, entries))


@dataclass(frozen=True)
class Imported:
    thinnings: list[Thinning]
    estimates: list[JournalEntry]


def import_thinnings(uow: UnitOfWork, agreement: Agreement, table: imports.Table,
                     recorded_by: str, progress: Progress | None = None) -> Imported:
    """Log every row of a season's thinning log for `agreement`, all rows or none.

    Every row is checked, and logged in file order so that rows see the work of earlier ones
    (two rows together may over-credit a stand). `progress(done, total)` is called per row.
    Raises ImportRejected listing every bad row, after which the caller must not commit.
    """
    parsed = imports.parse_rows(table, uow.forestry.parameter_set())
    works, problems = imports.drafts(parsed, uow.forestry.stands(agreement.forest_party_id),
                                     agreement.id)
    problems = parsed.problems + problems
    basis, logged = Basis.load(uow, agreement), []
    for done, (line, draft) in enumerate(works, start=1):
        try:
            logged.append(log_thinning(uow, agreement, draft, recorded_by, basis))
        except OffsetError as refused:
            problems.append(imports.refusal(parsed, line, refused))
        if progress is not None:
            progress(done, len(works))
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: p.line))
    return Imported([each.thinning for each in logged],
                    [entry for each in logged for entry in each.estimates])


def _reference(uow: UnitOfWork, label: str | None) -> tuple[ParameterSet, YieldTable]:
    name, _, version = (label or "").partition("@")
    try:
        return (uow.forestry.parameter_set(name or None, version or None),
                uow.forestry.yield_table())
    except NotFound as missing:
        raise InvalidInput(f"{missing.detail}; run `offset db upgrade` to load the defaults",
                           field="parameters") from None


def _estimate_entry(work: Thinning, stand: Stand, estimate: absorption.Estimate,
                    recorded_by: str, provenance: Provenance | None) -> Entry:
    fy = FiscalYear(estimate.fiscal_year)
    when = work.finished_on if work.fiscal_year == fy.year else fy.start
    return Entry(
        agreement_id=work.agreement_id, fiscal_year=fy.year, kind=EntryKind.ESTIMATE,
        effective_date=when,
        description=f"Estimated absorption {fy} from thinning {work.id} ({stand.label})",
        postings=_carbon(ESTIMATED, ESTIMATED_SOURCE, Commodity.TCO2E_EST, estimate.tonnes),
        details={**provenance_details(provenance),
                 "thinning_id": work.id, "stand_id": stand.id,
                 "stand_version": work.stand_version, **estimate.as_data()},
        recorded_by=recorded_by)


def _carbon(asset: str, source: str, commodity: Commodity, tonnes: Decimal) -> tuple[
        Posting, ...]:
    return (Posting(asset, commodity, tonnes), Posting(source, commodity, -tonnes))


def _certification(uow: UnitOfWork, agreement_id: int, fiscal_year: int) -> JournalEntry | None:
    live = uow.journal.live(agreement_id, fiscal_year, [EntryKind.CERTIFICATION])
    return live[0] if live else None


# Explaining and adjusting estimates.

@dataclass(frozen=True)
class Explanation:
    """An agreement-year's estimate recomputed work by work, against what the ledger holds."""

    agreement_id: int
    fiscal_year: int
    parameter_set: str | None
    lines: list[tuple[Thinning, Stand, absorption.Estimate]]
    posted: Decimal
    certified_entry_id: int | None

    @property
    def expected(self) -> Decimal:
        return sum((e.tonnes for _, _, e in self.lines), Decimal("0.000"))

    @property
    def difference(self) -> Decimal:
        return self.expected - self.posted


def explain(uow: UnitOfWork, agreement: Agreement, fiscal_year: int,
            parameters: str | None = None) -> Explanation:
    """Recompute the estimate of every piece of work credited in `fiscal_year`."""
    parameter_set, table = _reference(uow, parameters)
    lines = []
    if agreement.covers(fiscal_year):
        for work in uow.forestry.thinnings_crediting(agreement.id, fiscal_year,
                                                     agreement.crediting_window):
            stand = uow.forestry.stand(work.stand_id, work.stand_version)
            lines.append((work, stand, absorption.estimate(work, stand, agreement, fiscal_year,
                                                           parameter_set, table)))
    posted = ledger.balances(uow, agreement.id, fiscal_year=fiscal_year).get(
        (ESTIMATED, Commodity.TCO2E_EST), Decimal("0.000"))
    certified = _certification(uow, agreement.id, fiscal_year)
    by_inventory = agreement.absorption_method is AbsorptionMethod.NATIONAL_INVENTORY
    return Explanation(agreement.id, fiscal_year, parameter_set.label if by_inventory else None,
                       lines, posted, certified.id if certified else None)


def post_adjustment(uow: UnitOfWork, agreement: Agreement, fiscal_year: int,
                    parameters: str | None, recorded_by: str) -> JournalEntry | None:
    """Post the difference between the recomputed and the posted estimate, if any.

    Raises AlreadyCertified when the year is certified (its estimate is replaced).
    """
    uow.journal.lock_head(agreement.id)
    found = explain(uow, agreement, fiscal_year, parameters)
    if found.certified_entry_id is not None:
        raise AlreadyCertified(fiscal_year, found.certified_entry_id)
    if found.difference == 0:
        return None
    entry = Entry(
        agreement_id=agreement.id, fiscal_year=fiscal_year,
        kind=EntryKind.ESTIMATE_ADJUSTMENT, effective_date=FiscalYear(fiscal_year).start,
        description=f"Estimate adjustment {FiscalYear(fiscal_year)} "
                    f"({found.parameter_set or agreement.absorption_method.value})",
        postings=_carbon(ESTIMATED, ESTIMATED_SOURCE, Commodity.TCO2E_EST, found.difference),
        details={"parameter_set": found.parameter_set, "expected": str(found.expected),
                 "posted_before": str(found.posted),
                 "thinning_ids": [work.id for work, _, _ in found.lines]},
        recorded_by=recorded_by)
    return ledger.post(uow, [entry])[0]


# Certification.

@dataclass(frozen=True)
class Certificate:
    fiscal_year: int
    tonnes: Decimal
    body: str
    number: str
    issued_on: date
    area_ha: Decimal | None


def certify(uow: UnitOfWork, agreement: Agreement, certificate: Certificate,
            recorded_by: str, *, provenance: Provenance | None = None) -> JournalEntry:
    """Issue certified tCO2e for a fiscal year and clear that year's estimate in one entry.

    Reversing the entry restores the estimate. Raises AlreadyCertified for a year with a
    live certification, InvalidInput for a year outside the terms, InvalidWork for a
    non-positive quantity.
    """
    fy = agreement.within_terms(certificate.fiscal_year)
    tonnes = exactly(certificate.tonnes, 3, field="certified")
    if tonnes <= 0:
        raise InvalidWork("must be more than 0 t-CO2", field="certified")
    for field, text in (("body", certificate.body), ("number", certificate.number)):
        if not text.strip():
            raise InvalidWork("must not be blank", field=field)
    uow.journal.lock_head(agreement.id)
    existing = _certification(uow, agreement.id, fy.year)
    if existing is not None:
        raise AlreadyCertified(fy.year, existing.id)
    estimated = ledger.balances(uow, agreement.id, fiscal_year=fy.year).get(
        (ESTIMATED, Commodity.TCO2E_EST), Decimal("0.000"))
    postings = _carbon(CERTIFIED, CERTIFIED_SOURCE, Commodity.TCO2E, tonnes)
    if estimated != 0:
        postings += _carbon(ESTIMATED, ESTIMATED_SOURCE, Commodity.TCO2E_EST, -estimated)
    entry = Entry(
        agreement_id=agreement.id, fiscal_year=fy.year, kind=EntryKind.CERTIFICATION,
        effective_date=certificate.issued_on,
        description=f"Certified absorption {fy} ({certificate.body} {certificate.number})",
        postings=postings,
        details={**provenance_details(provenance),
                 "certified": str(tonnes), "estimated": str(estimated),
                 "difference": str(tonnes - estimated), "body": certificate.body,
                 "certificate_number": certificate.number,
                 "issued_on": certificate.issued_on.isoformat(),
                 "certified_area_ha": None if certificate.area_ha is None
                 else str(certificate.area_ha)},
        recorded_by=recorded_by)
    return ledger.post(uow, [entry])[0]
