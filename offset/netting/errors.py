"""Netting errors: retirements and the reversals netting forbids, in offset.errors' tree.

    Conflict
    ├── CreditsInsufficient     too few eligible certified credits for a retirement (409)
    │                           members: fiscal_year, vintage, available, requested
    ├── EmissionsExceeded       a retirement beyond the year's emissions not yet offset (409)
    │                           members: fiscal_year, unoffset, requested
    └── LedgerConflict
        └── ReversalRefused     (offset.ledger.errors) members: entry_id
            ├── CreditsRetired      the certification's credits are retired; + fiscal_year,
            │                       retirement_ids (409)
            ├── EmissionsOffset     the year's retirements need these emissions; + fiscal_year,
            │                       retired, remaining (409)
            └── EstimateCertified   the year's certification already cleared the estimate;
                                    + fiscal_year, certification_id (409)
"""

from __future__ import annotations

from decimal import Decimal

from offset.errors import Conflict
from offset.ledger.errors import ReversalRefused


class CreditsInsufficient(Conflict):
    """Only `available` t of credits (of `vintage`, if one was asked) may offset FY
    `fiscal_year`; `requested` t were asked."""

    title = "Credits insufficient"
    code = "credits-insufficient"
    members = ("fiscal_year", "vintage", "available", "requested")

    def __init__(self, fiscal_year: int, vintage: int | None, available: Decimal,
                 requested: Decimal) -> None:
        super().__init__(field="quantity")
        self.fiscal_year = fiscal_year
        self.vintage = vintage
        self.available = available
        self.requested = requested

    @property
    def detail(self) -> str:
        source = "" if self.vintage is None else f" from FY{self.vintage}"
        return (f"only {self.available} t of certified credits are available for "
                f"FY{self.fiscal_year}{source}; {self.requested} t asked")


class EmissionsExceeded(Conflict):
    """FY `fiscal_year` has `unoffset` t of recorded emissions left; `requested` t asked."""

    title = "Emissions exceeded"
    code = "emissions-exceeded"
    members = ("fiscal_year", "unoffset", "requested")

    def __init__(self, fiscal_year: int, unoffset: Decimal, requested: Decimal) -> None:
        super().__init__(field="quantity")
        self.fiscal_year = fiscal_year
        self.unoffset = unoffset
        self.requested = requested

    @property
    def detail(self) -> str:
        return (f"FY{self.fiscal_year} has {self.unoffset} t of recorded emissions not yet "
                f"offset; {self.requested} t asked")


class CreditsRetired(ReversalRefused):
    title = "Credits retired"
    code = "credits-retired"
    members = ("entry_id", "fiscal_year", "retirement_ids")

    def __init__(self, entry_id: int, fiscal_year: int, retirement_ids: list[int]) -> None:
        super().__init__(entry_id, field="entry_id")
        self.fiscal_year = fiscal_year
        self.retirement_ids = retirement_ids

    @property
    def detail(self) -> str:
        return (f"credits of FY{self.fiscal_year} certified by entry {self.entry_id} are "
                f"retired by entr(ies) {self.retirement_ids}; reverse those retirements first")


class EmissionsOffset(ReversalRefused):
    title = "Emissions offset"
    code = "emissions-offset"
    members = ("entry_id", "fiscal_year", "retired", "remaining")

    def __init__(self, entry_id: int, fiscal_year: int, retired: Decimal,
                 remaining: Decimal) -> None:
        super().__init__(entry_id, field="entry_id")
        self.fiscal_year = fiscal_year
        self.retired = retired
        self.remaining = remaining

    @property
    def detail(self) -> str:
        return (f"FY{self.fiscal_year} has {self.retired} t retired against its emissions; "
                f"without entry {self.entry_id} only {self.remaining} t would remain; "
                "reverse retirements first")


class EstimateCertified(ReversalRefused):
    title = "Estimate certified"
    code = "estimate-certified"
    members = ("entry_id", "fiscal_year", "certification_id")

    def __init__(self, entry_id: int, fiscal_year: int, certification_id: int) -> None:
        super().__init__(entry_id, field="entry_id")
        self.fiscal_year = fiscal_year
        self.certification_id = certification_id

    @property
    def detail(self) -> str:
        return (f"FY{self.fiscal_year} is certified (entry {self.certification_id}), which "
                "already cleared this estimate; reverse the certification first")
