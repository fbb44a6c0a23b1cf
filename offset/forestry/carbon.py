"""The carbon accounts of an agreement and the postings that move tonnes between them."""

from __future__ import annotations

from decimal import Decimal

from offset.ledger.accounts import CERTIFIED, CERTIFIED_SOURCE, ESTIMATED, ESTIMATED_SOURCE
from offset.ledger.model import Commodity, Posting

# The carbon accounts are named in the ledger's chart; they stay importable from here too.
__all__ = ["CERTIFIED", "CERTIFIED_SOURCE", "ESTIMATED", "ESTIMATED_SOURCE", "carbon_postings"]


def carbon_postings(asset: str, source: str, commodity: Commodity, tonnes: Decimal) -> tuple[
        Posting, ...]:
    """Return the two postings that move `tonnes` of `commodity` from `source` to `asset`."""
    return (Posting(asset, commodity, tonnes), Posting(source, commodity, -tonnes))
