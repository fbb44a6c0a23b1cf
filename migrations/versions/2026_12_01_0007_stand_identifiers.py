"""Stand identifiers in the form they are compared in: NFKC-normalised and trimmed.

offset now stores a stand's site, compartment and stand number as
offset.text.identifier_form gives them, so "１" and "1" name one stand. Stands stored before
keep the form they were typed in, and a new registration typed the other way would not find
them. This data migration rewrites each such stand's identifiers into the normal form.

Two stored stands that become the same stand (one typed "１", one "1") are not merged: each
has its own thinnings and estimate entries, which cite it by id in the hash chain. They are
left as they are and named in a warning, for the forestry office to sort out by hand.

The normal form is written out here, not imported: a migration must do tomorrow what it
does today, whatever the package's functions become.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import logging
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

stands = sa.table("stands", sa.column("id", sa.Integer),
                  sa.column("forest_party_id", sa.Integer), sa.column("site", sa.String),
                  sa.column("compartment", sa.String), sa.column("stand_number", sa.String))


def _normal(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def upgrade() -> None:
    db = op.get_bind()
    rows = db.execute(sa.select(stands.c.id, stands.c.forest_party_id, stands.c.site,
                                stands.c.compartment, stands.c.stand_number)
                      .order_by(stands.c.id)).all()
    by_key: dict[tuple[int, str, str, str], list[Any]] = defaultdict(list)
    for row in rows:
        by_key[(row.forest_party_id, *(_normal(v) for v in row[2:]))].append(row)
    for (_, site, compartment, number), found in by_key.items():
        if len(found) > 1:
            log.warning("stands %s of forest party %s are all %s %s林班 %s小班 once "
                        "normalised; left as stored (merge them by hand)",
                        ", ".join(str(r.id) for r in found), found[0].forest_party_id,
                        site, compartment, number)
            continue
        [row] = found
        if (row.site, row.compartment, row.stand_number) != (site, compartment, number):
            db.execute(sa.update(stands).where(stands.c.id == row.id).values(
                site=site, compartment=compartment, stand_number=number))


def downgrade() -> None:
    """Nothing to undo: the identifiers typed before are not kept, and the normal form reads
    the same under the older release."""
