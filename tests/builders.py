"""Small builders for test data: parties, agreements and balanced entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from offset.agreements import services as agreements
from offset.agreements.model import AbsorptionMethod, Agreement, CostSharing, Party, Term
from offset.db.uow import UnitOfWork
from offset.ledger.model import Commodity, Entry, EntryKind, Posting

SHINJUKU = ("131041", "新宿区", "Shinjuku City")
INA = ("202096", "伊那市", "Ina City")
CHIYODA = ("131016", "千代田区", "Chiyoda City")
MATSUMOTO = ("202029", "松本市", "Matsumoto City")


def party(uow: UnitOfWork, spec: tuple[str, str, str] = SHINJUKU) -> Party:
    """Return the party with the spec's code, creating it when missing."""
    existing = [p for p in uow.agreements.parties() if p.code == spec[0]]
    return existing[0] if existing else agreements.create_party(uow, *spec)


def agreement(uow: UnitOfWork, urban: tuple[str, str, str] = SHINJUKU,
              forest: tuple[str, str, str] = INA, *,
              terms: tuple[tuple[int, int], ...] = ((2009, 2013),),
              window: int = 5) -> Agreement:
    """Create and return an agreement between two parties (created when missing)."""
    draft = Agreement(
        id=0, title_ja="地球環境保全のための連携に関する協定", title_en="Environmental agreement",
        urban_party_id=party(uow, urban).id, forest_party_id=party(uow, forest).id,
        signed_on=date(2008, 2, 10), annual_target_ha=Decimal("30"), crediting_window=window,
        absorption_method=AbsorptionMethod.NATIONAL_INVENTORY, per_area_rate=None,
        cost_sharing=CostSharing(),
        terms=tuple(Term(n, a, b) for n, (a, b) in enumerate(terms, start=1)),
    )
    return agreements.create_agreement(uow, draft)


def cost_entry(agreement_id: int, yen: int, fiscal_year: int = 2009,
               tonnes: str | None = None) -> Entry:
    """Return a balanced entry moving `yen` (and optionally estimated tonnes)."""
    postings = [Posting("Expenses:Thinning", Commodity.JPY, Decimal(yen)),
                Posting("Liabilities:Payable:Contractor", Commodity.JPY, Decimal(-yen))]
    if tonnes is not None:
        postings += [Posting("Assets:Credits:Estimated", Commodity.TCO2E_EST, Decimal(tonnes)),
                     Posting("Income:Absorption:Estimated", Commodity.TCO2E_EST,
                             -Decimal(tonnes))]
    return Entry(agreement_id, fiscal_year, EntryKind.COST, date(fiscal_year, 6, 1),
                 "Thinning work", tuple(postings))
