"""Journal values: commodities, postings, entries and the pure rules an entry must obey."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any

from offset.fiscal import MAX_YEAR, MIN_YEAR
from offset.numbers import ZERO


class Commodity(StrEnum):
    """What a posting counts: integer yen, certified or estimated tonnes of CO2 (kg precision)."""

    JPY = "JPY"
    TCO2E = "tCO2e"
    TCO2E_EST = "tCO2e-est"

    @property
    def places(self) -> int:
        return 0 if self is Commodity.JPY else 3


# The balance of every account and commodity of one agreement (over a year, as of an entry):
# what the journal's balance query returns and what summaries and reports add up.
Balances = dict[tuple[str, Commodity], Decimal]


class EntryKind(StrEnum):
    """Which fact an entry records.

    Corrections are `reversal` entries, or `prior-period-adjustment` entries when the
    corrected entry's fiscal year is closed: the adjustment is posted in the next open year.
    `period-close` and `report-issue` are memoranda: they record a fact about the books (a
    fiscal year closed, a report issued) in the chain and move no amount.
    """

    COST = "cost"
    SUBSIDY = "subsidy"
    TIMBER_SALE = "timber-sale"
    ESTIMATE = "estimate"
    ESTIMATE_ADJUSTMENT = "estimate-adjustment"
    CERTIFICATION = "certification"
    EMISSION = "emission"
    RETIREMENT = "retirement"
    REVERSAL = "reversal"
    PRIOR_PERIOD_ADJUSTMENT = "prior-period-adjustment"
    PERIOD_CLOSE = "period-close"
    REPORT_ISSUE = "report-issue"

    @property
    def memorandum(self) -> bool:
        """True for the kinds that have no postings."""
        return self in (EntryKind.PERIOD_CLOSE, EntryKind.REPORT_ISSUE)

    @property
    def corrective(self) -> bool:
        """True for the kinds that cancel an earlier entry (and reference it)."""
        return self in (EntryKind.REVERSAL, EntryKind.PRIOR_PERIOD_ADJUSTMENT)


# Beancount's account grammar, so that every account exports as it is.
ACCOUNT_NAME = re.compile(r"^(Assets|Liabilities|Equity|Income|Expenses)(:[A-Z][A-Za-z0-9-]*)+$")
MAX_TEXT = 500
AMOUNT_LIMIT = Decimal(10) ** 14
# Tab and newline are text; other C0 controls (NUL above all) are not, and PostgreSQL
# refuses NUL in text columns.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Posting:
    account: str
    commodity: Commodity
    amount: Decimal

    def negated(self) -> Posting:
        return Posting(self.account, self.commodity, -self.amount)


@dataclass(frozen=True)
class Reference:
    """A reversal's pointer to the entry it reverses; the hash ties it into the chain."""

    entry_id: int
    hash: str


@dataclass(frozen=True)
class Adjustment:
    """A prior-period adjustment posted later that corrects an entry of the year."""

    entry_id: int
    fiscal_year: int  # the open year it was posted in
    corrects_entry_id: int


@dataclass(frozen=True)
class Provenance:
    """Where an entry's figures come from, when a reader must know: `published` (with its
    source) or `illustrative` (invented, e.g. for the demo). Stored in the entry's details."""

    figure: str  # "published" or "illustrative"
    source: str = ""

    def __post_init__(self) -> None:
        if self.figure not in ("published", "illustrative"):
            raise ValueError(f"figure must be published or illustrative, not {self.figure!r}")


def provenance_details(provenance: Provenance | None) -> dict[str, str]:
    """Return the details keys that record `provenance` (none when it is not given)."""
    if provenance is None:
        return {}
    return {"figure": provenance.figure, "figure_source": provenance.source}


@dataclass(frozen=True, init=False)
class Entry:
    """An economic or carbon fact before it is sealed into its agreement's chain.

    Its details are held as their canonical JSON text, the form that is hashed and stored,
    and decoded only when read: an entry made in memory and the same entry read back are
    equal, and posting or verifying a batch encodes each entry's details once at most.
    """

    agreement_id: int
    fiscal_year: int
    kind: EntryKind
    effective_date: date
    description: str
    postings: tuple[Posting, ...]
    details_json: str = field(repr=False)
    recorded_by: str = "system"
    reverses: Reference | None = None
    reason: str | None = None

    def __init__(self, agreement_id: int, fiscal_year: int, kind: EntryKind,
                 effective_date: date, description: str, postings: tuple[Posting, ...],
                 details: Mapping[str, Any] | None = None, recorded_by: str = "system",
                 reverses: Reference | None = None, reason: str | None = None, *,
                 details_json: str | None = None) -> None:
        """Give `details` as values, or `details_json` as the canonical text stored before
        (reading an entry back). `details` wins when both are given, as they are when
        dataclasses.replace changes the details of an entry."""
        if details is not None or details_json is None:
            details_json = canonical_json(dict(details or {}))
        for name, value in (("agreement_id", agreement_id), ("fiscal_year", fiscal_year),
                            ("kind", kind), ("effective_date", effective_date),
                            ("description", description), ("postings", postings),
                            ("details_json", details_json), ("recorded_by", recorded_by),
                            ("reverses", reverses), ("reason", reason)):
            object.__setattr__(self, name, value)

    @cached_property
    def details(self) -> dict[str, Any]:
        """The details as stored: JSON values, Decimals and dates as their text."""
        loaded: dict[str, Any] = json.loads(self.details_json)
        return loaded


@dataclass(frozen=True)
class Link:
    """An entry sealed into its chain: its position, time, and the hashes that tie it in."""

    entry: Entry
    seq: int
    recorded_at: datetime
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class JournalEntry:
    """An entry as stored: its id, its place in the chain and the hashes that seal it."""

    id: int
    seq: int
    recorded_at: datetime
    prev_hash: str
    hash: str
    entry: Entry

    @classmethod
    def stored(cls, entry_id: int, link: Link) -> JournalEntry:
        return cls(entry_id, link.seq, link.recorded_at, link.prev_hash, link.hash, link.entry)

    @property
    def agreement_id(self) -> int:
        return self.entry.agreement_id


def canonical_json(value: Any) -> str:
    """Return the one text form offset hashes and stores: sorted keys, Decimals as text."""
    return _CANONICAL.encode(value)


def _decimal_as_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be stored in entry details")


# One encoder for every call: json.dumps with options builds a new one each time, which
# costs as much as encoding a small entry.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                              default=_decimal_as_text)


def problems(entry: Entry) -> list[str]:
    """Return every bookkeeping rule `entry` breaks (an empty list when it is valid)."""
    checks = (_enough_postings, _accounts_valid, _amounts_exact, _balances, _text_valid,
              _fiscal_year_valid, _reversal_has_reason)
    return [problem for check in checks for problem in check(entry)]


def _enough_postings(entry: Entry) -> list[str]:
    if entry.kind.memorandum:
        return [] if not entry.postings else [f"a {entry.kind} entry has no postings"]
    return [] if len(entry.postings) >= 2 else ["an entry needs at least two postings"]


def _accounts_valid(entry: Entry) -> list[str]:
    return [f"posting {i}: account {p.account!r} is not a valid account name"
            for i, p in enumerate(entry.postings)
            if not ACCOUNT_NAME.match(p.account) or len(p.account) > 200]


def _amounts_exact(entry: Entry) -> list[str]:
    found = []
    for i, p in enumerate(entry.postings):
        if not isinstance(p.amount, Decimal) or not p.amount.is_finite():
            found.append(f"posting {i}: amount must be a finite Decimal")
        elif p.amount == ZERO:
            found.append(f"posting {i}: amount is zero")
        elif p.amount != round(p.amount, p.commodity.places):
            found.append(f"posting {i}: {p.commodity} allows {p.commodity.places} decimal places")
        elif abs(p.amount) >= AMOUNT_LIMIT:
            found.append(f"posting {i}: amount is out of range")
    return found


def _balances(entry: Entry) -> list[str]:
    totals: dict[Commodity, Decimal] = defaultdict(lambda: ZERO)
    for p in entry.postings:
        if isinstance(p.amount, Decimal) and p.amount.is_finite():
            totals[p.commodity] += p.amount
    return [f"{commodity} postings sum to {total}, not 0"
            for commodity, total in totals.items() if total != ZERO]


def _text_valid(entry: Entry) -> list[str]:
    found = []
    if not entry.description.strip() or len(entry.description) > MAX_TEXT:
        found.append(f"description must be 1..{MAX_TEXT} characters")
    if not entry.recorded_by.strip() or len(entry.recorded_by) > 100:
        found.append("recorded_by must be 1..100 characters")
    for name, text in (("description", entry.description), ("recorded_by", entry.recorded_by),
                       ("reason", entry.reason or "")):
        if CONTROL_CHARACTERS.search(text):
            found.append(f"{name} contains control characters")
    return found


def _fiscal_year_valid(entry: Entry) -> list[str]:
    if MIN_YEAR <= entry.fiscal_year <= MAX_YEAR:
        return []
    return [f"fiscal year {entry.fiscal_year} is outside {MIN_YEAR}..{MAX_YEAR}"]


def _reversal_has_reason(entry: Entry) -> list[str]:
    corrective = entry.kind.corrective
    if corrective != (entry.reverses is not None):
        return ["a correction (reversal or prior-period adjustment), and only it, references "
                "the entry it corrects"]
    if corrective and not (entry.reason or "").strip():
        return [f"a {entry.kind} needs a reason"]
    if entry.reason is not None and len(entry.reason) > MAX_TEXT:
        return [f"reason must be at most {MAX_TEXT} characters"]
    return []


def reversal_of(original: JournalEntry, reason: str, recorded_by: str) -> Entry:
    """Return the entry that cancels `original`: every posting negated, same fiscal year."""
    source = original.entry
    return Entry(
        agreement_id=source.agreement_id,
        fiscal_year=source.fiscal_year,
        kind=EntryKind.REVERSAL,
        effective_date=source.effective_date,
        description=f"Reversal of entry {original.id}: {source.description}"[:MAX_TEXT],
        postings=tuple(p.negated() for p in source.postings),
        details={"reversed_kind": source.kind.value},
        recorded_by=recorded_by,
        reverses=Reference(original.id, original.hash),
        reason=reason,
    )


def adjustment_of(original: JournalEntry, fiscal_year: int, effective_date: date, reason: str,
                  recorded_by: str) -> Entry:
    """Return the prior-period adjustment that cancels `original` in `fiscal_year`, a later
    (open) year than the closed one `original` belongs to: every posting negated there, so
    the closed year's figures stay as they were closed."""
    source = original.entry
    return Entry(
        agreement_id=source.agreement_id,
        fiscal_year=fiscal_year,
        kind=EntryKind.PRIOR_PERIOD_ADJUSTMENT,
        effective_date=effective_date,
        description=(f"Prior-period adjustment of entry {original.id} (FY{source.fiscal_year}): "
                     f"{source.description}")[:MAX_TEXT],
        postings=tuple(p.negated() for p in source.postings),
        details={"reversed_kind": source.kind.value, "adjusts_fiscal_year": source.fiscal_year},
        recorded_by=recorded_by,
        reverses=Reference(original.id, original.hash),
        reason=reason,
    )
