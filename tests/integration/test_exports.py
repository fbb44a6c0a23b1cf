"""Exports on a real database round-trip to offset's own balances, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from beancount import loader
from beancount.core import realization
from beancount.core.data import Transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import Connection

from offset.db.uow import UnitOfWorkFactory
from offset.exports import services
from offset.exports.beancount_export import CURRENCY, beancount_text
from offset.exports.csv_export import csv_bytes
from offset.exports.xlsx_export import xlsx_bytes
from offset.ledger import services as ledger
from offset.ledger.model import Commodity, Entry, EntryKind, Posting
from tests.builders import agreement, cost_entry
from tests.strategies import balanced_entries, operations

COMMODITY_OF = {name: commodity for commodity, name in CURRENCY.items()}
Balances = dict[tuple[str, Commodity], Decimal]


def certification(agreement_id: int, tonnes: str) -> Entry:
    """Return an entry issuing certified tonnes and reversing the same estimate."""
    amount = Decimal(tonnes)
    return Entry(agreement_id, 2010, EntryKind.CERTIFICATION, date(2011, 3, 20),
                 "認証 森CO2-2010-1", (
                     Posting("Assets:Credits:Certified", Commodity.TCO2E, amount),
                     Posting("Equity:Issued", Commodity.TCO2E, -amount),
                     Posting("Assets:Credits:Estimated", Commodity.TCO2E_EST, -amount),
                     Posting("Income:Absorption:Estimated", Commodity.TCO2E_EST, amount)))


def shinjuku_ina(uow: UnitOfWorkFactory) -> tuple[int, Balances]:
    """Post a small journal over all three commodities with a reversal; return its balances."""
    with uow() as work:
        deal = agreement(work)
        posted = ledger.post(work, [cost_entry(deal.id, 1_234_567, 2009, tonnes="92.510"),
                                    cost_entry(deal.id, 800_000, 2010, tonnes="12.345"),
                                    certification(deal.id, "100.001")])
        ledger.reverse(work, posted[1].id, "entered twice", "auditor")
        work.commit()
        return deal.id, ledger.balances(work, deal.id)


def nonzero(balances: Balances) -> Balances:
    return {key: amount for key, amount in balances.items() if amount}


def test_csv_round_trip_balances_every_entry_and_every_account(uow: UnitOfWorkFactory):
    deal_id, expected = shinjuku_ina(uow)
    with uow(read_only=True) as work:
        body = csv_bytes(services.source(work, deal_id).entries)

    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    per_entry: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    per_account: Balances = defaultdict(Decimal)
    for row in rows:
        per_entry[row["entry_id"], row["commodity"]] += Decimal(row["amount"])
        per_account[row["account"], Commodity(row["commodity"])] += Decimal(row["amount"])
    assert len({row["entry_id"] for row in rows}) == 4
    assert set(per_entry.values()) == {Decimal(0)}
    assert dict(per_account) == expected
    assert {row["commodity"] for row in rows} == {c.value for c in Commodity}


def test_xlsx_balances_sheet_equals_offsets_balances(uow: UnitOfWorkFactory):
    deal_id, expected = shinjuku_ina(uow)
    with uow(read_only=True) as work:
        source = services.source(work, deal_id)
        book = load_workbook(io.BytesIO(xlsx_bytes(source)), read_only=True)

    sheet = list(book["Balances"].iter_rows(values_only=True))
    assert sheet[0] == ("account", "commodity", "balance")
    # Excel's numbers are floats: three places recover the exact amount at these sizes.
    found = {(account, Commodity(commodity)): Decimal(str(value)).quantize(Decimal("0.001"))
             for account, commodity, value in sheet[1:]}
    assert found == {key: amount.quantize(Decimal("0.001")) for key, amount in expected.items()}
    about = dict(book["About"].iter_rows(values_only=True))
    assert (about["entry count"], about["chain head hash"]) == (4, source.head.hash)


def beancount_balances(text: str) -> Balances:
    """Load `text` with beancount (no errors allowed); return its balances in offset's terms."""
    entries, errors, _ = loader.load_string(text)
    assert errors == [], [error.message for error in errors]
    root = realization.realize(entries)
    return {(account.account, COMMODITY_OF[position.units.currency]): position.units.number
            for account in realization.iter_children(root) for position in account.balance}


def test_beancount_export_balances_equal_offsets(uow: UnitOfWorkFactory):
    deal_id, expected = shinjuku_ina(uow)
    with uow(read_only=True) as work:
        text = beancount_text(services.source(work, deal_id))

    assert beancount_balances(text) == nonzero(expected)
    assert {key[1] for key in expected} == set(Commodity)


def test_an_export_stops_at_the_chain_head_it_names(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        ledger.post(work, [cost_entry(deal.id, 100)])
        source = services.source(work, deal.id)
        ledger.post(work, [cost_entry(deal.id, 200)])  # after the export began
        exported = list(source.entries)
    assert [e.seq for e in exported] == [1]
    assert source.head.entry_count == 1


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), steps=operations)
def test_any_journal_exports_to_beancount_with_offsets_balances(
        uow: UnitOfWorkFactory, connection: Connection, data: st.DataObject, steps):
    example = connection.begin_nested()
    try:
        with uow() as work:
            deal = agreement(work)
            posted = []
            for action, number in steps:
                if action == "post":
                    posted += ledger.post(work, [data.draw(balanced_entries(deal.id))
                                                 for _ in range(number)])
                elif posted and (target := posted[number % len(posted)]).entry.kind.value \
                        != "reversal" and not work.journal.reversal_ids([target.id]):
                    posted.append(ledger.reverse(work, target.id, "property test", "hypothesis"))
            work.commit()
        with uow(read_only=True) as work:
            text = beancount_text(services.source(work, deal.id))
            expected = ledger.balances(work, deal.id)

        assert beancount_balances(text) == nonzero(expected)
        narrations = [t.narration for t in loader.load_string(text)[0]
                      if isinstance(t, Transaction)]
        assert sorted(narrations) == sorted(p.entry.description for p in posted)
    finally:
        example.rollback()

