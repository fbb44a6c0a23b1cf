"""The canonical quantities offset records, each named once: its unit, its places, its parser.

Every entrypoint (HTTP body, CLI option, imported cell) reads text through these, the tables
store them in `Fixed(q.places)` columns, and responses show them with `q.text()` beside
`q.label`. Text with units is read by the one Pint registry (offset.units); plain numbers
(percentages, factors, prices) and whole yen have their own small readers here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from offset.errors import InvalidInput
from offset.numbers import D, exactly, fixed
from offset.units import quantity, registry


@dataclass(frozen=True)
class Quantity:
    """A physical quantity stored as a Decimal in `unit` with exactly `places` places."""

    name: str
    unit: str  # as Pint reads it: the unit every stored value is in
    places: int
    label: str  # as people read it, beside the number in responses and tables

    @property
    def dimensionality(self) -> Any:
        """Return the Pint dimensionality text is checked against ("[length] ** 2" for ha)."""
        return registry().parse_units(self.unit).dimensionality

    def parse(self, text: str, *, field: str) -> Decimal:
        """Return `text` ("29.5 ha", "3 町") in `unit`, rounded to `places` places.

        Raises InvalidQuantity naming `field` for unreadable text, a missing unit or a
        dimension that is not this quantity's ("30 m" for an area).
        """
        return quantity(text, self.unit, self.places, field=field)

    def parse_optional(self, text: str | None, *, field: str) -> Decimal | None:
        """Return None when no text is given, else `parse(text)`."""
        return None if text is None else self.parse(text, field=field)

    def parse_number(self, text: str, *, field: str) -> Decimal:
        """Return a plain number ("3.19") taken to be in `unit`, of at most `places` places.

        Raises InvalidInput naming `field` for text that is not a number or has more places.
        """
        return exactly(D(text, field=field), self.places, field=field)

    def fixed(self, value: Decimal) -> Decimal:
        """Return `value` with exactly this quantity's places (half-even)."""
        return fixed(value, self.places)

    def text(self, value: Decimal) -> str:
        """Return `value` with this quantity's places as plain text, never in exponent form."""
        return format(self.fixed(value), "f")


@dataclass(frozen=True)
class Number:
    """A plain decimal (no Pint unit) stored with at most `places` places."""

    name: str
    places: int
    label: str

    def parse(self, text: str, *, field: str | None) -> Decimal:
        """Return `text` ("30", "30 %" for a percentage) as a Decimal of at most `places`.

        Raises InvalidInput naming `field` for text that is not a number or has more places.
        """
        plain = text.strip().removesuffix("%").strip() if self.label == "%" else text
        return exactly(D(plain, field=field), self.places, field=field)

    def parse_optional(self, text: str | None, *, field: str | None) -> Decimal | None:
        """Return None when no text is given, else `parse(text)`."""
        return None if text is None else self.parse(text, field=field)

    def fixed(self, value: Decimal) -> Decimal:
        return fixed(value, self.places)

    def text(self, value: Decimal) -> str:
        return format(self.fixed(value), "f")


@dataclass(frozen=True)
class Money:
    """Whole units of a currency: integer yen, never a fraction."""

    name: str
    label: str
    places: int = 0

    def parse(self, text: str, *, field: str) -> int:
        """Return yen written as ASCII digits ("1001"); refuse "1000.5", "1e3", "1,001", signs.

        Raises InvalidInput naming `field`.
        """
        plain = text.strip()
        if not (plain.isascii() and plain.isdigit()):
            raise InvalidInput(f"{text!r} is not whole yen; give digits, e.g. 1001",
                               field=field)
        return int(plain)


# The table. Places are those of the stored columns (offset.db.tables uses them).
AREA = Quantity("area", "ha", 4, "ha")  # 1 m2 resolution
VOLUME = Quantity("volume", "m**3", 3, "m3")  # to the litre
GROWTH = Quantity("stem-volume growth", "m**3/ha/year", 3, "m3/ha/yr")
STEM_VOLUME = Quantity("stem volume per area", "m**3/ha", 3, "m3/ha")  # yield tables
CO2 = Quantity("CO2", "t_CO2", 3, "t-CO2")  # to the kilogram, as the ledger's tCO2e
PER_AREA_RATE = Quantity("per-area rate", "t_CO2/ha/year", 3, "t-CO2/ha/yr")
INTENSITY = Number("thinning intensity", 2, "%")
PARAMETER = Number("absorption parameter", 6, "")  # BEF, R, D, CF
EMISSION_FACTOR = Number("emission factor", 9, "t-CO2 per activity unit")
TIMBER_PRICE = Number("timber unit price", 6, "JPY/m3")  # a millionth of a yen: products exact
YEN = Money("yen", "JPY")

QUANTITIES = (AREA, VOLUME, GROWTH, STEM_VOLUME, CO2, PER_AREA_RATE)
NUMBERS = (INTENSITY, PARAMETER, EMISSION_FACTOR, TIMBER_PRICE)

