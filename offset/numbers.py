"""Exact decimal numbers: the one way offset makes a Decimal and fixes its places."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

from offset.errors import InvalidInput

ZERO = Decimal(0)


def D(value: str | int | Decimal, *, field: str | None = None) -> Decimal:  # noqa: N802
    """Return `value` as a finite Decimal; floats are refused because they are not exact.

    Raises InvalidInput naming `field` when the value is not a finite number.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidInput(f"expected a decimal number as text, got {type(value).__name__}",
                           field=field)
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise InvalidInput(f"{value!r} is not a number", field=field) from None
    if not number.is_finite():
        raise InvalidInput(f"{value!r} is not a finite number", field=field)
    return number


def fixed(value: Decimal, places: int) -> Decimal:
    """Return `value` rounded half-even to exactly `places` decimal places."""
    return value.quantize(_quantum(places), rounding=ROUND_HALF_EVEN)


@lru_cache(maxsize=16)
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def exactly(value: Decimal, places: int, *, field: str | None = None) -> Decimal:
    """Return `value` with exactly `places` places, refusing any value that would need rounding.

    Raises InvalidInput naming `field` when digits beyond `places` are not zero.
    """
    quantized = fixed(value, places)
    if quantized != value:
        raise InvalidInput(f"{value} has more than {places} decimal places", field=field)
    return quantized
