"""The carbon accounts of an agreement and the postings that move tonnes between them."""

from __future__ import annotations

from decimal import Decimal

from offset.ledger.model import Commodity, Posting

ESTIMATED = "Assets:Carbon:Estimated"
ESTIMATED_SOURCE = "Income:Carbon:Estimated"
CERTIFIED = "Assets:Carbon:Certified"
CERTIFIED_SOURCE = "Income:Carbon:Certified"


def carbon_postings(asset: str, source: str, commodity: Commodity, tonnes: Decimal) -> tuple[
        Posting, ...]:
    """Return the two postings that move `tonnes` of `commodity` from `source` to `asset`."""
    return (Posting(asset, commodity, tonnes), Posting(source, commodity, -tonnes))
