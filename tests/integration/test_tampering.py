"""Changing any single stored field of any entry or posting, behind the guard's back, makes
verify fail and name that entry (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, select, text, update

from offset import integrity
from offset.db.tables import accounts, entries, postings
from offset.db.uow import UnitOfWorkFactory
from offset.ledger import services as ledger
from tests.builders import CHIYODA, MATSUMOTO, agreement, cost_entry
from tests.strategies import balanced_entries

ENTRY_FIELDS = ["agreement_id", "seq", "fiscal_year", "kind", "effective_date", "recorded_at",
                "recorded_by", "description", "details", "reverses_id", "reason", "prev_hash",
                "hash"]
POSTING_FIELDS = ["amount", "commodity", "account_id"]


def bypass_guard(connection: Connection) -> None:
    """Switch the append-only triggers off for the current (sub)transaction only."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL session_replication_role = replica"))
    else:
        for table in ("entries", "postings"):
            connection.execute(text(f"DROP TRIGGER {table}_no_update"))


def tamper_entry(connection: Connection, row, field: str, spare_agreement: int,
                 other_id: int) -> None:
    changes = {
        "agreement_id": spare_agreement,
        "seq": row.seq + 1000,
        "fiscal_year": row.fiscal_year + 1,
        "kind": "emission" if row.kind != "emission" else "cost",
        "effective_date": row.effective_date + timedelta(days=1),
        "recorded_at": row.recorded_at + timedelta(microseconds=1),
        "recorded_by": row.recorded_by + "x",
        "description": row.description + "x",
        "details": '{"note":"rewritten"}' if row.details != '{"note":"rewritten"}' else "{}",
        "reverses_id": other_id,
        "reason": (row.reason or "") + "x",
        "prev_hash": "f" * 64 if row.prev_hash != "f" * 64 else "e" * 64,
        "hash": "f" * 64,
    }
    connection.execute(update(entries).where(entries.c.id == row.id)
                       .values({field: changes[field]}))


def tamper_posting(connection: Connection, row, field: str) -> None:
    if field == "amount":
        # One thousandth of the stored unit: below a yen, and still caught.
        connection.execute(text("UPDATE postings SET amount = amount + 1 WHERE id = :id"),
                           {"id": row.id})
        return
    if field == "commodity":
        other = "tCO2e" if row.commodity != "tCO2e" else "tCO2e-est"
        connection.execute(update(postings).where(postings.c.id == row.id)
                           .values(commodity=other))
        return
    other_account = connection.execute(
        select(accounts.c.id).where(accounts.c.agreement_id == row.agreement_id,
                                    accounts.c.id != row.account_id).limit(1)).scalar()
    if other_account is None:  # the agreement has a single account: rename it instead
        other_account = connection.execute(text(
            "INSERT INTO accounts (agreement_id, name) VALUES (:a, 'Assets:Elsewhere') "
            "RETURNING id"), {"a": row.agreement_id}).scalar()
    connection.execute(update(postings).where(postings.c.id == row.id)
                       .values(account_id=other_account))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), count=st.integers(2, 5),
       field=st.sampled_from([("entry", f) for f in ENTRY_FIELDS]
                             + [("posting", f) for f in POSTING_FIELDS]))
def test_any_single_changed_field_is_named_by_verify(uow: UnitOfWorkFactory,
                                                     connection: Connection,
                                                     data: st.DataObject, count: int, field):
    example = connection.begin_nested()
    try:
        with uow() as work:
            deal = agreement(work)
            spare = agreement(work, CHIYODA, MATSUMOTO)
            posted = ledger.post(work, [data.draw(balanced_entries(deal.id))
                                        for _ in range(count)])
            posted.append(ledger.reverse(work, posted[0].id, "wrong stand", "tester"))
            work.commit()
        target = data.draw(st.sampled_from(posted))
        kind, name = field
        if name == "reverses_id" and target.entry.reverses is not None:
            other_id = posted[-2].id  # re-point the reversal at an entry not yet reversed
        else:
            other_id = posted[-2].id if target.id != posted[-2].id else posted[1].id
        bypass_guard(connection)
        if kind == "entry":
            row = connection.execute(select(entries).where(entries.c.id == target.id)).one()
            tamper_entry(connection, row, name, spare.id, other_id)
        else:
            row = connection.execute(
                select(postings, entries.c.agreement_id).join(entries)
                .where(postings.c.entry_id == target.id)
                .order_by(postings.c.line)).first()
            tamper_posting(connection, row, name)
        with uow(read_only=True) as work:
            verification = ledger.verify(work)
        assert not verification.ok
        assert target.id in {b.entry_id for b in verification.breaks}
    finally:
        example.rollback()


def test_a_kind_offset_does_not_know_is_named_by_verify(uow: UnitOfWorkFactory,
                                                        connection: Connection):
    example = connection.begin_nested()
    try:
        with uow() as work:
            deal = agreement(work)
            posted = ledger.post(work, [cost_entry(deal.id, 1_000), cost_entry(deal.id, 20)])
            work.commit()
        bypass_guard(connection)
        connection.execute(update(entries).where(entries.c.id == posted[1].id)
                           .values(kind="bogus"))
        with uow(read_only=True) as work:
            checked = integrity.verify(work)
        assert [(b.entry_id, b.reason) for b in checked.breaks] == [
            (posted[1].id, "stored hash does not match the entry's content")]
    finally:
        example.rollback()
