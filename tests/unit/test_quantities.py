"""The table of canonical quantities: each one's unit and places, and how text becomes it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from offset.errors import InvalidInput, InvalidQuantity
from offset.quantities import (
    AREA,
    CO2,
    EMISSION_FACTOR,
    GROWTH,
    INTENSITY,
    PARAMETER,
    PER_AREA_RATE,
    STEM_VOLUME,
    TIMBER_PRICE,
    VOLUME,
    YEN,
    Quantity,
)


@pytest.mark.parametrize(("kind", "unit", "places", "label", "dimensions"), [
    (AREA, "ha", 4, "ha", {"[length]": 2}),
    (VOLUME, "m**3", 3, "m3", {"[length]": 3}),
    (GROWTH, "m**3/ha/year", 3, "m3/ha/yr", {"[length]": 1, "[time]": -1}),
    (STEM_VOLUME, "m**3/ha", 3, "m3/ha", {"[length]": 1}),
    (CO2, "t_CO2", 3, "t-CO2", {"[carbon_dioxide]": 1}),
    (PER_AREA_RATE, "t_CO2/ha/year", 3, "t-CO2/ha/yr",
     {"[carbon_dioxide]": 1, "[length]": -2, "[time]": -1}),
], ids=lambda v: v.name if isinstance(v, Quantity) else None)
def test_each_quantity_has_one_unit_places_and_dimension(kind: Quantity, unit: str,
                                                         places: int, label: str,
                                                         dimensions: dict[str, int]):
    assert (kind.unit, kind.places, kind.label) == (unit, places, label)
    assert dict(kind.dimensionality) == dimensions


def test_plain_numbers_and_yen_have_their_places():
    assert (INTENSITY.places, INTENSITY.label) == (2, "%")
    assert PARAMETER.places == 6
    assert EMISSION_FACTOR.places == 9
    assert (TIMBER_PRICE.places, TIMBER_PRICE.label) == (6, "JPY/m3")
    assert (YEN.places, YEN.label) == (0, "JPY")


@pytest.mark.parametrize(("kind", "text", "expected"), [
    # 1 町 = 3000 坪 of (6 尺)², 1 尺 = 10/33 m: 3000 × (60/33)² m² = 9917.355… m²
    (AREA, "1 町", Decimal("0.9917")),
    (AREA, "295000 m**2", Decimal("29.5000")),
    # 1 石 = 10 尺³ = 10 × (10/33)³ m³ = 0.278265… m³
    (VOLUME, "1 石", Decimal("0.278")),
    (VOLUME, "120 m**3", Decimal("120.000")),
    # 1 km² = 100 ha
    (GROWTH, "620 m**3/km**2/year", Decimal("6.200")),
    (CO2, "456300 kg_CO2", Decimal("456.300")),
    (CO2, "456.3 tCO2", Decimal("456.300")),
    (PER_AREA_RATE, "319 kg_CO2/ha/year", Decimal("0.319")),
])
def test_text_is_converted_to_the_canonical_unit_and_places(kind: Quantity, text: str,
                                                            expected: Decimal):
    parsed = kind.parse(text, field="x")

    assert parsed == expected
    assert parsed.as_tuple().exponent == -kind.places


@pytest.mark.parametrize(("kind", "text", "field"), [
    (AREA, "30 m", "area"),
    (VOLUME, "5 Nm3", "volume"),
    (GROWTH, "6 m**3/ha", "measured_growth"),
    (CO2, "5 t", "certified"),  # a tonne of mass is not a tonne of CO2
    (PER_AREA_RATE, "3 t_CO2/ha", "per_area_rate"),
    (AREA, "30", "annual_target"),
])
def test_a_wrong_dimension_or_no_unit_is_refused_naming_the_field(kind: Quantity, text: str,
                                                                   field: str):
    with pytest.raises(InvalidQuantity) as refused:
        kind.parse(text, field=field)

    assert refused.value.field == field


def test_no_text_is_no_value():
    assert AREA.parse_optional(None, field="certified_area") is None
    assert INTENSITY.parse_optional(None, field="intensity") is None


def test_a_percentage_may_carry_its_sign_but_not_more_places():
    assert INTENSITY.parse("30", field="intensity") == Decimal(30)
    assert INTENSITY.parse(" 30.25 % ", field="intensity") == Decimal("30.25")
    with pytest.raises(InvalidInput) as refused:
        INTENSITY.parse("30.125", field="intensity")
    assert refused.value.field == "intensity"


def test_a_plain_number_is_taken_in_the_canonical_unit():
    assert PER_AREA_RATE.parse_number("3.19", field="per_area_rate") == Decimal("3.19")
    with pytest.raises(InvalidInput) as refused:
        PER_AREA_RATE.parse_number("3.1905", field="per_area_rate")
    assert refused.value.field == "per_area_rate"


@pytest.mark.parametrize("text", ["1000.5", "1e3", "1,001", "-5", "１０"])
def test_yen_are_ascii_digits_only(text: str):
    assert YEN.parse(" 1001 ", field="amount") == 1001
    with pytest.raises(InvalidInput) as refused:
        YEN.parse(text, field="amount")
    assert refused.value.field == "amount"


def test_values_are_shown_with_their_places_never_in_exponent_form():
    assert AREA.text(Decimal("1E+1")) == "10.0000"
    assert CO2.text(Decimal("456.3")) == "456.300"
    assert VOLUME.fixed(Decimal("0.2785")) == Decimal("0.278")  # half-even
