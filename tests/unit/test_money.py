"""Money rules: a cost splits exactly in whole yen, and a timber sale totals by a stated rule.

Remainder rule: the urban partner's share is amount × percent / 100 rounded half-to-even to
the yen; the forest party bears the rest, so the parts always add up to the cost.
Timber rule: volume × unit price rounded DOWN to the yen (端数切捨て).
Every expectation below was worked out by hand (or by integer arithmetic in the test).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given

from offset.agreements.model import CostSharing, Side
from offset.errors import InvalidInput
from offset.money.model import (
    CostCategory,
    split_cost,
    timber_price,
    timber_total,
    timber_volume,
    yen,
)
from tests.strategies import cost_categories, percents, yen_amounts

HALF = CostSharing(Decimal("50"))


def split(amount: int, sharing: CostSharing = HALF, category: str = "thinning"
          ) -> tuple[int, int]:
    shares = split_cost(Decimal(amount), CostCategory(category), sharing)
    return int(shares[Side.URBAN]), int(shares[Side.FOREST])


@pytest.mark.parametrize(("amount", "urban", "forest"), [
    (1_000, 500, 500),
    (1_001, 500, 501),  # 500.5 rounds to the even 500; forest bears the odd yen
    (1_003, 502, 501),  # 501.5 rounds to the even 502
    (1, 0, 1),          # 0.5 rounds to 0
    (3, 2, 1),          # 1.5 rounds to 2
])
def test_a_half_share_rounds_half_to_even_and_the_forest_bears_the_rest(amount, urban, forest):
    assert split(amount) == (urban, forest)


def test_the_default_rule_puts_the_whole_cost_on_the_urban_partner():
    assert split(12_345_678, CostSharing()) == (12_345_678, 0)


def test_a_fixed_percentage_with_decimals():
    # 1,000,000 × 33.33 % = 333,300 exactly; 999 × 33.33 % = 332.9667 → 333.
    assert split(1_000_000, CostSharing(Decimal("33.33"))) == (333_300, 666_700)
    assert split(999, CostSharing(Decimal("33.33"))) == (333, 666)


def test_a_category_share_overrides_the_default():
    sharing = CostSharing(Decimal("100"), {"work-road": Decimal("25")})
    assert split(10_000, sharing, "work-road") == (2_500, 7_500)
    assert split(10_000, sharing, "thinning") == (10_000, 0)
    assert split(10_000, sharing, "survey") == (10_000, 0)


def test_zero_percent_leaves_everything_to_the_forest_party():
    assert split(777, CostSharing(Decimal("0"))) == (0, 777)


@given(amount=yen_amounts, percent=percents)
def test_any_split_adds_up_and_is_within_half_a_yen_of_the_exact_share(amount, percent):
    urban, forest = split(amount, CostSharing(percent))
    assert urban + forest == amount
    assert 0 <= urban <= amount
    assert abs(Fraction(urban) - amount * Fraction(percent) / 100) <= Fraction(1, 2)


@given(amount=yen_amounts, default=percents, override=percents, category=cost_categories)
def test_per_category_shares_win_over_the_default(amount, default, override, category):
    sharing = CostSharing(default, {category: override})
    assert split(amount, sharing, category) == split(amount, CostSharing(override), category)


def test_a_share_outside_0_to_100_percent_is_refused():
    with pytest.raises(InvalidInput) as refused:
        CostSharing(Decimal("100.01"))
    assert refused.value.field == "cost_sharing.urban_percent"
    with pytest.raises(InvalidInput) as refused:
        CostSharing(Decimal("50"), {"survey": Decimal("-1")})
    assert refused.value.field == "cost_sharing.survey"


@pytest.mark.parametrize(("volume", "price", "total"), [
    ("12.345", 9_999, 123_437),  # 123,437.655 rounded down
    ("10", 12_000, 120_000),
    ("0.999", 1, 0),             # 0.999 yen: nothing to book (the service refuses 0)
    ("3.333", 3, 9),             # 9.999 rounded down
])
def test_a_timber_total_is_volume_times_price_rounded_down(volume, price, total):
    assert timber_total(Decimal(volume), Decimal(price)) == total


@pytest.mark.parametrize("bad", ["0", "-5", "10.5", "10000000000000"])
def test_yen_must_be_positive_and_whole(bad):
    with pytest.raises(InvalidInput) as refused:
        yen(Decimal(bad), field="amount")
    assert refused.value.field == "amount"


def test_a_timber_sale_volume_is_read_in_m3_to_the_litre():
    # 400 石 = 4000 尺³ = 4000 × (10/33)³ m³ = 111.3059… m³
    assert timber_volume("400 石") == Decimal("111.306")
    for refused in ("0 m**3", "1000000000 m**3"):
        with pytest.raises(InvalidInput) as error:
            timber_volume(refused)
        assert error.value.field == "volume"


def test_a_timber_unit_price_is_kept_as_written_to_a_millionth_of_a_yen():
    assert str(timber_price("9000.5")) == "9000.5"
    for refused in ("0", "0.0000001", "10000000000"):
        with pytest.raises(InvalidInput) as error:
            timber_price(refused)
        assert error.value.field == "unit_price"
