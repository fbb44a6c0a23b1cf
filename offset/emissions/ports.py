"""What the emission use cases need from persistence: the repository of factor sets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from offset.emissions.model import Factor


class EmissionsRepository(Protocol):
    """Emission factor sets: each set id is one edition, never changed."""

    def add_factor_sets(self, sets: Mapping[str, Mapping[str, Factor]]) -> None:
        """Store new factor sets. Raises AlreadyExists when a set id is already loaded."""

    def factor(self, set_id: str, activity: str) -> Factor:
        """Return one factor. Raises InvalidInput naming the set or the activity."""

    def factors(self) -> list[Factor]:
        """Return every loaded factor, by set and activity."""
