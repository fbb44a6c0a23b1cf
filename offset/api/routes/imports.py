"""POST /v1/agreements/{id}/thinnings:import: a season's thinning log as one CSV or XLSX body.

The body is read up to its bound, the file read and every row checked with no write lock
held (a read-only unit of work); only storing the checked rows takes the write transaction,
so other users' writes wait at most for that one short commit.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import AgreementId, EstimateRecorder, Idempotent, Work
from offset.api.openapi import problem_responses
from offset.api.schemas import Create
from offset.db.uow import UnitOfWork
from offset.errors import InvalidInput, TooLarge
from offset.forestry import thinnings
from offset.forestry.imports import read_table
from offset.forestry.sheets import FileFormat, Limits
from offset.settings import settings

router = APIRouter(route_class=JsonRoute, tags=["forestry"])

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {CSV: FileFormat.CSV, XLSX: FileFormat.XLSX}
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


def import_limits() -> Limits:
    """Return the bounds of an imported file (tests override this dependency)."""
    return settings().import_limits()


ImportLimits = Annotated[Limits, Depends(import_limits)]


async def uploaded(request: Request, limits: ImportLimits) -> tuple[UploadedLog, bytes]:
    """Return the request body with its format (from Content-Type), read no further than
    its bound. Raises InvalidInput, TooLarge."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in FORMATS:
        raise InvalidInput(f"send the file as {CSV} or {XLSX}, not {media or 'nothing'}",
                           field="header.Content-Type")
    declared = request.headers.get("content-length", "")
    if declared.isdigit():
        limits.check_size(int(declared))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limits.file_bytes:
            raise TooLarge("file_bytes", limits.file_bytes, len(body), "bytes", at_least=True)
    if not body:
        raise InvalidInput("the request body (the file) is empty", field="file")
    data = bytes(body)
    return UploadedLog(file_format=FORMATS[media],
                       sha256=hashlib.sha256(data).hexdigest()), data


TOO_LARGE = problem_responses((413, "The file exceeds a bound: size, rows, columns or sheets"))
Upload = Annotated[tuple[UploadedLog, bytes], Depends(uploaded)]


@router.post("/agreements/{agreement_id}/thinnings:import", status_code=201,
             response_model=ThinningImportRead, openapi_extra=BODY, responses=TOO_LARGE)
def import_thinnings(agreement_id: AgreementId, user: EstimateRecorder, upload: Upload,
                     limits: ImportLimits, work: Work, write: Idempotent) -> Response:
    """Log every row of a CSV or XLSX thinning log (forestry of the forest party): all rows
    or none; a rejected file is a 422 listing every bad row with its line and column, a
    file beyond a bound (size, rows, columns, sheets) a 413 naming the bound."""
    log, data = upload
    if (earlier := write.replayed(work, user, log)) is not None:
        return earlier
    table = read_table(data, log.file_format, limits=limits)
    with work(read_only=True) as uow:
        agreement = agreements.agreement(uow, agreement_id)
        prepared = thinnings.prepare_import(uow, agreement, table)

    def act(uow: UnitOfWork) -> ThinningImportRead:
        done = thinnings.import_thinnings(uow, agreement, prepared, user.name)
        return ThinningImportRead(imported=len(done.thinnings),
                                  thinnings=[work.id for work in done.thinnings],
                                  estimates_posted=len(done.estimates))
    return write.once(work, user, log, act)
