"""Money errors: subsidies and the costs they fund, in offset.errors' tree.

    Conflict
    ├── SubsidyExceedsCosts     the subsidies of some costs would exceed them (409)
    │                           members: cap, requested, cost_ids
    └── LedgerConflict
        └── ReversalRefused     (offset.ledger.errors) members: entry_id
            └── CostFunded      a live subsidy funds the cost; + subsidy_ids (409)
"""

from __future__ import annotations

from offset.errors import Conflict
from offset.ledger.errors import ReversalRefused


class SubsidyExceedsCosts(Conflict):
    """Subsidies of `requested` yen would fund costs `cost_ids` of `cap` yen."""

    title = "Subsidy exceeds costs"
    code = "subsidy-exceeds-costs"
    members = ("cap", "requested", "cost_ids")

    def __init__(self, cap: int, requested: int, cost_ids: list[int]) -> None:
        super().__init__(field="amount")
        self.cap = cap
        self.requested = requested
        self.cost_ids = cost_ids

    @property
    def detail(self) -> str:
        return (f"subsidies of {self.requested} yen would exceed the {self.cap} yen of costs "
                f"{self.cost_ids} they fund")


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
