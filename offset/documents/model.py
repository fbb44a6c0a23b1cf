"""An issued report as a register row: its number, what it covers, where in the chain it was
made, and the SHA-256 of its PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from offset.fiscal import JST


class DocumentKind(StrEnum):
    ANNUAL = "annual"
    TERM = "term"


@dataclass(frozen=True)
class IssuedReport:
    """One row of an agreement's register of issued reports (発行簿).

    An annual report names its `fiscal_year`, a term report its `term_number` (and, as
    `fiscal_year`, the term's last year, the year its issue is recorded in). `made_at_seq`
    and `made_at_head` are the chain head the report was built at, before its own
    report-issue entry `entry_id`. A re-issue (再発行) names the number it `replaces` and
    the `reason`; `replaced_by` is filled in when a later row replaces this one.
    """

    number: str
    agreement_id: int
    kind: DocumentKind
    fiscal_year: int
    term_number: int | None
    made_at_seq: int
    made_at_head: str
    generated_at: datetime  # UTC, to the second
    sha256: str
    issued_by: str
    entry_id: int
    replaces: str | None = None
    reason: str | None = None
    replaced_by: str | None = None

    @property
    def generated_in_japan(self) -> datetime:
        return self.generated_at.astimezone(JST)

    @property
    def filename(self) -> str:
        return f"offset-agreement-{self.agreement_id}-{self.number}.pdf"


def issue_year(moment: datetime) -> int:
    """Return the calendar year in Japan at `moment`: serials run per year of issue (JST)."""
    return moment.astimezone(JST).year


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """Return the UTC instants at which calendar year `year` starts and ends in Japan."""
    start = datetime(year, 1, 1, tzinfo=JST).astimezone(UTC)
    return start, datetime(year + 1, 1, 1, tzinfo=JST).astimezone(UTC)


def issue_details(kind: DocumentKind, number: str, sha256: str, made_at_seq: int,
                  made_at_head: str, replaces: str | None, reason: str | None,
                  term_number: int | None) -> dict[str, Any]:
    """Return the details of the report-issue entry that records an issue in the chain."""
    details: dict[str, Any] = {"number": number, "kind": kind.value, "sha256": sha256,
                               "made_at_seq": made_at_seq, "made_at_head": made_at_head,
                               "replaces": replaces}
    if term_number is not None:
        details["term_number"] = term_number
    if reason is not None:
        details["reason"] = reason
    return details
