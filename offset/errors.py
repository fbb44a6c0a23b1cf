"""The one rooted hierarchy of domain errors, each carrying structured attributes.

Every class, with the HTTP status its branch has (offset.api.problems) and, in brackets,
the context module that extends the tree there:

    OffsetError                           anything else offset raises on purpose (500)
    ├── InvalidInput                      a value is malformed or out of range (422)
    │   ├── InvalidQuantity               a quantity has the wrong unit or dimension (422)
    │   │   └── UnitMismatch              [emissions] activity unit ≠ the factor's unit
    │   ├── TooLarge                      an input exceeds a bound: which, limit, found (413)
    │   ├── OutsideTerms                  [agreements] no term covers the fiscal year
    │   ├── OutsideFiscalYear             a date falls outside its fiscal year's window
    │   ├── FactorNotFound                [emissions] no factor for the activity
    │   ├── InvalidEntry                  [ledger] an entry breaks a bookkeeping rule
    │   ├── InvalidAsOf                   [ledger] a read's as_of names no point of a chain
    │   │   └── AsOfBeyondHead            [ledger] as_of is past the chain's head
    │   ├── InvalidBody                   [api.bodies] a body is not UTF-8 JSON, keys once
    │   ├── ConsentRequired               [closing] the close needs the forest's consent
    │   └── InvalidWork                   [forestry] a stand or thinning breaks a rule
    │       ├── UnknownStand              [forestry] the work names no stand
    │       └── ImportRejected            [forestry] a file's rows are refused, all listed
    ├── NotFound                          the thing does not exist or is not visible (404)
    │   └── ReportNotIssued               [documents] no issued report has the number
    ├── Conflict                          the request contradicts an invariant (409)
    │   ├── AlreadyExists                 a unique natural key is already taken
    │   │   └── DemoPresent               [demo] the demo case is already loaded
    │   ├── LedgerConflict                [ledger] journal invariants
    │   │   ├── PeriodClosed              [ledger] the fiscal year is closed
    │   │   ├── ReversalRefused           [ledger] an entry may not be reversed (now)
    │   │   │   ├── AlreadyReversed       [ledger] the entry already has a reversal
    │   │   │   ├── NotReversible         [ledger] a correction or a memorandum
    │   │   │   ├── CreditsRetired        [netting] its credits are retired
    │   │   │   ├── EmissionsOffset       [netting] its emissions are offset
    │   │   │   ├── EstimateCertified     [netting] its year's certification cleared it
    │   │   │   ├── CostFunded            [money] a live subsidy funds the cost
    │   │   │   └── NoOpenYear            [closing] no year of the terms takes its adjustment
    │   │   └── LedgerBroken              [ledger] the agreement does not verify
    │   ├── ForestryConflict              [forestry] stand and certification invariants
    │   │   ├── DoubleCounting            [forestry] the stand is credited elsewhere
    │   │   │   └── StandAreaExceeded     [forestry] a year would credit more than the area
    │   │   ├── EnrolledElsewhere         [forestry] the stand is in another scheme's project
    │   │   └── AlreadyCertified          [forestry] the fiscal year is certified already
    │   ├── CreditsInsufficient           [netting] too few eligible credits to retire
    │   ├── EmissionsExceeded             [netting] more than the year's unoffset emissions
    │   ├── SubsidyExceedsCosts           [money] subsidies would exceed their costs
    │   ├── NotCertified                  [council] a grant to an uncertified partnership
    │   ├── YearNotClosed                 [documents] a report is issued once its year closes
    │   ├── AlreadyIssued                 [documents] issued already: re-issue it instead
    │   ├── AlreadyReplaced               [documents] a replaced report is not re-issued
    │   ├── CloseRefused                  [closing] the year has blocking problems
    │   │   └── AlreadyClosed             [closing] the year is closed already
    │   ├── PeriodSettling                [closing] only payments in the settlement period
    │   └── TargetNotEmpty                [db.backup] a restore would overwrite a database
    ├── Unauthenticated                   no valid token, session or password (401)
    ├── Throttled                         too many failed logins: wait (429)
    │   └── RateLimited                   too many requests to a public endpoint (429)
    ├── Forbidden                         the caller's role may not do this (403)
    ├── JournalUnbalanced                 [ledger] stored totals break double entry
    ├── BackupFailed                      [db.backup] a backup or restore could not be made
    │   ├── ToolMissing                   [db.backup] pg_dump or pg_restore is not on PATH
    │   └── UnreadableBackup              [db.backup] not a complete backup of offset
    └── DatabaseUnavailable, SchemaNotReady, ChainsBroken   [cli] (exit 1)

An error's message is built from its attributes (`detail`, and `str()` with the field in
front). `members` names the attributes a client acts on: the API adds them to the problem
document as extension members, whose `type` is PROBLEM_BASE + `code`. `field_errors()` lists
the request fields at fault. The API maps all of this in exactly one handler
(offset.api.problems); the CLI prints `str(error)` on one line.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

FieldError = dict[str, object]


class OffsetError(Exception):
    """Root of every error offset raises on purpose."""

    title = "Error"
    code = "error"
    # The attributes a client acts on, in the order a problem document shows them.
    members: ClassVar[tuple[str, ...]] = ()
    # Whether the API's detail joins the field errors ("body.area: must be ...").
    detail_lists_fields: ClassVar[bool] = True

    def __init__(self, detail: str = "", *, field: str | None = None) -> None:
        super().__init__(detail)
        self._detail = detail
        self.field = field

    @property
    def detail(self) -> str:
        """Return what went wrong in words, without the field's name."""
        return self._detail

    def __str__(self) -> str:
        return f"{self.field}: {self.detail}" if self.field else self.detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def extension_members(self) -> dict[str, object]:
        """Return the structured attributes named by `members`, by name."""
        return {name: getattr(self, name) for name in self.members}

    def field_errors(self) -> list[FieldError]:
        """Return the request fields at fault, each as {"field": ..., "reason": ...}."""
        return []


class _NamesItsField(OffsetError):
    """An error that lists its field (if any) with the detail as the reason."""

    def field_errors(self) -> list[FieldError]:
        return [] if self.field is None else [{"field": self.field, "reason": self.detail}]


class InvalidInput(_NamesItsField):
    title = "Invalid input"
    code = "invalid-input"


class InvalidQuantity(InvalidInput):
    title = "Invalid quantity"
    code = "invalid-quantity"


class TooLarge(InvalidInput):
    """An input exceeds one of its bounds: `bound` names it, `limit` and `found` in `unit`.

    `at_least` says that reading stopped at the bound, so more than `found` may be there.
    """

    title = "Too large"
    code = "too-large"
    members = ("bound", "limit", "found", "at_least", "unit")

    def __init__(self, bound: str, limit: int, found: int, unit: str = "", *,
                 at_least: bool = False, field: str = "file") -> None:
        super().__init__(field=field)
        self.bound, self.limit, self.found, self.unit = bound, limit, found, unit
        self.at_least = at_least

    @property
    def detail(self) -> str:
        suffix = f" {self.unit}" if self.unit else ""
        return (f"{self.bound}: the limit is {self.limit:,}{suffix}, found "
                f"{'at least ' if self.at_least else ''}{self.found:,}{suffix}")


class OutsideFiscalYear(InvalidInput):
    """`date` (the request's `field`) is outside FY `fiscal_year`'s `earliest`..`latest`.

    `latest` is None for a window open at its end (a certification's issue date).
    """

    title = "Date outside the fiscal year"
    code = "outside-fiscal-year"
    members = ("fiscal_year", "date", "earliest", "latest")

    def __init__(self, fiscal_year: int, day: date, earliest: date, latest: date | None,
                 *, field: str) -> None:
        super().__init__(field=field)
        self.fiscal_year = fiscal_year
        self.date = day
        self.earliest = earliest
        self.latest = latest

    @property
    def detail(self) -> str:
        window = (f"on or after {self.earliest}" if self.latest is None
                  else f"from {self.earliest} to {self.latest}")
        return f"{self.date} is not in FY{self.fiscal_year}: the date must fall {window}"


class NotFound(OffsetError):
    title = "Not found"
    code = "not-found"


class Conflict(_NamesItsField):
    title = "Conflict"
    code = "conflict"


class AlreadyExists(Conflict):
    """`what` with the natural key `key` is already there; `wording` says so in words."""

    title = "Already exists"
    code = "already-exists"
    members = ("what", "key")

    def __init__(self, what: str, key: str | int | list[str], *, field: str | None = None,
                 wording: str = "{what} {key} already exists") -> None:
        super().__init__(field=field)
        self.what = what
        self.key = key
        self.wording = wording

    @property
    def detail(self) -> str:
        return self.wording.format(what=self.what, key=self.key)


class Unauthenticated(OffsetError):
    title = "Unauthenticated"
    code = "unauthenticated"


class Throttled(OffsetError):
    """Too many failed logins for a user name or from an address: wait `retry_after` s."""

    title = "Too many attempts"
    code = "throttled"
    members = ("retry_after",)

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after} seconds")
        self.retry_after = retry_after


class RateLimited(Throttled):
    """Too many requests from one address to an unauthenticated endpoint: wait."""

    title = "Too many requests"
    code = "rate-limited"

    def __init__(self, retry_after: int) -> None:
        OffsetError.__init__(self, f"too many requests; try again in {retry_after} seconds")
        self.retry_after = retry_after


class Forbidden(OffsetError):
    title = "Forbidden"
    code = "forbidden"
