"""The reference data shipped with offset: parameter set, yield table, emission factor sets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from offset.emissions.services import load_default_factors
from offset.forestry.reference import load_defaults

if TYPE_CHECKING:
    from offset.ports import UnitOfWork


def load_shipped(uow: UnitOfWork) -> list[str]:
    """Load every shipped data set not loaded yet; return the labels of those loaded now."""
    return load_defaults(uow) + load_default_factors(uow)
