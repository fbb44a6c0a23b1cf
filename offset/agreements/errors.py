"""Agreement errors: offset.errors' tree, extended for an agreement's terms.

    InvalidInput
    └── OutsideTerms    no term of the agreement covers the fiscal year (422, field
                        fiscal_year); members: fiscal_year, terms
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from offset.errors import InvalidInput

if TYPE_CHECKING:
    from offset.agreements.model import Term


class OutsideTerms(InvalidInput):
    """FY `fiscal_year` is in none of the agreement's `terms`."""

    title = "Outside the agreement's terms"
    code = "outside-terms"
    members = ("fiscal_year", "terms")

    def __init__(self, fiscal_year: int, terms: tuple[Term, ...]) -> None:
        super().__init__(field="fiscal_year")
        self.fiscal_year = fiscal_year
        self.terms = terms

    @property
    def detail(self) -> str:
        return f"FY{self.fiscal_year} is outside the agreement's terms"
