"""`--as-of` on every read of the command line, and `offset verify --agreement ID --at SEQ`,
run in-process against real SQLite and PostgreSQL.

The ledger: a per-area-rate agreement whose urban partner emitted 1,200,000 kWh × 0.000375
= 450.000 t in FY2010 (seq 1), then 400,000 kWh × 0.000375 = 150.000 t more (seq 2).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from offset.db.uow import unit_of_work_factory
from offset.emissions import services as emissions
from tests.builders import emission, urban_agreement
from tests.cli.running import assert_one_line_error, offset, ok, tamper
from tests.databases import engine_for

JST = timezone(timedelta(hours=9))


def stored(url: str, statement: str) -> list[tuple[object, ...]]:
    """Return the rows of one plain SQL statement (committed when it writes)."""
    engine = engine_for(url)
    try:
        with engine.begin() as db:
            result = db.execute(text(statement))
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


@pytest.fixture
def two_entries(fresh_url: str) -> str:
    engine = engine_for(fresh_url)
    try:
        for kwh in ("1200000 kWh", "400000 kWh"):
            with unit_of_work_factory(engine)() as uow:
                deal = urban_agreement(uow) if kwh.startswith("12") else \
                    uow.agreements.agreement(1)
                emissions.record_emission(uow, deal, emission(kwh), "urban")
                uow.commit()
    finally:
        engine.dispose()
    return fresh_url


def entry(url: str, seq: int) -> tuple[str, datetime]:
    """Return entry `seq`'s stored hash and recording time, read with plain SQL."""
    digest, moment = stored(url, f"SELECT hash, recorded_at FROM entries "
                                 f"WHERE agreement_id = 1 AND seq = {seq}")[0]
    # SQLite hands raw SQL its naive UTC text; PostgreSQL an aware datetime.
    when = moment if isinstance(moment, datetime) else datetime.fromisoformat(str(moment))
    return str(digest), when if when.tzinfo else when.replace(tzinfo=UTC)


def lines_of(shown: str) -> list[str]:
    return [" ".join(line.split()) for line in shown.splitlines() if line.strip()]


def test_the_summary_as_of_seq_1_counts_the_first_emission_only(two_entries: str):
    head, _ = entry(two_entries, 1)
    then = lines_of(ok(two_entries, "summary", "--agreement", "1", "--fy", "2010",
                       "--as-of", "1"))
    now = lines_of(ok(two_entries, "summary", "--agreement", "1", "--fy", "2010"))

    assert "排出量 Emissions 450.000 t-CO2" in then
    assert f"chain: 1 entries, head {head}" in then
    assert "排出量 Emissions 600.000 t-CO2" in now


def test_the_term_summary_as_of_a_time_in_japan_is_read_there(two_entries: str):
    head, moment = entry(two_entries, 1)
    shown = lines_of(ok(two_entries, "summary", "--agreement", "1", "--term", "1",
                        "--as-of", moment.astimezone(JST).isoformat()))
    assert "排出量 Emissions 450.000 t-CO2" in shown
    assert f"chain: 1 entries, head {head}" in shown


def test_the_trial_balance_as_of_seq_1_says_where_it_was_read(two_entries: str):
    head, _ = entry(two_entries, 1)
    shown = lines_of(ok(two_entries, "balances", "--agreement", "1", "--fy", "2010",
                        "--as-of", "1"))
    assert any(line.startswith("Expenses:Emissions:Electricity tCO2e 0.000 450.000 0.000")
               for line in shown), shown
    assert shown[-1] == f"as of seq 1, head {head}"


def test_the_journal_as_of_seq_1_lists_one_entry(two_entries: str):
    head, _ = entry(two_entries, 1)
    shown = lines_of(ok(two_entries, "journal", "--agreement", "1", "--as-of", "1"))
    assert shown[-2:] == ["agreement 1: 1 entries shown", f"as of seq 1, head {head}"]


def test_an_export_as_of_seq_1_holds_one_entry(two_entries: str, tmp_path: Path):
    head, _ = entry(two_entries, 1)
    out = tmp_path / "journal.csv"
    shown = ok(two_entries, "export", "csv", "--agreement", "1", "--as-of", "1", "-o", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {row["seq"] for row in rows} == {"1"}
    assert f"(1 entries, head {head[:12]})" in shown


def test_a_report_as_of_seq_1_is_made_at_that_head(two_entries: str, tmp_path: Path):
    head, _ = entry(two_entries, 1)
    out = tmp_path / "fy2010.pdf"
    shown = ok(two_entries, "report", "annual", "--agreement", "1", "--fy", "2010",
               "--as-of", "1", "-o", str(out))
    assert f"(1 entries, head {head[:12]})" in shown
    assert out.read_bytes().startswith(b"%PDF")


def test_a_report_written_as_xlsx_is_the_workbook_of_the_same_head(two_entries: str,
                                                                    tmp_path: Path):
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    head, _ = entry(two_entries, 1)
    out = tmp_path / "fy2010.xlsx"
    ok(two_entries, "report", "annual", "--agreement", "1", "--fy", "2010", "--as-of", "1",
       "-o", str(out), "--format", "xlsx")
    cover = load_workbook(out)["表紙 Cover"]
    values = {row[0]: row[1] for row in cover.iter_rows(values_only=True) if row and row[0]}
    assert (values["チェーン先頭 / Chain head"], values["仕訳数 / Entry count"]) == (head, 1)


READS = [("summary", "--agreement", "1", "--fy", "2010"), ("balances", "--agreement", "1"),
         ("journal", "--agreement", "1"), ("export", "csv", "--agreement", "1", "-o", "x.csv"),
         ("report", "term", "--agreement", "1", "--term", "1", "-o", "x.pdf")]


@pytest.mark.parametrize("command", READS, ids=lambda c: c[0])
@pytest.mark.parametrize(("as_of", "start"), [
    ("3", "as_of: '3': the chain's head is at seq 2; no later point exists"),
    ("2014-03-31", "as_of: '2014-03-31': a timestamp needs its UTC offset"),
    ("yesterday", "as_of: 'yesterday': must be a sequence number"),
])
def test_a_bad_as_of_is_one_line_and_exit_2(two_entries: str, tmp_path: Path,
                                            command: tuple[str, ...], as_of: str, start: str):
    out = tmp_path / "out"
    out.mkdir()
    args = [str(out / a) if a.startswith("x.") else a for a in command]
    assert_one_line_error(offset(two_entries, *args, "--as-of", as_of), 2, start)
    assert list(out.iterdir()) == []  # nothing written


def test_verify_at_a_sequence_prints_the_hash_of_that_entry(two_entries: str):
    head, _ = entry(two_entries, 1)
    shown = ok(two_entries, "verify", "--agreement", "1", "--at", "1").splitlines()
    assert shown[0].startswith("agreement 1: 2 entries, head ")
    assert shown[-2] == "OK: 1 chains, 2 entries verified"
    assert shown[-1] == f"agreement 1 at seq 1: head {head}"


def test_verify_at_0_prints_the_genesis_hash(two_entries: str):
    shown = ok(two_entries, "verify", "--agreement", "1", "--at", "0").splitlines()
    assert shown[-1] == f"agreement 1 at seq 0: head {'0' * 64}"


@pytest.mark.parametrize(("args", "start"), [
    (("--at", "1"), "at: give --agreement with --at"),
    (("--agreement", "1", "--at", "3"), "at: '3': the chain's head is at seq 2"),
    (("--agreement", "1", "--at", "-1"), "at: '-1': must be a sequence number"),
    (("--agreement", "9", "--at", "1"), "agreement_id: agreement 9 does not exist"),
])
def test_verify_refuses_a_point_it_cannot_name(two_entries: str, args: tuple[str, ...],
                                               start: str):
    assert_one_line_error(offset(two_entries, "verify", *args), 2, start)


def test_a_broken_chain_prints_no_head_at_a_sequence(two_entries: str, backend: str):
    tamper(two_entries, backend, int(stored(two_entries, "SELECT id FROM entries "
                                                          "WHERE seq = 2")[0][0]))
    result = offset(two_entries, "verify", "--agreement", "1", "--at", "1")
    assert_one_line_error(result, 1, "ledger: 1 of 1 chains broken")
    assert "at seq 1" not in result.stdout
