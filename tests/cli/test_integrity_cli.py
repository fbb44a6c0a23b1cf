"""`offset verify` and `offset summary` name a forestry row edited behind offset's back, in the
same one-line form as a broken chain (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from offset import integrity
from offset.db.uow import unit_of_work_factory
from offset.forestry.thinnings import log_thinning
from tests.builders import stand, thinning, urban_agreement
from tests.cli.running import assert_one_line_error, offset, ok
from tests.databases import engine_for


@pytest.fixture
def tampered(fresh_url: str) -> tuple[str, int, int, int]:
    """A per-area-rate agreement with 5 ha thinned in FY2010, then the work's area ×10 by SQL.

    Returns the URL, the thinning's id and the id and seq of its first estimate entry."""
    integrity.forget()  # the tests of this process share its cache
    engine = engine_for(fresh_url)
    try:
        with unit_of_work_factory(engine)() as uow:
            deal = urban_agreement(uow)
            logged = log_thinning(uow, deal, thinning(deal.id, stand(uow).id, "5", 2010),
                                  "forestry")
            uow.commit()
        with engine.begin() as connection:
            connection.execute(text("UPDATE thinnings SET area_ha = area_ha * 10"))
    finally:
        engine.dispose()
    first = logged.estimates[0]
    return fresh_url, logged.thinning.id, first.id, first.seq


def test_verify_exits_1_naming_the_thinning_and_the_entry(tampered: tuple[str, int, int, int]):
    url, thinning_id, entry_id, seq = tampered
    result = offset(url, "verify")
    assert_one_line_error(result, 1, "ledger: 1 of 1 chains broken")
    reason = (f"thinning {thinning_id} no longer matches entry {entry_id}: area (ha) is 50, "
              "the entry recorded 5")
    assert f"first bad entry {entry_id} (seq {seq}) of agreement 1: {reason}" in result.stderr
    assert f"BROKEN at entry {entry_id} (seq {seq}): {reason}" in result.stdout


def test_the_summary_says_its_figures_cannot_be_trusted(tampered: tuple[str, int, int, int]):
    url, thinning_id, entry_id, seq = tampered
    shown = ok(url, "summary", "--agreement", "1", "--fy", "2010")
    assert (f"integrity: BROKEN at entry {entry_id} (seq {seq}): thinning {thinning_id} no "
            "longer matches") in " ".join(shown.split())


def test_an_intact_summary_says_ok(fresh_url: str):
    engine = engine_for(fresh_url)
    try:
        with unit_of_work_factory(engine)() as uow:
            urban_agreement(uow)
            uow.commit()
    finally:
        engine.dispose()
    assert "integrity: OK" in ok(fresh_url, "summary", "--agreement", "1", "--fy", "2010")
