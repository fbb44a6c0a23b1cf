"""The council's use cases: certify a partnership, grant to a certified one, read the nation.

The council reads every agreement's figures (offset.access: the council role sees them all)
and writes only its own records: certifications here, grants as money of the agreement.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from offset.agreements.model import Agreement, Party, Side
from offset.council.errors import NotCertified
from offset.council.model import (
    Overview,
    Partnership,
    PartnershipCertification,
    PrefectureTotals,
    Totals,
    standing_on,
)
from offset.errors import InvalidInput
from offset.fiscal import FiscalYear
from offset.ledger.chain import GENESIS, ChainHead
from offset.ledger.model import JournalEntry
from offset.money import services as money
from offset.money.model import Subsidy
from offset.netting.model import Balances, year_sums

if TYPE_CHECKING:
    from offset.ports import UnitOfWork

ZERO = Decimal(0)


def certify_partnership(uow: UnitOfWork, agreement: Agreement,
                        certification: PartnershipCertification,
                        recorded_by: str) -> PartnershipCertification:
    """Record the council's certification of the agreement's partnership. Raises
    AlreadyExists when its number is taken."""
    if certification.agreement_id != agreement.id:
        raise InvalidInput("certifies another agreement", field="agreement_id")
    return uow.council.add_certification(certification, recorded_by)


def certifications(uow: UnitOfWork, agreement_id: int) -> list[PartnershipCertification]:
    """Return the agreement's certifications, oldest first."""
    return uow.council.certifications([agreement_id])


def record_grant(uow: UnitOfWork, agreement: Agreement, grant: Subsidy,
                 recorded_by: str) -> JournalEntry:
    """Post a council grant received by one side. Raises NotCertified unless a
    certification of the partnership is valid on the day it is received, and what
    money.record_council_grant raises."""
    if not any(c.valid_on(grant.received_on) for c in certifications(uow, agreement.id)):
        raise NotCertified(agreement.id, grant.received_on)
    return money.record_council_grant(uow, agreement, grant, recorded_by)


def overview(uow: UnitOfWork, fiscal_year: int, on: date) -> Overview:
    """Return every partnership a term of which covers `fiscal_year`, with its figures of
    the year and its standing with the council on `on`. Raises InvalidInput for a year out
    of range."""
    FiscalYear(fiscal_year)
    active = [a for a in uow.agreements.agreements() if a.covers(fiscal_year)]
    parties = {p.id: p for p in uow.agreements.parties()}
    by_agreement: dict[int, list[PartnershipCertification]] = defaultdict(list)
    # Whole-nation reads, a few grouped queries in all, however many partnerships: the
    # year's balances come from the totals the write path keeps (year_totals).
    for certification in uow.council.certifications():
        by_agreement[certification.agreement_id].append(certification)
    heads = {h.agreement_id: h for h in uow.journal.heads()}
    balances = uow.journal.year_balances(None, fiscal_year)
    areas = uow.forestry.areas_thinned(None, fiscal_year)
    fy = FiscalYear(fiscal_year)
    lines = tuple(_partnership(a, parties, fy, balances.get(a.id, {}), areas.get(a.id, ZERO),
                               by_agreement[a.id], on, heads.get(a.id))
                  for a in active)
    return Overview(fiscal_year, on, lines, _by_prefecture(lines), Totals.of(list(lines)))


def _partnership(agreement: Agreement, parties: dict[int, Party], fy: FiscalYear,
                 balances: Balances, area: Decimal, certified: list[PartnershipCertification],
                 on: date, head: ChainHead | None) -> Partnership:
    sums = year_sums(balances)
    standing, certification = standing_on(certified, on)
    return Partnership(
        agreement, parties[agreement.urban_party_id], parties[agreement.forest_party_id],
        area, agreement.annual_target_ha, sums.certified, sums.retired, sums.gross_cost,
        sums.net_cost[Side.URBAN] + sums.net_cost[Side.FOREST], sums.net_cost[Side.URBAN],
        sums.grants, standing, certification,
        any(c.covers_part_of(fy.start, fy.end) for c in certified),
        head.entry_count if head else 0, head.hash if head else GENESIS)


def _by_prefecture(lines: tuple[Partnership, ...]) -> tuple[PrefectureTotals, ...]:
    grouped: dict[str, list[Partnership]] = defaultdict(list)
    for line in lines:
        grouped[line.prefecture_code].append(line)
    return tuple(PrefectureTotals(code, group[0].forest.prefecture.name_ja,
                                  group[0].forest.prefecture.name_en, Totals.of(group))
                 for code, group in sorted(grouped.items()))


def fiscal_years(uow: UnitOfWork) -> list[int]:
    """Return every fiscal year a term of some agreement covers, oldest first."""
    return sorted({year for a in uow.agreements.agreements() for term in a.terms
                   for year in range(term.first_fy, term.last_fy + 1)})


def year_to_show(years: list[int], on: date) -> int | None:
    """Return the fiscal year a national view opens on: the latest of `years` not after the
    fiscal year of `on`, else the first of them (None without any)."""
    current = FiscalYear.of(on).year
    passed = [year for year in years if year <= current]
    return passed[-1] if passed else (years[0] if years else None)
