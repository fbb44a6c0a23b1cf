"""Journal errors: offset.errors' tree, extended for the ledger.

    InvalidInput
    ├── InvalidEntry              an entry breaks a bookkeeping rule: unbalanced, bad account,
    │                             ... (422, each problem listed under `postings`)
    └── InvalidAsOf               a point-in-time read names no point: not a sequence number
        │                         or an aware timestamp; members: as_of (422, field as_of)
        └── AsOfBeyondHead        the sequence number is past the chain's head; + head_seq
    Conflict
    └── LedgerConflict            a journal invariant (409)
        ├── PeriodClosed          the entry is dated into a closed fiscal year; members:
        │                         agreement_id, fiscal_year, closed_through (409)
        ├── ReversalRefused       an entry may not be reversed; members: entry_id (409)
        │   ├── AlreadyReversed   the entry already has a reversal; + reversal_id
        │   └── NotReversible     the entry is itself a correction, or a memorandum;
        │                         + kind
        └── LedgerBroken          the agreement's chain (or the forestry rows it covers) does
                                  not verify, so nothing may be certified from it: issuing a
                                  report refuses; members: agreement_id, first_bad_entry,
                                  seq, reason (409)
    OffsetError
    └── JournalUnbalanced         the stored journal's totals break double entry: postings
                                  were lost or altered outside offset; + agreement_id,
                                  problems (500)

Other contexts refuse reversals their invariants forbid with further ReversalRefused
subclasses (offset.netting.errors, offset.money.errors).
"""

from __future__ import annotations

from typing import ClassVar

from offset.errors import Conflict, FieldError, InvalidInput, OffsetError


class InvalidEntry(InvalidInput):
    title = "Invalid journal entry"
    code = "invalid-entry"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(field="postings")
        self.problems = problems

    @property
    def detail(self) -> str:
        return "; ".join(self.problems)

    def field_errors(self) -> list[FieldError]:
        return [{"field": "postings", "reason": problem} for problem in self.problems]


class InvalidAsOf(InvalidInput):
    """`as_of` (as given) names no point of a chain; `reason` says why. `field` is the
    parameter that gave it (as_of, or the CLI's --at)."""

    title = "Invalid as_of"
    code = "invalid-as-of"
    members: ClassVar[tuple[str, ...]] = ("as_of",)

    def __init__(self, as_of: str, reason: str, *, field: str = "as_of") -> None:
        super().__init__(field=field)
        self.as_of = as_of
        self.reason = reason

    @property
    def detail(self) -> str:
        return f"{self.as_of!r}: {self.reason}"


class AsOfBeyondHead(InvalidAsOf):
    """Sequence number `as_of` is past the chain's head, which is at `head_seq`."""

    title = "as_of beyond the chain's head"
    code = "as-of-beyond-head"
    members = ("as_of", "head_seq")

    def __init__(self, as_of: str, head_seq: int, *, field: str = "as_of") -> None:
        super().__init__(as_of, f"the chain's head is at seq {head_seq}; no later point exists",
                         field=field)
        self.head_seq = head_seq


class LedgerConflict(Conflict):
    title = "Ledger conflict"
    code = "ledger-conflict"


class PeriodClosed(LedgerConflict):
    """Fiscal year `fiscal_year` of agreement `agreement_id` is closed (every year up to
    `closed_through` is): nothing more may be dated into it."""

    title = "Fiscal year closed"
    code = "period-closed"
    members: ClassVar[tuple[str, ...]] = ("agreement_id", "fiscal_year", "closed_through")

    def __init__(self, agreement_id: int, fiscal_year: int, closed_through: int) -> None:
        super().__init__(field="fiscal_year")
        self.agreement_id = agreement_id
        self.fiscal_year = fiscal_year
        self.closed_through = closed_through

    @property
    def detail(self) -> str:
        return (f"FY{self.fiscal_year} of agreement {self.agreement_id} is closed (every year "
                f"through FY{self.closed_through} is); a correction of a closed year is posted "
                "as a prior-period adjustment in the next open year")


class ReversalRefused(LedgerConflict):
    """Entry `entry_id` may not be reversed; each subclass says why."""

    title = "Reversal refused"
    code = "reversal-refused"
    members: ClassVar[tuple[str, ...]] = ("entry_id",)

    def __init__(self, entry_id: int, *, field: str | None = None) -> None:
        super().__init__(field=field)
        self.entry_id = entry_id


class AlreadyReversed(ReversalRefused):
    title = "Entry already reversed"
    code = "already-reversed"
    members = ("entry_id", "reversal_id")

    def __init__(self, entry_id: int, reversal_id: int) -> None:
        super().__init__(entry_id)
        self.reversal_id = reversal_id

    @property
    def detail(self) -> str:
        return f"entry {self.entry_id} was already reversed by entry {self.reversal_id}"


class NotReversible(ReversalRefused):
    title = "Entry not reversible"
    code = "not-reversible"
    members = ("entry_id", "kind")

    def __init__(self, entry_id: int, kind: str = "reversal") -> None:
        super().__init__(entry_id)
        self.kind = kind

    @property
    def detail(self) -> str:
        if self.kind in ("reversal", "prior-period-adjustment"):
            return (f"entry {self.entry_id} is a {self.kind}; post the original again "
                    "instead")
        return f"entry {self.entry_id} is a {self.kind} memorandum, which stands for good"


class JournalUnbalanced(OffsetError):
    """Agreement `agreement_id`'s journal does not sum to zero per commodity (`problems`)."""

    title = "Journal unbalanced"
    code = "journal-unbalanced"
    members = ("agreement_id", "problems")

    def __init__(self, agreement_id: int, problems: list[str]) -> None:
        super().__init__()
        self.agreement_id = agreement_id
        self.problems = problems

    @property
    def detail(self) -> str:
        return f"the journal of agreement {self.agreement_id} is unbalanced: " + "; ".join(
            self.problems)


class LedgerBroken(LedgerConflict):
    """Agreement `agreement_id` does not verify: the first bad entry is `first_bad_entry`
    (None when the break is in the chain head or an anchor, after entry `seq`), `reason` says
    why. A 409: the agreement's state refuses what was asked (issuing a report) until the
    ledger is restored, not a fault of the request nor of offset's code."""

    title = "Ledger broken"
    code = "ledger-broken"
    members: ClassVar[tuple[str, ...]] = ("agreement_id", "first_bad_entry", "seq", "reason")

    def __init__(self, agreement_id: int, first_bad_entry: int | None, seq: int,
                 reason: str) -> None:
        super().__init__()
        self.agreement_id = agreement_id
        self.first_bad_entry = first_bad_entry
        self.seq = seq
        self.reason = reason

    @property
    def detail(self) -> str:
        where = (f"entry {self.first_bad_entry} (seq {self.seq})"
                 if self.first_bad_entry is not None else f"the chain after seq {self.seq}")
        return (f"the ledger of agreement {self.agreement_id} does not verify at {where}: "
                f"{self.reason}")
