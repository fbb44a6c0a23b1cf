"""The repository of users, their token hashes and the idempotency records of writes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, or_, select, update

from offset.access.idempotency import StoredResponse
from offset.access.logins import Failures, PasswordLink, WebSession
from offset.access.model import Role, User
from offset.access.tokens import Account, Token
from offset.db.tables import (
    api_tokens,
    auditor_assignments,
    idempotency_keys,
    login_failures,
    password_links,
    users,
    web_sessions,
)
from offset.errors import AlreadyExists, NotFound


class SqlAccess:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add_user(self, name: str, role: Role, party_id: int | None,
                 agreement_ids: Iterable[int]) -> User:
        """Store a user. Raises AlreadyExists when the name is taken."""
        if self._db.execute(select(users.c.id).where(users.c.name == name)).first():
            raise AlreadyExists("user", name, field="name",
                                wording="a {what} named {key!r} already exists")
        user_id = self._db.execute(insert(users).returning(users.c.id).values(
            name=name, role=role.value, party_id=party_id,
            created_at=datetime.now(UTC))).scalar_one()
        assigned = sorted(set(agreement_ids))
        if assigned:
            self._db.execute(insert(auditor_assignments),
                             [{"user_id": user_id, "agreement_id": a} for a in assigned])
        return User(user_id, name, role, party_id, frozenset(assigned))

    def add_token(self, user_id: int, token_hash: str, created_at: datetime,
                  expires_at: datetime | None = None) -> Token:
        token_id = self._db.execute(insert(api_tokens).returning(api_tokens.c.id).values(
            user_id=user_id, token_hash=token_hash, created_at=created_at,
            expires_at=expires_at)).scalar_one()
        return Token(token_id, user_id, created_at, expires_at)

    def token(self, token_hash: str) -> tuple[User, Token] | None:
        """Return the token with this hash and its user, revoked or not, or None."""
        row = self._db.execute(
            select(api_tokens, users.c.name, users.c.role, users.c.party_id).join(users)
            .where(api_tokens.c.token_hash == token_hash)).one_or_none()
        if row is None:
            return None
        return self._user(row.user_id, row.name, row.role, row.party_id), _token(row)

    def record_use(self, token_id: int, now: datetime, cutoff: datetime) -> None:
        """Set the token's last use to `now` unless one after `cutoff` is recorded already.

        The condition is in the UPDATE itself, so requests racing on one token write once.
        """
        self._db.execute(update(api_tokens).values(last_used_at=now).where(
            api_tokens.c.id == token_id,
            or_(api_tokens.c.last_used_at.is_(None), api_tokens.c.last_used_at <= cutoff)))

    def revoke_tokens(self, user_id: int, now: datetime) -> int:
        """Revoke every unrevoked token of the user; return how many were revoked."""
        result = self._db.execute(update(api_tokens).values(revoked_at=now).where(
            api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None)))
        return result.rowcount

    def accounts(self) -> list[Account]:
        """Return every user with their tokens, by name."""
        audited: dict[int, set[int]] = {}
        for user_id, agreement_id in self._db.execute(select(auditor_assignments)):
            audited.setdefault(user_id, set()).add(agreement_id)
        tokens: dict[int, list[Token]] = {}
        for row in self._db.execute(select(api_tokens).order_by(api_tokens.c.id)):
            tokens.setdefault(row.user_id, []).append(_token(row))
        return [Account(User(row.id, row.name, Role(row.role), row.party_id,
                             frozenset(audited.get(row.id, ()))),
                        tuple(tokens.get(row.id, ())), row.password_set_at)
                for row in self._db.execute(select(users).order_by(users.c.name))]

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

    def password_hash(self, user_id: int) -> str | None:
        return self._db.execute(select(users.c.password_hash)
                                .where(users.c.id == user_id)).scalar_one_or_none()

    def set_password_hash(self, user_id: int, password_hash: str | None,
                          now: datetime) -> None:
        self._db.execute(update(users).where(users.c.id == user_id).values(
            password_hash=password_hash, password_set_at=now if password_hash else None))

    def add_session(self, user_id: int, secret_hash: str, csrf_token: str, now: datetime,
                    expires_at: datetime) -> WebSession:
        session_id = self._db.execute(insert(web_sessions).returning(web_sessions.c.id).values(
            user_id=user_id, secret_hash=secret_hash, csrf_token=csrf_token, created_at=now,
            last_seen_at=now, expires_at=expires_at)).scalar_one()
        return WebSession(session_id, user_id, csrf_token, now, now, expires_at)

    def session(self, secret_hash: str) -> tuple[User, WebSession] | None:
        row = self._db.execute(
            select(web_sessions, users.c.name, users.c.role, users.c.party_id).join(users)
            .where(web_sessions.c.secret_hash == secret_hash)).one_or_none()
        if row is None:
            return None
        return self._user(row.user_id, row.name, row.role, row.party_id), WebSession(
            row.id, row.user_id, row.csrf_token, row.created_at, row.last_seen_at,
            row.expires_at, row.ended_at)

    def see_session(self, session_id: int, now: datetime) -> None:
        self._db.execute(update(web_sessions).values(last_seen_at=now).where(
            web_sessions.c.id == session_id, web_sessions.c.last_seen_at < now))

    def end_sessions(self, now: datetime, *, user_id: int | None = None,
                     session_id: int | None = None) -> int:
        which = (web_sessions.c.id == session_id if session_id is not None
                 else web_sessions.c.user_id == user_id)
        return self._db.execute(update(web_sessions).values(ended_at=now).where(
            which, web_sessions.c.ended_at.is_(None))).rowcount

    def add_password_link(self, user_id: int, secret_hash: str, now: datetime,
                          expires_at: datetime) -> PasswordLink:
        self._db.execute(update(password_links).values(used_at=now).where(
            password_links.c.user_id == user_id, password_links.c.used_at.is_(None)))
        link_id = self._db.execute(insert(password_links).returning(password_links.c.id)
                                   .values(user_id=user_id, secret_hash=secret_hash,
                                           created_at=now, expires_at=expires_at)).scalar_one()
        return PasswordLink(link_id, user_id, expires_at)

    def password_link(self, secret_hash: str) -> tuple[User, PasswordLink] | None:
        row = self._db.execute(
            select(password_links, users.c.name, users.c.role, users.c.party_id).join(users)
            .where(password_links.c.secret_hash == secret_hash)).one_or_none()
        if row is None:
            return None
        return self._user(row.user_id, row.name, row.role, row.party_id), PasswordLink(
            row.id, row.user_id, row.expires_at, row.used_at)

    def use_password_link(self, link_id: int, now: datetime) -> None:
        self._db.execute(update(password_links).values(used_at=now)
                         .where(password_links.c.id == link_id))

    def login_failures(self, user_name: str, address: str, since: datetime) -> Failures:
        def count(*where: Any) -> int:
            return int(self._db.execute(select(func.count()).select_from(login_failures)
                                        .where(login_failures.c.at > since, *where))
                       .scalar_one())
        return Failures(count(login_failures.c.user_name == user_name),
                        count(login_failures.c.address == address))

    def oldest_failure(self, user_name: str, address: str, since: datetime) -> datetime | None:
        return self._db.execute(select(func.min(login_failures.c.at)).where(
            login_failures.c.at > since, or_(login_failures.c.user_name == user_name,
                                             login_failures.c.address == address))
        ).scalar_one_or_none()

    def record_login_failure(self, user_name: str, address: str, now: datetime) -> None:
        self._db.execute(delete(login_failures).where(
            login_failures.c.at < now - timedelta(days=1)))
        self._db.execute(insert(login_failures).values(user_name=user_name[:100],
                                                       address=address[:64], at=now))

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


def _token(row: Row[Any]) -> Token:
    return Token(row.id, row.user_id, row.created_at, row.expires_at, row.revoked_at,
                 row.last_used_at)
