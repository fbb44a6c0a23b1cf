"""Stand use cases: registering a stand of a forest party and recording new versions of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from offset.forestry.errors import InvalidWork
from offset.forestry.model import Stand, StandVersion, check_stand_version

if TYPE_CHECKING:
    from offset.ports import UnitOfWork


def register_stand(uow: UnitOfWork, forest_party_id: int, site: str, compartment: str,
                   stand_number: str, first: StandVersion, recorded_by: str) -> Stand:
    """Register a stand of `forest_party_id`. Raises InvalidWork, AlreadyExists."""
    for field, text in (("site", site), ("compartment", compartment),
                        ("stand_number", stand_number)):
        if not text.strip():
            raise InvalidWork("must not be blank", field=field)
    check_stand_version(first, uow.forestry.parameter_set().species)
    return uow.forestry.add_stand(forest_party_id, site.strip(), compartment.strip(),
                                  stand_number.strip(), first, recorded_by)


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
