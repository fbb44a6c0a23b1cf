"""What routes ask for, so that their signatures read like prose: the work, the caller, its role."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from offset.access.model import Role, User
from offset.access.services import authenticate
from offset.api.idempotency import WriteRequest, write_request
from offset.db.uow import UnitOfWorkFactory

MAX_ID = 2**31 - 1  # ids of parties and agreements are 32-bit
MAX_BIG_ID = 2**63 - 1  # entry ids and sequence numbers are 64-bit

bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <token>")


def unit_of_work(request: Request) -> UnitOfWorkFactory:
    """Return the app's unit-of-work factory (set by create_app)."""
    factory: UnitOfWorkFactory = request.app.state.work
    return factory


Work = Annotated[UnitOfWorkFactory, Depends(unit_of_work)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def current_user(work: Work, credentials: Credentials) -> User:
    """Return the user of the bearer token. Raises Unauthenticated."""
    with work(read_only=True) as uow:
        return authenticate(uow, credentials.credentials if credentials else None)


CurrentUser = Annotated[User, Depends(current_user)]


def admin(user: CurrentUser) -> User:
    """Return the caller if it is an administrator. Raises Forbidden."""
    user.require(Role.ADMIN)
    return user


def recorder(user: CurrentUser) -> User:
    """Return the caller if its role may record journal entries (not auditors). Raises Forbidden."""
    user.require(Role.ADMIN, Role.URBAN, Role.FORESTRY)
    return user


Admin = Annotated[User, Depends(admin)]
Recorder = Annotated[User, Depends(recorder)]

AgreementId = Annotated[int, Path(ge=1, le=MAX_ID)]
EntryId = Annotated[int, Path(ge=1, le=MAX_BIG_ID)]

Idempotent = Annotated[WriteRequest, Depends(write_request)]
