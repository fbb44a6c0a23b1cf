"""Stands, thinning work, estimates, certification and adjustments, on SQLite and PostgreSQL.

One test per rule proves it holds through the SQL repositories; every rule is specified in
full on the in-memory unit of work in tests/unit/test_forestry_services.py.

Expected tonnes are worked out by hand (Fraction from the literal parameters of
offset/data/species_parameters.csv) and rounded half-even to the kilogram.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from offset.agreements.model import Agreement
from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.errors import OffsetError
from offset.forestry.certification import Certificate, certify
from offset.forestry.errors import AlreadyCertified, DoubleCounting, InvalidWork
from offset.forestry.estimates import explain, post_adjustment
from offset.forestry.model import ThinningInput
from offset.forestry.reference import load_parameter_set
from offset.forestry.stands import revise_stand
from offset.forestry.thinnings import log_thinning
from offset.ledger import services as ledger
from offset.ledger.model import Commodity, EntryKind, JournalEntry
from tests.builders import (
    CHIYODA,
    agreement,
    half_even,
    rate_agreement,
    shipped_data,
    stand,
    thinning,
)

# Sugi older than 20: BEF 1.23, R 0.25, D 0.314, CF 0.51 (t-C per m3 of stem), × 44/12.
SUGI_OLD = Fraction("1.23") * Fraction("1.25") * Fraction("0.314") * Fraction("0.51") * 44 / 12
# 5 ha of sugi growing 10 m3/ha/yr: 45.1394625 t-CO2/yr.
FIVE_HA_AT_10 = half_even(5 * 10 * SUGI_OLD)
ESTIMATED, CERTIFIED = ("Assets:Carbon:Estimated", Commodity.TCO2E_EST), (
    "Assets:Carbon:Certified", Commodity.TCO2E)


def balance(work: UnitOfWork, agreement_id: int, fiscal_year: int,
            account: tuple[str, Commodity]) -> Decimal:
    return ledger.balances(work, agreement_id, fiscal_year=fiscal_year).get(account, Decimal(0))


def tonnes(entry: JournalEntry) -> Decimal:
    return sum((p.amount for p in entry.entry.postings
                if (p.account, p.commodity) == ESTIMATED), Decimal(0))




# Stands.

def test_a_revised_stand_keeps_its_earlier_version(uow: UnitOfWorkFactory):
    with uow() as work:
        first = stand(work, area="10", planting_year=1970)
        revised = revise_stand(work, first, replace(first.current, area_ha=Decimal(12),
                                                             site_class=1), "forestry-office")
        assert (revised.id, revised.version) == (first.id, 2)
        assert work.forestry.stand(first.id).current.area_ha == 12
        assert work.forestry.stand(first.id, version=1) == first
        assert work.forestry.stand(first.id, version=2) == revised




def test_an_unknown_species_is_refused(uow: UnitOfWorkFactory):
    with uow() as work, pytest.raises(InvalidWork) as refused:
        stand(work, species="yew")
    assert refused.value.field == "species"


# Estimates posted when work is logged.

def test_work_is_credited_for_every_year_of_its_window(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work, terms=((2009, 2013),), window=5)
        logged = log_thinning(work, deal, thinning(
            deal.id, stand(work, measured_growth="10").id, "5"), "office")
        entries = logged.estimates
        assert [e.entry.fiscal_year for e in entries] == [2009, 2010, 2011, 2012, 2013]
        assert {e.entry.kind for e in entries} == {EntryKind.ESTIMATE}
        assert [tonnes(e) for e in entries] == [FIVE_HA_AT_10] * 5
        details = entries[0].entry.details
        assert details["method"] == "national-inventory"
        assert details["parameter_set"] == "jp-nir-default@1"
        assert details["thinning_id"] == logged.thinning.id
        assert details["tonnes"] == str(FIVE_HA_AT_10)
        assert dict(details["inputs"])["growth"] == "10"  # the measured growth, as given




def test_the_yield_table_gives_each_year_its_own_age_class(uow: UnitOfWorkFactory):
    # Sugi, site class 2, planted 1970: FY2009 age 40 (class 8), FY2010 age 41 (class 9).
    # V from offset/data/yield_table_illustrative.csv: V(8)=354.5, V(9)=412.5, V(10)=466.8.
    with uow() as work:
        deal = agreement(work, terms=((2009, 2010),))
        logged = log_thinning(work, deal, thinning(
            deal.id, stand(work, planting_year=1970, site_class=2).id, "2.5"), "office")
        fy2009 = half_even(Fraction("2.5") * (Fraction("412.5") - Fraction("354.5")) / 5
                           * SUGI_OLD)
        fy2010 = half_even(Fraction("2.5") * (Fraction("466.8") - Fraction("412.5")) / 5
                           * SUGI_OLD)
        assert [tonnes(e) for e in logged.estimates] == [fy2009, fy2010]
        assert fy2009 == Decimal("26.181")


def test_the_per_area_rate_posts_area_times_rate(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = rate_agreement(work, "3.19")
        logged = log_thinning(work, deal, thinning(
            deal.id, stand(work, area="150").id, "142.90"), "office")
        assert [tonnes(e) for e in logged.estimates] == [Decimal("455.851")] * 5
        assert logged.estimates[0].entry.details["method"] == "per-area-rate"


# Refusals write nothing.

Draft = Callable[[UnitOfWork, Agreement], ThinningInput]


def _on_own_stand(**changes: object) -> Draft:
    def make(work: UnitOfWork, deal: Agreement) -> ThinningInput:
        return replace(thinning(deal.id, stand(work, "9", area="10").id), **changes)
    return make




def _credited_elsewhere(work: UnitOfWork, deal: Agreement) -> ThinningInput:
    other = agreement(work, CHIYODA)  # Chiyoda and Ina, FY2009–2013
    shared = stand(work, "9", area="10")
    log_thinning(work, other, thinning(other.id, shared.id, "3", 2009), "office")
    return thinning(deal.id, shared.id, "3", 2011)


# One refusal per rule (the work's own checks; no double counting across agreements): the
# whole table is specified on the fake in tests/unit/test_forestry_services.py.
REFUSALS: list[tuple[str, Draft, type[OffsetError], str]] = [
    ("more than the stand", _on_own_stand(area_ha=Decimal("10.0001")), InvalidWork, "area"),
    ("credited to another agreement", _credited_elsewhere, DoubleCounting, "stand_id"),
]


@pytest.mark.parametrize(("draft", "error", "field"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])
def test_refused_work_writes_nothing(uow: UnitOfWorkFactory, draft: Draft,
                                     error: type[OffsetError], field: str):
    with uow() as work:
        deal = agreement(work)
        refused_work = draft(work, deal)
        work.commit()
    with uow(read_only=True) as work:
        before = (work.forestry.thinnings(deal.id), ledger.verify(work).entry_count)
    with uow() as work, pytest.raises(error) as refused:
        log_thinning(work, deal, refused_work, "office")
        work.commit()
    assert refused.value.field == field
    with uow(read_only=True) as work:
        assert (work.forestry.thinnings(deal.id), ledger.verify(work).entry_count) == before




# Certification.

def _logged(work: UnitOfWork) -> Agreement:
    deal = agreement(work)
    log_thinning(work, deal, thinning(
        deal.id, stand(work, measured_growth="10").id, "5"), "office")
    return deal


def _certificate(fiscal_year: int = 2009, certified: str = "40.000") -> Certificate:
    return Certificate(fiscal_year, Decimal(certified), "長野県", "N-2009-001",
                                date(2010, 6, 1), Decimal("5"))


def test_certification_replaces_the_years_estimate(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = _logged(work)
        issued = certify(work, deal, _certificate(2009, "40.000"), "admin")
        assert balance(work, deal.id, 2009, ESTIMATED) == 0
        assert balance(work, deal.id, 2009, CERTIFIED) == Decimal("40.000")
        assert balance(work, deal.id, 2010, ESTIMATED) == FIVE_HA_AT_10  # other years stay
        details = issued.entry.details
        assert (details["certified"], details["estimated"]) == ("40.000", "45.139")
        assert details["difference"] == "-5.139"  # certified − estimated
        assert all(e.entry.reverses is None for e in work.journal.chain(deal.id))


def test_a_second_certification_is_refused(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = _logged(work)
        first = certify(work, deal, _certificate(), "admin")
        count = ledger.verify(work).entry_count
        with pytest.raises(AlreadyCertified) as refused:
            certify(work, deal, _certificate(certified="41"), "admin")
        assert (refused.value.entry_id, refused.value.field) == (first.id, "fiscal_year")
        assert ledger.verify(work).entry_count == count






# Explaining and adjusting after a new parameter set.

def _denser_sugi() -> str:
    """The shipped set as version 2-test, with sugi's wood density 0.314 → 0.350."""
    text = shipped_data("species_parameters.csv")
    changed = text.replace("# version: 1", "# version: 2-test").replace(
        "sugi,スギ,Japanese cedar (Cryptomeria japonica),0.314,",
        "sugi,スギ,Japanese cedar (Cryptomeria japonica),0.350,")
    assert changed.count("0.350") == 1 and "2-test" in changed
    return changed


def test_explain_recomputes_and_the_adjustment_posts_exactly_the_difference(
        uow: UnitOfWorkFactory):
    denser = half_even(5 * 10 * Fraction("1.23") * Fraction("1.25") * Fraction("0.350")
                       * Fraction("0.51") * 44 / 12)
    assert denser == Decimal("50.315")  # 50 × 1.23 × 1.25 × 0.350 × 0.51 × 44/12
    with uow() as work:
        deal = _logged(work)
        before = list(work.journal.chain(deal.id))
        loaded = load_parameter_set(work, _denser_sugi())
        assert loaded.label == "jp-nir-default@2-test"
        assert list(work.journal.chain(deal.id)) == before  # loading rewrites nothing

        found = explain(work, deal, 2009, "jp-nir-default@2-test")
        assert found.parameter_set == "jp-nir-default@2-test"
        assert [e.tonnes for _, _, e in found.lines] == [denser]
        rows = {r.name: r.value for r in found.lines[0][2].rows}
        assert rows["D wood density"] == Decimal("0.35")
        assert (found.posted, found.expected) == (FIVE_HA_AT_10, denser)

        adjustment = post_adjustment(work, deal, 2009, "jp-nir-default@2-test",
                                              "office")
        assert adjustment is not None
        assert adjustment.entry.kind is EntryKind.ESTIMATE_ADJUSTMENT
        assert tonnes(adjustment) == denser - FIVE_HA_AT_10 == Decimal("5.176")
        assert balance(work, deal.id, 2009, ESTIMATED) == denser
        assert balance(work, deal.id, 2010, ESTIMATED) == FIVE_HA_AT_10
        assert explain(work, deal, 2009, "jp-nir-default@2-test").difference == 0
        assert post_adjustment(work, deal, 2009, "jp-nir-default@2-test",
                                        "office") is None






