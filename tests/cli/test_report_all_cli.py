"""`offset report all`: every annual and term report of every agreement, the same documents
`offset report annual|term` write, whether rendered in worker processes or here."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from offset.cli import report as report_cli
from offset.db.uow import unit_of_work_factory
from offset.ledger import services as ledger
from tests.builders import MATSUMOTO, agreement, cost_entry
from tests.cli.running import ok
from tests.databases import engine_for


@pytest.fixture
def two_agreements(fresh_url: str) -> str:
    """Agreement 1 (FY2009–2013 and FY2014–2015) holding a cost in FY2010 and agreement 2
    (FY2017–2018, another forest) holding none."""
    engine = engine_for(fresh_url)
    try:
        with unit_of_work_factory(engine)() as uow:
            first = agreement(uow, terms=((2009, 2013), (2014, 2015)))
            agreement(uow, forest=MATSUMOTO, terms=((2017, 2018),))
            ledger.post(uow, [cost_entry(first.id, 1_234_000, 2010)])
            uow.commit()
    finally:
        engine.dispose()
    return fresh_url


# By hand from the fixture: 7 + 2 annual reports, 2 + 1 term reports.
EXPECTED = ({f"offset-agreement-1-annual-FY{y}.pdf" for y in range(2009, 2016)}
            | {"offset-agreement-2-annual-FY2017.pdf", "offset-agreement-2-annual-FY2018.pdf",
               "offset-agreement-1-term-1.pdf", "offset-agreement-1-term-2.pdf",
               "offset-agreement-2-term-1.pdf"})


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes()))
                     .pages)


@pytest.mark.parametrize("cpus", [1, 2], ids=["here", "in-workers"])
def test_report_all_writes_every_report_of_every_agreement(
        two_agreements: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpus: int):
    monkeypatch.setattr(report_cli.os, "cpu_count", lambda: cpus)
    out = tmp_path / "all"
    shown = ok(two_agreements, "report", "all", "--out", str(out))
    assert shown.strip() == f"wrote {len(EXPECTED)} reports into {out}"
    assert {p.name for p in out.iterdir()} == EXPECTED
    single = tmp_path / "fy2010.pdf"
    ok(two_agreements, "report", "annual", "--agreement", "1", "--fy", "2010",
       "-o", str(single))
    written = _text(out / "offset-agreement-1-annual-FY2010.pdf")
    assert "1,234,000" in written
    # The same document but for the minute it was made at (both name it on the first page).
    assert len(written.splitlines()) == len(_text(single).splitlines())


def test_report_all_of_one_agreement_as_workbooks(two_agreements: str, tmp_path: Path):
    out = tmp_path / "xlsx"
    ok(two_agreements, "report", "all", "--agreement", "2", "--out", str(out),
       "--format", "xlsx")
    assert {p.name for p in out.iterdir()} == {
        "offset-agreement-2-annual-FY2017.xlsx", "offset-agreement-2-annual-FY2018.xlsx",
        "offset-agreement-2-term-1.xlsx"}
    assert all(p.read_bytes()[:2] == b"PK" for p in out.iterdir())
