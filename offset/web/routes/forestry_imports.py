"""Importing a season's thinning log from CSV or XLSX: the forestry office's main task.

The same use case and bounds as POST /v1/agreements/{id}/thinnings:import: the file is read
and every row checked in a read-only unit of work, and only a file without a bad row is
stored (all rows or none). A refused file is answered with every bad row: line, column and
reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from offset.api.deps import Work
from offset.api.idempotency import WriteRequest
from offset.api.problems import status_of
from offset.api.routes.imports import FORMATS, ImportLimits, ThinningImportRead, UploadedLog
from offset.db.uow import UnitOfWork
from offset.errors import InvalidInput, OffsetError, TooLarge
from offset.forestry import imports, thinnings
from offset.forestry.errors import ImportRejected, RowProblem
from offset.forestry.imports import read_table
from offset.forestry.sheets import FileFormat, Limits
from offset.web.pages import (
    AgreementVisit,
    Form,
    PageRoute,
    PageWords,
    Submitted,
    form_key,
    render,
    store,
)
from offset.web.routes.forestry_common import Office, Reader

router = APIRouter(route_class=PageRoute)

EXTENSIONS = {".csv": FileFormat.CSV, ".xlsx": FileFormat.XLSX}
FORM_SLACK = 64 * 1024  # the multipart envelope and the form's other fields, beyond the file
Count = Annotated[int | None, Query(ge=0, le=10_000_000)]
Years = Annotated[list[int] | None, Query(max_length=50)]


@dataclass(frozen=True)
class Upload:
    filename: str
    media: str
    data: bytes


async def uploaded(request: Request, limits: ImportLimits) -> Upload | None:
    """Return the file posted in the form's `file` field (None without one), read no
    further than its bound. Raises TooLarge before reading a body declared too large."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.file_bytes + FORM_SLACK:
        raise TooLarge("file_bytes", limits.file_bytes, int(declared), "bytes", at_least=True)
    posted = await request.form()
    item = posted.get("file")
    try:
        if not isinstance(item, UploadFile) or not item.filename:
            return None
        data = await item.read(limits.file_bytes + 1)
    finally:
        await posted.close()  # the spooled file; the form's text fields stay readable
    if len(data) > limits.file_bytes:
        raise TooLarge("file_bytes", limits.file_bytes, len(data), "bytes", at_least=True)
    return Upload(item.filename, (item.content_type or "").split(";")[0].strip().lower(), data)


Uploaded = Annotated[Upload | None, Depends(uploaded)]


def log_of(upload: Upload | None) -> tuple[UploadedLog, bytes]:
    """Return the upload's identity for idempotency (format, SHA-256) and its bytes.

    Raises InvalidInput on `file` without a file, or for one neither CSV nor XLSX.
    """
    if upload is None or not upload.data:
        raise InvalidInput("choose a CSV or XLSX file of the season's thinning work",
                           field="file")
    found = EXTENSIONS.get(PurePath(upload.filename).suffix.lower()) or FORMATS.get(upload.media)
    if found is None:
        raise InvalidInput(f"{upload.filename!r} is neither a CSV (.csv) nor an XLSX (.xlsx) "
                           "file", field="file")
    return UploadedLog(file_format=found, sha256=hashlib.sha256(upload.data).hexdigest()), \
        upload.data


def page(request: Request, words: PageWords, visit: AgreementVisit, limits: Limits, *,
         form: Form | None = None,
         problems: list[RowProblem] | None = None, done: str = "",
         imported_years: list[int] | None = None, status_code: int = 200) -> Response:
    return render(request, words, "forestry/imports.html", {
        "agreement": visit.agreement, "here": "imports", "form": form or Form(),
        "key": form_key(), "problems": problems or [], "done": done,
        "imported_years": imported_years or [], "can_write": visit.user.role.value == "forestry",
        "columns": imports.COLUMNS, "required": imports.REQUIRED,
        "limits": limits}, visitor=visit.visitor, status_code=status_code)


@router.get("/agreements/{agreement_id}/imports")
def import_page(request: Request, visit: Reader, words: PageWords, limits: ImportLimits,
                imported: Count = None, estimates: Count = None,
                fy: Years = None) -> Response:
    """The upload form; after an import, what it stored and where to find it."""
    done = ""
    if imported is not None:
        done = words(f"間伐 {imported:,} 件を取り込み、推計 {estimates or 0:,} 件を計上しました。",
                     f"Imported {imported:,} thinning(s) and posted {estimates or 0:,} "
                     "estimate(s).")
    return page(request, words, visit, limits, done=done, imported_years=sorted(
        {year for year in fy or [] if visit.agreement.covers(year)}))


@router.post("/agreements/{agreement_id}/imports")
def import_log(request: Request, visit: Office, upload: Uploaded, values: Submitted,
               words: PageWords, work: Work, limits: ImportLimits) -> Response:
    """Import the file posted: all rows, or none and every bad row shown."""
    try:
        log, data = log_of(upload)
        write = WriteRequest("POST", request.url.path, values.get("idempotency_key") or None)
        earlier = write.replayed(work, visit.user, log)
        if earlier is not None:
            answer = ThinningImportRead.model_validate_json(bytes(earlier.body))
        else:
            answer = _imported(request, visit, values, work, log, data, limits)
    except ImportRejected as rejected:
        return page(request, words, visit, limits, problems=rejected.problems, status_code=422)
    except OffsetError as error:
        return page(request, words, visit, limits, form=Form.refused(values, error),
                    status_code=status_of(error))
    with work(read_only=True) as uow:
        stored = {t.id: t.fiscal_year for t in
                  thinnings.agreement_thinnings(uow, visit.agreement.id)}
    years = sorted({stored[i] for i in answer.thinnings if i in stored})
    query = "&".join([f"imported={answer.imported}", f"estimates={answer.estimates_posted}",
                      *(f"fy={year}" for year in years)])
    return RedirectResponse(f"/agreements/{visit.agreement.id}/imports?{query}",
                            status_code=303)


def _imported(request: Request, visit: AgreementVisit, values: dict[str, str], work: Work,
              log: UploadedLog, data: bytes, limits: ImportLimits) -> ThinningImportRead:
    """Check every row with no write lock held, then store them all in one transaction.

    Raises ImportRejected listing every bad row, InvalidInput and TooLarge for the file.
    """
    table = read_table(data, log.file_format, limits=limits)
    agreement = visit.agreement
    with work(read_only=True) as uow:
        prepared = thinnings.prepare_import(uow, agreement, table)

    def act(uow: UnitOfWork) -> ThinningImportRead:
        done = thinnings.import_thinnings(uow, agreement, prepared, visit.user.name)
        return ThinningImportRead(imported=len(done.thinnings),
                                  thinnings=[each.id for each in done.thinnings],
                                  estimates_posted=len(done.estimates))
    return store(request, work, visit.visitor, values, log, act, ThinningImportRead)

