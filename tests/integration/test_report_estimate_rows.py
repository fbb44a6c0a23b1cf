"""The report's absorption table finds an estimate's inputs by key, on SQLite and PostgreSQL:
labels reworded in new entries, and label-only rows of entries stored before keys existed,
both fill every column.

The case: 2.5 ha of 40-year-old sugi (planted 1970), site class 2, thinned in FY2009; its
inputs are those of tests/unit/test_estimate_rows.py (age classes 8 → 9, 354.5 → 412.5 m3/ha).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from offset.db.uow import UnitOfWorkFactory
from offset.forestry import absorption
from offset.forestry.thinnings import log_thinning
from offset.ledger import accounts
from offset.ledger import services as ledger
from offset.ledger.model import Commodity, Entry, EntryKind, Posting
from reports import build_annual
from tests.builders import agreement, stand, thinning
from tests.unit.test_estimate_rows import SUGI_40, SUGI_40_COLUMNS, old_style

FY = 2009
COLUMNS = tuple(SUGI_40_COLUMNS)
VOLUMES = [(8, Decimal("354.5")), (9, Decimal("412.5"))]
ROW = absorption.Row


def reworded(*args: Any, **kwargs: Any) -> absorption.Row:
    """A Row whose label is worded anew, as a later release might word it."""
    row = ROW(*args, **kwargs)
    return row._replace(name=f"{row.name} (new wording)")


def test_reworded_labels_change_no_stored_entry_and_leave_every_column_filled(
        uow: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(absorption, "Row", reworded)
    with uow() as work:
        deal = agreement(work)
        sugi = stand(work, species="sugi", planting_year=1970, site_class=2)
        logged = log_thinning(work, deal, thinning(deal.id, sugi.id, "2.5", FY), "forestry")
        report = build_annual(work, deal, FY)
    stored = logged.estimates[0].entry
    assert "new wording" not in stored.details_json  # labels are the method's, not stored
    assert [key for key, _ in stored.details["inputs"]] == [row[0] for row in SUGI_40]
    section = report.section("absorption")
    [row] = section.table("estimates").rows
    assert {c: row[c] for c in COLUMNS} == SUGI_40_COLUMNS
    assert [(r["age_class"], r["volume"]) for r in section.table("yield").rows] == VOLUMES


def test_an_entry_stored_before_rows_had_keys_still_fills_every_column(
        uow: UnitOfWorkFactory):
    tonnes = Decimal("26.181")
    with uow() as work:
        deal = agreement(work)
        ledger.post(work, [Entry(
            deal.id, FY, EntryKind.ESTIMATE, date(FY, 11, 30), "estimate stored before keys",
            (Posting(accounts.ESTIMATED, Commodity.TCO2E_EST, tonnes),
             Posting(accounts.ESTIMATED_SOURCE, Commodity.TCO2E_EST, -tonnes)),
            details={**old_style(SUGI_40), "method_version": "1",
                     "parameter_set": "jp-nir-default@1",
                     "yield_table": "illustrative-richards@1", "tonnes": str(tonnes)},
            recorded_by="forestry")])
        report = build_annual(work, deal, FY)
    section = report.section("absorption")
    [row] = section.table("estimates").rows
    assert {c: row[c] for c in COLUMNS} == SUGI_40_COLUMNS
    assert row["tonnes"] == tonnes
    assert [(r["age_class"], r["volume"]) for r in section.table("yield").rows] == VOLUMES
