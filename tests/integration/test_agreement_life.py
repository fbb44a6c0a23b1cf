"""An agreement's whole life as a hypothesis state machine, on SQLite and PostgreSQL.

Rules log thinning, certify a fiscal year, record costs, subsidies, timber sales and
emissions, retire credits, reverse any entry, close the next fiscal year (issuing its
reports), re-issue an issued report and try writes dated into closed years. Reversing an
entry of a closed year posts a prior-period adjustment in the first open year: the closed
year keeps its figures and the open year carries the correction (refused once no year of
the term is open). Payments of a year that has ended may be dated in its settlement period
(出納整理期間, 1 April to 31 May of the next year) and count in that year; on a day of that
period the year's work and emissions are refused. After every step the invariants hold,
every closed year's figures and every issued report's bytes are as they were at the close,
and offset's fiscal-year and term summaries equal a shadow model kept here in plain Python
(dicts and Fractions, no project code in its arithmetic). Each example runs in its own
savepoint on a fresh agreement, rolled back afterwards.

The machine's day is LATER, after every year of the term and its settlement period, except
in the steps that say which day of a settlement period it is.

To compare the HTTP API's summary with the shadow as well, pass `compare_api` to
`agreement_life`: it is called after every step with (agreement id, fiscal year, the
shadow's expected facts) and should GET `/v1/agreements/{id}/fiscal-years/{fy}/summary`
and assert it states the same facts (see `Shadow.expected` for their names and types).
`compare_api_term`, likewise, is called with (agreement id, term number, expected facts of
the term) for `/v1/agreements/{id}/terms/{n}/summary`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Connection

from offset.agreements.model import CostSharing
from offset.closing import services as closing
from offset.closing.errors import NoOpenYear, PeriodSettling
from offset.closing.model import YearState
from offset.corrections import correct
from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.documents import services as documents
from offset.emissions import services as emissions
from offset.errors import InvalidInput, OffsetError, OutsideFiscalYear
from offset.forestry import certification, thinnings
from offset.forestry.carbon import CERTIFIED, CERTIFIED_SOURCE
from offset.forestry.errors import AlreadyCertified, DoubleCounting, InvalidWork
from offset.ledger import services as ledger
from offset.ledger.errors import AlreadyReversed, NotReversible, PeriodClosed
from offset.ledger.model import Commodity, EntryKind
from offset.money import services as money
from offset.money.errors import CostFunded, SubsidyExceedsCosts
from offset.netting.errors import (
    CreditsInsufficient,
    CreditsRetired,
    EmissionsExceeded,
    EmissionsOffset,
    EstimateCertified,
)
from offset.netting.services import Summary, fiscal_year_summary, term_summary
from tests import builders
from tests.builders import half_even
from tests.strategies import (
    ACTIVITIES,
    activities,
    activity_amounts,
    cost_categories,
    percents,
    sides,
    subsidy_schemes,
    timber_prices,
    timber_volumes,
)

FYS = (2009, 2010, 2011, 2012, 2013)  # the agreement's one term
WINDOW = 5
RATE = Fraction("3.19")  # t-CO2/ha/yr, the agreement's per-area rate
STAND_HA = Fraction(10)
SCOPE = "ward facilities"

# Account names the contract gives each category, scheme and activity (design §5, §6).
CATEGORY_ACCOUNT = {"thinning": "Thinning", "work-road": "WorkRoad", "survey": "Survey",
                    "administration": "Administration", "other": "Other"}
SCHEME_ACCOUNT = {"national": "National", "prefectural": "Prefectural",
                  "forest-environment-tax": "ForestEnvironmentTax", "other": "Other"}
ACTIVITY_ACCOUNT = {"electricity": "Electricity", "kerosene": "Kerosene",
                    "gasoline": "Gasoline", "city_gas": "CityGas"}

years = st.sampled_from(FYS)
LATER = date(2026, 12, 1)  # every year of the term and its settlement period have ended
SETTLEMENT_ENDS = (5, 31)  # an agreement's settlement period ends 31 May unless it says


def settlement_day(fy: int, days: int) -> date:
    """Return the day `days` after 1 April following FY `fy`: 0..60 fall in the year's
    settlement period (to 31 May), 61 is the day after it."""
    return date(fy + 1, 4, 1) + timedelta(days=days)


# Days of a settlement period, its ends and the day after it more often than by chance.
settlement_days = st.one_of(st.sampled_from([0, 60, 61]), st.integers(0, 61))


# The shadow model.

@dataclass
class Fact:
    """One entry as the shadow recorded it: its kind, fiscal year and figures."""

    kind: str
    fy: int
    data: dict[str, Any]
    live: bool = True
    adjusted_in: int | None = None  # the open year a prior-period adjustment corrected it in


@dataclass
class Shadow:
    """Every fact recorded, and what the summary of any fiscal years must then say."""

    urban_percent: Fraction
    by_category: dict[str, Fraction]
    facts: dict[int, Fact] = field(default_factory=dict)
    thinnings: list[tuple[int, int, Fraction]] = field(default_factory=list)

    def add(self, entry_id: int, kind: str, fy: int, **data: Any) -> None:
        self.facts[entry_id] = Fact(kind, fy, data)

    def live(self, kind: str, fy: int | None = None) -> list[tuple[int, Fact]]:
        return [(i, f) for i, f in self.facts.items()
                if f.live and f.kind == kind and (fy is None or f.fy == fy)]

    def counted(self, kind: str, fy: int) -> list[tuple[int, Fact]]:
        """Return what FY `fy`'s figures hold of `kind`, as (sign, fact): the year's own facts
        not reversed within it (a closed year keeps those a prior-period adjustment corrected
        later), and, negated, the facts of closed years adjusted in this year."""
        return [(1, f) for f in self.facts.values() if f.kind == kind and f.fy == fy
                and (f.live or f.adjusted_in is not None)] + [
                (-1, f) for f in self.facts.values() if f.kind == kind and f.adjusted_in == fy]

    def figure(self, kind: str, fy: int, name: str = "tonnes") -> Fraction:
        return sum((sign * f.data[name] for sign, f in self.counted(kind, fy)), Fraction(0))

    def adjustments_of(self, fy: int) -> list[tuple[int, int, int]]:
        """The adjustments correcting facts of closed year `fy`: (entry, year posted in, fact)."""
        return [(i, f.fy, f.data["adjusts"]) for i, f in self.facts.items()
                if f.kind == "adjustment" and self.facts[f.data["adjusts"]].fy == fy]

    # Carbon.

    def certified(self, fy: int) -> Fraction:
        return self.figure("certification", fy)

    def is_certified(self, fy: int) -> bool:
        return bool(self.live("certification", fy))

    def emitted(self, fy: int) -> Fraction:
        return self.figure("emission", fy)

    def retired(self, fy: int) -> Fraction:
        return self.figure("retirement", fy)

    def drawn(self, vintage: int) -> Fraction:
        return sum((f.data["vintages"].get(vintage, Fraction(0))
                    for _, f in self.live("retirement")), Fraction(0))

    def available(self, vintage: int) -> Fraction:
        """Credits of `vintage` standing, less those retired: a certification corrected by a
        prior-period adjustment no longer stands, though its closed year still shows it."""
        standing = sum((f.data["tonnes"] for _, f in self.live("certification", vintage)),
                       Fraction(0))
        return standing - self.drawn(vintage)

    def pending(self, fy: int) -> Fraction:
        """The estimates the year's figures still hold: its estimates (and, negated, those of
        closed years adjusted in it) less what certifications counted in it cleared."""
        return self.figure("estimate", fy) - self.figure("certification", fy, "cleared")

    def credited_area(self, stand: int, fy: int) -> Fraction:
        return sum((area for s, year, area in self.thinnings
                    if s == stand and year <= fy < year + WINDOW), Fraction(0))

    # Money.

    def unnamed(self, fy: int, side: str) -> list[int]:
        """The live subsidies `side` received for `fy` naming no costs."""
        return [i for i, f in self.live("subsidy", fy)
                if f.data["recipient"] == side and not f.data["funds"]]

    def unfunded(self, fy: int, side: str, without: int | None = None) -> Fraction:
        """What `side`'s live costs of `fy` (but `without`) leave after its subsidies of `fy`."""
        return (sum((f.data["shares"].get(side, 0) for i, f in self.live("cost", fy)
                     if i != without), Fraction(0))
                - sum((f.data["amount"] for _, f in self.live("subsidy", fy)
                       if f.data["recipient"] == side), Fraction(0)))

    def shares(self, category: str, amount: int, bearer: str | None) -> dict[str, int]:
        """Urban bears amount × percent / 100 rounded half-even to the yen; forest the rest."""
        if bearer is not None:
            return {bearer: amount}
        percent = self.by_category.get(category, self.urban_percent)
        urban = int(half_even(amount * percent / 100, 0))
        return {"urban": urban, "forest": amount - urban}

    def expected(self, fys: list[int]) -> dict[str, Any]:
        """The facts a summary of `fys` must state, as Decimals keyed like summary_facts."""
        emitted = sum((self.emitted(y) for y in fys), Fraction(0))
        retired = sum((self.retired(y) for y in fys), Fraction(0))
        certified = sum((self.certified(y) for y in fys), Fraction(0))
        pending = sum((self.pending(y) for y in fys), Fraction(0))
        by_activity: dict[str, Fraction] = defaultdict(Fraction)
        costs: dict[tuple[str, str], Fraction] = defaultdict(Fraction)
        subsidies: dict[tuple[str, str], Fraction] = defaultdict(Fraction)
        timber: dict[str, Fraction] = defaultdict(Fraction)
        for y in fys:
            for sign, fact in self.counted("emission", y):
                by_activity[ACTIVITY_ACCOUNT[fact.data["activity"]]] += sign * fact.data["tonnes"]
            for sign, fact in self.counted("cost", y):
                for side, share in fact.data["shares"].items():
                    costs[(CATEGORY_ACCOUNT[fact.data["category"]], side)] += sign * share
            for sign, fact in self.counted("subsidy", y):
                subsidies[(SCHEME_ACCOUNT[fact.data["scheme"]], fact.data["recipient"])] += (
                    sign * fact.data["amount"])
            for sign, fact in self.counted("timber", y):
                timber[fact.data["recipient"]] += sign * fact.data["total"]
        net_cost = {side: sum((v for (_, s), v in costs.items() if s == side), Fraction(0))
                    - sum((v for (_, s), v in subsidies.items() if s == side), Fraction(0))
                    - timber.get(side, Fraction(0)) for side in ("urban", "forest")}

        def t(value: Fraction) -> Decimal:
            return half_even(value, 3)

        def jpy(values: dict[Any, Fraction]) -> dict[Any, Decimal]:
            return {k: half_even(v, 0) for k, v in values.items() if v}

        return {
            "emissions": t(emitted), "certified": t(certified), "retired": t(retired),
            "estimated_pending": t(pending),
            "emissions_by_activity": {k: t(v) for k, v in by_activity.items() if v},
            "net": t(emitted - retired),
            # Adjustments can leave a year's emissions or certified tonnes at or below
            # zero; a ratio or a cost per tonne over those is not given.
            "offset_ratio": half_even(retired / emitted, 6) if emitted > 0 else None,
            "provisional": pending != 0,
            "provisional_offset": t(retired + pending),
            "provisional_net": t(emitted - retired - pending),
            "provisional_ratio": half_even((retired + pending) / emitted, 6) if emitted > 0
            else None,
            "costs": jpy(costs), "subsidies": jpy(subsidies), "timber": jpy(timber),
            "net_cost": {k: half_even(v, 0) for k, v in net_cost.items()},
            "cost_per_tonne": half_even(net_cost["urban"] / certified, 0) if certified > 0
            else None,
        }


def summary_facts(summary: Summary) -> dict[str, Any]:
    """Return what offset's summary states, in the shadow's terms (see Shadow.expected)."""
    carbon, cash = summary.carbon, summary.money
    return {
        "emissions": carbon.emissions, "certified": carbon.certified,
        "retired": carbon.retired, "estimated_pending": carbon.estimated_pending,
        "emissions_by_activity": carbon.emissions_by_activity, "net": carbon.net,
        "offset_ratio": carbon.offset_ratio, "provisional": summary.provisional,
        "provisional_offset": carbon.provisional_offset,
        "provisional_net": carbon.provisional_net,
        "provisional_ratio": carbon.provisional_ratio,
        "costs": {(k, s.value): v for (k, s), v in cash.costs.items()},
        "subsidies": {(k, s.value): v for (k, s), v in cash.subsidies.items()},
        "timber": {s.value: v for s, v in cash.timber.items()},
        "net_cost": {s.value: v for s, v in cash.net_cost.items()},
        "cost_per_tonne": summary.cost_per_tonne,
    }


# The machine.

# Entries no correction undoes: corrections, and memoranda (a close, a report's issue).
UNCORRECTABLE = ("reversal", "adjustment", "period-close", "report-issue")

# The arguments of the payment rules, also drawn by the settlement-period rule.
COST = {"fy": years, "category": cost_categories, "amount": st.integers(1, 50_000_000),
        "bearer": st.one_of(st.none(), sides)}
SUBSIDY = {"fy": years, "scheme": subsidy_schemes, "recipient": sides,
           "amount": st.integers(1, 50_000_000),
           "funds": st.one_of(st.none(), st.integers(0, 10**6))}
TIMBER = {"fy": years, "volume": timber_volumes, "recipient": sides,
          "price": st.one_of(timber_prices, st.integers(5_000, 30_000))}

ApiCheck = Callable[[int, int, dict[str, Any]], None]


def agreement_life(uow: UnitOfWorkFactory, connection: Connection,
                   compare_api: ApiCheck | None = None,
                   compare_api_term: ApiCheck | None = None) -> type[RuleBasedStateMachine]:
    """Return the state machine class over one database connection (see module docstring)."""

    class AgreementLife(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.example = connection.begin_nested()
            self.order: list[int] = []  # every entry id in chain order, reversals too
            self.closed_through: int | None = None
            self.closed_facts: dict[int, dict[str, Any]] = {}  # each closed year as closed
            self.issued: dict[str, bytes] = {}  # every issued report's bytes, by number
            self.replaced: set[str] = set()  # numbers a re-issue (再発行) replaced

        @initialize(percent=percents,
                    override=st.one_of(st.none(), st.tuples(cost_categories, percents)),
                    head_start=st.booleans())
        def sign(self, percent: Decimal, override: tuple[str, Decimal] | None,
                 head_start: bool) -> None:
            by_category = dict([override]) if override else {}
            with uow() as work:
                self.deal = builders.urban_agreement(
                    work, "3.19", sharing=CostSharing(percent, by_category), scope=SCOPE)
                self.stands = [builders.stand(work, str(n), area="10").id for n in (1, 2)]
                work.commit()
            assert self.deal.closing.settlement_ends == SETTLEMENT_ENDS
            self.shadow = Shadow(Fraction(percent),
                                 {k: Fraction(v) for k, v in by_category.items()})
            if head_start:  # credits and emissions to retire against, so retirements land
                self.certify(2009, 300_000)
                self.record_emission(2010, ACTIVITIES[0], 1_200_000, False, None)

        def teardown(self) -> None:
            self.example.rollback()

        def attempt(self, label: str, action: Callable[[UnitOfWork], Any]
                    ) -> tuple[Any, OffsetError | None]:
            """Run one use case; a refusal must leave the journal exactly as it was."""
            try:
                with uow() as work:
                    done = action(work)
                    work.commit()
            except OffsetError as refused:
                event(f"{label}: refused ({type(refused).__name__})")
                with uow(read_only=True) as work:
                    assert ledger.verify(work, [self.deal.id]).entry_count == len(self.order)
                return None, refused
            event(f"{label}: posted")
            return done, None

        def posted(self, entry_id: int, kind: str, fy: int, **data: Any) -> None:
            self.order.append(entry_id)
            self.shadow.add(entry_id, kind, fy, **data)

        # Forestry.

        @rule(stand=st.sampled_from([0, 1]), fy=years,
              area=st.sampled_from(["1", "2.5", "4", "6"]))
        def log_thinning(self, stand: int, fy: int, area: str) -> None:
            assume(not self.closed(fy))  # write_into_closed_year tries those
            hectares = Fraction(area)
            credited = [y for y in FYS if fy <= y < fy + WINDOW]
            over = any(self.shadow.credited_area(stand, y) + hectares > STAND_HA
                       for y in credited)
            draft = builders.thinning(self.deal.id, self.stands[stand], area, fy)
            logged, refused = self.attempt(
                "thinning", lambda work: thinnings.log_thinning(work, self.deal, draft, "forestry",
                                                                today=LATER))
            if over:
                assert isinstance(refused, DoubleCounting), refused
                return
            assert refused is None, refused
            self.shadow.thinnings.append((stand, fy, hectares))
            years_estimated = [y for y in credited if not self.shadow.is_certified(y)]
            assert [e.entry.fiscal_year for e in logged.estimates] == years_estimated
            for entry in logged.estimates:
                self.posted(entry.id, "estimate", entry.entry.fiscal_year,
                            tonnes=Fraction(half_even(hectares * RATE, 3)))

        @rule(fy=years, kg=st.integers(1, 1_000_000))
        def certify(self, fy: int, kg: int) -> None:
            assume(not self.closed(fy))  # write_into_closed_year tries those
            tonnes = Fraction(kg, 1000)
            cleared = self.shadow.pending(fy)  # the certification replaces the year's estimate
            issued, refused = self.attempt("certify", lambda work: certification.certify(
                work, self.deal, builders.certificate(str(half_even(tonnes, 3)), fy), "admin"))
            if self.shadow.is_certified(fy):
                assert isinstance(refused, AlreadyCertified), refused
                return
            assert refused is None, refused
            assert Decimal(issued.entry.details["estimated"]) == half_even(cleared, 3)
            self.posted(issued.id, "certification", fy, tonnes=tonnes, cleared=cleared)

        # Money.

        @rule(**COST)
        def record_cost(self, fy: int, category: str, amount: int, bearer: str | None,
                        paid: int | None = None) -> None:
            assume(not self.closed(fy))  # write_into_closed_year tries those
            given = builders.cost(amount, fy, category, bearer=bearer)
            if paid is not None:
                given = replace(given, incurred_on=settlement_day(fy, paid))
            entry, refused = self.attempt(
                "cost", lambda work: money.record_cost(work, self.deal, given, "urban"))
            if self.paid_too_late(fy, paid, refused, "incurred_on"):
                return
            assert refused is None, refused
            shares = self.shadow.shares(category, amount, bearer)
            assert sum(shares.values()) == amount
            self.posted(entry.id, "cost", fy, category=category, amount=amount,
                        shares={s: Fraction(v) for s, v in shares.items() if v})

        @rule(**SUBSIDY)
        def record_subsidy(self, fy: int, scheme: str, recipient: str, amount: int,
                           funds: int | None, paid: int | None = None) -> None:
            assume(not self.closed(fy))  # write_into_closed_year tries those
            costs = [i for i, f in self.shadow.facts.items() if f.kind == "cost"]
            cost_id = costs[funds % len(costs)] if funds is not None and costs else None
            given = builders.subsidy(amount, fy, scheme, recipient=recipient,
                                     funds=() if cost_id is None else (cost_id,))
            if paid is not None:
                given = replace(given, received_on=settlement_day(fy, paid))
            entry, refused = self.attempt(
                "subsidy", lambda work: money.record_subsidy(work, self.deal, given, "urban"))
            if self.paid_too_late(fy, paid, refused, "received_on"):
                return
            if cost_id is not None:
                cost = self.shadow.facts[cost_id]
                if not cost.live:
                    assert isinstance(refused, InvalidInput), refused
                    assert refused.field == "funds_cost_ids"
                    return
                funded = amount + sum(f.data["amount"] for _, f in self.shadow.live("subsidy")
                                      if cost_id in f.data["funds"])
                if funded > cost.data["amount"]:
                    assert isinstance(refused, SubsidyExceedsCosts), refused
                    assert (refused.field, refused.requested, refused.cap) == (
                        "amount", funded, cost.data["amount"]), refused
                    return
            if cost_id is None or self.shadow.unnamed(fy, recipient):
                # Capped by the recipient's costs of the year not yet funded.
                unfunded = self.shadow.unfunded(fy, recipient)
                if amount > unfunded:
                    assert isinstance(refused, SubsidyExceedsCosts), refused
                    assert (refused.requested, refused.cap) == (amount, max(unfunded, 0))
                    return
            assert refused is None, refused
            self.posted(entry.id, "subsidy", fy, scheme=scheme, recipient=recipient,
                        amount=Fraction(amount), funds={cost_id} - {None})

        @rule(**TIMBER)
        def sell_timber(self, fy: int, volume: Decimal, price: int, recipient: str,
                        paid: int | None = None) -> None:
            assume(not self.closed(fy))  # write_into_closed_year tries those
            total = Fraction(volume) * price
            whole = total.numerator // total.denominator  # rounded down to the yen
            given = builders.timber_sale(str(volume), price, fy, recipient=recipient)
            if paid is not None:
                given = replace(given, sold_on=settlement_day(fy, paid))
            entry, refused = self.attempt(
                "timber", lambda work: money.record_timber_sale(work, self.deal, given, "forestry"))
            if self.paid_too_late(fy, paid, refused, "sold_on"):
                return
            if whole == 0:
                assert isinstance(refused, InvalidInput) and refused.field == "total", refused
                return
            assert refused is None, refused
            assert entry.entry.details["total"] == str(whole)
            self.posted(entry.id, "timber", fy, recipient=recipient, total=Fraction(whole))

        # The settlement period (出納整理期間).

        def settlement_end(self, fy: int) -> date:
            return date(fy + 1, *SETTLEMENT_ENDS)

        def paid_too_late(self, fy: int, paid: int | None, refused: OffsetError | None,
                          field: str) -> bool:
            """Return whether a payment `paid` days into the settlement period of FY `fy` was
            dated after it, asserting then that it was refused naming its date `field`."""
            if paid is None or settlement_day(fy, paid) <= self.settlement_end(fy):
                return False
            assert isinstance(refused, OutsideFiscalYear) and refused.field == field, refused
            assert (refused.fiscal_year, refused.latest) == (fy, self.settlement_end(fy))
            return True

        @rule(payment=st.sampled_from(["cost", "subsidy", "timber"]), paid=settlement_days,
              data=st.data())
        def pay_in_settlement(self, payment: str, paid: int, data: st.DataObject) -> None:
            """A payment of a year that has ended, dated in its settlement period (or on the
            day after it): the money rules apply as in the year, and it counts in that year."""
            record, arguments = {"cost": (self.record_cost, COST),
                                 "subsidy": (self.record_subsidy, SUBSIDY),
                                 "timber": (self.sell_timber, TIMBER)}[payment]
            record(**data.draw(st.fixed_dictionaries(arguments)), paid=paid)

        @rule(fy=years, days=st.integers(0, 60),
              what=st.sampled_from(["thinning", "late thinning", "emission"]))
        def work_in_settlement(self, fy: int, days: int, what: str) -> None:
            """On a day of FY `fy`'s settlement period, its work and emissions are refused:
            work done in the year comes too late to log, work finished since is not the
            year's."""
            assume(not self.closed(fy))  # write_into_closed_year tries those
            today = settlement_day(fy, days)
            label = f"{what} in the settlement period"
            if what == "emission":
                given = builders.emission("1000 kWh", fy)
                _, refused = self.attempt(label, lambda work: emissions.record_emission(
                    work, self.deal, given, "urban", today=today))
            else:
                draft = builders.thinning(self.deal.id, self.stands[days % 2], "1", fy,
                                          finished_on=today if what == "late thinning" else None)
                _, refused = self.attempt(label, lambda work: thinnings.log_thinning(
                    work, self.deal, draft, "forestry", today=today))
            if what == "late thinning":
                assert isinstance(refused, InvalidWork) and refused.field == "finished_on"
            else:
                assert isinstance(refused, PeriodSettling), refused
                assert (refused.fiscal_year, refused.settlement_ends_on) == (
                    fy, self.settlement_end(fy))
            with uow(read_only=True) as work:
                status = closing.year_status(work, self.deal, fy, today=today)
            assert (status.state, status.settlement_ends_on) == (
                YearState.SETTLING, self.settlement_end(fy))

        # Emissions and retirement.

        @rule(fy=years, activity=activities, bigger=st.booleans(),
              amount=st.one_of(activity_amounts, st.integers(100_000, 5_000_000)),
              scope=st.sampled_from([None, SCOPE, "all ward emissions"]))
        def record_emission(self, fy: int, activity: tuple[Any, ...], amount: int,
                            bigger: bool, scope: str | None) -> None:
            assume(not self.closed(fy))  # write_into_closed_year tries those
            kind, factor_set, factor, unit, (big_unit, size) = activity
            text = (f"{Decimal(amount) / size} {big_unit}" if bigger
                    else f"{amount} {unit}")
            tonnes = Fraction(half_even(amount * Fraction(factor), 3))
            given = builders.emission(text, fy, kind, factor_set, scope=scope)
            entry, refused = self.attempt(
                "emission", lambda work: emissions.record_emission(work, self.deal, given, "urban",
                                                                   today=LATER))
            if scope not in (None, SCOPE):
                assert isinstance(refused, InvalidInput) and refused.field == "scope", refused
                return
            if tonnes == 0:
                assert isinstance(refused, InvalidInput) and refused.field == "activity"
                return
            assert refused is None, refused
            assert Decimal(entry.entry.details["tonnes"]) == half_even(tonnes, 3)
            self.posted(entry.id, "emission", fy, activity=kind, tonnes=tonnes)

        @rule(fy=years, kg=st.integers(1, 600_000), fit=st.booleans(),
              vintage=st.one_of(st.none(), years))
        def retire(self, fy: int, kg: int, fit: bool, vintage: int | None) -> None:
            assume(not self.closed(fy))  # write_into_closed_year tries those
            shadow = self.shadow
            if fit:  # aim at a year that has both emissions left and eligible credits
                fits = [y for y in FYS if not self.closed(y)
                        and shadow.emitted(y) > shadow.retired(y)
                        and any(shadow.available(v) > 0 for v in FYS if v <= y)]
                fy = fits[kg % len(fits)] if fits else fy
            eligible = {v: shadow.available(v) for v in FYS
                        if v <= fy and (vintage is None or v == vintage)
                        and shadow.available(v) > 0}
            left = shadow.emitted(fy) - shadow.retired(fy)
            tonnes = Fraction(kg, 1000)
            if fit and min(left, sum(eligible.values())) > 0:
                tonnes = min(tonnes, left, sum(eligible.values()))
            entry, refused = self.attempt("retire", lambda work: emissions.retire(
                work, self.deal,
                builders.retirement(str(half_even(tonnes, 3)), fy, vintage=vintage), "urban"))
            if tonnes > left:  # more than the year's emissions not yet offset
                assert isinstance(refused, EmissionsExceeded), refused
                assert (refused.fiscal_year, refused.requested) == (
                    fy, half_even(tonnes, 3)), refused
                assert refused.unoffset == half_even(left, 3), refused
                return
            if vintage is not None and vintage > fy:  # the vintage rule
                assert isinstance(refused, InvalidInput) and refused.field == "vintage"
                return
            if tonnes > sum(eligible.values()):  # more than the certified balance
                assert isinstance(refused, CreditsInsufficient), refused
                assert refused.available == half_even(sum(eligible.values()), 3), refused
                return
            assert refused is None, refused
            drawn, wanted = {}, tonnes
            for v in sorted(eligible):  # oldest eligible vintage first
                if wanted > 0:
                    drawn[v] = min(eligible[v], wanted)
                    wanted -= drawn[v]
            assert {int(y): Decimal(t) for y, t in entry.entry.details["vintages"].items()} == {
                y: half_even(t, 3) for y, t in drawn.items()}
            self.posted(entry.id, "retirement", fy, tonnes=tonnes, vintages=drawn)

        # Corrections.

        # Half the corrections close the years through their entry's first, so that they
        # are prior-period adjustments: a year tends to close before much is dated into it,
        # so a pick among the entries of closed years would seldom reach any but a few.
        @rule(pick=st.integers(0, 10**6), close_first=st.booleans())
        def reverse(self, pick: int, close_first: bool) -> None:
            facts = self.shadow.facts
            targets = [i for i in self.order if facts[i].live
                       and facts[i].kind not in UNCORRECTABLE] if close_first else self.order
            if not targets:
                return
            target_id = targets[pick % len(targets)]
            while close_first and not self.closed(facts[target_id].fy):
                self.close_next_year()
            target = facts[target_id]
            why = self.refusal(target_id, target)
            closed = self.closed(target.fy)
            done, refused = self.attempt(
                f"reverse {target.kind}" + (" of a closed year" if closed else ""),
                lambda work: correct(work, target_id, "state machine", "tester"))
            if why is not None:
                kind, words = why
                assert type(refused) is kind, (refused, why)
                assert words in str(refused), (refused, why)
                return
            assert refused is None, refused
            target.live = False
            if not closed:
                self.posted(done.id, "reversal", target.fy, reverses=target_id)
                return
            # A prior-period adjustment: the closed year keeps the entry, the first open year
            # takes its correction.
            assert self.closed_through is not None
            year = self.closed_through + 1
            adjustment = done.entry
            assert adjustment.kind is EntryKind.PRIOR_PERIOD_ADJUSTMENT, adjustment
            assert (adjustment.fiscal_year, adjustment.details["adjusts_fiscal_year"]) == (
                year, target.fy)
            assert adjustment.reverses is not None
            assert adjustment.reverses.entry_id == target_id
            assert date(year, 4, 1) <= adjustment.effective_date <= date(year + 1, 3, 31)
            target.adjusted_in = year
            self.posted(done.id, "adjustment", year, adjusts=target_id)
            with uow(read_only=True) as work:  # the closed year shows "adjusted later"
                status = closing.year_status(work, self.deal, target.fy, today=LATER)
            assert [(a.entry_id, a.fiscal_year, a.corrects_entry_id)
                    for a in status.adjusted_later] == self.shadow.adjustments_of(target.fy)

        def refusal(self, target_id: int, target: Fact) -> tuple[type, str] | None:
            """Return why the shadow expects a reversal of `target` to be refused."""
            shadow, fy = self.shadow, target.fy
            if target.kind == "reversal":
                return NotReversible, "is a reversal"
            if target.kind == "adjustment":
                return NotReversible, "is a prior-period-adjustment"
            if target.kind in ("period-close", "report-issue"):
                return NotReversible, f"is a {target.kind} memorandum"
            if not target.live:
                return AlreadyReversed, "already reversed"
            if target.kind == "certification" and shadow.drawn(fy) > 0:
                return CreditsRetired, "reverse those retirements first"
            if target.kind == "emission" and (
                    shadow.emitted(fy) - target.data["tonnes"] < shadow.retired(fy)):
                return EmissionsOffset, "reverse retirements first"
            if target.kind == "cost" and any(target_id in f.data["funds"]
                                             for _, f in shadow.live("subsidy")):
                return CostFunded, "reverse those subsidies first"
            if target.kind == "cost" and any(
                    shadow.unnamed(fy, side) and shadow.unfunded(fy, side, target_id) < 0
                    for side in target.data["shares"]):
                return CostFunded, "reverse those subsidies first"
            if target.kind == "estimate" and shadow.is_certified(fy):
                return EstimateCertified, "reverse the certification first"
            if self.closed(fy) and self.closed_through == FYS[-1]:
                # The adjustment would go to the year after the term, where no summary or
                # report would show it.
                return NoOpenYear, f"first open year, FY{FYS[-1] + 1}, which is outside"
            return None

        # Closing.

        def closed(self, fy: int) -> bool:
            return self.closed_through is not None and fy <= self.closed_through

        @rule()
        def close_next_year(self) -> None:
            year = FYS[0] if self.closed_through is None else self.closed_through + 1
            if year not in FYS:
                return
            done, refused = self.attempt("close", lambda work: closing.close_year(
                work, self.deal, year, "urban", today=LATER))
            assert refused is None, refused
            self.posted(done.entry.id, "period-close", year)
            for report in done.reports:
                self.posted(report.entry_id, "report-issue", year)
            self.closed_through = year
            self.closed_facts[year] = self.shadow.expected([year])
            with uow(read_only=True) as work:
                for report in done.reports:
                    pdf = documents.issued_pdf(work, self.deal, report.number)
                    assert hashlib.sha256(pdf).hexdigest() == report.sha256
                    self.issued[report.number] = pdf

        @rule(pick=st.integers(0, 10**6))
        def reissue(self, pick: int) -> None:
            in_force = sorted(set(self.issued) - self.replaced)
            if not in_force:
                return
            number = in_force[pick % len(in_force)]
            done, refused = self.attempt("reissue", lambda work: documents.reissue(
                work, self.deal, number, "誤記訂正 state machine", "urban"))
            assert refused is None, refused
            assert (done.replaces, done.number != number) == (number, True)
            self.posted(done.entry_id, "report-issue", done.fiscal_year)
            self.replaced.add(number)
            with uow(read_only=True) as work:
                self.issued[done.number] = documents.issued_pdf(work, self.deal, done.number)

        @rule(pick=st.integers(0, 10**6), amount=st.integers(1, 50_000_000))
        def write_into_closed_year(self, pick: int, amount: int) -> None:
            if self.closed_through is None:
                return
            fy = FYS[pick % (self.closed_through - FYS[0] + 1)]
            writes = [
                lambda work: money.record_cost(work, self.deal, builders.cost(amount, fy),
                                               "urban"),
                lambda work: emissions.record_emission(
                    work, self.deal, builders.emission(f"{amount} kWh", fy), "urban",
                    today=LATER),
                lambda work: thinnings.log_thinning(
                    work, self.deal, builders.thinning(self.deal.id, self.stands[0], "1", fy),
                    "forestry", today=LATER),
            ]
            _, refused = self.attempt("write into a closed year", writes[pick % len(writes)])
            assert isinstance(refused, PeriodClosed), refused
            assert (refused.fiscal_year, refused.closed_through) == (fy, self.closed_through)

        # Invariants.

        @invariant()
        def the_ledger_and_the_summaries_agree_with_the_shadow(self) -> None:
            if not hasattr(self, "deal"):
                return
            deal = self.deal
            with uow(read_only=True) as work:
                chain = list(work.journal.chain(deal.id))
                balances = ledger.balances(work, deal.id)
                verification = ledger.verify(work, [deal.id])
                summaries = {fy: fiscal_year_summary(work, deal, fy) for fy in FYS}
                term = term_summary(work, deal, 1)
                # The totals the write path keeps are the postings' sums, year by year.
                for fy in FYS:
                    assert work.journal.year_balances([deal.id], fy)[deal.id] == \
                        work.journal.balances(deal.id, fiscal_year=fy), fy
            assert verification.ok and verification.entry_count == len(self.order)
            assert [e.id for e in chain] == self.order
            for stored in chain:  # every entry balances per commodity
                totals: dict[Commodity, Decimal] = defaultdict(Decimal)
                for p in stored.entry.postings:
                    totals[p.commodity] += p.amount
                assert not any(totals.values()), stored
            tco2e = {name: a for (name, c), a in balances.items() if c is Commodity.TCO2E}
            held = tco2e.get(CERTIFIED, Decimal(0))
            retired = tco2e.get(emissions.RETIRED, Decimal(0))
            certified = -tco2e.get(CERTIFIED_SOURCE, Decimal(0))
            assert certified == held + retired
            assert Decimal(0) <= retired <= certified
            assert all(self.shadow.available(v) >= 0 for v in FYS)
            for fy, summary in summaries.items():
                facts = summary_facts(summary)
                assert facts["net"] == facts["emissions"] - facts["retired"]
                for side, side_net in facts["net_cost"].items():
                    assert side_net == (
                        sum(v for (_, s), v in facts["costs"].items() if s == side)
                        - sum(v for (_, s), v in facts["subsidies"].items() if s == side)
                        - facts["timber"].get(side, 0))
                expected = self.shadow.expected([fy])
                assert facts == expected, fy
                if compare_api is not None:
                    compare_api(deal.id, fy, expected)
            for fy, closed_facts in self.closed_facts.items():  # closed years never change
                assert summary_facts(summaries[fy]) == closed_facts, fy
            assert verification.heads[0].closed_through == self.closed_through
            with uow(read_only=True) as work:
                for number, pdf in self.issued.items():  # nor do their issued reports
                    assert documents.issued_pdf(work, deal, number) == pdf, number
            expected_term = self.shadow.expected(list(FYS))
            assert summary_facts(term) == expected_term
            if compare_api_term is not None:
                compare_api_term(deal.id, 1, expected_term)

    return AgreementLife


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, stateful_step_count=15, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow,
                                           HealthCheck.filter_too_much])


def test_any_life_of_an_agreement_keeps_the_shadows_summary(uow: UnitOfWorkFactory,
                                                             connection: Connection):
    run_state_machine_as_test(agreement_life(uow, connection), settings=_settings(12))


@pytest.mark.slow
def test_two_hundred_lives_of_an_agreement_keep_the_shadows_summary(
        uow: UnitOfWorkFactory, connection: Connection):
    run_state_machine_as_test(agreement_life(uow, connection), settings=_settings(100))
