"""/v1/agreements/{id}/reports (the register of issued reports), /reports/{number}.pdf (an
issued PDF, byte for byte) and /reports/{number}/reissue (再発行).

Every role that may see the agreement reads the register and downloads; others get 404. The
urban partner's environment division or an administrator re-issues.
"""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response

from offset.access.model import Role, User
from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import AgreementId, AgreementRole, CurrentUser, Idempotent, Now, Work
from offset.api.document_schemas import IssuedReportRead, ReissueCreate
from offset.api.files import disposition
from offset.db.uow import UnitOfWork
from offset.documents import services as documents

router = APIRouter(prefix="/agreements/{agreement_id}/reports", tags=["reports"],
                   route_class=JsonRoute)

# A number is one line without '/' (ClosingRules); refusing control characters here keeps
# NUL, which PostgreSQL cannot compare, away from the query.
Number = Annotated[str, Path(min_length=1, max_length=60, pattern=r"^[^\x00-\x1f\x7f/]+$",
                             description="the document number, e.g. 2014-新伊-001")]
# Who re-issues: the party that reports (the urban partner, which pays and offsets) or admin.
Reissuer = Annotated[User, Depends(AgreementRole(Role.ADMIN, Role.URBAN))]
DIGEST_HEADERS: dict[str, Any] = {
    "ETag": {"description": "the PDF's SHA-256 (hex), quoted", "schema": {"type": "string"}},
    "Repr-Digest": {"description": "RFC 9530: sha-256=:<base64 of the SHA-256>:",
                    "schema": {"type": "string"}}}
PDF: dict[int | str, dict[str, Any]] = {200: {
    "content": {"application/pdf": {}}, "headers": DIGEST_HEADERS,
    "description": "The issued report, exactly the bytes issued (A4 PDF)"}}


@router.get("")
def register(agreement_id: AgreementId, user: CurrentUser,
             work: Work) -> list[IssuedReportRead]:
    """Return the register of the agreement's issued reports, in the order issued."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return [IssuedReportRead.of(r) for r in documents.register(uow, agreement)]


@router.get("/{number}.pdf", response_class=Response, responses=PDF)
def issued_pdf(agreement_id: AgreementId, number: Number, user: CurrentUser,
               work: Work) -> Response:
    """Return an issued report's PDF, the same bytes whenever asked; 404 for a number the
    agreement has not issued."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        row = documents.issued_report(uow, agreement, number)
        pdf = documents.issued_pdf(uow, agreement, number)
    digest = base64.b64encode(bytes.fromhex(row.sha256)).decode("ascii")
    # The number is Japanese text: an ASCII name for old clients beside the real one.
    return Response(pdf, media_type="application/pdf", headers={
        **disposition(row.filename, f"offset-agreement-{agreement_id}-issued-report.pdf"),
        "ETag": f'"{row.sha256}"', "Repr-Digest": f"sha-256=:{digest}:"})


@router.post("/{number}/reissue", status_code=201, response_model=IssuedReportRead)
def reissue(agreement_id: AgreementId, number: Number, body: ReissueCreate, user: Reissuer,
            work: Work, write: Idempotent, moment: Now) -> Response:
    """Issue report `number` again under a new number that names it, with the reason; both
    stay downloadable. 404 for an unknown number, 409 when it was replaced already."""
    def act(uow: UnitOfWork) -> IssuedReportRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return IssuedReportRead.of(documents.reissue(uow, agreement, number, body.reason,
                                                     user.name, now=moment))
    return write.once(work, user, body, act)
