"""The register of issued reports: rows with their PDF bytes, added and never changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, and_, exists, func, insert, select
from sqlalchemy.exc import IntegrityError

from offset.db.tables import issued_reports
from offset.documents.errors import ReportNotIssued
from offset.documents.model import DocumentKind, IssuedReport
from offset.errors import AlreadyExists

_later = issued_reports.alias("later")
# Every column but the PDF (a register lists rows; only a download reads the bytes), and
# the number of the row that replaced it, if any.
_REPLACED_BY = (select(_later.c.number)
                .where(_later.c.agreement_id == issued_reports.c.agreement_id,
                       _later.c.replaces == issued_reports.c.number)
                .scalar_subquery().label("replaced_by"))
_ROW = [c for c in issued_reports.c if c.name != "pdf"] + [_REPLACED_BY]


class SqlDocuments:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, report: IssuedReport, pdf: bytes) -> None:
        """Store a register row and its PDF. Raises AlreadyExists for a number taken."""
        values = {
            "agreement_id": report.agreement_id, "number": report.number,
            "kind": report.kind.value, "fiscal_year": report.fiscal_year,
            "term_number": report.term_number, "made_at_seq": report.made_at_seq,
            "made_at_head": report.made_at_head, "generated_at": report.generated_at,
            "sha256": report.sha256, "pdf": pdf, "issued_by": report.issued_by,
            "entry_id": report.entry_id, "replaces": report.replaces, "reason": report.reason}
        try:
            with self._db.begin_nested():
                self._db.execute(insert(issued_reports).values(**values))
        except IntegrityError:
            # Issues of one agreement take its chain lock, so only a number repeated by the
            # agreement's own pattern, or a second re-issue of one report, gets here.
            raise AlreadyExists("report", report.replaces or report.number,
                                field="number") from None

    def get(self, agreement_id: int, number: str) -> IssuedReport:
        row = self._db.execute(self._rows(agreement_id).where(
            issued_reports.c.number == number)).one_or_none()
        if row is None:
            raise ReportNotIssued(agreement_id, number)
        return _report(row)

    def register(self, agreement_id: int) -> list[IssuedReport]:
        rows = self._db.execute(self._rows(agreement_id).order_by(issued_reports.c.id))
        return [_report(row) for row in rows]

    def anchors(self, agreement_id: int) -> list[tuple[int, str]]:
        query = select(issued_reports.c.made_at_seq, issued_reports.c.made_at_head).where(
            issued_reports.c.agreement_id == agreement_id)
        return [(seq, head) for seq, head in self._db.execute(query)]

    def issued_between(self, agreement_id: int, start: datetime, end: datetime) -> int:
        count = self._db.execute(select(func.count()).where(
            issued_reports.c.agreement_id == agreement_id,
            issued_reports.c.generated_at >= start,
            issued_reports.c.generated_at < end)).scalar_one()
        return int(count)

    def current(self, agreement_id: int, kind: DocumentKind,
                which: int) -> IssuedReport | None:
        column = (issued_reports.c.fiscal_year if kind is DocumentKind.ANNUAL
                  else issued_reports.c.term_number)
        replaced = exists().where(and_(_later.c.agreement_id == issued_reports.c.agreement_id,
                                       _later.c.replaces == issued_reports.c.number))
        row = self._db.execute(self._rows(agreement_id).where(
            issued_reports.c.kind == kind.value, column == which, ~replaced)).first()
        return None if row is None else _report(row)

    def all_current(self) -> list[IssuedReport]:
        replaced = exists().where(and_(_later.c.agreement_id == issued_reports.c.agreement_id,
                                       _later.c.replaces == issued_reports.c.number))
        rows = self._db.execute(select(*_ROW).where(~replaced).order_by(issued_reports.c.id))
        return [_report(row) for row in rows]

    def pdf(self, agreement_id: int, number: str) -> bytes:
        found = self._db.execute(select(issued_reports.c.pdf).where(
            issued_reports.c.agreement_id == agreement_id,
            issued_reports.c.number == number)).scalar_one_or_none()
        if found is None:
            raise ReportNotIssued(agreement_id, number)
        return bytes(found)

    @staticmethod
    def _rows(agreement_id: int) -> Select[Any]:
        return select(*_ROW).where(issued_reports.c.agreement_id == agreement_id)


def _report(row: Row[Any]) -> IssuedReport:
    return IssuedReport(
        number=row.number, agreement_id=row.agreement_id, kind=DocumentKind(row.kind),
        fiscal_year=row.fiscal_year, term_number=row.term_number,
        made_at_seq=row.made_at_seq, made_at_head=row.made_at_head,
        generated_at=row.generated_at, sha256=row.sha256, issued_by=row.issued_by,
        entry_id=row.entry_id, replaces=row.replaces, reason=row.reason,
        replaced_by=row.replaced_by)
