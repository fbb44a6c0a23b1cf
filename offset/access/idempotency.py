"""Idempotency records: the first response to a keyed write, kept per user and key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from offset.ports import UnitOfWork


@dataclass(frozen=True)
class StoredResponse:
    """The first response to a write, kept so that a retry with its key gets it again."""

    request_hash: str
    status_code: int
    body: str


def stored_response(uow: UnitOfWork, user_id: int, key: str) -> StoredResponse | None:
    """Return the response stored for the user's key, or None when the key is new."""
    return uow.access.stored_response(user_id, key)


def store_response(uow: UnitOfWork, user_id: int, key: str, response: StoredResponse) -> None:
    """Keep `response` as the answer to the user's key (in the caller's transaction)."""
    uow.access.store_response(user_id, key, response)
