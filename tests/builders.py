"""Small builders for test data: parties, agreements, balanced entries, stands and thinnings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from importlib.resources import files

from offset.agreements import services as agreements
from offset.agreements.model import AbsorptionMethod, Agreement, CostSharing, Party, Side, Term
from offset.emissions.services import EmissionInput, Retirement
from offset.forestry.certification import Certificate
from offset.forestry.model import Stand, StandInput, StandVersion, ThinningInput
from offset.forestry.stands import register_stand
from offset.ledger.model import Commodity, Entry, EntryKind, Posting
from offset.money.model import Cost, CostCategory, Subsidy, SubsidyScheme, TimberSale, timber_total
from offset.ports import UnitOfWork

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
    return register_stand(uow, party(uow, forest).id, StandInput("鹿嶺高原", "12", number, first),
                          "forestry-office")


def thinning(agreement_id: int, stand_id: int, area: str = "5", fiscal_year: int = 2009, *,
             started_on: date | None = None, finished_on: date | None = None) -> ThinningInput:
    """Return thinning work to log for agreement `agreement_id` (the use case is given the
    agreement; the id stays in the signature so that each test says where the work goes)."""
    del agreement_id
    return ThinningInput(
        stand_id=stand_id, fiscal_year=fiscal_year,
        started_on=started_on or date(fiscal_year, 10, 1),
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


# The urban side: costs, subsidies, timber sales, emissions, retirements.

def urban_agreement(uow: UnitOfWork, rate: str = "3.19", *,
                    sharing: CostSharing | None = None,
                    terms: tuple[tuple[int, int], ...] = ((2009, 2013),), window: int = 5,
                    scope: str = "ward facilities") -> Agreement:
    """Create and return a per-area-rate Shinjuku–Ina agreement with a cost-sharing rule."""
    draft = Agreement(
        id=0, title_ja="地球環境保全のための連携に関する協定", title_en="Environmental agreement",
        urban_party_id=party(uow, SHINJUKU).id, forest_party_id=party(uow, INA).id,
        signed_on=date(2008, 2, 10), annual_target_ha=Decimal("30"), crediting_window=window,
        absorption_method=AbsorptionMethod.PER_AREA_RATE, per_area_rate=Decimal(rate),
        cost_sharing=sharing or CostSharing(),
        terms=tuple(Term(n, a, b) for n, (a, b) in enumerate(terms, start=1)),
        emission_scope=scope,
    )
    return agreements.create_agreement(uow, draft)


def cost(yen: int, fiscal_year: int = 2010, category: str = "thinning", *,
         bearer: str | None = None, thinning_ids: tuple[int, ...] = ()) -> Cost:
    """Return a cost of `yen` (split by the agreement's rule unless a bearer is given)."""
    return Cost(fiscal_year, CostCategory(category), Decimal(yen), date(fiscal_year, 12, 1),
                "", None if bearer is None else Side(bearer), thinning_ids)


def subsidy(yen: int, fiscal_year: int = 2010, scheme: str = "national", *,
            recipient: str = "urban", funds: tuple[int, ...] = (),
            name: str = "森林整備事業") -> Subsidy:
    """Return a subsidy of `yen` received by `recipient`, funding the cost entries `funds`."""
    return Subsidy(fiscal_year, SubsidyScheme(scheme), name, Side(recipient), Decimal(yen),
                   date(fiscal_year, 12, 15), funds)


def timber_sale(volume_m3: str, unit_price: int, fiscal_year: int = 2010, *,
                recipient: str = "forest", total: int | None = None) -> TimberSale:
    """Return a timber sale priced per m3; the total is given or volume × price, by hand."""
    volume, price = Decimal(volume_m3), Decimal(unit_price)
    return TimberSale(fiscal_year, volume, Decimal(total) if total is not None
                      else timber_total(volume, price), "上伊那木材協同組合", Side(recipient),
                      date(fiscal_year + 1, 1, 20), price)


def emission(activity: str, fiscal_year: int = 2010, activity_type: str = "electricity",
             factor_set: str = "tepco-fy2010", *, scope: str | None = None) -> EmissionInput:
    """Return activity data for the urban partner's emissions of one fiscal year."""
    return EmissionInput(fiscal_year, activity_type, activity, factor_set, "区役所本庁舎", scope)


def retirement(tonnes: str, against: int = 2010, *, vintage: int | None = None) -> Retirement:
    """Return a retirement of `tonnes` certified t-CO2 against a fiscal year's emissions."""
    return Retirement(against, Decimal(tonnes), "新宿区", "区の施設の排出量のオフセット",
                      date(against + 1, 3, 1), vintage)


def certificate(tonnes: str, fiscal_year: int = 2010) -> Certificate:
    """Return the prefecture's certificate of `tonnes` for a fiscal year."""
    return Certificate(fiscal_year, Decimal(tonnes), "長野県",
                                f"森CO2-{fiscal_year}-1", date(fiscal_year + 1, 3, 20), None)
