"""POST /v1/agreements/{id}/thinnings:import: a season's thinning log as one CSV or XLSX body."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import AgreementId, CurrentUser, Idempotent, Work
from offset.api.schemas import Create
from offset.db.uow import UnitOfWork
from offset.errors import InvalidInput
from offset.forestry import thinnings
from offset.forestry.imports import read_table
from offset.forestry.sheets import FileFormat
from offset.ledger.model import EntryKind

router = APIRouter(route_class=JsonRoute, tags=["forestry"])

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {CSV: FileFormat.CSV, XLSX: FileFormat.XLSX}
MAX_BYTES = 20 * 1024 * 1024
BODY = {"requestBody": {"required": True, "description": "the log file itself", "content": {
    media: {"schema": {"type": "string", "format": "binary"}} for media in FORMATS}}}


class UploadedLog(Create):
    """What identifies an upload for idempotency: its format and the SHA-256 of its bytes."""

    file_format: FileFormat
    sha256: str


class ThinningImportRead(BaseModel):
    imported: int
    thinnings: list[int]
    estimates_posted: int


async def uploaded(request: Request) -> tuple[UploadedLog, bytes]:
    """Return the request body with its format (from Content-Type). Raises InvalidInput."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in FORMATS:
        raise InvalidInput(f"send the file as {CSV} or {XLSX}, not {media or 'nothing'}",
                           field="header.Content-Type")
    data = await request.body()
    if not data:
        raise InvalidInput("the request body (the file) is empty", field="file")
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"the file is larger than {MAX_BYTES // 2**20} MiB", field="file")
    return UploadedLog(file_format=FORMATS[media],
                       sha256=hashlib.sha256(data).hexdigest()), data


Upload = Annotated[tuple[UploadedLog, bytes], Depends(uploaded)]


@router.post("/agreements/{agreement_id}/thinnings:import", status_code=201,
             response_model=ThinningImportRead, openapi_extra=BODY)
def import_thinnings(agreement_id: AgreementId, user: CurrentUser, upload: Upload,
                     work: Work, write: Idempotent) -> Response:
    """Log every row of a CSV or XLSX thinning log (forestry of the forest party): all rows
    or none; a rejected file is a 422 listing every bad row with its line and column."""
    log, data = upload

    def act(uow: UnitOfWork) -> ThinningImportRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        user.require_recorder(EntryKind.ESTIMATE)
        done = thinnings.import_thinnings(uow, agreement, read_table(data, log.file_format),
                                         user.name)
        return ThinningImportRead(imported=len(done.thinnings),
                                  thinnings=[work.id for work in done.thinnings],
                                  estimates_posted=len(done.estimates))
    return write.once(work, user, log, act)
