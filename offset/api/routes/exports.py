"""GET /v1/agreements/{id}/export.csv, .xlsx and .beancount: the journal for every role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import StreamingResponse

from offset.access.model import Role, User
from offset.api.bodies import JsonRoute
from offset.api.deps import AgreementId, AgreementRole, AsOfQuery, Work
from offset.api.files import attachment, disposition
from offset.db.uow import UnitOfWorkFactory
from offset.exports import beancount_export, csv_export, services, xlsx_export
from offset.exports.source import Source, export_filename
from offset.ledger import services as ledger
from offset.ledger.as_of import AsOf, AtSeq

router = APIRouter(route_class=JsonRoute, tags=["exports"])

# Every role of an agreement may export it; who may not see it gets 404 (AgreementRole).
Reader = Annotated[User, Depends(AgreementRole(*Role))]


def _file(media_type: str) -> dict[int | str, dict[str, Any]]:
    """Return the OpenAPI description of a 200 that is a file, not JSON."""
    return {200: {"content": {media_type: {}}, "description": "the file, as an attachment"}}


@router.get("/agreements/{agreement_id}/export.csv", response_class=Response,
            responses=_file(csv_export.MEDIA_TYPE))
def export_csv(agreement_id: AgreementId, user: Reader, work: Work,
               as_of: AsOfQuery) -> StreamingResponse:
    """Stream the journal (up to now or `as_of`) as CSV, a row per posting (UTF-8 with BOM;
    docs/exports.md)."""
    return _streamed(work, agreement_id, user, as_of, csv_export.MEDIA_TYPE, "csv",
                     lambda source: csv_export.csv_chunks(source.entries))


@router.get("/agreements/{agreement_id}/export.beancount", response_class=Response,
            responses=_file(beancount_export.MEDIA_TYPE))
def export_beancount(agreement_id: AgreementId, user: Reader, work: Work,
                     as_of: AsOfQuery) -> StreamingResponse:
    """Stream the journal (up to now or `as_of`) as a beancount ledger that bean-check
    accepts."""
    return _streamed(work, agreement_id, user, as_of, beancount_export.MEDIA_TYPE, "beancount",
                     beancount_export.beancount_chunks)


@router.get("/agreements/{agreement_id}/export.xlsx", response_class=Response,
            responses=_file(xlsx_export.MEDIA_TYPE))
def export_xlsx(agreement_id: AgreementId, user: Reader, work: Work,
                as_of: AsOfQuery) -> Response:
    """Return the journal (up to now or `as_of`) as an XLSX workbook: Journal, Balances and
    About sheets."""
    with work(read_only=True) as uow:
        source = services.source(uow, agreement_id, user, as_of)
        body = xlsx_export.xlsx_bytes(source)
    return attachment(body, xlsx_export.MEDIA_TYPE, export_filename(agreement_id, "xlsx"))


def _streamed(work: UnitOfWorkFactory, agreement_id: int, user: User, as_of: AsOf | None,
              media_type: str, suffix: str,
              render: Callable[[Source], Iterator[bytes]]) -> StreamingResponse:
    """Return a response that reads the journal while it sends it, in one read transaction.

    The caller was checked by the dependency already, and `as_of` is resolved to a sequence
    number here (an `as_of` past the head is a 422), so the stream starts with a 200.
    """
    point: AsOf | None = None
    if as_of is not None:
        with work(read_only=True) as uow:
            point = AtSeq(ledger.head_as_of(uow, agreement_id, as_of).entry_count)

    def body() -> Iterator[bytes]:
        with work(read_only=True) as uow:
            yield from render(services.source(uow, agreement_id, user, point))
    return StreamingResponse(body(), media_type=media_type,
                             headers=disposition(export_filename(agreement_id, suffix)))

