"""Migration 0007 on a database holding the demo: stands stored before identifiers were
normalised get their NFKC, trimmed form; two stands that become one are left as stored; the
demo's chain and figures are unchanged; and the normal form then refuses a second
registration typed the other way (409).

The expected forms are written out by hand: full-width "９９" is "99", "１２" is "12",
"ＲＴ" is "RT", and the ideographic space around "向山" is trimmed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from offset.db.migrate import downgrade, upgrade
from offset.db.tables import stands
from offset.db.uow import unit_of_work_factory
from offset.demo.builder import build
from offset.errors import AlreadyExists
from offset.forestry.model import StandInput, StandVersion
from offset.forestry.stands import register_stand
from offset.ledger import services as ledger
from offset.netting.services import fiscal_year_summary
from tests.databases import engine_for, fresh_database

TYPED_BEFORE = [  # (site, compartment, stand number) as stored before 0007
    ("伊那富士", "９９", "１２"),
    ("\u3000向山\u3000", "98", "1"),
    ("ＲＴ", "97", "1"),
    ("RT", "97", "1"),
]


def test_stored_stands_take_the_normal_form_and_the_demo_is_unchanged(backend: str,
                                                                       tmp_path: Path):
    with fresh_database(backend, tmp_path, migrate=False) as url:
        # The demo is built by today's code, so at head; then the schema goes back to what
        # 0007 upgrades (the later revisions only add columns, dropped on the way down).
        upgrade(url=url)
        engine = engine_for(url)
        try:
            uow = unit_of_work_factory(engine)
            with uow() as work:
                built = build(work)
                work.commit()
            with uow(read_only=True) as work:
                heads_before = ledger.verify(work, [built.agreement.id]).heads
                summary_before = fiscal_year_summary(work, built.agreement, 2013)
            engine.dispose()
            downgrade(url=url, revision="0006")
            forest = built.agreement.forest_party_id
            with engine.begin() as db:
                ids = [db.execute(insert(stands).values(
                    forest_party_id=forest, site=site, compartment=compartment,
                    stand_number=number, created_at=datetime(2015, 4, 1, tzinfo=UTC))
                    .returning(stands.c.id)).scalar_one()
                    for site, compartment, number in TYPED_BEFORE]
            upgrade(url=url)

            with engine.connect() as db:
                stored = {row.id: (row.site, row.compartment, row.stand_number)
                          for row in db.execute(select(stands).where(stands.c.id.in_(ids)))}
            assert [stored[i] for i in ids] == [
                ("伊那富士", "99", "12"), ("向山", "98", "1"),
                ("ＲＴ", "97", "1"), ("RT", "97", "1")]  # the pair that became one: as stored
            with uow(read_only=True) as work:
                verified = ledger.verify(work, [built.agreement.id])
                assert verified.ok and verified.heads == heads_before
                assert fiscal_year_summary(work, built.agreement, 2013) == summary_before
            with uow() as work, pytest.raises(AlreadyExists):
                register_stand(work, forest, StandInput(
                    "伊那富士", "99", "12", StandVersion(Decimal("1"), "sugi", 1990, 2, None)),
                    "forestry")
        finally:
            engine.dispose()
