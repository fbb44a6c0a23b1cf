"""Small builders for test data: parties, agreements, balanced entries, stands and thinnings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from importlib.resources import files

from offset.agreements import services as agreements
from offset.agreements.model import AbsorptionMethod, Agreement, CostSharing, Party, Term
from offset.db.uow import UnitOfWork
from offset.forestry import services as forestry
from offset.forestry.model import Stand, StandVersion, Thinning
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


# Forestry.

def shipped_data(file: str) -> str:
    """Return the text of a data file shipped in offset/data (parameter sets, yield tables)."""
    return (files("offset") / "data" / file).read_text(encoding="utf-8")


def rate_agreement(uow: UnitOfWork, rate: str = "3.19", *,
                   terms: tuple[tuple[int, int], ...] = ((2009, 2013),),
                   window: int = 5) -> Agreement:
    """Create and return a Shinjuku–Ina agreement estimating by a per-area rate (t-CO2/ha/yr)."""
    draft = Agreement(
        id=0, title_ja="地球環境保全のための連携に関する協定", title_en="Environmental agreement",
        urban_party_id=party(uow, SHINJUKU).id, forest_party_id=party(uow, INA).id,
        signed_on=date(2008, 2, 10), annual_target_ha=Decimal("30"), crediting_window=window,
        absorption_method=AbsorptionMethod.PER_AREA_RATE, per_area_rate=Decimal(rate),
        cost_sharing=CostSharing(),
        terms=tuple(Term(n, a, b) for n, (a, b) in enumerate(terms, start=1)),
    )
    return agreements.create_agreement(uow, draft)


def stand(uow: UnitOfWork, number: str = "1", *, forest: tuple[str, str, str] = INA,
          area: str = "10", species: str = "sugi", planting_year: int = 1970,
          site_class: int | None = 2, measured_growth: str | None = None) -> Stand:
    """Register and return a stand of 鹿嶺高原 compartment 12 (its party created when missing)."""
    first = StandVersion(Decimal(area), species, planting_year, site_class,
                         None if measured_growth is None else Decimal(measured_growth))
    return forestry.register_stand(uow, party(uow, forest).id, "鹿嶺高原", "12", number, first,
                                   "forestry-office")


def thinning(agreement_id: int, stand_id: int, area: str = "5", fiscal_year: int = 2009, *,
             started_on: date | None = None, finished_on: date | None = None) -> Thinning:
    """Return a draft of thinning work (id and stand version are filled in when logged)."""
    return Thinning(
        id=0, agreement_id=agreement_id, stand_id=stand_id, stand_version=0,
        fiscal_year=fiscal_year, started_on=started_on or date(fiscal_year, 10, 1),
        finished_on=finished_on or date(fiscal_year, 11, 30), area_ha=Decimal(area),
        intensity_percent=Decimal("30"), volume_m3=None, contractor="上伊那森林組合",
        note="")


def half_even(value: Fraction, places: int = 3) -> Decimal:
    """Return an exact fraction rounded half-even to `places` places, by integer arithmetic.

    Tests compute expected tonnes with this, never with offset's own rounding.
    """
    scaled = value * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest > scaled.denominator or (2 * rest == scaled.denominator and whole % 2):
        whole += 1
    return Decimal(whole).scaleb(-places)
