"""Reading the urban partner's command-line input: whole yen, choices, labels, ids, recorder.

The rules are the HTTP API's (offset.api.urban_schemas): yen are whole numbers written as
digits, never a float; labels are one line of at most 100 characters; free text has no
control characters. Each helper raises InvalidInput naming the option, so errors.py prints
one line and exits 2.
"""

from __future__ import annotations

import getpass
import re
from enum import StrEnum
from typing import Annotated, TypeVar

import typer

from offset.errors import InvalidInput
from offset.quantities import YEN

E = TypeVar("E", bound=StrEnum)

MAX_ID = 2**63 - 1  # entry, cost and thinning ids are 64-bit
LABEL_LENGTH, LINE_LENGTH, TEXT_LENGTH = 100, 200, 500
ONE_LINE = re.compile(r"^[^\x00-\x1f\x7f]*$")
FREE_TEXT = re.compile(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")

AgreementId = Annotated[int, typer.Option("--agreement", metavar="ID", help="Agreement id.")]
FiscalYearOption = Annotated[int, typer.Option("--fy", metavar="YEAR",
                                               help="Fiscal year, e.g. 2013.")]
RecordedBy = Annotated[str | None, typer.Option(
    "--recorded-by", help="Who records it (default: cli:<your login>).")]


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
    value = text.strip()
    if len(value) > length or not ONE_LINE.match(value):
        raise InvalidInput(f"must be one line of at most {length} characters", field=field)
    return value


def free_text(text: str, field: str) -> str:
    """Return free text (a description, a reason): line breaks allowed, control characters not."""
    value = text.strip()
    if len(value) > TEXT_LENGTH or not FREE_TEXT.match(value):
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
