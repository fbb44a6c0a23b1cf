"""The one Pint registry (exact Decimal magnitudes) and parsing of quantities at the edges.

A quantity is read by offset's own grammar, never evaluated by Pint: one decimal number, then
one unit expression made of registered unit names joined by `*` and `/`, each with an optional
small integer power (`**2`, `^3`). Pint only builds the unit from names already checked, so
text such as "2 ha * 3", "1/0 ha" or "9**9**9 ha" is refused instead of computed.

    quantity   := sign? number exponent? unit
    number     := digits ("." digits?)? | "." digits     digits may be grouped "1,200,000"
    exponent   := ("e" | "E") sign? digits               |exponent| <= MAX_EXPONENT
    unit       := name power? (("*" | "/") name power?)*
    power      := ("**" | "^") "-"? digit                |power| <= MAX_POWER

The text is NFKC-normalised first, so full-width digits, commas and letters ("１，２００ ｋＷｈ")
read as their ASCII forms.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from typing import Any

import pint

from offset.errors import InvalidQuantity
from offset.numbers import fixed

MAX_LENGTH = 100  # longer text is not a quantity anybody types
MAX_EXPONENT = 12
MAX_POWER = 4
_NUMBER = re.compile(r"""
    (?P<sign>[-+])?\s*
    (?P<digits>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)? | [0-9]+(?:\.[0-9]*)? | \.[0-9]+)
    (?:[eE](?P<exponent>[-+]?[0-9]+))?
    \s*""", re.VERBOSE | re.ASCII)
_NAME = r"(?:[^\W\d]\w*|%)"  # a letter or underscore first: "kWh", "t_CO2", "Nm3", "町"
_TERM = re.compile(rf"\s*(?P<name>{_NAME})\s*(?:(?:\*\*|\^)\s*(?P<power>-?[0-9]+))?\s*")
_OPERATOR = re.compile(r"\s*(?P<op>/|\*(?!\*))\s*")


@cache
def registry() -> pint.UnitRegistry[Decimal]:
    """Return the process-wide registry, built on first use with offset's unit definitions."""
    ureg: pint.UnitRegistry[Decimal] = pint.UnitRegistry(
        non_int_type=Decimal, autoconvert_offset_to_baseunit=False)
    ureg.load_definitions(str(files("offset") / "data" / "units.txt"))
    return ureg


def parse(text: str, *, field: str, example: str = "1 ha") -> Any:
    """Return `text` as a Pint quantity with an exact Decimal magnitude and a unit.

    Raises InvalidQuantity naming `field` for anything but one number and one unit
    expression of registered unit names (see the module's grammar).
    """
    if not isinstance(text, str):
        raise InvalidQuantity(f"expected a quantity with its unit as text, e.g. '{example}'",
                              field=field)
    plain = unicodedata.normalize("NFKC", text).strip()
    if len(plain) > MAX_LENGTH:
        raise InvalidQuantity(f"is longer than {MAX_LENGTH} characters", field=field)
    number = _NUMBER.match(plain)
    if number is None:
        raise InvalidQuantity(f"{text!r} does not start with a decimal number, "
                              f"e.g. '{example}'", field=field)
    magnitude = _magnitude(number, text, field)
    rest = plain[number.end():]
    if not rest:
        raise InvalidQuantity(f"{text!r} has no unit; give one, e.g. '{example}'", field=field)
    return registry().Quantity(magnitude, _unit(rest, text, field))


def _magnitude(number: re.Match[str], text: str, field: str) -> Decimal:
    exponent = int(number["exponent"] or 0)
    if abs(exponent) > MAX_EXPONENT:
        raise InvalidQuantity(f"{text!r} has an exponent beyond ±{MAX_EXPONENT}", field=field)
    digits = number["digits"].replace(",", "")
    value = Decimal(digits).scaleb(exponent)
    return -value if number["sign"] == "-" else value


# Units already built, by their expression: a log repeats "ha" in every row, and building
# a unit through Pint costs several times the rest of the parse. Only valid expressions are
# kept, and their number is bounded, so crafted text cannot grow the cache.
_UNITS: dict[str, Any] = {}
_UNITS_KEPT = 256


def _unit(expression: str, text: str, field: str) -> Any:
    if (known := _UNITS.get(expression)) is not None:
        return known
    unit = _built_unit(expression, text, field)
    if len(_UNITS) < _UNITS_KEPT:
        _UNITS[expression] = unit
    return unit


def _built_unit(expression: str, text: str, field: str) -> Any:
    ureg = registry()
    unit: Any = ureg.dimensionless
    position, operator = 0, "*"
    while True:
        term = _TERM.match(expression, position)
        if term is None or not _known(term["name"]):
            raise InvalidQuantity(f"{text!r}: {expression[position:].strip()!r} is not a unit "
                                  "(units are names joined by * and /, e.g. 'm**3/ha/year')",
                                  field=field)
        power = int(term["power"] or 1)
        if not 1 <= abs(power) <= MAX_POWER:
            raise InvalidQuantity(f"{text!r}: powers of units go up to {MAX_POWER}",
                                  field=field)
        named = ureg.Unit(term["name"]) ** power
        unit = unit * named if operator == "*" else unit / named
        position = term.end()
        if position == len(expression):
            return unit
        joined = _OPERATOR.match(expression, position)
        if joined is None:
            raise InvalidQuantity(f"{text!r}: {expression[position:].strip()!r} is not a unit "
                                  "(join unit names with * or /)", field=field)
        operator, position = joined["op"], joined.end()


def _known(name: str) -> bool:
    """Return whether `name` is a unit of the registry (never an attribute: "__class__")."""
    try:
        return bool(registry().parse_unit_name(name))
    except (pint.errors.PintError, AttributeError, ValueError):
        return False


def quantity(text: str, unit: str, places: int, *, field: str) -> Decimal:
    """Return `text` (e.g. "29.5 ha", "3 町") converted to `unit`, rounded to `places` places.

    Raises InvalidQuantity naming `field` for text outside the grammar, a missing unit or a
    dimension that does not convert to `unit` ("30 m" where an area is wanted).
    """
    parsed = parse(text, field=field, example=f"1 {unit}")
    if parsed.units == _unit(unit, unit, "unit"):  # as typed in the wanted unit: no conversion
        return _fixed(parsed.magnitude, places, text, field)
    if parsed.dimensionless:
        raise InvalidQuantity(f"{text!r} has no unit; give one, e.g. '1 {unit}'", field=field)
    try:
        magnitude = parsed.to(unit).magnitude
    except pint.errors.DimensionalityError:
        raise InvalidQuantity(f"{text!r} is not convertible to {unit}", field=field) from None
    except (pint.errors.PintError, ArithmeticError):  # offset units (°C) do not scale
        raise InvalidQuantity(f"{text!r} cannot be converted to {unit}", field=field) from None
    return _fixed(magnitude, places, text, field)


def _fixed(magnitude: Any, places: int, text: str, field: str) -> Decimal:
    if not isinstance(magnitude, Decimal) or not magnitude.is_finite():
        raise InvalidQuantity(f"{text!r} is not an exact decimal quantity", field=field)
    try:
        return fixed(magnitude, places)
    except InvalidOperation:
        raise InvalidQuantity(f"{text!r} is too large", field=field) from None
