"""Emissions = activity × factor, rounded half-even to the kilogram, whatever unit is given.

Factors are those of the shipped sets (reference/emission_factors.csv): jp-2010 (fuels; city
gas per 1000 Nm3 at normal conditions), jp-2023 (city gas per 1000 m3 at 25 °C),
tepco-fy2010 and fepc-fy2013 (electricity per kWh). Expectations are worked out by hand.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offset.emissions.model import Emission, Factor, in_factor_units, parse_factors
from offset.errors import InvalidQuantity
from offset.forestry.errors import ImportRejected
from tests.builders import half_even
from tests.strategies import ACTIVITIES, activity_amounts

SETS = parse_factors((files("offset") / "data" / "emission_factors.csv").read_text("utf-8"))


def tonnes(set_id: str, activity: str, text: str) -> Decimal:
    factor = SETS[set_id][activity]
    quantity = in_factor_units(text, factor, field="activity")
    return Emission(2010, activity, text, quantity, factor, "ward facilities").tonnes


def test_the_shipped_sets_are_the_reference_ones():
    assert sorted(SETS) == ["fepc-fy2013", "jp-2010", "jp-2023", "jp-default", "tepco-fy2010"]
    assert SETS["tepco-fy2010"]["electricity"].t_co2_per_unit == Decimal("0.000375")
    assert (SETS["jp-2010"]["city_gas"].unit, SETS["jp-2023"]["city_gas"].unit) == (
        "1000 Nm3", "1000 m3")
    assert SETS["jp-default"]["electricity"].status == "unverified"


@pytest.mark.parametrize(("set_id", "activity", "text", "expected"), [
    ("tepco-fy2010", "electricity", "1200000 kWh", "450.000"),  # 1,200,000 × 0.000375
    ("tepco-fy2010", "electricity", "1200 MWh", "450.000"),
    ("fepc-fy2013", "electricity", "1000 kWh", "0.570"),
    ("jp-2010", "kerosene", "12 kL", "29.880"),                # 12 × 2.49
    ("jp-2010", "kerosene", "12000 L", "29.880"),
    ("jp-2010", "gasoline", "1500 L", "3.480"),                # 1.5 × 2.32
    ("jp-2010", "lpg", "3 t", "9.000"),                        # 3 × 3.00
    ("jp-2010", "city_gas", "35000 Nm3", "78.050"),            # 35 × 2.23
    ("jp-2023", "city_gas", "35000 m3", "71.750"),             # 35 × 2.05
    ("jp-2023", "city_gas", "35000 m**3", "71.750"),
    ("tepco-fy2010", "electricity", "1 kWh", "0.000"),         # 0.375 kg rounds down
    ("tepco-fy2010", "electricity", "5 kWh", "0.002"),         # 1.875 kg → 2 kg
    ("tepco-fy2010", "electricity", "4 kWh", "0.002"),         # 1.5 kg → 2 (half to even)
    ("jp-2023", "city_gas", "5 m3", "0.010"),                  # 10.25 kg → 10 kg
])
def test_activity_times_factor_rounds_half_even_to_the_kilogram(set_id, activity, text,
                                                                expected):
    assert tonnes(set_id, activity, text) == Decimal(expected)
    assert tonnes(set_id, activity, text).as_tuple().exponent == -3


def test_pre_2023_city_gas_is_in_normal_cubic_metres_and_refuses_plain_m3():
    with pytest.raises(InvalidQuantity) as refused:
        tonnes("jp-2010", "city_gas", "35000 m3")
    assert refused.value.field == "activity"
    assert "1000 Nm3" in str(refused.value)


@pytest.mark.parametrize("text", ["30 m", "12 kg", "kWh", "-5 kWh", "0 kWh", "lots"])
def test_a_wrong_dimension_or_a_non_positive_quantity_is_refused(text):
    with pytest.raises(InvalidQuantity) as refused:
        tonnes("tepco-fy2010", "electricity", text)
    assert refused.value.field == "activity"


@given(activity=st.sampled_from(ACTIVITIES), amount=activity_amounts)
def test_the_same_activity_in_a_bigger_unit_gives_identical_tonnes(activity, amount):
    kind, set_id, per_base_unit, unit, (bigger, size) = activity
    small = tonnes(set_id, kind, f"{amount} {unit}")
    big = tonnes(set_id, kind, f"{Decimal(amount) / size} {bigger}")
    assert small == big == half_even(amount * Fraction(per_base_unit), 3)


def test_a_factor_file_with_bad_rows_is_refused_row_by_row():
    text = ("set,activity,unit,t_co2_per_unit,status,source\n"
            "x,electricity,kWh,0.0005,sourced,a\n"
            "x,electricity,kWh,0.0006,sourced,b\n"
            "x,gas,bananas,1,sourced,c\n")
    with pytest.raises(ImportRejected) as refused:
        parse_factors(text)
    assert [p.line for p in refused.value.problems] == [3, 4]


def test_a_factor_records_its_set_and_source():
    factor = Factor("x", "electricity", "kWh", Decimal("0.0005"), "sourced", "a")
    emission = Emission(2010, "electricity", "2 MWh", in_factor_units("2 MWh", factor,
                                                                      field="activity"),
                        factor, "ward facilities")
    assert emission.tonnes == Decimal("1.000")
