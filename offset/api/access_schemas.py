"""Bodies of /v1/users: users with the state of their tokens, and a token issued once.

No response carries a token hash; a token's secret appears once, in the answer that issues it.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from offset.access.services import Issued
from offset.access.tokens import MAX_EXPIRY_DAYS, Account, AccountState
from offset.api.schemas import Create


class UserRead(BaseModel):
    id: int
    name: str
    role: str
    party_id: int | None
    audited_agreement_ids: list[int]
    tokens: int = Field(description="tokens ever issued to the user")
    live_tokens: int = Field(description="tokens that authenticate now")
    last_used_at: datetime | None
    state: AccountState

    @classmethod
    def of(cls, account: Account, now: datetime) -> UserRead:
        user = account.user
        return cls(id=user.id, name=user.name, role=user.role.value, party_id=user.party_id,
                   audited_agreement_ids=sorted(user.audited_agreement_ids),
                   tokens=len(account.tokens), live_tokens=account.live_tokens(now),
                   last_used_at=account.last_used_at, state=account.state(now))


class TokenCreate(Create):
    expires_in_days: int | None = Field(
        default=None, ge=1, le=MAX_EXPIRY_DAYS, strict=True,
        description="days until the token stops working; absent: it never expires")


class TokenIssuedRead(BaseModel):
    user: str
    token: str = Field(description="the bearer token: shown only in this answer, never stored")
    created_at: datetime
    expires_at: datetime | None

    @classmethod
    def of(cls, issued: Issued) -> TokenIssuedRead:
        return cls(user=issued.user.name, token=issued.secret,
                   created_at=issued.token.created_at, expires_at=issued.token.expires_at)


class RevocationRead(BaseModel):
    user: str
    revoked_tokens: int = Field(description="tokens this request revoked (0: none were live)")
    revoked_at: datetime
