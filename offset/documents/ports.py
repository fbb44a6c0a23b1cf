"""What the issued-report use cases need from persistence: the register, as a Protocol."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from offset.documents.model import DocumentKind, IssuedReport


class DocumentsRepository(Protocol):
    """Every agreement's issued reports with their PDFs; rows are added, never changed."""

    def add(self, report: IssuedReport, pdf: bytes) -> None:
        """Store a register row and its PDF. Raises AlreadyExists for a number taken."""

    def get(self, agreement_id: int, number: str) -> IssuedReport:
        """Return one row (replaced_by filled in). Raises ReportNotIssued."""

    def register(self, agreement_id: int) -> list[IssuedReport]:
        """Return the agreement's rows in the order issued (replaced_by filled in)."""

    def anchors(self, agreement_id: int) -> list[tuple[int, str]]:
        """Return the (seq, head) every issued report of the agreement was made at: anchors
        outside the chain, which verify checks are still in it."""

    def issued_between(self, agreement_id: int, start: datetime, end: datetime) -> int:
        """Return how many reports of the agreement were generated in [start, end)."""

    def current(self, agreement_id: int, kind: DocumentKind,
                which: int) -> IssuedReport | None:
        """Return the row in force (not replaced) for the fiscal year (annual) or term
        number (term) `which`, or None when none was issued."""

    def all_current(self) -> list[IssuedReport]:
        """Return the rows in force (not replaced) of every agreement, in the order issued."""

    def pdf(self, agreement_id: int, number: str) -> bytes:
        """Return the PDF exactly as stored. Raises ReportNotIssued."""
