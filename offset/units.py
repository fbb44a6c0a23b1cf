"""The one Pint registry (exact Decimal magnitudes) and parsing of quantities at the edges."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from typing import Any

import pint

from offset.errors import InvalidQuantity
from offset.numbers import fixed


@cache
def registry() -> pint.UnitRegistry[Decimal]:
    """Return the process-wide registry, built on first use with offset's unit definitions."""
    ureg: pint.UnitRegistry[Decimal] = pint.UnitRegistry(
        non_int_type=Decimal, autoconvert_offset_to_baseunit=False)
    ureg.load_definitions(str(files("offset") / "data" / "units.txt"))
    return ureg


def quantity(text: str, unit: str, places: int, *, field: str) -> Decimal:
    """Return `text` (e.g. "29.5 ha", "3 町") converted to `unit`, rounded to `places` places.

    Raises InvalidQuantity naming `field` for unparsable text, a missing unit or a dimension
    that does not convert to `unit` ("30 m" where an area is wanted).
    """
    if not isinstance(text, str):
        raise InvalidQuantity(f"expected a quantity with its unit as text, e.g. '1 {unit}'",
                              field=field)
    ureg = registry()
    try:
        parsed: Any = ureg.Quantity(text.strip())
    except (pint.errors.PintError, ValueError, TypeError, AttributeError, SyntaxError):
        raise InvalidQuantity(f"cannot read {text!r} as a quantity", field=field) from None
    if not isinstance(parsed, ureg.Quantity) or parsed.dimensionless:
        raise InvalidQuantity(f"{text!r} has no unit; give one, e.g. '{text} {unit}'",
                              field=field)
    try:
        converted = parsed.to(unit)
    except pint.errors.DimensionalityError:
        raise InvalidQuantity(f"{text!r} is not convertible to {unit}", field=field) from None
    magnitude = converted.magnitude
    if not isinstance(magnitude, Decimal) or not magnitude.is_finite():
        raise InvalidQuantity(f"{text!r} does not start with a decimal number", field=field)
    try:
        return fixed(magnitude, places)
    except InvalidOperation:
        raise InvalidQuantity(f"{text!r} is too large", field=field) from None
