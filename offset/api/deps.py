"""What routes ask for, so that their signatures read like prose: the work, the caller, its role."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from offset.access import services as access
from offset.access.model import RECORDERS, Role, User
from offset.agreements import services as agreements
from offset.api.idempotency import WriteRequest, write_request, writing
from offset.db.uow import UnitOfWorkFactory
from offset.fiscal import MAX_YEAR, MIN_YEAR
from offset.ledger.as_of import AsOf, parse_as_of
from offset.ledger.model import EntryKind

MAX_ID = 2**31 - 1  # ids of parties and agreements are 32-bit
MAX_BIG_ID = 2**63 - 1  # entry ids and sequence numbers are 64-bit

bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <token>")


def unit_of_work(request: Request) -> UnitOfWorkFactory:
    """Return the app's unit-of-work factory (set by create_app)."""
    factory: UnitOfWorkFactory = request.app.state.work
    return factory


Work = Annotated[UnitOfWorkFactory, Depends(unit_of_work)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def now() -> datetime:
    """Return the time of the request (tests override this dependency to move the clock)."""
    return datetime.now(UTC)


Now = Annotated[datetime, Depends(now)]


def current_user(work: Work, credentials: Credentials, moment: Now) -> User:
    """Return the user of the bearer token, recording its use. Raises Unauthenticated.

    The check is a read: under WAL, SQLite readers do not wait for its one write lock. Only
    when the token's last use is over a minute old does a writable unit of work check the
    token again and record the use with it, so a busy token writes once a minute, not once
    a request, and a token revoked meanwhile is still refused.
    """
    token = credentials.credentials if credentials else None
    with work(read_only=True) as uow:
        user, found = access.check_token(uow, token, moment)
    if not found.use_due(moment):
        return user
    with writing(work) as uow:
        user = access.authenticate_and_record(uow, token, moment)
    return user


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
StandId = Annotated[int, Path(ge=1, le=MAX_ID)]
FiscalYearFilter = Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR,
                                               description="only those of this FY")]


def as_of_query(as_of: Annotated[str | None, Query(
        max_length=64, examples=["42", "2014-03-31T23:59:59+09:00"],
        description="read the ledger as it stood at this chain sequence number, or at this "
                    "ISO 8601 time with its UTC offset (default: now)")] = None,
                ) -> AsOf | None:
    """Return the point `as_of` names (None without it). Raises InvalidAsOf (422)."""
    return None if as_of is None else parse_as_of(as_of)


AsOfQuery = Annotated[AsOf | None, Depends(as_of_query)]


class AgreementRole:
    """A dependency: the caller, if it may see the agreement in the path and has a role given.

    Visibility comes first, so a caller who may not see the agreement gets 404 whatever its
    role, exactly as for a missing agreement; a caller who sees it in another role gets 403.
    """

    def __init__(self, *roles: Role) -> None:
        self.roles = roles

    @classmethod
    def recording(cls, kind: EntryKind) -> AgreementRole:
        """Return the dependency admitting the roles that record `kind` (access.RECORDERS)."""
        return cls(*sorted(RECORDERS[kind]))

    def __call__(self, agreement_id: AgreementId, user: CurrentUser, work: Work) -> User:
        """Return the caller. Raises NotFound, then Forbidden."""
        with work(read_only=True) as uow:
            agreements.visible_agreement(uow, user, agreement_id)
        user.require(*self.roles)
        return user


# The forestry office of the agreement's forest party: a forestry user who can see an
# agreement is of its forest party (User.can_see), so the role is the whole check.
ForestryWriter = Annotated[User, Depends(AgreementRole(Role.FORESTRY))]
# Who records each kind of entry comes from the one table, offset.access.model.RECORDERS.
# Thinning work posts estimates: the forestry office.
EstimateRecorder = Annotated[User, Depends(AgreementRole.recording(EntryKind.ESTIMATE))]
Certifier = Annotated[User, Depends(AgreementRole.recording(EntryKind.CERTIFICATION))]
# Each party's own office (urban or forestry) records the money its side bears or receives.
CostRecorder = Annotated[User, Depends(AgreementRole.recording(EntryKind.COST))]
SubsidyRecorder = Annotated[User, Depends(AgreementRole.recording(EntryKind.SUBSIDY))]
TimberSaleRecorder = Annotated[User, Depends(AgreementRole.recording(EntryKind.TIMBER_SALE))]
# The environment division of the agreement's urban party: emissions and retirements.
EmissionRecorder = Annotated[User, Depends(AgreementRole.recording(EntryKind.EMISSION))]
RetirementRecorder = Annotated[User, Depends(AgreementRole.recording(EntryKind.RETIREMENT))]
Closer = Annotated[User, Depends(AgreementRole.recording(EntryKind.PERIOD_CLOSE))]

Idempotent = Annotated[WriteRequest, Depends(write_request)]
