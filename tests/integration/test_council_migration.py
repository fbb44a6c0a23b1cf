"""Migration 0011 on a database holding the demo: the users table is rebuilt on SQLite (its
role check gains `council`) with every user, token and password kept under its id, so the
demo's tokens still authenticate and its chain and figures are unchanged; a council user
can then be added; on the way down the council's users go with the role.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from offset.access import services as access
from offset.access.model import Role
from offset.db.migrate import downgrade, upgrade
from offset.db.tables import users
from offset.db.uow import unit_of_work_factory
from offset.demo.builder import build
from offset.ledger import services as ledger
from offset.netting.services import fiscal_year_summary
from tests.databases import engine_for, fresh_database


def test_the_users_survive_the_new_role_and_the_demo_is_unchanged(backend: str,
                                                                  tmp_path: Path):
    with fresh_database(backend, tmp_path, migrate=False) as url:
        upgrade(url=url, revision="0010")
        engine = engine_for(url)
        try:
            # The demo as a database of 0010 held it: its council user is not there yet.
            upgrade(url=url)
            uow = unit_of_work_factory(engine)
            with uow() as work:
                built = build(work)
                work.commit()
            engine.dispose()
            downgrade(url=url, revision="0010")
            with engine.connect() as db:
                before = db.execute(select(users).order_by(users.c.id)).all()
            with uow(read_only=True) as work:
                heads_before = ledger.verify(work, [built.agreement.id]).heads
                summary_before = fiscal_year_summary(work, built.agreement, 2013)
            engine.dispose()

            upgrade(url=url)

            with engine.connect() as db:
                assert db.execute(select(users).order_by(users.c.id)).all() == before
            with uow() as work:
                for name, token in built.tokens.items():
                    if name in {row.name for row in before}:
                        assert access.authenticate(work, token).name == name
                verified = ledger.verify(work, [built.agreement.id])
                assert verified.ok and verified.heads == heads_before
                assert fiscal_year_summary(work, built.agreement, 2013) == summary_before
                access.add_user(work, "national-council", Role.COUNCIL)
                work.commit()
            engine.dispose()

            downgrade(url=url, revision="0010")

            with engine.connect() as db:
                assert db.execute(select(func.count()).select_from(users).where(
                    users.c.role == "council")).scalar_one() == 0
                assert db.execute(select(users.c.name).order_by(users.c.id)).scalars().all() \
                    == [row.name for row in before]
        finally:
            engine.dispose()
