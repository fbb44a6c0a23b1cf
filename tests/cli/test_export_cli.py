"""`offset export csv|xlsx|beancount --agreement ID -o FILE` against SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from beancount import loader
from openpyxl import load_workbook

from offset.db.uow import unit_of_work_factory
from offset.ledger import services as ledger
from tests.builders import agreement, cost_entry
from tests.cli.running import offset
from tests.databases import engine_for


@pytest.fixture
def deal(fresh_url: str) -> tuple[str, int]:
    """A database holding one agreement with two cost entries; its URL and agreement id."""
    engine = engine_for(fresh_url)
    try:
        with unit_of_work_factory(engine)() as uow:
            found = agreement(uow)
            ledger.post(uow, [cost_entry(found.id, 1200, tonnes="1.5"),
                              cost_entry(found.id, 300)])
            uow.commit()
    finally:
        engine.dispose()
    return fresh_url, found.id


def test_each_format_is_written_to_the_file_named(deal: tuple[str, int], tmp_path: Path):
    url, deal_id = deal
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    for suffix in ("csv", "xlsx", "beancount"):
        target = tmp_path / f"journal.{suffix}"
        result = offset(url, "export", suffix, "--agreement", str(deal_id), "-o", str(target))
        assert result.exit_code == 0, result.output
        assert "(2 entries, head " in result.stdout

    csv_lines = (tmp_path / "journal.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_lines) == 1 + 6
    book = load_workbook(tmp_path / "journal.xlsx", read_only=True)
    assert dict(book["About"].iter_rows(values_only=True))["entry count"] == 2
    _, errors, _ = loader.load_file(str(tmp_path / "journal.beancount"))
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "journal.beancount", "journal.csv", "journal.xlsx"]  # no temporary files left


def test_a_missing_agreement_is_one_line_and_exit_2(deal: tuple[str, int], tmp_path: Path):
    url, _ = deal
    result = offset(url, "export", "csv", "--agreement", "999", "-o", str(tmp_path / "x.csv"))

    assert result.exit_code == 2, result.output
    assert result.stderr == "error: agreement_id: agreement 999 does not exist\n"
    assert not (tmp_path / "x.csv").exists()


def test_an_unwritable_place_is_one_line_and_exit_2(deal: tuple[str, int], tmp_path: Path):
    url, deal_id = deal
    target = tmp_path / "missing" / "x.beancount"
    result = offset(url, "export", "beancount", "--agreement", str(deal_id), "-o", str(target))

    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: output: cannot write {target}: ")
    assert result.stderr.count("\n") == 1
