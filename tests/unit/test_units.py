"""Quantities arrive as text with units and leave as exact Decimals in one canonical unit."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offset.errors import InvalidQuantity
from offset.units import quantity

# 1 尺 = 10/33 m, so 1 坪 = (6 尺)^2 = (60/33)^2 m2 = 400/121 m2 and 1 町 = 3000 坪.
TSUBO_M2 = Decimal(400) / Decimal(121)


def test_hectares_and_square_metres_agree():
    assert quantity("29.5 ha", "ha", 4, field="area") == Decimal("29.5000")
    assert quantity("295000 m**2", "ha", 4, field="area") == Decimal("29.5000")


def test_japanese_area_units_follow_the_shaku():
    expected_cho_ha = (3000 * TSUBO_M2 / 10000).quantize(Decimal("0.0001"))
    assert quantity("1 町", "ha", 4, field="area") == expected_cho_ha
    assert quantity("1 反", "m**2", 3, field="area") == (300 * TSUBO_M2).quantize(
        Decimal("0.001"))
    assert quantity("1 畝", "m**2", 3, field="area") == (30 * TSUBO_M2).quantize(
        Decimal("0.001"))


def test_a_koku_of_timber_is_ten_cubic_shaku():
    shaku = Decimal(10) / Decimal(33)
    assert quantity("1 石", "m**3", 5, field="volume") == (10 * shaku ** 3).quantize(
        Decimal("0.00001"))
    assert quantity("1 石", "m**3", 5, field="volume") == Decimal("0.27826")


@pytest.mark.parametrize("text", ["30 m", "30", "thirty ha", "", "ha", "1e400 ha"])
def test_bad_quantities_name_the_field(text: str):
    with pytest.raises(InvalidQuantity) as raised:
        quantity(text, "ha", 4, field="area")
    assert raised.value.field == "area"


def test_floats_are_refused():
    with pytest.raises(InvalidQuantity):
        quantity(29.5, "ha", 4, field="area")  # type: ignore[arg-type]


@given(st.integers(min_value=1, max_value=10**9))
def test_the_same_area_in_square_metres_and_hectares_is_identical(square_metres: int):
    hectares = Decimal(square_metres) / 10000
    assert quantity(f"{square_metres} m**2", "ha", 4, field="a") == quantity(
        f"{hectares} ha", "ha", 4, field="a")


@pytest.mark.parametrize("text", [
    "2 ha * 3", "1/0 ha", "9**9**9 ha", "1e999999999 ha", "(1 ha", "1 ha /", "1e13 ha",
    "1 ha**99", "2 * ha", "ha 2", "1 ha ha", "1 ha / / m", "1,2 ha", ",1 ha", "1 __class__",
    "nan ha", "inf ha", "1 ha\n2", "1 ha; 2", "1 (ha)", "1 h a", "1 ha**", "0x10 ha",
    "1" * 101 + " ha",
])
def test_anything_but_one_number_and_one_unit_is_refused(text: str):
    with pytest.raises(InvalidQuantity) as raised:
        quantity(text, "ha", 4, field="area")
    assert raised.value.field == "area"


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("1,200,000 kWh", "kWh", "1200000.000"), ("１，２００ ｋＷｈ", "kWh", "1200.000"),
    ("1.2 GWh", "kWh", "1200000.000"), ("1.5e3 m**2", "m**2", "1500.000"),
    ("1E-3 km**2", "m**2", "1000.000"), ("6.2 m**3/ha/year", "m**3/ha/year", "6.200"),
    ("6.2 m^3 / ha / yr", "m**3/ha/year", "6.200"), ("120 m3", "m**3", "120.000"),
    ("1000 Nm3", "Nm3", "1000.000"), ("456.3 t_CO2", "t_CO2", "456.300"),
    ("456.3 tCO2", "t_CO2", "456.300"), ("1 kW*h", "kWh", "1.000"), ("-2 ha", "ha", "-2.000"),
    ("+2 ha", "ha", "2.000"), (".5 ha", "ha", "0.500"), ("12ha", "ha", "12.000"),
    ("1e12 m**2", "m**2", "1000000000000.000"),
])
def test_numbers_are_read_as_users_type_them(text: str, unit: str, expected: str):
    assert quantity(text, unit, 3, field="q") == Decimal(expected)


@given(st.text(max_size=30))
def test_any_text_is_a_quantity_or_an_invalid_quantity(text: str):
    try:
        quantity(text, "ha", 4, field="area")
    except InvalidQuantity as error:
        assert error.field == "area"
