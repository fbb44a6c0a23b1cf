"""Record the Shinjuku–Ina demo case through offset's own services, year by year.

Nothing is written around the services: every thinning, estimate, certification, cost and
retirement passes the same checks as one made through the API. Entries built from invented
figures say so: their details carry {"figure": "illustrative", "figure_source": …}, their
`recorded_by` is ILLUSTRATIVE_BY and, wherever a service takes free
text (cost description, subsidy name, buyer, emission source, retirement purpose,
certificate number, thinning note), that text carries "illustrative (説明用)". The one
published entry (the FY2013 certification) is recorded by PUBLISHED_BY.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from offset.access import services as access
from offset.access.model import Role
from offset.agreements import services as agreements
from offset.agreements.model import (
    AbsorptionMethod,
    Agreement,
    CostSharing,
    Party,
    Side,
    Term,
)
from offset.closing import services as closing
from offset.council import services as council
from offset.council.model import PartnershipCertification
from offset.demo.scenario import PUBLISHED, Provenance, Scenario, load
from offset.emissions import services as emissions
from offset.errors import AlreadyExists, NotFound
from offset.forestry.certification import Certificate, certify
from offset.forestry.estimates import post_adjustment
from offset.forestry.model import Stand, StandInput, StandVersion, Thinning, ThinningInput
from offset.forestry.stands import register_stand
from offset.forestry.thinnings import Basis, log_thinning
from offset.ledger import services as ledger
from offset.ledger.model import Provenance as Origin
from offset.money import services as money
from offset.money.model import (
    Cost,
    CostCategory,
    Subsidy,
    SubsidyScheme,
    TimberSale,
    timber_total,
)
from offset.reference_data import load_shipped

if TYPE_CHECKING:
    from offset.ports import UnitOfWork

ILLUSTRATIVE_TEXT = "illustrative (説明用)"
ILLUSTRATIVE_BY = "demo: illustrative (説明用)"
PUBLISHED_BY = "demo: published (公表値)"
CLOSED_BY = "demo: close (決算)"
CONTRACTOR = "受託事業体 contractor"
BENEFICIARY = "新宿区 Shinjuku City"
PURPOSE = "区の施設の排出量のオフセット offsetting the ward facilities' emissions"
CERTIFYING_BODY = "長野県 Nagano Prefecture"
SOURCE = "区の施設 ward facilities"


class DemoPresent(AlreadyExists):
    title = "Demo already present"
    code = "demo-present"


def recorded_by(provenance: Provenance) -> str:
    """Return who the demo records an entry as: the builder, saying where the figure is from."""
    return PUBLISHED_BY if provenance.figure == PUBLISHED else ILLUSTRATIVE_BY


def origin(provenance: Provenance) -> Origin:
    """Return the provenance an entry records in its details ({"figure": …, "source": …})."""
    return Origin(provenance.figure, provenance.source)


def marked(text: str, provenance: Provenance) -> str:
    """Return `text` with the illustrative mark when the figure is invented."""
    return f"{text} — {ILLUSTRATIVE_TEXT}" if provenance.illustrative else text


@dataclass(frozen=True)
class Built:
    """What the demo built: the Shinjuku–Ina agreement, the users' tokens, and the ledger
    it left (the chain head of that agreement); the ward's other agreements."""

    agreement: Agreement
    tokens: dict[str, str]
    entry_count: int
    chain_head: str
    verified: bool
    closed_through: int | None = None
    reports: tuple[str, ...] = ()  # the numbers of the reports the closes issued
    passwords: dict[str, str] = field(default_factory=dict)  # web logins, by user name
    # The ward's further (illustrative) agreements, each recorded and closed the same way.
    partners: tuple[Agreement, ...] = ()


def present(uow: UnitOfWork, scenario: Scenario | None = None) -> bool:
    """Return whether the demo's urban party (131041) is already in the database."""
    try:
        uow.agreements.party_by_code((scenario or load()).urban_code)
    except NotFound:
        return False
    return True


def build(uow: UnitOfWork, scenario: Scenario | None = None) -> Built:
    """Record the whole case in `uow` (the caller commits) and verify its chain.

    Raises DemoPresent when party 131041 exists already, and any error a service raises.
    """
    scenario = scenario or load()
    if present(uow, scenario):
        raise DemoPresent("Shinjuku–Ina demo", scenario.urban_code, wording=(
            "the {what} is already in this database (party {key} exists); use --if-missing "
            "to skip it, or a new database to build it again"))
    load_shipped(uow)
    agreement = _agreement(uow, scenario)
    tokens, passwords = _users(uow, scenario, agreement)
    agreement, reports = _record(uow, scenario, agreement)
    partners = []
    for folder in scenario.partners:
        partner = load(folder)
        partners.append(_record(uow, partner, _agreement(uow, partner))[0])
    result = ledger.verify(uow, [agreement.id, *(p.id for p in partners)])
    head = result.heads[0]
    certified = sorted({row.fiscal_year for row in scenario.certifications})
    return Built(agreement, tokens, head.entry_count, head.hash, result.ok,
                 closed_through=certified[-1] if certified else None, reports=tuple(reports),
                 passwords=passwords, partners=tuple(partners))


def _record(uow: UnitOfWork, scenario: Scenario,
            agreement: Agreement) -> tuple[Agreement, list[str]]:
    """Record a case's council certifications and years; return the agreement as renewed and
    the numbers of the reports its closes issued."""
    _council(uow, scenario, agreement)
    year = _Year(uow, scenario)
    for fiscal_year in scenario.fiscal_years:
        agreement = year.record(agreement, fiscal_year)
    # Every year the prefecture has certified is closed, in order, issuing its annual report
    # (and each finished term's); the years still awaiting certification stay open.
    certified = sorted({row.fiscal_year for row in scenario.certifications})
    reports = [report.number for fiscal_year in certified
               for report in closing.close_year(uow, agreement, fiscal_year,
                                                CLOSED_BY).reports]
    return agreement, reports


def _agreement(uow: UnitOfWork, scenario: Scenario) -> Agreement:
    case = scenario.case
    parties = {side: _party(uow, case[side]) for side in ("urban", "forest")}
    first = scenario.terms[0]
    facts = case["agreement"]
    return agreements.create_agreement(uow, Agreement(
        id=0, title_ja=facts["title_ja"], title_en=facts["title_en"],
        urban_party_id=parties["urban"].id, forest_party_id=parties["forest"].id,
        signed_on=facts["signed_on"], annual_target_ha=Decimal(facts["annual_target"]),
        crediting_window=facts["crediting_window"],
        absorption_method=AbsorptionMethod(facts["method"]), per_area_rate=None,
        cost_sharing=CostSharing(), terms=(Term(1, first.first_fy, first.last_fy),),
        emission_scope=facts["emission_scope"]))


def _party(uow: UnitOfWork, facts: dict[str, str]) -> Party:
    """Return the party of `facts`: the one recorded already (the ward, in its second
    agreement), or a new one."""
    try:
        return uow.agreements.party_by_code(facts["code"])
    except NotFound:
        return agreements.create_party(
            uow, facts["code"], facts["name_ja"], facts["name_en"],
            section_ja=facts.get("section_ja", ""), section_en=facts.get("section_en", ""))


def _users(uow: UnitOfWork, scenario: Scenario,
           agreement: Agreement) -> tuple[dict[str, str], dict[str, str]]:
    """Create one user per role; return their tokens and their web passwords, both made
    afresh for each database (a demo database on a network holds no known password)."""
    tokens, passwords = {}, {}
    for user in scenario.case["users"]:
        role = Role(user["role"])
        audits = frozenset({agreement.id}) if role is Role.AUDITOR else frozenset()
        name = user["name"]
        _, tokens[name] = access.add_user(uow, name, role, party_code=user.get("party"),
                                          agreement_ids=audits)
        passwords[name] = secrets.token_urlsafe(12)
        access.set_password(uow, name, passwords[name])
    return tokens, passwords


# The conditions the illustrative council finds met (the proposal's, as the demo reads it).
COUNCIL_CONDITIONS = (
    f"協定期間5年以上 / a term of five years or more, {ILLUSTRATIVE_TEXT}",
    f"間伐面積と吸収量を毎年度報告 / area thinned and absorption reported every year, "
    f"{ILLUSTRATIVE_TEXT}",
    f"吸収量は都道府県の認証による / absorption certified by the prefecture, "
    f"{ILLUSTRATIVE_TEXT}",
)


def _council(uow: UnitOfWork, scenario: Scenario, agreement: Agreement) -> None:
    """Record the council's certifications of the partnership, one per term (illustrative:
    no such council exists yet)."""
    for row in scenario.case.get("council_certifications", ()):
        council.certify_partnership(uow, agreement, PartnershipCertification(
            agreement.id, row["number"], row["certified_on"], row["valid_until"],
            COUNCIL_CONDITIONS), ILLUSTRATIVE_BY)


@dataclass
class _Year:
    """Records one fiscal year after another, remembering the stands registered so far."""

    uow: UnitOfWork
    scenario: Scenario
    stands: dict[str, Stand] = field(default_factory=dict)

    @property
    def facts(self) -> dict[str, str]:
        """The case's agreement facts: its emission source, purpose and certifying body."""
        return dict(self.scenario.case["agreement"])

    def record(self, agreement: Agreement, fiscal_year: int) -> Agreement:
        """Record `fiscal_year` in the order the year happens; return the agreement."""
        agreement = self._renew(agreement, fiscal_year)
        work = self._thin(agreement, fiscal_year)
        self._money(agreement, fiscal_year, work)
        self._timber(agreement, fiscal_year, work)
        self._emissions(agreement, fiscal_year)
        self._certify(agreement, fiscal_year)
        self._retire(agreement, fiscal_year)
        return agreement

    def _renew(self, agreement: Agreement, fiscal_year: int) -> Agreement:
        """Renew at the start of a new term, then credit earlier work to its years."""
        term = next((t for t in self.scenario.terms[1:] if t.first_fy == fiscal_year), None)
        if term is None:
            return agreement
        agreement = agreements.renew(self.uow, agreement, term.first_fy, term.last_fy)
        for year in range(term.first_fy, term.last_fy + 1):
            post_adjustment(self.uow, agreement, year, None, ILLUSTRATIVE_BY)
        return agreement

    def _stand(self, agreement: Agreement, key: str) -> Stand:
        if key not in self.stands:
            row = next(s for s in self.scenario.stands if s.key == key)
            self.stands[key] = register_stand(
                self.uow, agreement.forest_party_id, StandInput(
                    row.site, row.compartment, row.stand_number,
                    StandVersion(row.area_ha, row.species, row.planting_year,
                                 measured_growth=row.measured_growth)),
                recorded_by(row.provenance))
        return self.stands[key]

    def _thin(self, agreement: Agreement, fiscal_year: int) -> list[Thinning]:
        basis = Basis.load(self.uow, agreement)
        logged = []
        for row in (t for t in self.scenario.thinnings if t.fiscal_year == fiscal_year):
            stand = self._stand(agreement, row.stand)
            draft = ThinningInput(stand.id, fiscal_year, row.started_on, row.finished_on,
                                  row.area_ha, row.intensity_percent, row.volume_m3,
                                  marked(CONTRACTOR, row.provenance),
                                  marked(row.provenance.source, row.provenance))
            logged.append(log_thinning(self.uow, agreement, draft,
                                                recorded_by(row.provenance), basis,
                                                provenance=origin(row.provenance)).thinning)
        return logged

    def _money(self, agreement: Agreement, fiscal_year: int, work: list[Thinning]) -> None:
        cost_ids: dict[str, list[int]] = defaultdict(list)
        rows = [m for m in self.scenario.money if m.fiscal_year == fiscal_year]
        for row in (m for m in rows if m.kind == "cost"):
            category = CostCategory(row.category)
            linked = tuple(t.id for t in work) if category is CostCategory.THINNING else ()
            entry = money.record_cost(self.uow, agreement, Cost(
                fiscal_year, category, row.amount, row.on,
                marked(row.description, row.provenance), thinning_ids=linked),
                recorded_by(row.provenance),
                provenance=origin(row.provenance))
            cost_ids[row.category].append(entry.id)
        for row in (m for m in rows if m.kind == "subsidy"):
            funded = tuple(i for category in row.funds for i in cost_ids[category])
            money.record_subsidy(self.uow, agreement, Subsidy(
                fiscal_year, SubsidyScheme(row.category),
                marked(row.description, row.provenance), Side.URBAN, row.amount, row.on,
                funded), recorded_by(row.provenance),
                provenance=origin(row.provenance))

    def _timber(self, agreement: Agreement, fiscal_year: int, work: list[Thinning]) -> None:
        for row in (t for t in self.scenario.timber if t.fiscal_year == fiscal_year):
            money.record_timber_sale(self.uow, agreement, TimberSale(
                fiscal_year, row.volume_m3, timber_total(row.volume_m3, row.unit_price),
                marked(row.buyer, row.provenance), Side.FOREST, row.sold_on,
                row.unit_price, tuple(t.id for t in work)), recorded_by(row.provenance),
                provenance=origin(row.provenance))

    def _emissions(self, agreement: Agreement, fiscal_year: int) -> None:
        for row in (e for e in self.scenario.emissions if e.fiscal_year == fiscal_year):
            emissions.record_emission(self.uow, agreement, emissions.EmissionInput(
                fiscal_year, row.activity_type, row.activity, row.factor_set,
                source=marked(self.facts.get("emission_source", SOURCE), row.provenance)),
                recorded_by(row.provenance),
                provenance=origin(row.provenance))

    def _certify(self, agreement: Agreement, fiscal_year: int) -> None:
        for row in (c for c in self.scenario.certifications if c.fiscal_year == fiscal_year):
            certify(self.uow, agreement, Certificate(
                fiscal_year, row.tonnes, self.facts.get("certifying_body", CERTIFYING_BODY),
                row.number, row.issued_on,
                row.area_ha), recorded_by(row.provenance),
                provenance=origin(row.provenance))

    def _retire(self, agreement: Agreement, fiscal_year: int) -> None:
        for row in (r for r in self.scenario.retirements if r.fiscal_year == fiscal_year):
            emissions.retire(self.uow, agreement, emissions.Retirement(
                fiscal_year, row.tonnes, BENEFICIARY,
                marked(self.facts.get("purpose", PURPOSE), row.provenance),
                row.retired_on), recorded_by(row.provenance),
                provenance=origin(row.provenance))
