"""The report as data: frozen sections of labelled rows and totals, with no drawing in it.

Every figure is a Decimal, an int or a string (never a float), exactly as read from the
ledger, so tests can compare it with the journal and the renderer only has to format it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

Value = Decimal | int | str | date | None


@dataclass(frozen=True)
class Label:
    """A Japanese label with its English beside it."""

    ja: str
    en: str

    def __str__(self) -> str:
        return f"{self.ja} / {self.en}" if self.ja != self.en else self.en


@dataclass(frozen=True)
class Column:
    key: str
    label: Label
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    """One line of a table: values by column key; `illustrative` marks invented figures."""

    values: dict[str, Value]
    illustrative: bool = False

    def __getitem__(self, key: str) -> Value:
        return self.values[key]


@dataclass(frozen=True)
class Table:
    key: str
    label: Label
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    totals: Row | None = None
    notes: tuple[str, ...] = ()

    def column(self, key: str) -> list[Value]:
        return [row.values[key] for row in self.rows]

    def column_values(self, key: str) -> list[Value]:
        """Return the column's values in the rows that have one (blank cells left out)."""
        return [row.values[key] for row in self.rows if row.values.get(key) is not None]


@dataclass(frozen=True)
class Fact:
    """A single labelled figure (net, ratio, chain head ...)."""

    key: str
    label: Label
    value: Value
    unit: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    label: Label
    facts: tuple[Fact, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()

    def fact(self, key: str) -> Value:
        return next(f.value for f in self.facts if f.key == key)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


@dataclass(frozen=True)
class ChartPoint:
    """Netting of one fiscal year for the chart, with running totals over the term."""

    fiscal_year: int
    emissions: Decimal
    retired: Decimal
    cumulative_emissions: Decimal
    cumulative_retired: Decimal
    pending: Decimal = Decimal("0.000")  # estimates awaiting certification (provisional)
    ratio: Decimal | None = None  # offset ratio O/E, as the netting table prints it
    provisional_ratio: Decimal | None = None


@dataclass(frozen=True)
class PartyLine:
    role: Label
    name: Label
    prefecture: Label
    code: str
    section: Label | None = None  # the section responsible (所管課), when the party names one


@dataclass(frozen=True)
class Cover:
    title: Label
    agreement_id: int
    agreement_title: Label
    parties: tuple[PartyLine, ...]
    term: Label
    period: Label  # the fiscal years covered, e.g. 平成25年度 / FY2013
    period_start: date
    period_end: date
    signed_on: date
    # Where the forest is: each site with the compartments and stands (林班・小班) whose work
    # the report covers, e.g. "ますみヶ丘平地林 32林班（ろ・は小班）".
    location: tuple[str, ...] = ()


class ReportKind(StrEnum):
    ANNUAL = "annual"
    TERM = "term"


@dataclass(frozen=True)
class ChainStamp:
    """The chain head the report was read at: compare with `offset verify --at`."""

    agreement_id: int
    entry_count: int
    head_hash: str

    @property
    def verify_command(self) -> str:
        """Return the command that prints this head from today's chain, however long it is."""
        return f"offset verify --agreement {self.agreement_id} --at {self.entry_count}"


@dataclass(frozen=True)
class ReportIssue:
    """What makes a report an issued document: its number in the agreement's register and,
    for a re-issue (再発行), the number it replaces and why. A report without one is a draft
    built on demand."""

    number: str
    replaces: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ReportData:
    kind: ReportKind
    agreement_id: int
    term_number: int
    fiscal_years: tuple[int, ...]
    cover: Cover
    sections: tuple[Section, ...]
    chart: tuple[ChartPoint, ...]
    chain: ChainStamp
    generated_at: datetime
    illustrative: bool = False  # some figure comes from data marked illustrative
    legend: tuple[str, ...] = field(default=())
    issue: ReportIssue | None = None  # None: a draft built on demand, not issued
    # Set when the agreement does not verify: the band printed on every page, naming the
    # first bad entry (offset.integrity). None for a ledger that verifies.
    integrity_warning: str | None = None
    # The figures an auditor looks for first, taken from the sections (the same values).
    headline: tuple[Fact, ...] = ()
    headline_notes: tuple[str, ...] = ()
    prepared_by: str | None = None  # who issued it, or who asked for the draft

    def section(self, key: str) -> Section:
        """Return the section named `key`. Raises StopIteration when there is none."""
        return next(s for s in self.sections if s.key == key)

    @property
    def filename(self) -> str:
        which = (f"FY{self.fiscal_years[0]}" if self.kind is ReportKind.ANNUAL
                 else str(self.term_number))
        return f"offset-agreement-{self.agreement_id}-{self.kind.value}-{which}.pdf"
