"""Every entrypoint fills the same input from equivalent text: HTTP body, CLI options, a CSV row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib.resources import files

from offset.api.forestry_schemas import StandCreate, ThinningCreate
from offset.cli.thinnings import work_of
from offset.forestry.imports import drafts, parse_rows, read_table
from offset.forestry.model import Stand, StandInput, StandVersion, ThinningInput
from offset.forestry.parameters import parse_parameter_set
from offset.forestry.sheets import FileFormat

PARAMETERS = parse_parameter_set(
    (files("offset") / "data" / "species_parameters.csv").read_text(encoding="utf-8"),
    "jp-nir-default", "1")
STAND = Stand(7, 2, "鹿嶺高原", "12", "3", 1, StandVersion(Decimal(10), "akamatsu", 1970))

# 3 町 = 9000 坪 = 2.9752… ha; 100 石 = 1000 尺³ = 27.826… m³
EXPECTED = ThinningInput(
    stand_id=7, fiscal_year=2009, started_on=date(2009, 10, 1), finished_on=date(2009, 11, 30),
    area_ha=Decimal("2.9752"), intensity_percent=Decimal(30), volume_m3=Decimal("27.826"),
    contractor="伊那市森林組合", note="first")


def from_api() -> ThinningInput:
    return ThinningCreate(
        stand_id=7, fiscal_year=2009, started_on=date(2009, 10, 1),
        finished_on=date(2009, 11, 30), area="3 町", intensity="30", volume="100 石",
        contractor="伊那市森林組合", note="first").input()


def from_cli() -> ThinningInput:
    return work_of(7, 2009, "2009-10-01", "2009-11-30", "3 町", "30 %", "100 石",
                   " 伊那市森林組合 ", "first")


def from_csv() -> ThinningInput:
    text = ("団地,林班,小班,年度,実施日,完了日,面積,間伐率,材積(石),事業体,備考\n"
            "鹿嶺高原,12,3,H21,2009/10/1,2009-11-30,3 町,30%,100,伊那市森林組合,first\n")
    parsed = parse_rows(read_table(text.encode("utf-8"), FileFormat.CSV), PARAMETERS)
    found, problems = drafts(parsed, [STAND])
    assert parsed.problems == problems == []
    [(line, work)] = found
    assert line == 2
    return work


def test_the_api_the_cli_and_a_file_fill_the_same_thinning_input():
    assert from_api() == EXPECTED
    assert from_cli() == EXPECTED
    assert from_csv() == EXPECTED


def test_the_input_becomes_work_of_the_agreement_at_the_stand_s_version():
    work = EXPECTED.work(agreement_id=3, stand_version=2)

    assert (work.id, work.agreement_id, work.stand_id, work.stand_version) == (0, 3, 7, 2)
    assert (work.area_ha, work.volume_m3) == (EXPECTED.area_ha, EXPECTED.volume_m3)


def test_the_api_and_the_cli_read_a_stand_version_alike():
    body = StandCreate(site="鹿嶺高原", compartment="12", stand_number="3", area="12.6 町",
                       species=" akamatsu ", planting_year=1970, site_class=2,
                       measured_growth="6.2 m**3/ha/year")

    # 12.6 町 = 12.6 × 9917.355… m² = 12.4959 ha
    assert body.version() == StandVersion.read("12.6 町", " akamatsu ", 1970, 2,
                                               "6.2 m**3/ha/year") == StandVersion(
        Decimal("12.4959"), "akamatsu", 1970, 2, Decimal("6.200"))


def test_the_api_fills_the_one_stand_input_the_use_case_takes():
    body = StandCreate(site="鹿嶺高原", compartment="12", stand_number="3", area="12.6 町",
                       species="akamatsu", planting_year=1970, site_class=2)

    assert body.input() == StandInput("鹿嶺高原", "12", "3", StandVersion(
        Decimal("12.4959"), "akamatsu", 1970, 2, None))
