"""The in-memory unit of work keeps the repositories' contract as the SQL one does.

The unit tests specify the use cases on tests/fakes.py; these tests hold the fake to the
behaviour those rules rely on, by asking the same things of it and of SQLite and PostgreSQL
and stating the one expected answer by hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from offset.access.model import Role
from offset.agreements.model import Term
from offset.corrections import correct
from offset.documents import services as documents
from offset.documents.errors import AlreadyReplaced, ReportNotIssued
from offset.documents.model import DocumentKind
from offset.emissions.errors import FactorNotFound
from offset.errors import AlreadyExists, NotFound, OffsetError
from offset.forestry.certification import certify
from offset.forestry.model import StandVersion
from offset.forestry.thinnings import log_thinning
from offset.ledger import services as ledger
from offset.ledger.chain import extend, sealed_of
from offset.ledger.model import Commodity, Entry, EntryKind
from offset.ports import UnitOfWork
from offset.reference_data import load_shipped
from tests.builders import INA, agreement, certificate, cost_entry, party, stand, thinning
from tests.fakes import FakeDatabase

Factory = Callable[..., UnitOfWork]
ESTIMATED = ("Assets:Carbon:Estimated", Commodity.TCO2E_EST)
CERTIFIED = ("Assets:Carbon:Certified", Commodity.TCO2E)


@pytest.fixture(params=["sql", "fake"])
def units(request: pytest.FixtureRequest, backend: str) -> Factory:
    """Units of work on the test's database (SQLite and PostgreSQL), or on the fake.

    The fake needs no backend; it depends on one only so that the SQL unit of work can be
    asked for here (it runs beside each, which costs milliseconds).
    """
    if request.param == "sql":
        return request.getfixturevalue("uow")  # type: ignore[no-any-return]
    database = FakeDatabase()
    with database() as work:
        load_shipped(work)
        work.commit()
    return database


def test_balances_name_every_account_with_postings_even_at_zero(units: Factory):
    with units() as work:
        deal = agreement(work)
        log_thinning(work, deal, thinning(deal.id, stand(work, measured_growth="10").id),
                     "office")
        certify(work, deal, certificate("40", 2009), "admin")  # clears FY2009's 45.139 t-est
        fy2009 = ledger.balances(work, deal.id, fiscal_year=2009)
        assert fy2009[ESTIMATED] == 0 and fy2009[CERTIFIED] == Decimal("40.000")
        first = ledger.balances(work, deal.id, as_of_seq=1)  # the FY2009 estimate only
        assert first == {ESTIMATED: Decimal("45.139"),
                         ("Income:Carbon:Estimated", Commodity.TCO2E_EST):
                         Decimal("-45.139")}


def test_balances_by_year_are_each_years_balances_read_at_once(units: Factory):
    with units() as work:
        deal = agreement(work)
        first, _ = ledger.post(work, [cost_entry(deal.id, 100, 2009),
                                      cost_entry(deal.id, 30, 2011)])
        by_year = ledger.balances_by_year(work, deal.id, 2009, 2012)
        at_first = ledger.balances_by_year(work, deal.id, 2009, 2011, as_of_seq=first.seq)
    cost = ("Expenses:Thinning", Commodity.JPY)
    assert list(by_year) == [2009, 2010, 2011, 2012]
    assert by_year[2009][cost] == 100 and by_year[2011][cost] == 30
    assert by_year[2010] == {} and by_year[2012] == {}
    assert at_first[2009][cost] == 100 and at_first[2011] == {}


def test_the_chain_as_verifying_reads_it_is_each_entry_and_the_bytes_its_hash_covers(
        units: Factory):
    with units() as work:
        deal = agreement(work)
        posted = ledger.post(work, [cost_entry(deal.id, 1_200, 2009, tonnes="1.5"),
                                    cost_entry(deal.id, 30, 2010)])
        undone = ledger.reverse(work, posted[0].id, "typed the wrong lot", "tester")
        sealed = list(work.journal.sealed(deal.id, batch=2))  # two pages and a bit
        whole = list(work.journal.chain(deal.id))
    assert [s.id for s in sealed] == [posted[0].id, posted[1].id, undone.id]
    assert [s.reverses_id for s in sealed] == [None, None, posted[0].id]
    assert sealed == [sealed_of(e) for e in whole]
    assert all(hashlib.sha256(s.content).hexdigest() == s.hash for s in sealed)


def test_live_entries_leave_out_the_reversed_and_chains_verify(units: Factory):
    with units() as work:
        deal = agreement(work)
        log_thinning(work, deal, thinning(deal.id, stand(work, measured_growth="10").id),
                     "office")
        issued = certify(work, deal, certificate("40", 2009), "admin")
        undone = correct(work, issued.id, "wrong certificate", "admin")
        assert work.journal.live(deal.id, 2009, [EntryKind.CERTIFICATION]) == []
        assert work.journal.reversal_ids([issued.id]) == {issued.id: undone.id}
        assert [e.seq for e in work.journal.page(deal.id, fiscal_year=2009, after_seq=1,
                                                 limit=5)] == [6, 7]  # certify, reverse
        assert [e.entry.fiscal_year for e in work.journal.live_of_kind(
            deal.id, [EntryKind.ESTIMATE])] == [2009, 2010, 2011, 2012, 2013]
        checked = ledger.verify(work, [deal.id])
        assert checked.ok and checked.entry_count == 7


def test_points_of_a_chain_bound_pages_reversals_and_thinnings(units: Factory):
    with units() as work:
        deal = agreement(work)
        first = log_thinning(work, deal, thinning(deal.id, stand(work).id, "2", 2009),
                             "office").estimates[-1]
        second = log_thinning(work, deal, thinning(deal.id, stand(work, "2").id, "3", 2010),
                              "office").estimates[-1]
        reversal = correct(work, first.id, "logged twice", "office")
        j = work.journal
        assert j.entry_at(deal.id, first.seq) == first
        assert j.seq_at(deal.id, first.recorded_at) == first.seq
        assert j.seq_at(deal.id, reversal.recorded_at) == reversal.seq
        assert [e.id for e in j.page(deal.id, fiscal_year=None, after_seq=0, limit=99,
                                     up_to_seq=second.seq)][-1] == second.id
        assert j.reversal_ids([first.id], up_to_seq=second.seq) == {}
        assert j.reversal_ids([first.id], up_to_seq=reversal.seq) == {first.id: reversal.id}
        assert len(work.forestry.thinnings(deal.id, recorded_until=first.recorded_at)) == 1
        assert len(work.forestry.thinnings(deal.id, recorded_until=reversal.recorded_at)) == 2
        with pytest.raises(NotFound):
            j.entry_at(deal.id, reversal.seq + 1)


def test_stands_keep_their_versions_and_work_its_window(units: Factory):
    with units() as work:
        deal = agreement(work, window=3)
        first = stand(work, area="10")
        work.forestry.add_stand_version(first.id, StandVersion(Decimal(12), "sugi", 1970, 1),
                                        "office")
        assert [work.forestry.stand(first.id, v).current.area_ha for v in (1, 2)] == [10, 12]
        assert [s.version for s in work.forestry.stands(first.forest_party_id)] == [2]
        logged = log_thinning(work, deal, thinning(deal.id, first.id, "5", 2010), "office")
        assert work.forestry.thinnings_of_stand(first.id) == [(logged.thinning, 3)]
        assert work.forestry.thinnings_crediting(deal.id, 2012, 3) == [logged.thinning]
        assert work.forestry.thinnings_crediting(deal.id, 2013, 3) == []


MISSING: list[tuple[str, Callable[[UnitOfWork], object], type[OffsetError], str]] = [
    ("agreement", lambda w: w.agreements.agreement(10**9), NotFound, "agreement_id"),
    ("party", lambda w: w.agreements.party(10**9), NotFound, "party_id"),
    ("party code", lambda w: w.agreements.party_by_code("999999"), NotFound, "party"),
    ("chain", lambda w: w.journal.lock_head(10**9), NotFound, "agreement_id"),
    ("entry", lambda w: w.journal.get(10**9), NotFound, "entry_id"),
    ("stand", lambda w: w.forestry.stand(10**9), NotFound, "stand_id"),
    ("thinning", lambda w: w.forestry.thinning(10**9), NotFound, "thinning_id"),
    ("parameter set", lambda w: w.forestry.parameter_set("nope"), NotFound, "parameters"),
    ("yield table", lambda w: w.forestry.yield_table("nope"), NotFound, "yield_table"),
    ("user", lambda w: w.access.user_by_name("nobody"), NotFound, "name"),
    ("factor set", lambda w: w.emissions.factor("nope", "electricity"), FactorNotFound,
     "factor_set"),
    ("factor", lambda w: w.emissions.factor("jp-2010", "whale_oil"), FactorNotFound,
     "activity_type"),
]


def test_what_is_missing_is_refused_naming_the_field(units: Factory):
    with units() as work:
        for what, ask, error, field in MISSING:
            with pytest.raises(error) as refused:
                ask(work)
            assert (type(refused.value), refused.value.field) == (error, field), what


def test_what_is_taken_is_refused_naming_the_field(units: Factory):
    with units() as work:
        deal = agreement(work)
        taken: list[tuple[Callable[[], object], str]] = [
            (lambda: work.agreements.add_party(*INA), "code"),
            (lambda: work.agreements.add_term(deal.id, Term(1, 2014, 2018)), "terms"),
            (lambda: stand(work) and stand(work), "stand_number"),
            (lambda: work.forestry.add_parameter_set(work.forestry.parameter_set()), "version"),
            (lambda: work.emissions.add_factor_sets(
                {"jp-2010": {f.activity: f for f in work.emissions.factors()
                             if f.set_id == "jp-2010"}}), "set"),
            (lambda: [work.access.add_user("auditor", Role.AUDITOR, None, [deal.id])
                      for _ in range(2)], "name"),
        ]
        for attempt, field in taken:
            with pytest.raises(AlreadyExists) as refused:
                attempt()
            assert refused.value.field == field


def test_only_a_commit_keeps_writes(units: Factory):
    with units() as work:
        kept = party(work, INA)
        work.commit()
    with units() as work:
        party(work, ("131016", "千代田区", "Chiyoda City"))  # left without commit
    with units(read_only=True) as work:
        assert [p.code for p in work.agreements.parties()] == [kept.code]
        assert work.forestry.parameter_set().label == "jp-nir-default@1"  # shipped, kept


def test_the_register_links_reissues_and_counts_issues_per_year(units: Factory):
    with units() as work:
        deal = agreement(work)
        ledger.post(work, [cost_entry(deal.id, 1200), Entry(
            deal.id, 2009, EntryKind.PERIOD_CLOSE, date(2010, 5, 31), "FY2009 closed", (),
            recorded_by="test")])
        first = documents.issue_annual(work, deal, 2009, "closing",
                                       now=datetime(2010, 6, 1, tzinfo=UTC))
        second = documents.reissue(work, deal, first.number, "typo", "urban",
                                   now=datetime(2010, 6, 2, tzinfo=UTC))
        work.commit()
    with units(read_only=True) as work:
        rows = documents.register(work, deal)
        assert [(r.number, r.replaces, r.replaced_by) for r in rows] == [
            ("2010-新伊-001", None, "2010-新伊-002"), ("2010-新伊-002", "2010-新伊-001", None)]
        assert work.documents.current(deal.id, DocumentKind.ANNUAL, 2009) == rows[1]
        assert work.documents.current(deal.id, DocumentKind.TERM, 1) is None
        start, end = datetime(2010, 6, 1, tzinfo=UTC), datetime(2010, 6, 2, tzinfo=UTC)
        assert work.documents.issued_between(deal.id, start, end) == 1  # the end is open
        assert documents.issued_report(work, deal, second.number) == rows[1]
        with pytest.raises(ReportNotIssued):
            documents.issued_pdf(work, deal, "2010-新伊-003")
    with units() as work, pytest.raises(AlreadyReplaced):
        documents.reissue(work, deal, first.number, "again", "urban")


def test_the_years_closed_at_a_point_are_those_its_period_close_entries_closed(
        units: Factory):
    with units() as work:
        deal = agreement(work).id
        head = work.journal.heads([deal])[0]
        close = replace(cost_entry(deal, 100, 2009), kind=EntryKind.PERIOD_CLOSE)
        for entry in (cost_entry(deal, 100, 2009), close, cost_entry(deal, 200, 2010)):
            links, head = extend(head, [entry], datetime.now(UTC))
            work.journal.append_chains([(links, head)])
        assert [work.journal.closed_through_at(deal, n) for n in range(4)] == [
            None, None, 2009, 2009]
