"""Certification: the prefecture's certified tonnes replace a fiscal year's estimate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from offset.agreements.model import Agreement
from offset.forestry.carbon import carbon_postings
from offset.forestry.errors import AlreadyCertified, InvalidWork
from offset.ledger import services as ledger
from offset.ledger.accounts import CERTIFIED, CERTIFIED_SOURCE, ESTIMATED, ESTIMATED_SOURCE
from offset.ledger.model import (
    Commodity,
    Entry,
    EntryKind,
    JournalEntry,
    Provenance,
    provenance_details,
)
from offset.numbers import exactly

if TYPE_CHECKING:
    from offset.ports import UnitOfWork


def live_certification(uow: UnitOfWork, agreement_id: int, fiscal_year: int) -> JournalEntry | None:
    """Return the live (unreversed) certification of the agreement-year, if any."""
    live = uow.journal.live(agreement_id, fiscal_year, [EntryKind.CERTIFICATION])
    return live[0] if live else None


def certifications(uow: UnitOfWork, agreement_id: int,
                   fiscal_year: int | None = None) -> list[JournalEntry]:
    """Return the agreement's certifications that stand (not reversed), in chain order;
    only those of `fiscal_year` when given."""
    kinds = [EntryKind.CERTIFICATION]
    return (uow.journal.live_of_kind(agreement_id, kinds) if fiscal_year is None
            else uow.journal.live(agreement_id, fiscal_year, kinds))


@dataclass(frozen=True)
class Certificate:
    fiscal_year: int
    tonnes: Decimal
    body: str
    number: str
    issued_on: date
    area_ha: Decimal | None


def certify(uow: UnitOfWork, agreement: Agreement, certificate: Certificate,
            recorded_by: str, *, provenance: Provenance | None = None) -> JournalEntry:
    """Issue certified tCO2e for a fiscal year and clear that year's estimate in one entry.

    Reversing the entry restores the estimate. Raises AlreadyCertified for a year with a
    live certification, InvalidInput for a year outside the terms, OutsideFiscalYear for an
    issue date before the year starts, InvalidWork for a non-positive quantity.
    """
    fy = agreement.within_terms(certificate.fiscal_year)
    fy.check_not_before(certificate.issued_on, "issued_on")
    tonnes = exactly(certificate.tonnes, 3, field="certified")
    if tonnes <= 0:
        raise InvalidWork("must be more than 0 t-CO2", field="certified")
    for field, text in (("body", certificate.body), ("number", certificate.number)):
        if not text.strip():
            raise InvalidWork("must not be blank", field=field)
    uow.journal.lock_head(agreement.id)
    existing = live_certification(uow, agreement.id, fy.year)
    if existing is not None:
        raise AlreadyCertified(fy.year, existing.id)
    estimated = ledger.balances(uow, agreement.id, fiscal_year=fy.year).get(
        (ESTIMATED, Commodity.TCO2E_EST), Decimal("0.000"))
    postings = carbon_postings(CERTIFIED, CERTIFIED_SOURCE, Commodity.TCO2E, tonnes)
    if estimated != 0:
        postings += carbon_postings(ESTIMATED, ESTIMATED_SOURCE, Commodity.TCO2E_EST, -estimated)
    entry = Entry(
        agreement_id=agreement.id, fiscal_year=fy.year, kind=EntryKind.CERTIFICATION,
        effective_date=certificate.issued_on,
        description=f"Certified absorption {fy} ({certificate.body} {certificate.number})",
        postings=postings,
        details={**provenance_details(provenance),
                 "certified": str(tonnes), "estimated": str(estimated),
                 "difference": str(tonnes - estimated), "body": certificate.body,
                 "certificate_number": certificate.number,
                 "issued_on": certificate.issued_on.isoformat(),
                 "certified_area_ha": None if certificate.area_ha is None
                 else str(certificate.area_ha)},
        recorded_by=recorded_by)
    return ledger.post(uow, [entry])[0]
