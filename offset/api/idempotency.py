"""Idempotent writes: the one code path every POST takes, so a retried request writes nothing.

The first response to a keyed write (status and body) is stored in the same transaction as
the write; a retry with the same key and the same request gets that response again. Keys
belong to the user who sent them. Failed writes store nothing, so a retry runs them again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Header, Request, Response
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from offset.access.idempotency import StoredResponse, store_response, stored_response
from offset.access.model import User
from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.errors import InvalidInput, OffsetError
from offset.ledger.model import canonical_json

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
JSON = "application/json"

Action = Callable[[UnitOfWork], BaseModel]


@dataclass(frozen=True)
class WriteRequest:
    """A write as sent: where to, and the caller's idempotency key (if any)."""

    method: str
    path: str
    key: str | None

    def fingerprint(self, payload: BaseModel) -> str:
        """Return the SHA-256 of method, path and the canonical (validated) body."""
        body = canonical_json(payload.model_dump(mode="json"))
        return hashlib.sha256(f"{self.method} {self.path}\n{body}".encode()).hexdigest()

    def once(self, work: UnitOfWorkFactory, user: User, payload: BaseModel, act: Action,
             status_code: int = 201) -> Response:
        """Run `act` in one unit of work and commit, unless this key was answered before.

        Returns the response `act` produced, or the stored first response on a retry.
        Raises InvalidInput when the key was used for a different request, and whatever
        `act` raises (nothing is written then).
        """
        fingerprint = self.fingerprint(payload)
        try:
            with writing(work) as uow:
                earlier = self._earlier(uow, user)
                if earlier is None:
                    return self._first(uow, user, fingerprint, act, status_code)
        except (OffsetError, IntegrityError):
            # A concurrent request with this key may have committed first and made this one
            # fail (on its unique key, or on the invariant it had just used): answer as it did.
            with work(read_only=True) as uow:
                earlier = self._earlier(uow, user)
            if earlier is None:
                raise
        return self._replay(earlier, fingerprint)

    def replayed(self, work: UnitOfWorkFactory, user: User,
                 payload: BaseModel) -> Response | None:
        """Return the stored first response when this key was answered before, else None.

        Lets a route skip costly preparation (reading a file) on a retry; `once` checks
        again in its own transaction. Raises InvalidInput when the key was used for a
        different request.
        """
        if self.key is None:
            return None
        with work(read_only=True) as uow:
            earlier = self._earlier(uow, user)
        return None if earlier is None else self._replay(earlier, self.fingerprint(payload))

    def _earlier(self, uow: UnitOfWork, user: User) -> StoredResponse | None:
        return None if self.key is None else stored_response(uow, user.id, self.key)

    def _first(self, uow: UnitOfWork, user: User, fingerprint: str, act: Action,
               status_code: int) -> Response:
        body = act(uow).model_dump_json()
        if self.key is not None:
            store_response(uow, user.id, self.key, StoredResponse(fingerprint, status_code, body))
        return Response(body, status_code, media_type=JSON)

    def _replay(self, earlier: StoredResponse, fingerprint: str) -> Response:
        if earlier.request_hash != fingerprint:
            raise InvalidInput(f"this key was already used for a different request; "
                               f"send a new {HEADER} for a new request",
                               field=f"header.{HEADER}")
        return Response(earlier.body, earlier.status_code, media_type=JSON,
                        headers={REPLAYED: "true"})


@contextmanager
def writing(work: UnitOfWorkFactory) -> Iterator[UnitOfWork]:
    """Yield a unit of work and commit it when the block ends cleanly: the API's one commit.

    An exception leaves the block uncommitted, so it is rolled back and nothing is written.
    """
    with work() as uow:
        yield uow
        uow.commit()


def write_request(request: Request, key: Annotated[str | None, Header(
        alias=HEADER, min_length=1, max_length=200,
        description="makes a retry of this write return the first response")] = None,
                  ) -> WriteRequest:
    """Return the write the caller sent (dependency of every POST route)."""
    return WriteRequest(request.method, request.url.path, key)
