"""Open data (オープンデータ): the figures of every issued annual report, one row per agreement
and fiscal year, for anyone to read.

Only what an issued report already published is opened: a row exists for a fiscal year only
once its annual report is issued, and its figures are those of the report's chain head (the
current report of its line: a re-issue replaces the row of the report it replaces). Nothing
personal is in it: parties are municipalities, and no user, token or contractor is named.

The figures are read as of the report's head, as the report read them: the ledger's balances
of the fiscal year up to that sequence number, the estimates posted for the year and not
reversed by then, and the work on record by the time of that entry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from offset.agreements.model import Agreement, Party
from offset.documents.model import DocumentKind, IssuedReport
from offset.ledger.accounts import ESTIMATED
from offset.ledger.model import Commodity, EntryKind, JournalEntry
from offset.netting.model import carbon_of

if TYPE_CHECKING:
    from offset.db.uow import UnitOfWork

T = Decimal("0.000")
HA = Decimal("0.0000")
# The estimate entries of a year are read in pages of this many.
_PAGE = 5000


@dataclass(frozen=True)
class OpenRow:
    """One agreement-year as its issued annual report published it."""

    agreement_id: int
    agreement_ja: str
    agreement_en: str
    urban_code: str  # the local government code (全国地方公共団体コード)
    urban_ja: str
    urban_en: str
    forest_code: str
    forest_ja: str
    forest_en: str
    fiscal_year: int
    report_number: str
    issued_at: datetime  # UTC, to the second
    area_thinned_ha: Decimal
    estimated_t: Decimal
    certified_t: Decimal
    retired_t: Decimal
    emissions_t: Decimal
    emissions_offset_t: Decimal  # the emissions netted by retired credits: O
    chain_seq: int
    chain_head: str


@dataclass(frozen=True)
class OpenData:
    rows: tuple[OpenRow, ...]
    version: str  # changes whenever a row would: the reports behind the rows and their heads
    last_modified: datetime | None  # when the newest report behind a row was issued
    current: bool = False  # the asker holds this version already: no rows were read


def version_of(uow: UnitOfWork) -> tuple[str, datetime | None, list[IssuedReport]]:
    """Return the version and last-modified time of the open data, and the reports it is
    made of, without reading any figure (a conditional request stops here)."""
    current = [r for r in uow.documents.all_current() if r.kind is DocumentKind.ANNUAL]
    current.sort(key=lambda r: (r.agreement_id, r.fiscal_year))
    digest = hashlib.sha256()
    for report in current:
        digest.update(f"{report.agreement_id}:{report.number}:{report.made_at_seq}:"
                      f"{report.made_at_head}\n".encode())
    last = max((r.generated_at for r in current), default=None)
    return digest.hexdigest()[:32], last, current


def open_data(uow: UnitOfWork) -> OpenData:
    """Return one row per agreement and fiscal year whose annual report is issued."""
    version, last, reports = version_of(uow)
    agreements = {a.id: a for a in uow.agreements.agreements(
        sorted({r.agreement_id for r in reports}))}
    parties = {p.id: p for p in uow.agreements.parties()}
    rows = tuple(_row(uow, agreements[r.agreement_id], parties, r) for r in reports)
    return OpenData(rows, version, last)


def _row(uow: UnitOfWork, agreement: Agreement, parties: dict[int, Party],
         report: IssuedReport) -> OpenRow:
    seq, year = report.made_at_seq, report.fiscal_year
    carbon = carbon_of(uow.journal.balances(agreement.id, fiscal_year=year, as_of_seq=seq))
    urban, forest = parties[agreement.urban_party_id], parties[agreement.forest_party_id]
    return OpenRow(
        agreement.id, agreement.title_ja, agreement.title_en, urban.code, urban.name_ja,
        urban.name_en, forest.code, forest.name_ja, forest.name_en, year, report.number,
        report.generated_at, _area(uow, agreement, year, seq), _estimated(uow, agreement,
                                                                          year, seq),
        carbon.certified.quantize(T), carbon.retired.quantize(T),
        carbon.emissions.quantize(T), min(carbon.retired, carbon.emissions).quantize(T),
        seq, report.made_at_head)


def _estimated(uow: UnitOfWork, agreement: Agreement, year: int, seq: int) -> Decimal:
    """The estimates and adjustments posted for `year` and not reversed at `seq`."""
    found = [e for kind in (EntryKind.ESTIMATE, EntryKind.ESTIMATE_ADJUSTMENT)
             for e in _all(uow, agreement.id, year, seq, kind)]
    gone = uow.journal.reversal_ids([e.id for e in found], up_to_seq=seq)
    return sum((p.amount for e in found if e.id not in gone for p in e.entry.postings
                if p.account == ESTIMATED and p.commodity is Commodity.TCO2E_EST), T)


def _all(uow: UnitOfWork, agreement_id: int, year: int, seq: int,
         kind: EntryKind) -> list[JournalEntry]:
    found: list[JournalEntry] = []
    after = 0
    while True:
        page = uow.journal.page(agreement_id, fiscal_year=year, after_seq=after, limit=_PAGE,
                                up_to_seq=seq, kind=kind)
        found += page
        if len(page) < _PAGE:
            return found
        after = page[-1].seq


def _area(uow: UnitOfWork, agreement: Agreement, year: int, seq: int) -> Decimal:
    """The area of the work of `year` on record by the time of entry `seq` (work is no
    journal entry, so "by then" is by time, as the report read it)."""
    if seq == 0:
        return HA
    until = uow.journal.entry_at(agreement.id, seq).recorded_at
    return sum((t.area_ha for t in uow.forestry.thinnings(agreement.id, year,
                                                          recorded_until=until)), HA)
