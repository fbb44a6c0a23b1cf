"""Thinning use cases: logging work, one piece or a season's file, and posting its estimates.

Callers open the unit of work and commit; a thinning and the estimates it posts land
together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from offset.agreements.model import Agreement
from offset.errors import NotFound, OffsetError
from offset.fiscal import FiscalYear
from offset.forestry import absorption, imports
from offset.forestry.carbon import carbon_postings
from offset.forestry.errors import ImportRejected, UnknownStand
from offset.forestry.model import (
    Stand,
    Thinning,
    ThinningInput,
    check_no_double_counting,
    check_thinning,
)
from offset.forestry.parameters import ParameterSet, YieldTable
from offset.forestry.reference import reference
from offset.ledger import services as ledger
from offset.ledger.accounts import ESTIMATED, ESTIMATED_SOURCE
from offset.ledger.model import (
    Commodity,
    Entry,
    EntryKind,
    JournalEntry,
    Provenance,
    provenance_details,
)

if TYPE_CHECKING:
    from offset.ports import UnitOfWork

Progress = Callable[[int, int], None]


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
        parameters, table = reference(uow, None)
        certified = uow.journal.live_of_kind(agreement.id, [EntryKind.CERTIFICATION])
        return cls(parameters, table, frozenset(e.entry.fiscal_year for e in certified))


def agreement_thinnings(uow: UnitOfWork, agreement_id: int,
                        fiscal_year: int | None = None) -> list[Thinning]:
    """Return the agreement's thinning work (of `fiscal_year` when given), as logged."""
    return uow.forestry.thinnings(agreement_id, fiscal_year)


def log_thinning(uow: UnitOfWork, agreement: Agreement, given: ThinningInput,
                 recorded_by: str, basis: Basis | None = None, *,
                 provenance: Provenance | None = None) -> Logged:
    """Store thinning work and post its estimate for each fiscal year it is credited.

    Years already certified get no estimate (the certificate replaced it).
    Raises UnknownStand for an unknown stand, InvalidWork for bad work, OutsideTerms,
    DoubleCounting / StandAreaExceeded when the area is already credited for those years.
    """
    uow.forestry.lock_stand(given.stand_id)
    try:
        stand = uow.forestry.stand(given.stand_id)
    except NotFound:  # the agreement is there; a stand id naming nothing is bad input
        raise UnknownStand(given.stand_id) from None
    draft = given.work(agreement.id, stand.version)
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
    works, problems = imports.drafts(parsed, uow.forestry.stands(agreement.forest_party_id))
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


def _estimate_entry(work: Thinning, stand: Stand, estimate: absorption.Estimate,
                    recorded_by: str, provenance: Provenance | None) -> Entry:
    fy = FiscalYear(estimate.fiscal_year)
    when = work.finished_on if work.fiscal_year == fy.year else fy.start
    return Entry(
        agreement_id=work.agreement_id, fiscal_year=fy.year, kind=EntryKind.ESTIMATE,
        effective_date=when,
        description=f"Estimated absorption {fy} from thinning {work.id} ({stand.label})",
        postings=carbon_postings(ESTIMATED, ESTIMATED_SOURCE, Commodity.TCO2E_EST, estimate.tonnes),
        details={**provenance_details(provenance),
                 "thinning_id": work.id, "stand_id": stand.id,
                 "stand_version": work.stand_version, **estimate.as_data()},
        recorded_by=recorded_by)
