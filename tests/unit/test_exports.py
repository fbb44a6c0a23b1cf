"""Exports as pure functions: a literal journal in, CSV, XLSX and beancount text out."""

from __future__ import annotations

import csv
import io
import subprocess
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data, realization
from openpyxl import load_workbook

from offset.agreements.model import AbsorptionMethod, Agreement, CostSharing, Party, Term
from offset.exports.beancount_export import beancount_text, quoted
from offset.exports.csv_export import csv_bytes
from offset.exports.rows import COLUMNS
from offset.exports.source import Source, export_filename
from offset.exports.xlsx_export import xlsx_bytes
from offset.ledger.chain import GENESIS, ChainHead, extend
from offset.ledger.model import (
    Commodity,
    Entry,
    EntryKind,
    JournalEntry,
    Posting,
    reversal_of,
)

JPY, CERTIFIED, ESTIMATED = Commodity.JPY, Commodity.TCO2E, Commodity.TCO2E_EST
AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
DEAL = Agreement(
    id=1, title_ja="地球環境保全のための連携に関する協定", title_en="Environmental agreement",
    urban_party_id=1, forest_party_id=2, signed_on=date(2008, 2, 10),
    annual_target_ha=Decimal(30), crediting_window=5,
    absorption_method=AbsorptionMethod.PER_AREA_RATE, per_area_rate=Decimal("3.19"),
    cost_sharing=CostSharing(), terms=(Term(1, 2009, 2013),))
SHINJUKU = Party(1, "131041", "新宿区", "Shinjuku City")
INA = Party(2, "202096", "伊那市", "Ina City")


def entry(kind: EntryKind, day: date, description: str, *postings: tuple[str, Commodity, str],
          fiscal_year: int = 2009) -> Entry:
    return Entry(1, fiscal_year, kind, day, description,
                 tuple(Posting(account, commodity, Decimal(amount))
                       for account, commodity, amount in postings))


THINNING = entry(EntryKind.COST, date(2009, 11, 30), "間伐 鹿嶺高原, \"区画12\"\n2nd line",
                 ("Expenses:Thinning", JPY, "1200"),
                 ("Liabilities:Payable:Contractor", JPY, "-1200"))
ESTIMATE = entry(EntryKind.ESTIMATE, date(2010, 3, 31), "=HYPERLINK(\"x\") estimate",
                 ("Assets:Credits:Estimated", ESTIMATED, "92.510"),
                 ("Income:Absorption:Estimated", ESTIMATED, "-92.510"))
# Recorded later in the chain but dated earlier: its accounts must be open by then.
BACKDATED = entry(EntryKind.CERTIFICATION, date(2009, 4, 1), "Certification 森CO2-2009-1",
                  ("Assets:Credits:Certified", CERTIFIED, "456.300"),
                  ("Equity:Issued", CERTIFIED, "-456.300"),
                  ("Assets:Credits:Estimated", ESTIMATED, "-1.5"),
                  ("Income:Absorption:Estimated", ESTIMATED, "1.5"))


def journal(*entries: Entry) -> list[JournalEntry]:
    """Seal `entries` into one chain with ids 11, 12, … and a reversal of the first."""
    links, head = extend(ChainHead(1, 0, GENESIS), entries, AT)
    stored = [JournalEntry.stored(10 + link.seq, link) for link in links]
    more, _ = extend(head, [reversal_of(stored[0], "posted twice", "auditor")], AT)
    return [*stored, JournalEntry.stored(10 + more[0].seq, more[0])]


def source(entries: list[JournalEntry]) -> Source:
    head = ChainHead(1, len(entries), entries[-1].hash if entries else GENESIS)
    return Source(DEAL, SHINJUKU, INA, head, AT, iter(entries))


ENTRIES = journal(THINNING, ESTIMATE, BACKDATED)


def offset_balances(entries: list[JournalEntry]) -> dict[tuple[str, str], Decimal]:
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for stored in entries:
        for p in stored.entry.postings:
            totals[p.account, p.commodity.value] += p.amount
    return dict(totals)


# CSV.

def parsed_csv(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_posting_with_exact_amounts_and_the_era_label():
    rows = parsed_csv(csv_bytes(ENTRIES))

    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == sum(len(e.entry.postings) for e in ENTRIES)
    first = rows[0]
    assert (first["entry_id"], first["seq"], first["fiscal_year"], first["fiscal_year_ja"],
            first["kind"], first["effective_date"]) == ("11", "1", "2009", "平成21年度", "cost",
                                                        "2009-11-30")
    assert first["recorded_at"] == "2024-05-01T09:30:00.000000Z"
    assert first["description"] == THINNING.description
    assert [r["amount"] for r in rows[:4]] == ["1200", "-1200", "92.510", "-92.510"]
    assert rows[4]["amount"] == "456.300" and rows[6]["amount"] == "-1.500"
    assert (first["hash"], first["prev_hash"]) == (ENTRIES[0].hash, GENESIS)
    assert (first["reverses_entry_id"], first["reason"]) == ("", "")
    assert (rows[-1]["kind"], rows[-1]["reverses_entry_id"], rows[-1]["reason"],
            rows[-1]["amount"]) == ("reversal", "11", "posted twice", "1200")


def test_csv_of_an_empty_journal_is_its_header():
    assert csv_bytes([]) == ("\ufeff" + ",".join(COLUMNS) + "\r\n").encode("utf-8")


# XLSX.

def test_xlsx_keeps_text_as_text_and_sums_balances_and_names_the_chain_head():
    book = load_workbook(io.BytesIO(xlsx_bytes(source(ENTRIES))), read_only=True)

    assert book.sheetnames == ["Journal", "Balances", "About"]
    journal_rows = list(book["Journal"].iter_rows(values_only=True))
    assert journal_rows[0] == COLUMNS
    estimate = journal_rows[3]
    assert estimate[COLUMNS.index("description")] == ESTIMATE.description  # not a formula
    assert estimate[COLUMNS.index("amount")] == pytest.approx(92.51)
    assert journal_rows[1][COLUMNS.index("amount")] == 1200
    balances = {(a, c): Decimal(str(v)) for a, c, v in
                list(book["Balances"].iter_rows(values_only=True))[1:]}
    assert balances == offset_balances(ENTRIES)
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["chain head hash"] == ENTRIES[-1].hash
    assert about["entry count"] == 4
    assert about["urban party"] == "新宿区 / Shinjuku City (131041)"


# Beancount.

def loaded(text: str) -> list[data.Directive]:
    entries, errors, options = loader.load_string(text)
    assert errors == [], [e.message for e in errors]
    assert options["operating_currency"] == ["JPY"]
    return entries


def beancount_balances(entries: list[data.Directive]) -> dict[tuple[str, str], Decimal]:
    """Return every account's balance per currency, as beancount's realization computes it."""
    root = realization.realize(entries)
    return {(account.account, position.units.currency): position.units.number
            for account in realization.iter_children(root)
            for position in account.balance}


OFFSET_NAME = {"JPY": "JPY", "TCO2E": "tCO2e", "TCO2E-EST": "tCO2e-est"}


def test_beancount_loads_cleanly_and_its_balances_are_offsets():
    entries = loaded(beancount_text(source(ENTRIES)))

    found = {(account, OFFSET_NAME[currency]): amount
             for (account, currency), amount in beancount_balances(entries).items()}
    assert found == {k: v for k, v in offset_balances(ENTRIES).items() if v}


def test_beancount_transactions_carry_the_chain_and_keep_its_order():
    text = beancount_text(source(ENTRIES))
    entries = loaded(text)
    by_id = {t.meta["entry_id"]: t for t in entries if isinstance(t, data.Transaction)}

    in_file = [line.split('"')[1] for line in text.splitlines() if "entry_id:" in line]
    assert in_file == ["11", "12", "13", "14"]
    assert list(by_id) == ["13", "11", "14", "12"]  # beancount orders them by date
    first = by_id["11"]
    assert (first.date, first.narration, first.flag) == (date(2009, 11, 30),
                                                         THINNING.description, "*")
    assert {k: first.meta[k] for k in ("seq", "fiscal_year", "kind", "hash", "prev_hash")} == {
        "seq": "1", "fiscal_year": "2009", "kind": "cost", "hash": ENTRIES[0].hash,
        "prev_hash": GENESIS}
    reversal = by_id["14"]
    assert (reversal.meta["reverses"], reversal.meta["reason"]) == ("11", "posted twice")
    assert reversal.links == {"entry-11", "entry-14"}
    assert by_id["12"].narration == ESTIMATE.description


def test_beancount_names_commodities_in_its_grammar_and_opens_accounts_at_first_use():
    entries = loaded(beancount_text(source(ENTRIES)))

    commodities = {c.currency: c.meta["offset_commodity"] for c in entries
                   if isinstance(c, data.Commodity)}
    assert commodities == OFFSET_NAME
    opened = {o.account: o.date for o in entries if isinstance(o, data.Open)}
    assert opened["Assets:Credits:Estimated"] == date(2009, 4, 1)
    assert opened["Expenses:Thinning"] == date(2009, 11, 30)


def test_text_is_quoted_so_that_beancount_reads_it_back():
    for text in ('say "hi"', "C:\\new\\tab", "line\nbreak", "tab\there", "新宿区"):
        narration = loaded(f'2010-01-01 open Assets:A\n2010-01-01 * {quoted(text)}\n'
                           "  Assets:A  1 JPY\n  Assets:A  -1 JPY\n"
                           'option "operating_currency" "JPY"\n')[-1]
        assert isinstance(narration, data.Transaction)
        assert narration.narration == text


def test_bean_check_accepts_the_export(bean_check: Path, tmp_path: Path):
    ledger = tmp_path / "offset.beancount"
    ledger.write_text(beancount_text(source(ENTRIES)), encoding="utf-8")

    checked = subprocess.run([str(bean_check), str(ledger)], capture_output=True, text=True,
                             check=False)

    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_export_files_are_named_after_the_agreement():
    assert export_filename(1, "csv") == "offset-agreement-1-journal.csv"
