"""`offset import thinnings FILE --agreement ID`, in-process against SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from offset.cli.main import app
from offset.db.tables import thinnings
from offset.db.uow import unit_of_work_factory
from offset.forestry.model import StandInput, StandVersion
from offset.forestry.stands import register_stand
from tests.builders import INA, agreement, party
from tests.databases import engine_for

runner = CliRunner()
GOOD = ("団地,林班,小班,実施日,面積\n"
        "鹿嶺高原,12,3,2009-10-01,2.5 ha\n"
        "鹿嶺高原,12,3,2009-11-01,1 ha\n")
BAD = ("団地,林班,小班,実施日,面積\n"
       "鹿嶺高原,12,3,2009-10-01,30 m\n"
       "鹿嶺高原,12,3,2009-10-02,1 ha\n"
       "鹿嶺高原,12,9,2009-10-03,1 ha\n")


@pytest.fixture
def deal(fresh_url: str) -> tuple[str, int]:
    """A database holding the Shinjuku–Ina agreement and stand 鹿嶺高原 12-3 of 10 ha."""
    engine = engine_for(fresh_url)
    with unit_of_work_factory(engine)() as work:
        found = agreement(work)
        register_stand(work, party(work, INA).id, StandInput(
            "鹿嶺高原", "12", "3", StandVersion(Decimal("10"), "akamatsu", 1970, 2)), "test")
        work.commit()
    engine.dispose()
    return fresh_url, found.id


def run(url: str, *args: str) -> Result:
    return runner.invoke(app, ["--database-url", url, "import", "thinnings", *args])


def stored(url: str, agreement_id: int) -> list[tuple[Decimal, str]]:
    engine = engine_for(url)
    with engine.connect() as connection:
        found = connection.execute(select(thinnings.c.area_ha, thinnings.c.recorded_by).where(
            thinnings.c.agreement_id == agreement_id)).all()
    engine.dispose()
    return [(area, who) for area, who in found]


def test_a_log_is_imported_and_reported_on_one_line(deal: tuple[str, int], tmp_path: Path):
    url, agreement_id = deal
    log = tmp_path / "log.csv"
    log.write_bytes(GOOD.encode("cp932"))

    result = run(url, str(log), "--agreement", str(agreement_id), "--recorded-by", "ina")

    assert result.exit_code == 0, result.output
    assert result.stdout == (f"imported 2 thinning(s) into agreement {agreement_id}, "
                             "posting 10 estimate(s)\n")
    assert result.stderr == ""  # no progress bar when stderr is no terminal
    assert sorted(t.normalize() for t, _ in stored(url, agreement_id)) == [1, Decimal("2.5")]
    assert {who for _, who in stored(url, agreement_id)} == {"ina"}


def test_a_rejected_log_prints_every_problem_and_exits_2(deal: tuple[str, int],
                                                        tmp_path: Path):
    url, agreement_id = deal
    log = tmp_path / "log.csv"
    log.write_text(BAD, encoding="utf-8")

    result = run(url, str(log), "--agreement", str(agreement_id))

    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "error: log.csv: 2 problem(s), nothing imported"
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "line 2, column 面積", "line 4, column 小班"]
    assert stored(url, agreement_id) == []


def test_an_unknown_agreement_or_file_is_one_error_line(deal: tuple[str, int],
                                                       tmp_path: Path):
    url, _ = deal
    log = tmp_path / "log.csv"
    log.write_text(GOOD, encoding="utf-8")

    missing_agreement = run(url, str(log), "--agreement", "999")
    missing_file = run(url, str(tmp_path / "nope.csv"), "--agreement", "1")
    wrong_kind = run(url, str(tmp_path / "log.pdf"), "--agreement", "1")

    for result, start in ((missing_agreement, "error: agreement_id: agreement 999"),
                          (missing_file, "error: file: cannot read"),
                          (wrong_kind, "error: file: log.pdf")):
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(start), result.stderr


def test_a_header_without_rows_is_refused(deal: tuple[str, int], tmp_path: Path):
    url, agreement_id = deal
    log = tmp_path / "log.csv"
    log.write_text("団地,林班,小班,実施日,面積\n", encoding="utf-8")

    result = run(url, str(log), "--agreement", str(agreement_id))

    assert result.exit_code == 2
    assert result.stderr.startswith("error: file: the file has a header")
    assert stored(url, agreement_id) == []


def test_a_file_beyond_its_bound_is_refused_naming_the_bound(deal: tuple[str, int],
                                                             tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    url, agreement_id = deal
    monkeypatch.setenv("OFFSET_IMPORT_MAX_ROWS", "1")
    log = tmp_path / "log.csv"
    log.write_text(GOOD, encoding="utf-8")

    result = run(url, str(log), "--agreement", str(agreement_id))

    assert result.exit_code == 2
    assert result.stderr == "error: file: rows: the limit is 1 rows, found at least 2 rows\n"
    assert stored(url, agreement_id) == []
