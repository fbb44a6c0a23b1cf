"""The repository of users, their token hashes and the idempotency records of writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from offset.access.model import Role, User
from offset.db.tables import api_tokens, auditor_assignments, idempotency_keys, users
from offset.errors import AlreadyExists, NotFound


@dataclass(frozen=True)
class StoredResponse:
    """The first response to a write, kept so that a retry with its key gets it again."""

    request_hash: str
    status_code: int
    body: str


class SqlAccess:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add_user(self, name: str, role: Role, party_id: int | None,
                 agreement_ids: Iterable[int]) -> User:
        """Store a user. Raises AlreadyExists when the name is taken."""
        if self._db.execute(select(users.c.id).where(users.c.name == name)).first():
            raise AlreadyExists(f"a user named {name!r} already exists", field="name")
        user_id = self._db.execute(insert(users).returning(users.c.id).values(
            name=name, role=role.value, party_id=party_id,
            created_at=datetime.now(UTC))).scalar_one()
        assigned = sorted(set(agreement_ids))
        if assigned:
            self._db.execute(insert(auditor_assignments),
                             [{"user_id": user_id, "agreement_id": a} for a in assigned])
        return User(user_id, name, role, party_id, frozenset(assigned))

    def add_token(self, user_id: int, token_hash: str) -> None:
        self._db.execute(insert(api_tokens).values(
            user_id=user_id, token_hash=token_hash, created_at=datetime.now(UTC)))

    def user_by_token(self, token_hash: str) -> User | None:
        """Return the user owning an unrevoked token with this hash, or None."""
        row = self._db.execute(
            select(users).join(api_tokens)
            .where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None))
        ).one_or_none()
        return None if row is None else self._user(row.id, row.name, row.role, row.party_id)

    def user_by_name(self, name: str) -> User:
        """Return one user. Raises NotFound."""
        row = self._db.execute(select(users).where(users.c.name == name)).one_or_none()
        if row is None:
            raise NotFound(f"no user named {name!r}", field="name")
        return self._user(row.id, row.name, row.role, row.party_id)

    def _user(self, user_id: int, name: str, role: str, party_id: int | None) -> User:
        audited = self._db.execute(select(auditor_assignments.c.agreement_id)
                                   .where(auditor_assignments.c.user_id == user_id)).scalars()
        return User(user_id, name, Role(role), party_id, frozenset(audited))

    def stored_response(self, user_id: int, key: str) -> StoredResponse | None:
        row = self._db.execute(select(idempotency_keys).where(
            idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key)).one_or_none()
        return None if row is None else StoredResponse(row.request_hash, row.status_code,
                                                       row.response_body)

    def store_response(self, user_id: int, key: str, response: StoredResponse) -> None:
        self._db.execute(insert(idempotency_keys).values(
            user_id=user_id, key=key, request_hash=response.request_hash,
            status_code=response.status_code, response_body=response.body,
            created_at=datetime.now(UTC)))
