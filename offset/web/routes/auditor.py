"""The auditor's pages: issued and on-demand reports, verifying the chain, the journal browser and
the exports.

Every role that may see an agreement reads its reports, journal and exports in the API
(offset.api.routes.documents, reports, journal, exports), so these pages admit the same
people; the auditor's nav links to them. Downloads answer with the file's media type and a
Content-Disposition name, behind the session cookie (not a bearer token).

Verifying writes nothing, so it is a GET form (no CSRF token, which would leak into the URL
and the history for nothing to protect): the result can be reloaded and bookmarked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from offset import integrity
from offset.access.model import Role
from offset.api.deps import MAX_BIG_ID, EntryId, Work
from offset.db.uow import UnitOfWorkFactory
from offset.documents import services as documents
from offset.documents.model import IssuedReport
from offset.errors import InvalidInput, NotFound, OffsetError
from offset.exports import beancount_export, csv_export, xlsx_export
from offset.exports import services as exports
from offset.exports.source import Source, export_filename
from offset.fiscal import MAX_YEAR, MIN_YEAR
from offset.ledger import services as ledger
from offset.ledger.as_of import AtSeq, parse_as_of
from offset.ledger.chain import ChainHead
from offset.ledger.model import EntryKind
from offset.web.pages import AgreementPage, AgreementVisit, Form, PageRoute, PageWords, render
from reports import (
    XLSX_MEDIA_TYPE,
    ReportData,
    account_words,
    build_annual,
    build_term,
    render_pdf,
    render_xlsx,
    xlsx_filename,
)

router = APIRouter(route_class=PageRoute)

# Whoever may see the agreement reads these, as in the API; others get 404.
Reader = Annotated[AgreementVisit, Depends(AgreementPage(*Role))]

# A document number is one line without '/' (as offset.api.routes.documents.Number).
Number = Annotated[str, Path(min_length=1, max_length=60, pattern=r"^[^\x00-\x1f\x7f/]+$")]
FiscalYearPath = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR)]
TermNumber = Annotated[int, Path(ge=1, le=1000)]

KIND_WORDS = {
    EntryKind.COST: ("費用", "cost"), EntryKind.SUBSIDY: ("補助金", "subsidy"),
    EntryKind.TIMBER_SALE: ("木材販売", "timber sale"),
    EntryKind.ESTIMATE: ("推計吸収量", "estimate"),
    EntryKind.ESTIMATE_ADJUSTMENT: ("推計の調整", "estimate adjustment"),
    EntryKind.CERTIFICATION: ("認証", "certification"),
    EntryKind.EMISSION: ("排出量", "emission"), EntryKind.RETIREMENT: ("無効化", "retirement"),
    EntryKind.REVERSAL: ("取消", "reversal"),
    EntryKind.PRIOR_PERIOD_ADJUSTMENT: ("過年度修正", "prior-period adjustment"),
    EntryKind.PERIOD_CLOSE: ("年度の締め", "period close"),
    EntryKind.REPORT_ISSUE: ("報告書の発行", "report issued"),
}

# The journal browser's pages: bounded, keyset-paged by seq (the use case's after_seq).
PAGE_SIZE = 25

class Format(StrEnum):
    PDF = "pdf"
    XLSX = "xlsx"


class Export(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    BEANCOUNT = "beancount"


# ---------------------------------------------------------------- reports and verify


@dataclass(frozen=True)
class Checked:
    """A report of the register beside verify's head of the chain at the report's point."""

    number: str
    printed_seq: int
    printed_head: str
    head: ChainHead

    @property
    def matches(self) -> bool:
        return self.head.hash == self.printed_head


@router.get("/agreements/{agreement_id}/audit")
def audit(request: Request, visit: Reader, words: PageWords, work: Work) -> Response:
    """The issued-reports register, the on-demand reports and the verify button."""
    with work(read_only=True) as uow:
        issued = documents.register(uow, visit.agreement)
    return render(request, words, "auditor/audit.html", _audit_context(visit, issued, Form()),
                  visitor=visit.visitor)


@router.get("/agreements/{agreement_id}/audit/verify")
def verify(request: Request, visit: Reader, words: PageWords, work: Work,
           at: Annotated[str, Query(max_length=64)] = "") -> Response:
    """Recompute the chain as `offset verify --agreement ID [--at AT]` does, and set the head
    at each issued report's point beside the head the report printed."""
    form = Form({"at": at})
    with work(read_only=True) as uow:
        issued = documents.register(uow, visit.agreement)
        result = integrity.verify(uow, [visit.agreement.id])
        checked = [Checked(r.number, r.made_at_seq, r.made_at_head,
                           ledger.head_as_of(uow, visit.agreement.id, AtSeq(r.made_at_seq)))
                   for r in issued]
        point = None
        try:
            if at.strip():
                point = ledger.head_as_of(uow, visit.agreement.id,
                                          parse_as_of(at.strip(), "at"), field="at")
        except OffsetError as error:
            form = Form.refused(form.values, error)
    context = {**_audit_context(visit, issued, form), "result": result,
               "head": result.heads[0], "checked": checked, "point": point}
    return render(request, words, "auditor/audit.html", context, visitor=visit.visitor,
                  status_code=422 if form.errors else 200)


def _audit_context(visit: AgreementVisit, issued: list[IssuedReport],
                   form: Form) -> dict[str, object]:
    agreement = visit.agreement
    years = [fy for term in agreement.terms for fy in range(term.first_fy, term.last_fy + 1)]
    return {"agreement": agreement, "here": "audit", "issued": issued, "years": years,
            "terms": agreement.terms, "form": form, "result": None}


@router.get("/agreements/{agreement_id}/audit/issued/{number}.pdf")
def issued_pdf(visit: Reader, number: Number, work: Work) -> Response:
    """An issued report's PDF, exactly the bytes issued; 404 for a number not issued."""
    with work(read_only=True) as uow:
        row = documents.issued_report(uow, visit.agreement, number)
        pdf = documents.issued_pdf(uow, visit.agreement, number)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": (f'attachment; filename="offset-agreement-'
                                f'{visit.agreement.id}-issued-report.pdf"; '
                                f"filename*=UTF-8''{quote(row.filename)}"),
        "ETag": f'"{row.sha256}"'})


@router.get("/agreements/{agreement_id}/audit/annual/{fiscal_year}.{fmt}")
def annual_report(visit: Reader, fiscal_year: FiscalYearPath, fmt: Format,
                  work: Work) -> Response:
    """The annual report of one fiscal year made now, as PDF or XLSX; 404 outside the terms."""
    with work(read_only=True) as uow:
        report = build_annual(uow, visit.agreement, fiscal_year, prepared_by=visit.user.name)
    return _report_file(report, fmt)


@router.get("/agreements/{agreement_id}/audit/term/{term}.{fmt}")
def term_report(visit: Reader, term: TermNumber, fmt: Format, work: Work) -> Response:
    """The report of one term made now, as PDF or XLSX; 404 for a term the agreement lacks."""
    with work(read_only=True) as uow:
        report = build_term(uow, visit.agreement, term, prepared_by=visit.user.name)
    return _report_file(report, fmt)


def _report_file(report: ReportData, fmt: Format) -> Response:
    if fmt is Format.PDF:
        return Response(render_pdf(report), media_type="application/pdf", headers=_attachment(
            report.filename))
    return Response(render_xlsx(report), media_type=XLSX_MEDIA_TYPE,
                    headers=_attachment(xlsx_filename(report)))


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


# ---------------------------------------------------------------- the journal browser


def _fiscal_year(text: str) -> int | None:
    if not text:
        return None
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"must be a fiscal year {MIN_YEAR}..{MAX_YEAR}", field="fy")
    return year


def _kind(text: str) -> EntryKind | None:
    try:
        return EntryKind(text) if text else None
    except ValueError:
        raise InvalidInput("is not a kind of entry", field="kind") from None


@router.get("/agreements/{agreement_id}/journal")
def journal(request: Request, visit: Reader, words: PageWords, work: Work,
            fy: Annotated[str, Query(max_length=4, pattern=r"^(\d{4})?$")] = "",
            kind: Annotated[str, Query(max_length=40)] = "",
            after: Annotated[int, Query(ge=0, le=MAX_BIG_ID)] = 0,
            page: Annotated[int, Query(ge=1, le=10**9)] = 1,
            size: Annotated[int, Query(ge=10, le=200)] = PAGE_SIZE) -> Response:
    """The journal in chain order, filtered by fiscal year and kind, a page at a time."""
    year, chosen = _fiscal_year(fy), _kind(kind)
    with work(read_only=True) as uow:
        shown = ledger.journal_page(uow, visit.agreement.id, fiscal_year=year, kind=chosen,
                                    after_seq=after, limit=size)
    query = {"fy": fy, "kind": kind, **({"size": str(size)} if size != PAGE_SIZE else {})}
    next_link = (None if shown.next_after_seq is None else "?" + urlencode(
        {**query, "after": shown.next_after_seq, "page": page + 1}))
    first_link = None if after == 0 else "?" + urlencode(query)
    return render(request, words, "auditor/journal.html", {
        **_entry_context(visit), "shown": shown, "fy": fy, "kind": kind, "page": page,
        "next_link": next_link, "first_link": first_link,
        "years": [y for t in visit.agreement.terms for y in range(t.first_fy, t.last_fy + 1)]},
        visitor=visit.visitor)


@router.get("/agreements/{agreement_id}/journal/{entry_id}")
def journal_entry(request: Request, visit: Reader, entry_id: EntryId, words: PageWords,
                  work: Work) -> Response:
    """One entry with its postings, details, hashes and reversal links; 404 for an entry of
    another agreement."""
    with work(read_only=True) as uow:
        stored = ledger.journal_entry(uow, entry_id)
        if stored.agreement_id != visit.agreement.id:
            raise NotFound(f"entry {entry_id} does not exist", field="entry_id")
        # The page of one entry at its own seq: the use case adds its reversal.
        page = ledger.journal_page(uow, visit.agreement.id, after_seq=stored.seq - 1, limit=1)
    return render(request, words, "auditor/entry.html", {
        **_entry_context(visit), "e": page.entries[0], "reversed_by": page.reversed_by,
        "head": page.head}, visitor=visit.visitor)


def _entry_context(visit: AgreementVisit) -> dict[str, object]:
    return {"agreement": visit.agreement, "here": "journal", "kind_words": KIND_WORDS,
            "kinds": list(EntryKind), "account_words": account_words}


# ---------------------------------------------------------------- exports


@router.get("/agreements/{agreement_id}/exports")
def exports_page(request: Request, visit: Reader, words: PageWords) -> Response:
    """Links to the journal's exports (CSV, XLSX, beancount), as the API offers them."""
    return render(request, words, "auditor/exports.html", {
        "agreement": visit.agreement, "here": "exports",
        "files": [(fmt, export_filename(visit.agreement.id, fmt.value)) for fmt in Export]},
        visitor=visit.visitor)


@router.get("/agreements/{agreement_id}/exports/journal.{fmt}")
def export_file(visit: Reader, fmt: Export, work: Work) -> Response:
    """The journal as CSV, XLSX or beancount, up to the head when it is read."""
    agreement_id, user = visit.agreement.id, visit.user
    headers = _attachment(export_filename(agreement_id, fmt.value))
    if fmt is Export.XLSX:
        with work(read_only=True) as uow:
            body = xlsx_export.xlsx_bytes(exports.source(uow, agreement_id, user))
        return Response(body, media_type=xlsx_export.MEDIA_TYPE, headers=headers)
    chunks: Callable[[Source], Iterator[bytes]] = (
        (lambda source: csv_export.csv_chunks(source.entries)) if fmt is Export.CSV
        else beancount_export.beancount_chunks)
    media_type = csv_export.MEDIA_TYPE if fmt is Export.CSV else beancount_export.MEDIA_TYPE
    return StreamingResponse(_streamed(work, visit, chunks), media_type=media_type,
                             headers=headers)


def _streamed(work: UnitOfWorkFactory, visit: AgreementVisit,
              chunks: Callable[[Source], Iterator[bytes]]) -> Iterator[bytes]:
    """Read the journal while sending it, in one read transaction (the visitor was checked
    by the dependency already, so the stream starts with a 200)."""
    with work(read_only=True) as uow:
        yield from chunks(exports.source(uow, visit.agreement.id, visit.user))
