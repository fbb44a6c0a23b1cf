"""What the council's use cases need from persistence: its certifications of partnerships."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from offset.council.model import PartnershipCertification


class CouncilRepository(Protocol):
    """The council's certifications: added, never changed."""

    def add_certification(self, certification: PartnershipCertification,
                          recorded_by: str) -> PartnershipCertification:
        """Store a certification; return it with its id. Raises AlreadyExists when its
        number is taken."""

    def certifications(self, agreement_ids: Iterable[int] | None = None
                       ) -> list[PartnershipCertification]:
        """Return the certifications of the agreements (all when None), by id."""
