"""The pure rules of stands and thinning work: ages, refusals, double counting, windows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from offset.agreements.errors import OutsideTerms
from offset.agreements.model import AbsorptionMethod, Agreement, CostSharing, Term
from offset.errors import InvalidInput
from offset.forestry.absorption import credited_years
from offset.forestry.errors import DoubleCounting, InvalidWork
from offset.forestry.model import (
    Stand,
    StandVersion,
    Thinning,
    check_no_double_counting,
    check_stand_version,
    check_thinning,
)

INA, MATSUMOTO, SHINJUKU = 2, 3, 1
SPECIES = ("sugi", "hinoki", "karamatsu", "akamatsu", "broadleaf")


def a_stand(*, party: int = INA, area: str = "10", planting_year: int = 1970) -> Stand:
    return Stand(7, party, "鹿嶺高原", "12", "3", 1,
                 StandVersion(Decimal(area), "sugi", planting_year, 2))


def an_agreement(*, terms: tuple[tuple[int, int], ...] = ((2009, 2013),),
                 window: int = 5) -> Agreement:
    return Agreement(1, "協定", "Agreement", SHINJUKU, INA, date(2008, 2, 10), Decimal(30),
                     window, AbsorptionMethod.NATIONAL_INVENTORY, None, CostSharing(),
                     tuple(Term(n, a, b) for n, (a, b) in enumerate(terms, start=1)))


def work(*, area: str = "5", fiscal_year: int = 2009, agreement_id: int = 1,
         started: date = date(2009, 10, 1), finished: date = date(2009, 11, 30),
         thinning_id: int = 0) -> Thinning:
    return Thinning(thinning_id, agreement_id, 7, 1, fiscal_year, started, finished,
                    Decimal(area), Decimal(30), None, "上伊那森林組合", "")


# Age and age class.

@pytest.mark.parametrize(("fiscal_year", "age", "age_class"), [
    (1970, 1, 1),   # the planting year counts as age 1
    (1974, 5, 1),   # ages 1–5 are class 1
    (1975, 6, 2),
    (1984, 15, 3),  # ages 11–15 are class 3
    (1985, 16, 4),
    (2004, 35, 7),
    (2005, 36, 8),  # ages 36–40 are class 8
    (2009, 40, 8),
    (2010, 41, 9),
])
def test_age_and_age_class_of_a_stand_planted_in_1970(fiscal_year: int, age: int,
                                                      age_class: int):
    stand = a_stand(planting_year=1970)
    assert stand.age(fiscal_year) == age
    assert stand.age_class(fiscal_year) == age_class


# Stand versions.

@pytest.mark.parametrize(("change", "field"), [
    ({"area_ha": Decimal(0)}, "area"),
    ({"area_ha": Decimal("-1")}, "area"),
    ({"species_code": "yew"}, "species"),
    ({"planting_year": 1000}, "planting_year"),
    ({"site_class": 0}, "site_class"),
    ({"site_class": 6}, "site_class"),
    ({"measured_growth": Decimal(0)}, "measured_growth"),
    ({"site_class": None}, "site_class"),  # and no measured growth: no growth to compute
])
def test_a_bad_stand_version_is_refused_naming_the_field(change: dict[str, object],
                                                         field: str):
    version = replace(StandVersion(Decimal(10), "sugi", 1970, 2), **change)
    with pytest.raises(InvalidWork) as refused:
        check_stand_version(version, SPECIES)
    assert refused.value.field == field


def test_a_stand_planted_before_the_first_recorded_fiscal_year_is_accepted():
    # A 90-year-old sugi stand thinned in FY2009 was planted in 1920.
    check_stand_version(StandVersion(Decimal(10), "sugi", 1920, 2), SPECIES)


def test_a_good_stand_version_passes():
    check_stand_version(StandVersion(Decimal("0.0001"), "broadleaf", 2009, None,
                                     Decimal("3.5")), SPECIES)


# Thinning work.

def test_work_within_the_stand_the_fiscal_year_and_the_terms_passes():
    check_thinning(work(area="10", started=date(2009, 4, 1), finished=date(2010, 3, 31)),
                   a_stand(area="10"), an_agreement())


@pytest.mark.parametrize(("thinning", "stand", "field"), [
    (work(), a_stand(party=MATSUMOTO), "stand_id"),      # another municipality's stand
    (work(area="0"), a_stand(), "area"),
    (work(area="-1"), a_stand(), "area"),
    (work(area="10.0001"), a_stand(area="10"), "area"),  # larger than the stand
    (work(started=date(2009, 3, 31)), a_stand(), "started_on"),    # in FY2008
    (work(finished=date(2010, 4, 1)), a_stand(), "finished_on"),   # in FY2010
    (work(started=date(2009, 11, 2), finished=date(2009, 11, 1)), a_stand(), "finished_on"),
    (work(), a_stand(planting_year=2010), "fiscal_year"),          # not planted yet
])
def test_bad_work_is_refused_naming_the_field(thinning: Thinning, stand: Stand, field: str):
    with pytest.raises(InvalidWork) as refused:
        check_thinning(thinning, stand, an_agreement())
    assert refused.value.field == field


@pytest.mark.parametrize("year", [2008, 2014])  # the terms are FY2009–FY2013
def test_work_outside_the_terms_is_refused_naming_the_year_and_the_terms(year: int):
    thinning = work(fiscal_year=year, started=date(year, 10, 1), finished=date(year, 11, 1))
    agreement = an_agreement()
    with pytest.raises(OutsideTerms) as refused:
        check_thinning(thinning, a_stand(), agreement)
    assert (refused.value.field, refused.value.fiscal_year) == ("fiscal_year", year)
    assert refused.value.terms == agreement.terms
    assert str(refused.value) == f"fiscal_year: FY{year} is outside the agreement's terms"


@pytest.mark.parametrize("intensity", [Decimal(0), Decimal("100.01")])
def test_an_intensity_outside_0_to_100_percent_is_refused(intensity: Decimal):
    with pytest.raises(InvalidInput) as refused:
        check_thinning(replace(work(), intensity_percent=intensity), a_stand(), an_agreement())
    assert refused.value.field == "intensity"


def test_work_in_a_later_term_passes_and_between_terms_is_refused():
    renewed = an_agreement(terms=((2009, 2013), (2015, 2019)))
    check_thinning(work(fiscal_year=2015, started=date(2015, 5, 1),
                        finished=date(2015, 6, 1)), a_stand(), renewed)
    with pytest.raises(OutsideTerms) as refused:
        check_thinning(work(fiscal_year=2014, started=date(2014, 5, 1),
                            finished=date(2014, 6, 1)), a_stand(), renewed)
    assert (refused.value.field, refused.value.fiscal_year) == ("fiscal_year", 2014)


# No double counting.

def fy(year: int, **kwargs: object) -> Thinning:
    return work(fiscal_year=year, started=date(year, 10, 1), finished=date(year, 11, 1),
                **kwargs)  # type: ignore[arg-type]


def test_another_agreement_with_an_overlapping_window_is_double_counting():
    earlier = fy(2009, agreement_id=2, thinning_id=11)  # credited FY2009..2013
    with pytest.raises(DoubleCounting) as refused:
        check_no_double_counting(fy(2013), 5, a_stand(), [(earlier, 5)])
    assert refused.value.field == "stand_id"
    assert "FY2013" in refused.value.detail


def test_another_agreement_whose_window_has_ended_is_no_conflict():
    earlier = fy(2009, agreement_id=2, thinning_id=11)  # credited FY2009..2013
    check_no_double_counting(fy(2014), 5, a_stand(), [(earlier, 5)])
    check_no_double_counting(fy(2011), 5, a_stand(), [(earlier, 2)])  # FY2009..2010 only


def test_the_same_agreement_may_not_credit_more_than_the_stand_in_a_fiscal_year():
    earlier = fy(2009, area="6", thinning_id=11)
    with pytest.raises(DoubleCounting) as refused:
        check_no_double_counting(fy(2011, area="4.0001"), 5, a_stand(area="10"),
                                 [(earlier, 5)])
    assert refused.value.field == "area"


def test_the_same_agreement_may_credit_the_whole_stand_in_a_fiscal_year():
    earlier = fy(2009, area="6", thinning_id=11)
    check_no_double_counting(fy(2011, area="4"), 5, a_stand(area="10"), [(earlier, 5)])


def test_the_same_agreement_may_credit_the_whole_stand_again_after_the_window():
    earlier = fy(2009, area="10", thinning_id=11)
    check_no_double_counting(fy(2014, area="10"), 5, a_stand(area="10"), [(earlier, 5)])


def test_areas_add_up_per_fiscal_year_across_earlier_work():
    others = [(fy(2009, area="4", thinning_id=11), 5), (fy(2012, area="4", thinning_id=12), 5)]
    # FY2012 and 2013 already hold 8 ha of a 10 ha stand.
    check_no_double_counting(fy(2014, area="6"), 5, a_stand(area="10"), others[1:])
    with pytest.raises(DoubleCounting):
        check_no_double_counting(fy(2013, area="2.5"), 5, a_stand(area="10"), others)
    check_no_double_counting(fy(2013, area="2"), 5, a_stand(area="10"), others)


# Crediting windows.

def test_work_in_fy_y_is_credited_for_fy_y_to_y_plus_w_minus_1():
    assert list(fy(2009).credited_years(5)) == [2009, 2010, 2011, 2012, 2013]
    assert list(fy(2009).credited_years(1)) == [2009]


def test_the_window_is_cut_at_the_end_of_the_terms():
    assert credited_years(fy(2009), an_agreement()) == [2009, 2010, 2011, 2012, 2013]
    assert credited_years(fy(2009), an_agreement(terms=((2009, 2010),))) == [2009, 2010]
    assert credited_years(fy(2012), an_agreement()) == [2012, 2013]


def test_the_window_skips_the_gap_between_terms():
    renewed = an_agreement(terms=((2009, 2010), (2012, 2020)))
    assert credited_years(fy(2009), renewed) == [2009, 2010, 2012, 2013]
