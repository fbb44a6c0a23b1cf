"""Money errors: subsidies and the costs they fund, in offset.errors' tree.

    Conflict
    ├── SubsidyExceedsCosts     the subsidies of some costs would exceed them (409)
    │                           members: cap, requested, cost_ids, fiscal_year, recipient
    └── LedgerConflict
        └── ReversalRefused     (offset.ledger.errors) members: entry_id
            └── CostFunded      a live subsidy funds the cost; + subsidy_ids (409)
"""

from __future__ import annotations

from offset.errors import Conflict
from offset.ledger.errors import ReversalRefused


class SubsidyExceedsCosts(Conflict):
    """Subsidies of `requested` yen would fund costs `cost_ids` of `cap` yen.

    Against the recipient's costs of a year (a subsidy naming no costs, or any subsidy once
    one naming none has drawn on them), `fiscal_year` and `recipient` are given: `cap` is what
    its costs `cost_ids` of that year leave unfunded and `requested` the amount asked.
    """

    title = "Subsidy exceeds costs"
    code = "subsidy-exceeds-costs"
    members = ("cap", "requested", "cost_ids", "fiscal_year", "recipient")

    def __init__(self, cap: int, requested: int, cost_ids: list[int], *,
                 fiscal_year: int | None = None, recipient: str | None = None) -> None:
        super().__init__(field="amount")
        self.cap = cap
        self.requested = requested
        self.cost_ids = cost_ids
        self.fiscal_year = fiscal_year
        self.recipient = recipient

    @property
    def detail(self) -> str:
        if self.fiscal_year is None:
            return (f"subsidies of {self.requested} yen would exceed the {self.cap} yen of "
                    f"costs {self.cost_ids} they fund")
        return (f"a subsidy of {self.requested} yen exceeds the {self.cap} yen of "
                f"FY{self.fiscal_year} costs borne by the {self.recipient} side not yet funded")


class CostFunded(ReversalRefused):
    title = "Cost funded"
    code = "cost-funded"
    members = ("entry_id", "subsidy_ids")

    def __init__(self, entry_id: int, subsidy_ids: list[int]) -> None:
        super().__init__(entry_id, field="entry_id")
        self.subsidy_ids = subsidy_ids

    @property
    def detail(self) -> str:
        return (f"cost entry {self.entry_id} is funded by subsidy entr(ies) "
                f"{self.subsidy_ids}; reverse those subsidies first")
