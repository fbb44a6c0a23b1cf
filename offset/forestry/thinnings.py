"""Thinning use cases: logging work, one piece or a season's file, and posting its estimates.

Callers open the unit of work and commit; a thinning and the estimates it posts land
together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from offset import collector
from offset.agreements.model import Agreement
from offset.closing.services import check_open_for_work
from offset.errors import NotFound, OffsetError
from offset.fiscal import FiscalYear
from offset.forestry import absorption, coverage, imports
from offset.forestry.carbon import carbon_postings
from offset.forestry.errors import ImportRejected, RowProblem, UnknownStand
from offset.forestry.model import (
    Credits,
    Enrollment,
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
from offset.ledger.chain import ChainHead
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
        return cls(parameters, table, certified_years(uow, agreement))


def certified_years(uow: UnitOfWork, agreement: Agreement) -> frozenset[int]:
    """Return the fiscal years of `agreement` that have a live certification."""
    certified = uow.journal.live_of_kind(agreement.id, [EntryKind.CERTIFICATION])
    return frozenset(e.entry.fiscal_year for e in certified)


def agreement_thinnings(uow: UnitOfWork, agreement_id: int,
                        fiscal_year: int | None = None) -> list[Thinning]:
    """Return the agreement's thinning work (of `fiscal_year` when given), as logged."""
    return uow.forestry.thinnings(agreement_id, fiscal_year)


def log_thinning(uow: UnitOfWork, agreement: Agreement, given: ThinningInput,
                 recorded_by: str, basis: Basis | None = None, *,
                 provenance: Provenance | None = None, today: date | None = None) -> Logged:
    """Store thinning work and post its estimate for each fiscal year it is credited.

    Years already certified get no estimate (the certificate replaced it). `today` is the
    date in Japan the settlement-period rule is read on (by default the clock's).
    Raises UnknownStand for an unknown stand, InvalidWork for bad work, OutsideTerms,
    DoubleCounting / StandAreaExceeded when the area is already credited for those years,
    EnrolledElsewhere when the stand is enrolled in another scheme's project for one of them,
    PeriodClosed for a closed year, PeriodSettling in the year's settlement period.
    """
    uow.forestry.lock_stand(given.stand_id)
    try:
        stand = uow.forestry.stand(given.stand_id)
    except NotFound:  # the agreement is there; a stand id naming nothing is bad input
        raise UnknownStand(given.stand_id) from None
    draft = given.work(agreement.id, stand.version)
    check_thinning(draft, stand, agreement)
    check_open_for_work(agreement, draft.fiscal_year, "fiscal_year",
                        head=uow.journal.heads([agreement.id])[0], today=today)
    check_no_double_counting(draft, agreement.crediting_window, stand,
                             uow.forestry.thinnings_of_stand(stand.id),
                             uow.forestry.enrollments([stand.id]))
    basis = basis or Basis.load(uow, agreement)
    work = uow.forestry.add_thinning(draft, recorded_by)
    estimates = [e for year in absorption.credited_years(work, agreement)
                 if year not in basis.certified
                 and (e := absorption.estimate(work, stand, agreement, year, basis.parameters,
                                               basis.table)).tonnes != 0]
    return Logged(work, ledger.post(uow, _estimate_entries(work, stand, estimates,
                                                           recorded_by, provenance)))


@dataclass(frozen=True)
class Imported:
    thinnings: list[Thinning]
    estimates: list[JournalEntry]


@dataclass(frozen=True)
class Row:
    """One row of a file, checked: its line, its work and the estimates the work earns."""

    line: int
    work: Thinning
    estimates: tuple[absorption.Estimate, ...]


@dataclass(frozen=True)
class PreparedImport:
    """A season's file read and checked against the stored work, ready to be written."""

    parsed: imports.Parsed
    rows: tuple[Row, ...]
    basis: Basis
    crediting_window: int


POSTING_BATCH = 1000  # rows of an import posted together (about 5,000 entries)


def prepare_import(uow: UnitOfWork, agreement: Agreement, table: imports.Table,
                   progress: Progress | None = None) -> PreparedImport:
    """Check every row of a season's thinning log for `agreement`; write nothing.

    Meant for a read-only unit of work, so that checking a long file holds no write lock.
    Rows are checked in file order and see the work of earlier ones (two rows together may
    over-credit a stand). `progress(done, total)` is called per row.
    Raises InvalidInput for a file without rows, ImportRejected listing every bad row.
    """
    imports.require_rows(table)
    with collector.paused():
        return _prepare_import(uow, agreement, table, progress)


def _prepare_import(uow: UnitOfWork, agreement: Agreement, table: imports.Table,
                    progress: Progress | None) -> PreparedImport:
    basis = Basis.load(uow, agreement)
    parsed = imports.parse_rows(table, basis.parameters)
    stands = {stand.id: stand for stand in uow.forestry.stands(agreement.forest_party_id)}
    given, problems = imports.drafts(parsed, stands.values())
    works = [(line, each.work(agreement.id, stands[each.stand_id].version))
             for line, each in given]
    others = uow.forestry.thinnings_of_stands(work.stand_id for _, work in works)
    enrolled = uow.forestry.enrollments(work.stand_id for _, work in works)
    checked, refused = _checked(agreement, parsed, works, stands, _credits(others, enrolled),
                                uow.journal.heads([agreement.id])[0], progress)
    rows = [row for each in checked if (row := _estimated(
        each, stands[each.work.stand_id], agreement, basis, parsed, refused)) is not None]
    problems = parsed.problems + problems + refused
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: p.line))
    return PreparedImport(parsed, tuple(rows), basis, agreement.crediting_window)


def import_thinnings(uow: UnitOfWork, agreement: Agreement, prepared: PreparedImport,
                     recorded_by: str) -> Imported:
    """Store the work of a prepared file and post its estimates: all rows or none.

    The stands are locked and the rows checked again against the work stored since they
    were prepared (in memory, without re-reading the file); then the work is stored and
    the estimates posted in batches. Raises ImportRejected when stored work now conflicts
    with a row, after which the caller must not commit.
    """
    with collector.paused():
        return _import_thinnings(uow, agreement, prepared, recorded_by)


def _import_thinnings(uow: UnitOfWork, agreement: Agreement, prepared: PreparedImport,
                      recorded_by: str) -> Imported:
    works = [(row.line, row.work) for row in prepared.rows]
    uow.forestry.lock_stands(work.stand_id for _, work in works)
    stands = {stand.id: stand for stand in uow.forestry.stands(agreement.forest_party_id)}
    others = uow.forestry.thinnings_of_stands(work.stand_id for _, work in works)
    enrolled = uow.forestry.enrollments(work.stand_id for _, work in works)
    _, problems = _checked(agreement, prepared.parsed, works, stands, _credits(others, enrolled),
                           uow.journal.heads([agreement.id])[0])
    problems += _changed(prepared, stands, certified_years(uow, agreement))
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: p.line))
    stored = uow.forestry.add_thinnings([work for _, work in works], recorded_by)
    # Posted a batch at a time, so that on PostgreSQL the server stores one batch while the
    # next is built and hashed (offset.db.bulk); the chain is the same as from one post.
    posted: list[JournalEntry] = []
    for start in range(0, len(stored), POSTING_BATCH):
        posted += ledger.post(uow, [
            entry for work, row in zip(stored[start:start + POSTING_BATCH],
                                       prepared.rows[start:start + POSTING_BATCH], strict=True)
            for entry in _estimate_entries(work, stands[work.stand_id], row.estimates,
                                           recorded_by, None)])
    return Imported(stored, posted)


def _credits(others: list[tuple[Thinning, int]], enrolled: list[Enrollment]) -> Credits:
    credits = Credits(enrolled)
    for other, window in others:
        credits.add(other, window)
    return credits


def _checked(agreement: Agreement, parsed: imports.Parsed, works: list[tuple[int, Thinning]],
             stands: dict[int, Stand], credits: Credits, head: ChainHead,
             progress: Progress | None = None) -> tuple[list[Row], list[RowProblem]]:
    """Return the rows whose work passes every rule, in order, and the problems of the rest."""
    rows, problems = [], []
    for done, (line, work) in enumerate(works, start=1):
        stand = stands.get(work.stand_id)
        try:
            if stand is None:
                raise UnknownStand(work.stand_id)
            check_thinning(work, stand, agreement)
            check_open_for_work(agreement, work.fiscal_year, "fiscal_year", head=head)
            credits.check(work, agreement.crediting_window, stand)
        except OffsetError as refused:
            problems.append(imports.refusal(parsed, line, refused))
        else:
            credits.add(work, agreement.crediting_window)
            rows.append(Row(line, work, ()))
        if progress is not None:
            progress(done, len(works))
    return rows, problems


def _estimated(row: Row, stand: Stand, agreement: Agreement, basis: Basis,
               parsed: imports.Parsed, problems: list[RowProblem]) -> Row | None:
    """Return `row` with the estimates its work earns, or None adding its problem."""
    try:
        found = [absorption.estimate(row.work, stand, agreement, year, basis.parameters,
                                     basis.table)
                 for year in absorption.credited_years(row.work, agreement)
                 if year not in basis.certified]
    except OffsetError as refused:
        problems.append(imports.refusal(parsed, row.line, refused))
        return None
    return replace(row, estimates=tuple(e for e in found if e.tonnes != 0))


def _changed(prepared: PreparedImport, stands: dict[int, Stand],
             certified: frozenset[int]) -> list[RowProblem]:
    """Return a problem for each row whose stand, or whose certified years, changed since
    the file was prepared (its estimates would no longer be the ones checked)."""
    moved = certified ^ prepared.basis.certified
    return [RowProblem(row.line, prepared.parsed.header("stand"),
                       "the stand or the agreement's certifications changed while the file "
                       "was being checked; import the file again")
            for row in prepared.rows
            if (stand := stands.get(row.work.stand_id)) is None
            or stand.version != row.work.stand_version
            or moved.intersection(row.work.credited_years(prepared.crediting_window))]


def _estimate_entries(work: Thinning, stand: Stand, estimates: Iterable[absorption.Estimate],
                      recorded_by: str, provenance: Provenance | None) -> list[Entry]:
    """Return the entries that post `estimates` of `work`, one per fiscal year."""
    cited = {**provenance_details(provenance), "thinning_id": work.id, "stand_id": stand.id,
             "stand_version": work.stand_version, **coverage.estimate_keys(work)}
    where = f"from thinning {work.id} ({stand.label})"
    entries = []
    for estimate in estimates:
        fy = FiscalYear(estimate.fiscal_year)
        entries.append(Entry(
            agreement_id=work.agreement_id, fiscal_year=fy.year, kind=EntryKind.ESTIMATE,
            effective_date=work.finished_on if work.fiscal_year == fy.year else fy.start,
            description=f"Estimated absorption {fy} {where}",
            postings=carbon_postings(ESTIMATED, ESTIMATED_SOURCE, Commodity.TCO2E_EST,
                                     estimate.tonnes),
            details={**cited, **estimate.as_data()}, recorded_by=recorded_by))
    return entries
