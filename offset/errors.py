"""The one rooted hierarchy of domain errors, each carrying structured attributes.

    OffsetError
    ├── InvalidInput            a value is malformed or out of range (422)
    │   └── InvalidQuantity     a quantity has the wrong unit or dimension (422)
    ├── NotFound                the thing does not exist or the caller may not see it (404)
    ├── Conflict                the request contradicts an invariant (409)
    │   ├── LedgerError         (offset.ledger.errors) journal invariants
    │   ├── AlreadyExists       a unique natural key is already taken
    │   └── TargetNotEmpty      (offset.db.backup) a restore would overwrite a database
    ├── Unauthenticated         no valid token (401)
    ├── Forbidden               the caller's role may not do this (403)
    └── BackupFailed            (offset.db.backup) a backup or restore could not be made

The API maps these to RFC 9457 problem documents in exactly one handler
(offset.api.problems); the CLI prints `str(error)` on one line.
"""

from __future__ import annotations


class OffsetError(Exception):
    """Root of every error offset raises on purpose."""

    title = "Error"
    code = "error"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.detail}" if self.field else self.detail


class InvalidInput(OffsetError):
    title = "Invalid input"
    code = "invalid-input"


class InvalidQuantity(InvalidInput):
    title = "Invalid quantity"
    code = "invalid-quantity"


class NotFound(OffsetError):
    title = "Not found"
    code = "not-found"


class Conflict(OffsetError):
    title = "Conflict"
    code = "conflict"


class AlreadyExists(Conflict):
    title = "Already exists"
    code = "already-exists"


class Unauthenticated(OffsetError):
    title = "Unauthenticated"
    code = "unauthenticated"


class Forbidden(OffsetError):
    title = "Forbidden"
    code = "forbidden"
