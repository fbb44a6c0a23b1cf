"""Roles, users and the rules of who may see an agreement and who may write what."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from offset.agreements.model import Agreement, Side
from offset.errors import Forbidden, InvalidInput
from offset.ledger.model import EntryKind

TOKEN_PREFIX = "off_"


class Role(StrEnum):
    URBAN = "urban"
    FORESTRY = "forestry"
    AUDITOR = "auditor"
    ADMIN = "admin"
    # The national council (連携推進協議会): reads every agreement's figures, writes only its
    # own records (partnership certifications and grants), never a party's entries.
    COUNCIL = "council"

    @property
    def side(self) -> Side | None:
        """Return the agreement side a party role acts for (None for the other roles)."""
        return {Role.URBAN: Side.URBAN, Role.FORESTRY: Side.FOREST}.get(self)


# Who records each kind of journal entry, in this one place: the recording routes admit these
# roles, and a reversal is made by admin or by a role that records its kind (for its side).
# Reversals themselves are recorded by whoever may reverse the original.
RECORDERS: Mapping[EntryKind, frozenset[Role]] = {
    EntryKind.COST: frozenset({Role.URBAN, Role.FORESTRY}),
    EntryKind.SUBSIDY: frozenset({Role.URBAN, Role.FORESTRY}),
    EntryKind.TIMBER_SALE: frozenset({Role.URBAN, Role.FORESTRY}),
    EntryKind.ESTIMATE: frozenset({Role.FORESTRY}),
    EntryKind.ESTIMATE_ADJUSTMENT: frozenset({Role.FORESTRY}),
    EntryKind.CERTIFICATION: frozenset({Role.FORESTRY, Role.ADMIN}),
    EntryKind.EMISSION: frozenset({Role.URBAN}),
    EntryKind.RETIREMENT: frozenset({Role.URBAN}),
    # The urban party closes a year (with the forest party's consent when the agreement's
    # rule asks for it); admin closes for either.
    EntryKind.PERIOD_CLOSE: frozenset({Role.URBAN, Role.ADMIN}),
}


@dataclass(frozen=True)
class User:
    """A person or system acting through a token: party roles act for their municipality."""

    id: int
    name: str
    role: Role
    party_id: int | None
    audited_agreement_ids: frozenset[int] = frozenset()

    def can_see(self, agreement: Agreement) -> bool:
        """Return whether this user may read `agreement` at all."""
        if self.role in (Role.ADMIN, Role.COUNCIL):
            return True
        if self.role is Role.AUDITOR:
            return agreement.id in self.audited_agreement_ids
        return agreement.side_of(self.party_id or 0) is self.role.side

    def require(self, *roles: Role) -> None:
        """Raise Forbidden unless this user has one of `roles`."""
        if self.role not in roles:
            allowed = ", ".join(role.value for role in roles)
            raise Forbidden(f"role {self.role.value} may not do this (needs {allowed})")

    def require_recorder(self, kind: EntryKind, sides: Collection[Side] = ()) -> None:
        """Raise Forbidden unless this user's role records `kind`, and, for a party role when
        `sides` are given, records it for one of them (a side records its own money)."""
        self.require(*sorted(RECORDERS.get(kind, ())))
        side = self.role.side
        if sides and side is not None and side not in sides:
            whose = " or ".join(sorted(s.value for s in sides))
            raise Forbidden(f"role {self.role.value} records {kind.value} entries of the "
                            f"{side.value} side; those the {whose} side bears or receives are "
                            "recorded by that side")

    def require_reverser(self, kind: EntryKind, sides: Collection[Side] = ()) -> None:
        """Raise Forbidden unless this user is admin or records `kind` entries for `sides`."""
        if self.role is not Role.ADMIN:
            self.require_recorder(kind, sides)


def check_user_shape(role: Role, party_id: int | None, agreement_ids: frozenset[int]) -> None:
    """Refuse a user whose attachments do not fit the role. Raises InvalidInput."""
    if role.side is not None and party_id is None:
        raise InvalidInput(f"a {role.value} user belongs to a party", field="party")
    if role.side is None and party_id is not None:
        raise InvalidInput(f"a {role.value} user belongs to no party", field="party")
    if role is not Role.AUDITOR and agreement_ids:
        raise InvalidInput("only auditors are assigned to agreements", field="agreement")


def new_token() -> str:
    """Return a fresh bearer token (shown once; only its hash is stored)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Return the SHA-256 of a token: tokens carry 256 random bits, so no salt is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
