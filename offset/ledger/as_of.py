"""Point-in-time reads: where in an agreement's chain a read stands, and its one text form.

A read `as_of` a sequence number N answers as the ledger stood once entry N was sealed:
entries 1..N and nothing after (N = 0 is the empty chain, at the genesis hash). A read as
of a moment stands after the longest run of entries from the chain's start that were all
recorded at or before it. The run, rather than every entry recorded by then, because two
writers take their clocks before queueing for the chain's lock, so recording times may
step back by a little where the chain moves on: the run never counts an entry recorded
after the moment.

The text form, shared by the API's `as_of` parameter and the CLI's `--as-of`, is either the
sequence number ("42") or an ISO 8601 timestamp with its UTC offset
("2014-03-31T23:59:59+09:00", "2014-03-31T14:59:59Z"). A timestamp without an offset, a
bare date included, is refused rather than guessed: the chain records UTC, and reading a
naive time as JST on a server and as UTC in a test would name different heads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from offset.ledger.errors import InvalidAsOf

MAX_SEQ = 2**63 - 1  # sequence numbers are 64-bit
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class AtSeq:
    """The chain as it stood once entry `seq` was sealed (0: before any entry)."""

    seq: int

    def __post_init__(self) -> None:
        if not 0 <= self.seq <= MAX_SEQ:
            raise ValueError(f"seq must be 0..{MAX_SEQ}")

    @property
    def text(self) -> str:
        return str(self.seq)


@dataclass(frozen=True)
class AtMoment:
    """The chain as it stood at `moment` (timezone-aware)."""

    moment: datetime

    def __post_init__(self) -> None:
        if self.moment.utcoffset() is None:
            raise ValueError("moment must be timezone-aware")

    @property
    def text(self) -> str:
        return self.moment.isoformat()


# A point of an agreement's chain to read at.
AsOf = AtSeq | AtMoment


def parse_as_of(text: str, field: str = "as_of") -> AsOf:
    """Return the point `text` names: a sequence number or an aware ISO 8601 timestamp.

    Raises InvalidAsOf naming `field` for anything else, a naive timestamp included.
    """
    given = text.strip()
    if _DIGITS.fullmatch(given):
        seq = int(given)
        if seq > MAX_SEQ:
            raise InvalidAsOf(text, f"sequence number must be at most {MAX_SEQ}", field=field)
        return AtSeq(seq)
    try:
        moment = datetime.fromisoformat(given)
    except ValueError:
        raise InvalidAsOf(text, "must be a sequence number (0 or more) or an ISO 8601 "
                                "timestamp with its UTC offset", field=field) from None
    if moment.utcoffset() is None:
        raise InvalidAsOf(text, "a timestamp needs its UTC offset, e.g. "
                                "2014-03-31T23:59:59+09:00 or 2014-03-31T14:59:59Z",
                          field=field)
    try:
        # The chain records UTC; a time at the calendar's very edge may have no UTC time.
        return AtMoment(moment.astimezone(UTC))
    except OverflowError:
        raise InvalidAsOf(text, "the timestamp is out of range in UTC", field=field) from None
