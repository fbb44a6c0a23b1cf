"""Stand use cases: registering a stand of a forest party and recording new versions of it."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from offset.errors import InvalidInput
from offset.fiscal import MAX_YEAR, MIN_YEAR
from offset.forestry.errors import DoubleCounting, EnrolledElsewhere, InvalidWork
from offset.forestry.model import (
    Enrollment,
    Stand,
    StandInput,
    StandVersion,
    check_stand_version,
)
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


def enroll_stand(uow: UnitOfWork, stand: Stand, given: Enrollment,
                 recorded_by: str) -> Enrollment:
    """Record that `stand` is enrolled in another scheme's project for the years given; from
    then on no agreement may credit it for those years, so the same tonnes are never both
    certified for an offset agreement and issued by the other scheme.

    Raises InvalidWork / InvalidInput for a blank or unclean name or bad years,
    EnrolledElsewhere when another enrollment of the stand covers one of the years,
    DoubleCounting when an agreement already credits the stand in one of them.
    """
    texts = {}
    for field, text in (("scheme", given.scheme), ("methodology", given.methodology),
                        ("project_number", given.project_number)):
        if not unicodedata.normalize("NFKC", text).strip():
            raise InvalidWork("must not be blank", field=field)
        texts[field] = identifier(text, field)
    for field, year in (("first_fy", given.first_fy), ("last_fy", given.last_fy)):
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidInput(f"must be a fiscal year {MIN_YEAR}..{MAX_YEAR}", field=field)
    if given.last_fy < given.first_fy:
        raise InvalidInput("must not come before first_fy", field="last_fy")
    enrollment = Enrollment(stand.id, texts["scheme"], texts["methodology"],
                            texts["project_number"], given.first_fy, given.last_fy)
    uow.forestry.lock_stand(stand.id)
    years = set(enrollment.years)
    for other in uow.forestry.enrollments([stand.id]):
        if overlap := sorted(years & set(other.years)):
            raise EnrolledElsewhere(stand.id, overlap, other.scheme, other.project_number)
    for work, window in uow.forestry.thinnings_of_stand(stand.id):
        if overlap := sorted(years & set(work.credited_years(window))):
            raise DoubleCounting(stand.id, overlap, work.agreement_id, work.id)
    return uow.forestry.add_enrollment(enrollment, recorded_by)


def stand_enrollments(uow: UnitOfWork, stand_id: int) -> list[Enrollment]:
    """Return the stand's enrollments in other schemes' projects, in the order recorded."""
    return uow.forestry.enrollments([stand_id])
