"""Council errors: offset.errors' tree, extended for the council's grants.

    Conflict
    └── NotCertified    the partnership has no certification valid on the day of a grant
                        (409, field received_on); members: agreement_id, received_on
"""

from __future__ import annotations

from datetime import date

from offset.errors import Conflict


class NotCertified(Conflict):
    """The council grants only to a partnership it certified: none of agreement
    `agreement_id`'s certifications is valid on `received_on`."""

    title = "Partnership not certified"
    code = "not-certified"
    members = ("agreement_id", "received_on")

    def __init__(self, agreement_id: int, received_on: date) -> None:
        super().__init__(field="received_on")
        self.agreement_id = agreement_id
        self.received_on = received_on

    @property
    def detail(self) -> str:
        return (f"the partnership of agreement {self.agreement_id} has no council "
                f"certification valid on {self.received_on.isoformat()}: the council grants "
                "only to certified partnerships")
