"""Everything a report reads, taken in one read-only unit of work at one chain head.

The chain head is read first (today's, or the one an `as_of` names); journal entries after
it are left out and balances are taken as of it, so every figure matches the head the
report prints. Thinning work, which is not in the journal, is bounded by time (_thinnings).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from offset.agreements.model import Agreement, Party, Term
from offset.errors import NotFound
from offset.fiscal import FiscalYear
from offset.forestry.absorption import Row, estimate_inputs
from offset.forestry.model import Stand, Thinning
from offset.forestry.parameters import ParameterSet, YieldTable
from offset.ledger import services as ledger
from offset.ledger.as_of import AsOf, AtMoment, AtSeq
from offset.ledger.chain import ChainHead
from offset.ledger.model import Balances, Commodity, EntryKind, JournalEntry

if TYPE_CHECKING:
    from offset.ports import UnitOfWork

PAGE = 1000


@dataclass(frozen=True)
class Snapshot:
    """The ledger of one agreement over some fiscal years, as of one chain head."""

    agreement: Agreement
    urban: Party
    forest: Party
    term: Term
    years: tuple[int, ...]
    head: ChainHead
    entries: tuple[JournalEntry, ...]  # of the years, in chain order, up to the head
    reversals: tuple[JournalEntry, ...]  # made in or affecting the years, up to the head
    balances: dict[int, Balances]  # per fiscal year of the term, as of the head
    to_date: Balances  # summed from the agreement's first fiscal year to the period's last
    # The certifications of every fiscal year from the first to the period's last, at the head
    # (for how estimates have compared with certificates so far).
    certificates_to_date: tuple[JournalEntry, ...]
    area_to_date: Decimal  # ha thinned from the agreement's first fiscal year to the period's last
    thinnings: tuple[Thinning, ...]
    stands: dict[tuple[int, int], Stand]  # by (stand id, version)
    parameters: ParameterSet  # the newest set: species names
    parameter_sets: dict[str, ParameterSet]  # by label, those the estimates used
    yield_tables: dict[str, YieldTable]  # by label, those the estimates used
    # Each estimate's stored inputs as read (several sections read them), by entry id.
    _inputs: dict[int, dict[str, Row]] = field(default_factory=dict, compare=False, repr=False)

    def inputs(self, estimate: JournalEntry) -> dict[str, Row]:
        """Return the rows estimate entry `estimate` stored (absorption.estimate_inputs)."""
        found = self._inputs.get(estimate.id)
        if found is None:
            found = self._inputs[estimate.id] = estimate_inputs(estimate.entry.details)
        return found

    @property
    def reversed_ids(self) -> set[int]:
        return {e.entry.reverses.entry_id for e in self.entries if e.entry.reverses}

    def live(self, *kinds: EntryKind) -> list[JournalEntry]:
        """Return the period's entries of `kinds` not reversed at the head."""
        gone = self.reversed_ids
        return [e for e in self.entries if e.entry.kind in kinds and e.id not in gone]

    def period_balances(self) -> Balances:
        """Return the balances summed over the report's fiscal years."""
        return self.summed(self.years)

    def summed(self, years: Iterable[int]) -> Balances:
        """Return the balances summed over `years` (of the term)."""
        total: dict[tuple[str, Commodity], Decimal] = defaultdict(Decimal)
        for year in years:
            for key, amount in self.balances[year].items():
                total[key] += amount
        return dict(total)

    @property
    def period_start(self) -> FiscalYear:
        return FiscalYear(self.years[0])

    @property
    def period_end(self) -> FiscalYear:
        return FiscalYear(self.years[-1])


def read(uow: UnitOfWork, agreement: Agreement, term: Term, years: list[int],
         as_of: AsOf | None = None) -> Snapshot:
    """Return the snapshot of `years` (all within `term`) of `agreement`, at today's head or
    at the point `as_of` names. Raises what ledger.head_as_of raises."""
    head = ledger.head_as_of(uow, agreement.id, as_of)
    # The agreement's years up to the term's end: the term's own and those to date.
    by_year = ledger.balances_by_year(uow, agreement.id, agreement.first_fy, term.last_fy,
                                      as_of_seq=head.entry_count)
    found = [e for year in years for e in _entries_of(uow, agreement.id, year, head)]
    found.sort(key=lambda e: e.seq)
    thinnings = _thinnings(uow, agreement.id, years, head, as_of)
    parameters = uow.forestry.parameter_set()
    # What the estimates cite: each estimate's details, and each line of an adjustment.
    cited = [d for e in found if e.entry.kind in (EntryKind.ESTIMATE,
                                                  EntryKind.ESTIMATE_ADJUSTMENT)
             for d in (e.entry.details, *e.entry.details.get("lines", ()))]
    return Snapshot(
        agreement=agreement, urban=uow.agreements.party(agreement.urban_party_id),
        forest=uow.agreements.party(agreement.forest_party_id), term=term,
        years=tuple(years), head=head, entries=tuple(found),
        reversals=tuple(_reversals(uow, agreement.id, years, head)),
        balances={year: by_year[year] for year in range(term.first_fy, term.last_fy + 1)},
        to_date=_to_date(by_year, agreement.first_fy, years[-1]),
        area_to_date=sum((t.area_ha for t in (*thinnings, *_thinnings(
            uow, agreement.id, [y for y in range(agreement.first_fy, years[-1] + 1)
                                if y not in years], head, as_of))), Decimal("0.0000")),
        certificates_to_date=tuple(
            e for e in uow.journal.live_of_kind(agreement.id, [EntryKind.CERTIFICATION])
            if e.seq <= head.entry_count and e.entry.fiscal_year <= years[-1]),
        thinnings=tuple(thinnings), stands=_stands(uow, agreement, thinnings, cited),
        parameters=parameters,
        parameter_sets={label: _parameter_set(uow, label, parameters)
                        for label in _labels(cited, "parameter_set")},
        yield_tables={label: uow.forestry.yield_table(*label.split("@", 1))
                      for label in _labels(cited, "yield_table")},
    )


def _to_date(by_year: Mapping[int, Balances], first: int, last: int) -> Balances:
    """The balances of fiscal years first..last together: the agreement to date."""
    total: dict[tuple[str, Commodity], Decimal] = defaultdict(Decimal)
    for year in range(first, last + 1):
        for key, amount in by_year[year].items():
            total[key] += amount
    return dict(total)


def _entries_of(uow: UnitOfWork, agreement_id: int, year: int,
                head: ChainHead) -> list[JournalEntry]:
    found: list[JournalEntry] = []
    after: int | None = 0
    while after is not None:
        page = ledger.journal_page(uow, agreement_id, fiscal_year=year, after_seq=after,
                                   limit=PAGE)
        found += [e for e in page.entries if e.seq <= head.entry_count]
        after = page.next_after_seq if page.next_after_seq is not None and \
            page.next_after_seq < head.entry_count else None
    return found


def _thinnings(uow: UnitOfWork, agreement_id: int, years: list[int], head: ChainHead,
               as_of: AsOf | None) -> list[Thinning]:
    """Return the work of `years`: all of it today; as of a point, what was recorded by then.

    Work is no journal entry, so "by then" is by time: at or before the moment asked for, or,
    for a sequence number, at or before the recording of that entry (none at 0). The log is
    written before the estimates it posts, so work whose estimates the point holds is shown.
    """
    match as_of:
        case None:
            until = None
        case AtMoment(moment):
            until = moment
        case AtSeq(0):
            return []
        case AtSeq(_):
            until = uow.journal.entry_at(agreement_id, head.entry_count).recorded_at
    return [t for year in years
            for t in uow.forestry.thinnings(agreement_id, year, recorded_until=until)]


def _reversals(uow: UnitOfWork, agreement_id: int, years: list[int],
               head: ChainHead) -> list[JournalEntry]:
    """Return the corrections (reversals, prior-period adjustments) of entries of `years`
    or posted in them, and those recorded during them. An adjustment of a closed year is
    posted in a later open year, so it shows in that year's report and never in the closed
    year's."""
    first, last = FiscalYear(years[0]).start, FiscalYear(years[-1]).end
    # A correction is never reversed itself, so the live ones are all of them.
    kinds = [EntryKind.REVERSAL, EntryKind.PRIOR_PERIOD_ADJUSTMENT]
    return [e for e in uow.journal.live_of_kind(agreement_id, kinds)
            if e.seq <= head.entry_count
            and (e.entry.fiscal_year in years or first <= e.recorded_at.date() <= last)]


def _stands(uow: UnitOfWork, agreement: Agreement, thinnings: list[Thinning],
            cited: list[Mapping[str, Any]]) -> dict[tuple[int, int], Stand]:
    """Return the stands at the versions the work and the estimates name."""
    latest = {s.id: s for s in uow.forestry.stands(agreement.forest_party_id)}
    wanted = {(t.stand_id, t.stand_version) for t in thinnings} | {
        (int(d["stand_id"]), int(d["stand_version"])) for d in cited if "stand_id" in d}
    found = {}
    for stand_id, version in wanted:
        stand = latest.get(stand_id)
        if stand is None or stand.version != version:
            stand = uow.forestry.stand(stand_id, version)
        found[stand_id, version] = stand
    return found


def _labels(cited: list[Mapping[str, Any]], key: str) -> list[str]:
    return sorted({str(d[key]) for d in cited if d.get(key)})


def _parameter_set(uow: UnitOfWork, label: str, newest: ParameterSet) -> ParameterSet:
    if label == newest.label:
        return newest
    name, _, version = label.partition("@")
    try:
        return uow.forestry.parameter_set(name, version)
    except NotFound:  # shown as "not loaded" rather than failing the report
        return ParameterSet(name, version, {})
