"""Reading the urban partner's command-line input: whole yen, choices, labels, ids, recorder.

The rules are the HTTP API's (offset.api.urban_schemas): yen are whole numbers written as
digits, never a float; labels are one line of at most 100 characters; every argument is clean
text (offset.text.clean_text; line breaks only in MULTI_LINE_OPTIONS). Each helper raises
InvalidInput naming the option, so errors.py prints one line and exits 2.
"""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, TypeVar

import typer

from offset.errors import InvalidInput
from offset.ledger.as_of import AsOf, parse_as_of
from offset.quantities import YEN
from offset.text import clean_text

E = TypeVar("E", bound=StrEnum)

MAX_ID = 2**63 - 1  # entry, cost and thinning ids are 64-bit
LABEL_LENGTH, LINE_LENGTH, TEXT_LENGTH = 100, 200, 500
MULTI_LINE_OPTIONS = frozenset({"note", "description", "reason"})

AgreementId = Annotated[int, typer.Option("--agreement", metavar="ID", help="Agreement id.")]
FiscalYearOption = Annotated[int, typer.Option("--fy", metavar="YEAR",
                                               help="Fiscal year, e.g. 2013.")]
RecordedBy = Annotated[str | None, typer.Option(
    "--recorded-by", help="Who records it (default: cli:<your login>).")]
AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", metavar="SEQ|TIME",
    help="Read the ledger as it stood at this chain sequence number, or at this ISO 8601 "
         "time with its UTC offset (e.g. 2014-03-31T23:59:59+09:00); default: now.")]


def clean_arguments(args: Sequence[str]) -> None:
    """Refuse any command-line argument that is not clean text, naming its option.

    Runs on the whole command line before any option is parsed (offset.cli.errors), so no
    command can forget it. Raises InvalidInput naming the option ("site" for --site).
    """
    option = "argument"
    for arg in args:
        name, equals, value = arg.partition("=") if arg.startswith("--") else ("", "", arg)
        if arg.startswith("--"):
            option = name.removeprefix("--").replace("-", "_")
            if not equals:
                clean_text(arg, option)
                continue
        clean_text(value, option, multiline=option in MULTI_LINE_OPTIONS)
        option = "argument"


def as_of(text: str | None) -> AsOf | None:
    """Return the point `--as-of` names (None without it). Raises InvalidAsOf."""
    return None if text is None else parse_as_of(text)


def recorder(recorded_by: str | None) -> str:
    """Return who records an entry: the option, else `cli:<login>`."""
    if recorded_by is not None:
        return label(recorded_by, "recorded_by")
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        login = "unknown"
    return f"cli:{login}"


def whole_yen(text: str, field: str) -> int:
    """Return yen written as ASCII digits ("1001"); refuse "1000.5", "1e3", "1,001", signs."""
    return YEN.parse(text, field=field)


def choice(kind: type[E], text: str, field: str) -> E:
    """Return the member of `kind` whose value is `text`."""
    try:
        return kind(text.strip())
    except ValueError:
        names = ", ".join(member.value for member in kind)
        raise InvalidInput(f"{text!r} is not one of {names}", field=field) from None


def label(text: str, field: str) -> str:
    """Return a required one-line label (a name, buyer, beneficiary), stripped."""
    value = line(text, field, LABEL_LENGTH)
    if not value:
        raise InvalidInput("must not be blank", field=field)
    return value


def line(text: str, field: str, length: int = LINE_LENGTH) -> str:
    """Return an optional single line of text (a source, a purpose), stripped."""
    value = clean_text(text, field).strip()
    if len(value) > length:
        raise InvalidInput(f"must be one line of at most {length} characters", field=field)
    return value


def free_text(text: str, field: str) -> str:
    """Return free text (a description, a reason): line breaks allowed, control characters not."""
    value = clean_text(text, field, multiline=True).strip()
    if len(value) > TEXT_LENGTH:
        raise InvalidInput(f"must be at most {TEXT_LENGTH} characters without control "
                           "characters", field=field)
    return value


def ids(values: list[int] | None, field: str) -> tuple[int, ...]:
    """Return repeated id options as a tuple, refusing ids that cannot exist."""
    for value in values or []:
        checked_id(value, field)
    return tuple(values or [])


def checked_id(value: int, field: str) -> int:
    """Return `value` when it can be a stored id (64-bit, from 1). Raises InvalidInput."""
    if not 1 <= value <= MAX_ID:
        raise InvalidInput(f"{value} is not an id (1..{MAX_ID})", field=field)
    return value
