"""Stand use cases: registering a stand of a forest party and recording new versions of it."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from offset.forestry.errors import InvalidWork
from offset.forestry.model import Stand, StandInput, StandVersion, check_stand_version
from offset.text import identifier

if TYPE_CHECKING:
    from offset.ports import UnitOfWork


def register_stand(uow: UnitOfWork, forest_party_id: int, given: StandInput,
                   recorded_by: str) -> Stand:
    """Register a stand of `forest_party_id` under its key made identifier-normal (NFKC,
    trimmed), so "１" and "1" name one stand. Raises InvalidWork, InvalidInput, AlreadyExists.
    """
    key = stand_key(given.site, given.compartment, given.stand_number)
    check_stand_version(given.first, uow.forestry.parameter_set().species)
    return uow.forestry.add_stand(forest_party_id, *key, given.first, recorded_by)


def stand_key(site: str, compartment: str, stand_number: str) -> tuple[str, str, str]:
    """Return the key a stand is stored and looked up by: each part NFKC and trimmed.

    Raises InvalidWork naming the part that is blank, InvalidInput for unclean text.
    """
    parts = (("site", site), ("compartment", compartment), ("stand_number", stand_number))
    for field, text in parts:
        if not unicodedata.normalize("NFKC", text).strip():
            raise InvalidWork("must not be blank", field=field)
    normal = tuple(identifier(text, field) for field, text in parts)
    return normal[0], normal[1], normal[2]


def revise_stand(uow: UnitOfWork, stand: Stand, revised: StandVersion,
                 recorded_by: str) -> Stand:
    """Record a new version of `stand`; earlier versions (and work logged on them) stay."""
    check_stand_version(revised, uow.forestry.parameter_set().species)
    uow.forestry.lock_stand(stand.id)
    return uow.forestry.add_stand_version(stand.id, revised, recorded_by)


def stand(uow: UnitOfWork, stand_id: int, version: int | None = None) -> Stand:
    """Return a stand at `version` (the latest when None), whatever its party. Raises NotFound."""
    return uow.forestry.stand(stand_id, version)


def party_stands(uow: UnitOfWork, forest_party_id: int) -> list[Stand]:
    """Return the forest party's stands, each at its latest version, by id."""
    return uow.forestry.stands(forest_party_id)
