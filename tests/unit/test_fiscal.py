"""Fiscal years run April–March and carry era names as municipalities write them."""

from datetime import date

import pytest

from offset.errors import InvalidInput
from offset.fiscal import FiscalYear


@pytest.mark.parametrize(("year", "label"), [
    (2009, "平成21年度"),   # Heisei 1 = 1989, so 2009 is Heisei 21
    (2018, "平成30年度"),
    (2019, "令和元年度"),   # Reiwa's first year is written 元, not 1
    (2020, "令和2年度"),
    (2024, "令和6年度"),
    (1989, "平成元年度"),
    (1988, "昭和63年度"),
])
def test_era_labels(year: int, label: str):
    assert FiscalYear(year).era_label == label


def test_fy2009_runs_from_april_2009_to_march_2010():
    fy = FiscalYear(2009)
    assert (fy.start, fy.end) == (date(2009, 4, 1), date(2010, 3, 31))
    assert date(2010, 3, 31) in fy
    assert date(2010, 4, 1) not in fy


@pytest.mark.parametrize(("day", "year"), [
    (date(2009, 4, 1), 2009), (date(2010, 3, 31), 2009), (date(2010, 1, 15), 2009),
    (date(2009, 3, 31), 2008),
])
def test_the_fiscal_year_of_a_day(day: date, year: int):
    assert FiscalYear.of(day) == FiscalYear(year)


def test_romanised_era_label():
    assert FiscalYear(2019).era_label_en == "Reiwa 1"
    assert str(FiscalYear(2019)) == "FY2019"


def test_absurd_years_are_refused():
    with pytest.raises(InvalidInput):
        FiscalYear(1900)
