"""What the chain alone cannot see, verify sees: forestry rows edited behind offset's back, and
a chain cut short with its head rewound below an anchor (on SQLite and PostgreSQL).

Every figure read from a broken agreement says so: its summaries carry the break, its reports
print it on every page, and issuing from it is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from sqlalchemy import Connection, text

from offset import integrity
from offset.agreements.model import Agreement
from offset.db.uow import UnitOfWorkFactory
from offset.forestry.thinnings import Logged, log_thinning
from offset.ledger import services as ledger
from offset.ledger.errors import LedgerBroken
from offset.netting import services as netting
from reports.builder import build_annual
from reports.render import render_pdf
from tests.builders import agreement, cost_entry, stand, thinning


@pytest.fixture(autouse=True)
def _no_cached_verdicts() -> Iterator[None]:
    # Each test's database is new, but agreement ids repeat: start every test uncached.
    integrity.forget()
    yield
    integrity.forget()


@dataclass(frozen=True)
class World:
    deal: Agreement
    logged: Logged  # 2 ha on a 10 ha sugi stand of site class 2, FY2009, 5 estimates


def world(uow: UnitOfWorkFactory) -> World:
    with uow() as work:
        deal = agreement(work, terms=((2009, 2013),), window=5)
        ledger.post(work, [cost_entry(deal.id, 1_000_000)])
        logged = log_thinning(work, deal, thinning(deal.id, stand(work).id, "2"), "office")
        work.commit()
    return World(deal, logged)


def unguard(connection: Connection) -> None:
    """Switch the journal's append-only triggers off for this test's transaction only."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        return
    for table in ("entries", "postings"):
        for action in ("update", "delete"):
            connection.execute(text(f"DROP TRIGGER {table}_{f'no_{action}'}"))


def verdict(uow: UnitOfWorkFactory, deal: Agreement) -> integrity.Integrity:
    with uow(read_only=True) as work:
        found = integrity.verify(work, [deal.id])
    assert len(found.heads) == 1
    return integrity.Integrity.of(found.breaks[0] if found.breaks else None)


def test_an_untouched_agreement_verifies_with_its_forestry_rows(uow: UnitOfWorkFactory):
    w = world(uow)
    assert verdict(uow, w.deal) == integrity.Integrity(True)
    with uow(read_only=True) as work:
        assert netting.fiscal_year_summary(work, w.deal, 2009).integrity.ok
        integrity.require_intact(work, w.deal)  # raises nothing


def test_a_thinning_area_multiplied_by_ten_is_named_with_the_entry(uow: UnitOfWorkFactory,
                                                                   connection: Connection):
    w = world(uow)
    connection.execute(text("UPDATE thinnings SET area_ha = area_ha * 10 WHERE id = :id"),
                       {"id": w.logged.thinning.id})
    with uow(read_only=True) as work:
        assert ledger.verify(work, [w.deal.id]).ok  # the chain alone sees nothing
    found = verdict(uow, w.deal)
    first = w.logged.estimates[0]
    assert (found.ok, found.first_bad_entry, found.seq) == (False, first.id, first.seq)
    assert found.reason == (f"thinning {w.logged.thinning.id} no longer matches entry "
                            f"{first.id}: area (ha) is 20, the entry recorded 2")


def test_a_stand_site_class_changed_is_named_with_the_entry(uow: UnitOfWorkFactory,
                                                            connection: Connection):
    w = world(uow)
    stand_id = w.logged.thinning.stand_id
    connection.execute(text("UPDATE stand_versions SET site_class = 1 WHERE stand_id = :id"),
                       {"id": stand_id})
    found = verdict(uow, w.deal)
    first = w.logged.estimates[0]
    assert (found.first_bad_entry, found.reason) == (
        first.id, f"stand {stand_id} version 1 no longer matches entry {first.id}: site class "
                  "is 1, the entry recorded 2")


def test_a_thinning_moved_to_another_year_is_named(uow: UnitOfWorkFactory,
                                                   connection: Connection):
    w = world(uow)
    connection.execute(text("UPDATE thinnings SET fiscal_year = 2010 WHERE id = :id"),
                       {"id": w.logged.thinning.id})
    found = verdict(uow, w.deal)
    assert found.first_bad_entry == w.logged.estimates[0].id
    assert found.reason is not None and "fiscal year is 2010, the entry recorded 2009" \
        in found.reason


def test_a_deleted_thinning_is_named(uow: UnitOfWorkFactory, connection: Connection):
    w = world(uow)
    connection.execute(text("DELETE FROM thinnings WHERE id = :id"),
                       {"id": w.logged.thinning.id})
    found = verdict(uow, w.deal)
    assert found.reason == (f"thinning {w.logged.thinning.id} cited by entry "
                            f"{w.logged.estimates[0].id} is missing")


def truncate(connection: Connection, deal: Agreement, keep: int) -> None:
    """Delete the agreement's entries after seq `keep` and rewind its head onto the last kept:
    the chain that remains verifies by itself."""
    unguard(connection)
    params = {"a": deal.id, "keep": keep}
    connection.execute(text("DELETE FROM postings WHERE entry_id IN (SELECT id FROM entries "
                            "WHERE agreement_id = :a AND seq > :keep)"), params)
    connection.execute(text("DELETE FROM entries WHERE agreement_id = :a AND seq > :keep"),
                       params)
    connection.execute(text(
        "UPDATE chain_heads SET entry_count = :keep, hash = (SELECT hash FROM entries WHERE "
        "agreement_id = :a AND seq = :keep) WHERE agreement_id = :a"), params)


def test_a_chain_cut_before_a_thinnings_estimates_is_caught_by_the_work(
        uow: UnitOfWorkFactory, connection: Connection):
    w = world(uow)
    truncate(connection, w.deal, keep=1)  # only the cost is left
    with uow(read_only=True) as work:
        assert ledger.verify(work, [w.deal.id]).ok
    found = verdict(uow, w.deal)
    assert (found.ok, found.first_bad_entry, found.seq) == (False, None, 1)
    assert found.reason == (f"thinning {w.logged.thinning.id} (FY2009) is cited by no entry: "
                            "its estimates are gone, so entries after seq 1 may have been "
                            "deleted")


class Register:
    """A stand-in for the register of issued reports: each report's (seq, head)."""

    def __init__(self, anchors: dict[int, list[tuple[int, str]]]) -> None:
        self._anchors = anchors

    def anchors(self, agreement_id: int) -> Iterable[tuple[int, str]]:
        return self._anchors.get(agreement_id, [])


def with_register(work: object, register: Register) -> object:
    """The unit of work with a `documents` register, as offset/documents will add it."""
    return SimpleNamespace(journal=work.journal, forestry=work.forestry,  # type: ignore
                           agreements=work.agreements, documents=register)


def test_a_chain_cut_below_an_issued_reports_head_is_caught(uow: UnitOfWorkFactory,
                                                            connection: Connection):
    w = world(uow)
    with uow() as work:
        later = ledger.post(work, [cost_entry(w.deal.id, 5_000)])[0]
        work.commit()
    register = Register({w.deal.id: [(later.seq, later.hash)]})
    with uow(read_only=True) as work:
        assert integrity.verify(with_register(work, register), [w.deal.id]).ok  # type: ignore
    truncate(connection, w.deal, keep=later.seq - 1)  # the thinning's entries stay
    with uow(read_only=True) as work:
        assert integrity.verify(work, [w.deal.id]).ok  # nothing else knew of that entry
        found = integrity.verify(with_register(work, register), [w.deal.id])  # type: ignore
    assert [(b.entry_id, b.seq, b.reason) for b in found.breaks] == [
        (None, later.seq - 1, f"an issued report was made at seq {later.seq} ending "
                              f"{later.hash[:12]}, the chain holds {later.seq - 1} entries: "
                              "entries were deleted")]


def test_a_chain_rewritten_under_an_issued_reports_head_is_caught(uow: UnitOfWorkFactory):
    w = world(uow)
    first = w.logged.estimates[0]
    register = Register({w.deal.id: [(first.seq, "ab" * 32)]})
    with uow(read_only=True) as work:
        found = integrity.verify(with_register(work, register), [w.deal.id])  # type: ignore
    assert [(b.entry_id, b.seq) for b in found.breaks] == [(first.id, first.seq)]
    assert found.breaks[0].reason.endswith("the chain was rewritten")


def test_a_broken_agreement_says_so_on_its_summaries_and_refuses_issuing(
        uow: UnitOfWorkFactory, connection: Connection):
    w = world(uow)
    connection.execute(text("UPDATE thinnings SET area_ha = area_ha * 10 WHERE id = :id"),
                       {"id": w.logged.thinning.id})
    first = w.logged.estimates[0]
    with uow(read_only=True) as work:
        for summary in (netting.fiscal_year_summary(work, w.deal, 2011),
                        netting.term_summary(work, w.deal, 1)):
            assert (summary.integrity.ok, summary.integrity.first_bad_entry) == (False,
                                                                                  first.id)
        with pytest.raises(LedgerBroken) as refused:
            integrity.require_intact(work, w.deal)
    assert (refused.value.agreement_id, refused.value.first_bad_entry, refused.value.seq) == (
        w.deal.id, first.id, first.seq)
    assert refused.value.code == "ledger-broken"


def test_a_report_of_a_broken_agreement_warns_naming_the_entry(uow: UnitOfWorkFactory,
                                                               connection: Connection):
    w = world(uow)
    connection.execute(text("UPDATE thinnings SET area_ha = area_ha * 10 WHERE id = :id"),
                       {"id": w.logged.thinning.id})
    with uow(read_only=True) as work:
        report = build_annual(work, w.deal, 2009)
    assert report.integrity_warning is not None
    assert f"entry {w.logged.estimates[0].id} (seq {w.logged.estimates[0].seq})" \
        in report.integrity_warning
    assert render_pdf(report).startswith(b"%PDF")


def test_a_report_of_an_intact_agreement_carries_no_warning(uow: UnitOfWorkFactory):
    w = world(uow)
    with uow(read_only=True) as work:
        assert build_annual(work, w.deal, 2009).integrity_warning is None


def test_the_cached_verdict_follows_the_head(uow: UnitOfWorkFactory, connection: Connection):
    w = world(uow)
    with uow(read_only=True) as work:
        assert integrity.integrity_of(work, w.deal.id).ok
    connection.execute(text("UPDATE thinnings SET area_ha = area_ha * 10 WHERE id = :id"),
                       {"id": w.logged.thinning.id})
    with uow(read_only=True) as work:
        # The head has not moved: the verdict of a moment ago stands until it is stale...
        assert integrity.integrity_of(work, w.deal.id).ok
    with uow() as work:
        ledger.post(work, [cost_entry(w.deal.id, 5_000)])
        work.commit()
    with uow(read_only=True) as work:
        # ... and a new entry, a new head, is verified again.
        assert not integrity.integrity_of(work, w.deal.id).ok
