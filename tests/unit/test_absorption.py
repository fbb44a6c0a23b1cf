"""Absorption estimates, checked against figures worked out by hand from design §4.

    annual CO2 (t-CO2/yr) = A × ΔV × BEF × (1 + R) × D × CF × 44/12

Every expected value here is computed from literal inputs with Fraction (exact) and rounded
half-even to the kilogram by tests.builders.half_even, never by offset's own arithmetic.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offset.agreements.model import AbsorptionMethod
from offset.forestry.absorption import carbon_per_stem_m3, national_inventory, per_area_rate
from offset.forestry.errors import InvalidWork
from offset.forestry.model import Stand, StandVersion
from offset.forestry.parameters import (
    ParameterSet,
    YieldTable,
    parse_parameter_set,
    parse_yield_table,
)
from offset.units import quantity
from tests.builders import half_even, shipped_data
from tests.strategies import areas_ha, measured_growths, species_codes

FY = 2009

# The shipped default parameter set, literally (offset/data/species_parameters.csv):
#   species: D (t/m3), BEF ≤20, BEF >20, R, CF
PARAMETERS = {
    "sugi": ("0.314", "1.57", "1.23", "0.25", "0.51"),
    "hinoki": ("0.407", "1.55", "1.24", "0.26", "0.51"),
    "karamatsu": ("0.404", "1.50", "1.15", "0.29", "0.51"),
    "akamatsu": ("0.451", "1.63", "1.23", "0.27", "0.51"),
    "broadleaf": ("0.469", "1.40", "1.30", "0.26", "0.48"),
}


@cache
def shipped() -> tuple[ParameterSet, YieldTable]:
    """The shipped parameter set and illustrative yield table, parsed once."""
    return (parse_parameter_set(shipped_data("species_parameters.csv"), "jp-nir-default", "1"),
            parse_yield_table(shipped_data("yield_table_illustrative.csv"),
                              "illustrative-richards", "1", illustrative=True))


@pytest.fixture
def defaults() -> ParameterSet:
    return shipped()[0]


@pytest.fixture
def table() -> YieldTable:
    return shipped()[1]


PROPERTY = settings(max_examples=40, deadline=None)


def a_stand(species: str, planting_year: int, *, site_class: int | None = 2,
            growth: str | Decimal | None = None, area: str = "100") -> Stand:
    measured = None if growth is None else Decimal(growth)
    return Stand(1, 1, "鹿嶺高原", "12", "3", 1,
                 StandVersion(Decimal(area), species, planting_year, site_class, measured))


def by_hand(area: str | Decimal, delta: Fraction, species: str, age: int) -> Decimal:
    """A × ΔV × BEF × (1 + R) × D × CF × 44/12, exact, then rounded to the kilogram."""
    d, bef_young, bef_old, r, cf = (Fraction(v) for v in PARAMETERS[species])
    bef = bef_young if age <= 20 else bef_old
    return half_even(Fraction(area) * delta * bef * (1 + r) * d * cf * 44 / 12)


# The Forestry Agency's worked example.

def test_the_forestry_agency_worked_example_stores_83_t_c_per_ha(defaults: ParameterSet):
    # A 36–40 year sugi stand of 337 m3/ha: 337 × 1.23 × 1.25 × 0.314 × 0.51 t-C/ha.
    per_m3, rows = carbon_per_stem_m3(defaults.species["sugi"], age=38)
    stored = 337 * per_m3
    assert stored == Decimal("82.97453925")
    assert stored.quantize(Decimal(1)) == 83
    assert [row.value for row in rows] == [Decimal("1.23"), Decimal("0.25"), Decimal("0.314"),
                                           Decimal("0.51")]


def test_the_worked_example_values_are_sourced_and_the_young_bef_is_not(
        defaults: ParameterSet):
    _, old = carbon_per_stem_m3(defaults.species["sugi"], age=38)
    _, young = carbon_per_stem_m3(defaults.species["sugi"], age=15)
    assert all(row.source.startswith("sourced: Forestry Agency") for row in old)
    assert young[0].name == "BEF (≤20 years)"
    assert young[0].value == Decimal("1.57")
    assert young[0].source.startswith("unverified: ")


# Hand-computed annual estimates for every species at ages 15 and 40.
# Ages 11–15 are age class 3 (BEF ≤20 applies); ages 36–40 are age class 8 (BEF >20).
# V (m3/ha) read from offset/data/yield_table_illustrative.csv, site class 2:
#   species      V(3)   V(4)   V(8)   V(9)
YIELD_SITE_CLASS_2 = {
    "sugi": ("64.3", "113.7", "354.5", "412.5"),
    "hinoki": ("40.1", "72.1", "238.0", "280.3"),
    "karamatsu": ("96.2", "152.1", "357.2", "396.0"),
    "akamatsu": ("51.4", "86.1", "237.9", "271.7"),
    "broadleaf": ("40.7", "66.0", "172.7", "196.4"),
}
# 2.5 ha, worked out once with a calculator and written down:
HAND_RESULTS = [
    ("sugi", 15, "28.463"), ("sugi", 40, "26.181"),
    ("hinoki", 15, "23.783"), ("hinoki", 40, "25.150"),
    ("karamatsu", 15, "40.859"), ("karamatsu", 40, "21.743"),
    ("akamatsu", 15, "30.291"), ("akamatsu", 40, "22.265"),
    ("broadleaf", 15, "18.419"), ("broadleaf", 40, "16.022"),
]


@pytest.mark.parametrize(("species", "age", "tonnes"), HAND_RESULTS)
def test_annual_estimate_of_each_species_at_15_and_40(species: str, age: int, tonnes: str,
                                                      defaults: ParameterSet,
                                                      table: YieldTable):
    planting_year = FY - age + 1  # the planting year counts as age 1
    v = YIELD_SITE_CLASS_2[species]
    now, later = (v[0], v[1]) if age == 15 else (v[2], v[3])
    delta = (Fraction(later) - Fraction(now)) / 5
    assert by_hand("2.5", delta, species, age) == Decimal(tonnes)

    found = national_inventory(a_stand(species, planting_year), Decimal("2.5"), FY, defaults,
                               table)

    assert found.tonnes == Decimal(tonnes)
    assert found.method is AbsorptionMethod.NATIONAL_INVENTORY
    assert (found.parameter_set, found.yield_table) == ("jp-nir-default@1",
                                                       "illustrative-richards@1")
    shown = {row.name: row.value for row in found.rows}
    assert shown["age"] == age
    assert shown["age class"] == (3 if age == 15 else 8)
    assert shown["ΔV = (V(next) − V(now)) / 5"] == Decimal(str(delta.numerator)) / (
        delta.denominator)
    assert shown["annual CO2"] == Decimal(tonnes)


def test_measured_growth_replaces_the_yield_table(defaults: ParameterSet, table: YieldTable):
    stand = a_stand("sugi", FY - 40 + 1, site_class=2, growth="12.5")
    found = national_inventory(stand, Decimal("2.5"), FY, defaults, table)
    # 2.5 × 12.5 × 1.23 × 1.25 × 0.314 × 0.51 × 44/12
    assert found.tonnes == by_hand("2.5", Fraction("12.5"), "sugi", 40) == Decimal("28.212")
    assert "age class" not in {row.name for row in found.rows}
    assert ("ΔV measured growth", Decimal("12.5")) in {(r.name, r.value) for r in found.rows}


def test_measured_growth_needs_no_site_class(defaults: ParameterSet, table: YieldTable):
    stand = a_stand("hinoki", 1990, site_class=None, growth="8")
    assert national_inventory(stand, Decimal("1"), FY, defaults, table).tonnes == by_hand(
        "1", Fraction(8), "hinoki", 20)


@pytest.mark.parametrize(("age", "bef"), [(20, "1.57"), (21, "1.23")])
def test_the_bef_switches_after_age_20(age: int, bef: str, defaults: ParameterSet,
                                      table: YieldTable):
    found = national_inventory(a_stand("sugi", FY - age + 1, growth="10"), Decimal("1"), FY,
                               defaults, table)
    assert {row.name[:3]: row.value for row in found.rows}["BEF"] == Decimal(bef)
    assert found.tonnes == by_hand("1", Fraction(10), "sugi", age)


def test_an_exact_half_kilogram_rounds_to_even(defaults: ParameterSet, table: YieldTable):
    # 500 × 20 × 1.23 × 1.25 × 0.314 × 0.51 × 44/12 = 9027.8925 exactly: the 2 stays.
    found = national_inventory(a_stand("sugi", 1970, growth="20", area="500"), Decimal("500"),
                               FY, defaults, table)
    assert found.tonnes == Decimal("9027.892")


def test_a_stand_without_site_class_or_growth_is_refused(defaults: ParameterSet,
                                                        table: YieldTable):
    with pytest.raises(InvalidWork) as refused:
        national_inventory(a_stand("sugi", 1970, site_class=None), Decimal(1), FY, defaults,
                           table)
    assert refused.value.field == "site_class"


def test_an_age_beyond_the_yield_table_is_refused(defaults: ParameterSet, table: YieldTable):
    # Age 80 is class 16, the table's last; class 17 is missing.
    with pytest.raises(InvalidWork) as refused:
        national_inventory(a_stand("sugi", FY - 80 + 1), Decimal(1), FY, defaults, table)
    assert refused.value.field == "stand_id"


def test_a_species_missing_from_the_parameter_set_is_refused(table: YieldTable):
    empty = ParameterSet("empty", "1", {})
    with pytest.raises(InvalidWork) as refused:
        national_inventory(a_stand("sugi", 1970), Decimal(1), FY, empty, table)
    assert refused.value.field == "species"


# The per-area rate.

def test_the_shinjuku_ina_certification_rate():
    # Nagano certified 456.3 t-CO2 over 142.90 ha: 3.19 t-CO2/ha/yr to two places.
    assert (Decimal("456.3") / Decimal("142.90")).quantize(Decimal("0.01")) == Decimal("3.19")
    found = per_area_rate(Decimal("142.90"), Decimal("3.19"), 2014)
    assert found.tonnes == Decimal("455.851")  # 142.90 × 3.19
    assert found.method is AbsorptionMethod.PER_AREA_RATE
    assert found.parameter_set is None


# Properties.

@PROPERTY
@given(species=species_codes, age=st.integers(1, 75), area=areas_ha, growth=measured_growths)
def test_estimates_with_measured_growth_match_the_formula(species: str, age: int,
                                                          area: Decimal, growth: Decimal):
    found = national_inventory(a_stand(species, FY - age + 1, growth=growth), area, FY,
                               shipped()[0], YieldTable("none", "1", True, {}))
    assert found.tonnes == by_hand(area, Fraction(growth), species, age)


@PROPERTY
@given(species=species_codes, age=st.integers(1, 75), area=areas_ha, k=st.integers(2, 1000))
def test_the_estimate_is_linear_in_area(species: str, age: int, area: Decimal, k: int):
    defaults, table = shipped()
    stand = a_stand(species, FY - age + 1, area="100000")
    one = national_inventory(stand, area, FY, defaults, table)
    many = national_inventory(stand, k * area, FY, defaults, table)
    # Each rounding to the kilogram is off by at most half a kilogram.
    assert abs(many.tonnes - k * one.tonnes) <= k * Decimal("0.0005") + Decimal("0.0005")
    if one.exact:
        assert abs(many.exact - k * one.exact) / abs(k * one.exact) <= Decimal("1e-20")


@PROPERTY
@given(area=areas_ha, rate=st.integers(1, 20_000).map(lambda kg: Decimal(kg).scaleb(-3)),
       k=st.integers(2, 1000))
def test_the_per_area_rate_is_exactly_linear_in_area(area: Decimal, rate: Decimal, k: int):
    assert per_area_rate(k * area, rate, FY).exact == k * per_area_rate(area, rate, FY).exact


# 1 尺 = 10/33 m, 1 坪 = (6 尺)^2, 1 町 = 3000 坪 = 3000 × (60/33)^2 m2 = 1,200,000/121 m2.
CHO_M2 = 3000 * Fraction(60, 33) ** 2


def test_one_cho_is_1200000_over_121_square_metres():
    assert CHO_M2 == Fraction(1_200_000, 121)


@PROPERTY
@given(cho=st.integers(1, 1000), species=species_codes)
def test_the_same_area_in_ha_square_metres_or_cho_gives_identical_tonnes(cho: int,
                                                                         species: str):
    square_metres = cho * CHO_M2
    texts = [f"{cho} 町", f"{cho} chou",
             f"{half_even(square_metres, 9)} m**2",
             f"{half_even(square_metres / 10_000, 12)} ha"]
    areas = {quantity(text, "ha", 4, field="area") for text in texts}
    assert areas == {half_even(square_metres / 10_000, 4)}

    defaults, table = shipped()
    stand = a_stand(species, 1970, area="100000")
    tonnes = {national_inventory(stand, area, FY, defaults, table).tonnes for area in areas}
    assert len(tonnes) == 1
