"""The forestry office's commands (stands, thinnings, estimate, certify, reference data),
in-process against real SQLite and PostgreSQL databases.

Expected figures are computed here by hand from the formula
A × ΔV × BEF × (1 + R) × D × CF × 44/12 and the shipped parameter values, not by the code.
"""

from __future__ import annotations

import getpass
import re
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest
from sqlalchemy import Table, select

from offset.db.tables import stand_versions, thinnings
from tests.cli.running import assert_one_line_error as refused
from tests.cli.running import offset, ok
from tests.databases import engine_for

SHINJUKU = ["parties", "add", "--code", "131041", "--name-ja", "新宿区",
            "--name-en", "Shinjuku City"]
INA = ["parties", "add", "--code", "202096", "--name-ja", "伊那市", "--name-en", "Ina City"]
MATSUMOTO = ["parties", "add", "--code", "202029", "--name-ja", "松本市",
             "--name-en", "Matsumoto City"]
AGREEMENT = ["agreements", "add", "--urban", "131041", "--forest", "202096",
             "--signed", "2008-02-10", "--term", "2009-2013", "--annual-target", "30 ha"]
# akamatsu, 10 ha, measured growth 3.5 m3/ha/yr, planted 1970: older than 20 in every FY.
MEASURED_STAND = ["stands", "add", "--agreement", "1", "--site", "鹿嶺高原",
                  "--compartment", "12", "--stand", "3", "--area", "10 ha",
                  "--species", "akamatsu", "--planted", "1970",
                  "--measured-growth", "3.5 m**3/ha/year"]
THINNING = ["thinnings", "add", "--agreement", "1", "--stand", "1", "--fy", "2009",
            "--start", "2009-10-01", "--end", "2009-11-30", "--area", "10 ha"]
# Shipped jp-nir-default@1, akamatsu: D 0.451, BEF(>20) 1.23, R 0.27, CF 0.51.
AKAMATSU = {"D": Decimal("0.451"), "BEF": Decimal("1.23"), "R": Decimal("0.27"),
            "CF": Decimal("0.51")}
ROW_NAMES = ["A thinned area", "species", "age", "ΔV measured growth", "BEF (>20 years)",
             "R root-to-shoot ratio", "D wood density", "CF carbon fraction",
             "44/12 CO2 per C", "annual CO2"]


def annual_t_co2(area: str, growth: str, density: Decimal = AKAMATSU["D"]) -> Decimal:
    """The annual estimate by hand, rounded half-even to the kilogram."""
    carbon = (Decimal(area) * Decimal(growth) * AKAMATSU["BEF"] * (1 + AKAMATSU["R"])
              * density * AKAMATSU["CF"])
    return (carbon * 44 / 12).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)





def entry_count(url: str) -> int:
    found = re.search(r"OK: \d+ chains, (\d+) entries verified", ok(url, "verify"))
    assert found, "verify did not report"
    return int(found[1])


def state(url: str) -> tuple[int, str, str]:
    """What a refused command must leave unchanged: entries, stands, thinnings."""
    return (entry_count(url), ok(url, "stands", "list", "--agreement", "1"),
            ok(url, "thinnings", "list", "--agreement", "1"))


def figure(output: str, label: str) -> Decimal:
    found = re.search(rf"{label}\s+(-?[\d.]+) t-CO2", output)
    assert found, output
    return Decimal(found[1])


@pytest.fixture
def forest(fresh_url: str) -> str:
    """A database with Shinjuku, Ina, Matsumoto and agreement 1 (Shinjuku–Ina, FY2009–2013)."""
    for command in (SHINJUKU, INA, MATSUMOTO, AGREEMENT):
        ok(fresh_url, *command)
    return fresh_url


@pytest.fixture
def thinned(forest: str) -> str:
    """`forest` with the measured akamatsu stand 1 thinned over 10 ha in FY2009."""
    ok(forest, *MEASURED_STAND)
    ok(forest, *THINNING)
    return forest


def test_stands_are_added_listed_and_revised_as_new_versions(forest: str):
    added = ok(forest, "stands", "add", "--agreement", "1", "--site", "鹿嶺高原",
               "--compartment", "12", "--stand", "3", "--area", "125000 m**2",
               "--species", "akamatsu", "--planted", "1970", "--site-class", "2")
    assert added == ("stand 1: 鹿嶺高原 12林班 3小班, version 1: area 12.5000 ha, species "
                     "akamatsu, planted 1970, site class 2, measured growth —\n")

    revised = ok(forest, "stands", "revise", "1", "--agreement", "1", "--area", "1.3 町",
                 "--measured-growth", "3.5 m**3/ha/year", "--recorded-by", "ina-office")
    listed = ok(forest, "stands", "list", "--agreement", "1")

    # 1 町 = 10 反 = 100 畝 = 3000 坪 of (6 × 10/33 m)²: 1.3 町 = 1.2892 ha to 4 places.
    chou_ha = Decimal("1.3") * 3000 * (Decimal(60) / 33) ** 2 / 10000
    area = f"{chou_ha.quantize(Decimal('0.0001'))}"
    assert revised.splitlines() == ["stand 1: 鹿嶺高原 12林班 3小班, version 1 → 2",
                                    f"  area: 12.5000 ha → {area} ha",
                                    "  measured growth: — → 3.500 m3/ha/yr"]
    row = next(line for line in listed.splitlines() if "鹿嶺高原" in line).split()
    assert row[:6] == ["1", "鹿嶺高原", "12", "3", "2", area]
    assert "アカマツ" in row and row[-3:] == ["1970", "2", "3.500"]
    assert recorders(forest, stand_versions) == [f"cli:{getpass.getuser()}", "ina-office"]


def recorders(url: str, table: Table) -> list[str]:
    """Return who recorded each row of `table`, sorted."""
    engine = engine_for(url)
    with engine.connect() as connection:
        found = connection.execute(select(table.c.recorded_by)
                                   .order_by(table.c.recorded_by)).scalars().all()
    engine.dispose()
    return list(found)


def test_a_thinning_prints_its_id_and_the_estimate_of_each_credited_year(forest: str):
    ok(forest, *MEASURED_STAND)

    logged = ok(forest, *THINNING, "--intensity", "30", "--volume", "430 石",
                "--contractor", "上伊那森林組合")

    each = annual_t_co2("10", "3.5")
    assert each == Decimal("46.110")
    assert logged.splitlines() == [
        "thinning 1: 鹿嶺高原 12林班 3小班 (stand 1 v1), FY2009, 10.0000 ha",
        *[f"  estimate entry {n}: FY{2008 + n} {each} t-CO2" for n in range(1, 6)]]
    listed = ok(forest, "thinnings", "list", "--agreement", "1", "--fy", "2009")
    # 430 石 = 430 × 10 × (10/33 m)³ = 119.654 m3 to 3 places.
    koku = (Decimal(430) * 10 * (Decimal(10) / 33) ** 3).quantize(Decimal("0.001"))
    assert f" {koku} " in listed and "2009-11-30" in listed and "上伊那森林組合" in listed
    assert "no thinning work" in ok(forest, "thinnings", "list", "--agreement", "1",
                                    "--fy", "2010")
    assert recorders(forest, thinnings) == [f"cli:{getpass.getuser()}"]


def test_estimate_shows_every_row_and_the_totals(thinned: str):
    shown = ok(thinned, "estimate", "--agreement", "1", "--fy", "2010")

    for name in ROW_NAMES:
        assert name in shown, name
    assert re.search(r"A thinned area\s+10\.0000\s+ha", shown)
    assert re.search(r"age\s+41\s+years", shown)
    assert re.search(r"BEF \(>20 years\)\s+1\.23\s+unverified: Japan NIR", shown)
    expected = annual_t_co2("10", "3.5")
    assert figure(shown, "Expected") == expected
    assert figure(shown, "Posted") == expected
    assert figure(shown, "Difference") == 0
    assert "--post" not in shown


def test_estimate_from_the_yield_table_shows_its_volumes_as_illustrative(forest: str):
    ok(forest, "stands", "add", "--agreement", "1", "--site", "鹿嶺高原", "--compartment", "7",
       "--stand", "1", "--area", "40 ha", "--species", "akamatsu", "--planted", "1970",
       "--site-class", "2")
    ok(forest, "thinnings", "add", "--agreement", "1", "--stand", "1", "--fy", "2010",
       "--start", "2010-10-01", "--area", "29 ha")

    shown = ok(forest, "estimate", "--agreement", "1", "--fy", "2010")

    # Shipped illustrative table, akamatsu site class 2: age 41 is class 9 (271.7 m3/ha),
    # class 10 holds 302.7 m3/ha, so ΔV = (302.7 − 271.7) / 5 = 6.2 m3/ha/yr.
    assert re.search(r"V\(age class 9\)\s+271\.7\s+m3/ha\s+yield table "
                     r"illustrative-richards@1 \(illustrative\)", shown)
    assert re.search(r"ΔV = \(V\(next\) − V\(now\)\) / 5\s+6\.2\s+m3/ha/yr", shown)
    assert figure(shown, "Expected") == annual_t_co2("29", "6.2") == Decimal("236.874")


def test_post_after_a_new_parameter_set_posts_exactly_the_difference(thinned: str,
                                                                     tmp_path: Path):
    shipped = Path("offset/data/species_parameters.csv").read_text(encoding="utf-8")
    changed = (shipped.replace("# version: 1", "# version: 2")
               .replace("akamatsu,アカマツ,Japanese red pine (Pinus densiflora),0.451,",
                        "akamatsu,アカマツ,Japanese red pine (Pinus densiflora),0.5,"))
    assert changed.count("# version: 2") == 1 and ",0.5," in changed
    (tmp_path / "parameters.csv").write_text(changed, encoding="utf-8")
    assert ok(thinned, "parameters", "load", str(tmp_path / "parameters.csv")).startswith(
        "loaded parameter set jp-nir-default@2: 5 species")
    before = entry_count(thinned)

    kept = ok(thinned, "estimate", "--agreement", "1", "--fy", "2010",
              "--parameters", "jp-nir-default@1", "--post")
    posted = ok(thinned, "estimate", "--agreement", "1", "--fy", "2010", "--post")
    again = ok(thinned, "estimate", "--agreement", "1", "--fy", "2010", "--post")

    difference = annual_t_co2("10", "3.5", Decimal("0.5")) - annual_t_co2("10", "3.5")
    assert difference == Decimal("51.120") - Decimal("46.110")
    assert "nothing to post" in kept
    assert figure(posted, "Difference") == difference
    assert f"posted adjustment entry {before + 1}: +{difference} t-CO2" in posted
    assert figure(again, "Posted") == annual_t_co2("10", "3.5", Decimal("0.5"))
    assert "nothing to post" in again
    assert entry_count(thinned) == before + 1


def test_certify_shows_certified_estimated_and_difference_then_refuses_adjustments(
        thinned: str):
    certified = ok(thinned, "certify", "--agreement", "1", "--fy", "2013", "--certified",
                   "456.3 t_CO2", "--body", "長野県", "--number", "長野県森林CO2吸収 第1号",
                   "--issued", "2014-03-20", "--area", "142.90 ha")

    estimated = annual_t_co2("10", "3.5")
    first, *figures = certified.splitlines()
    assert first == ("certification entry 6: agreement 1, FY2013, 長野県 長野県森林CO2吸収 "
                     "第1号, issued 2014-03-20 over 142.9000 ha")
    assert [line.split() for line in figures] == [
        ["certified", "456.300", "t-CO2"], ["estimated", str(estimated), "t-CO2"],
        ["difference", str(Decimal("456.300") - estimated), "t-CO2"]]
    assert Decimal("456.300") - estimated == Decimal("410.190")
    shown = ok(thinned, "estimate", "--agreement", "1", "--fy", "2013")
    assert "FY2013 is certified (entry 6)" in shown
    assert figure(shown, "Posted") == 0

    before = state(thinned)
    refused(offset(thinned, "estimate", "--agreement", "1", "--fy", "2013", "--post"), 1,
            "fiscal_year: FY2013 already has certification entry 6")
    refused(offset(thinned, "certify", "--agreement", "1", "--fy", "2013", "--certified",
                   "400 t_CO2", "--body", "長野県", "--number", "2", "--issued",
                   "2014-03-21"), 1, "fiscal_year: FY2013 already has certification")
    assert state(thinned) == before


def test_reference_data_is_loaded_and_listed_by_version(forest: str, tmp_path: Path):
    assert re.fullmatch(r"jp-nir-default@1  loaded \S+  \(in use\)\n",
                        ok(forest, "parameters", "list"))
    table = tmp_path / "nagano.csv"
    table.write_text("# name: nagano\n# version: 2012\nspecies_code,site_class,age_class,"
                     "volume_m3_per_ha\nakamatsu,1,9,300\nakamatsu,1,10,330.5\n",
                     encoding="utf-8")

    loaded = ok(forest, "yield-tables", "load", str(table))
    relabelled = ok(forest, "yield-tables", "load", str(table), "--version", "2013",
                    "--illustrative")
    listed = ok(forest, "yield-tables", "list").splitlines()

    assert loaded == "loaded yield table nagano@2012 (measured): 2 volumes for akamatsu\n"
    assert relabelled.startswith("loaded yield table nagano@2013 (illustrative)")
    assert [line.split("  loaded")[0] for line in listed] == [
        "illustrative-richards@1  illustrative", "nagano@2012  measured",
        "nagano@2013  illustrative"]
    assert listed[-1].endswith("(in use)")
    refused(offset(forest, "yield-tables", "load", str(table)), 1,
            "version: nagano@2012 is already loaded")
    refused(offset(forest, "parameters", "load", str(tmp_path / "missing.csv")), 2,
            "file: cannot read")


def test_refusals_are_one_line_and_write_nothing(thinned: str):
    ok(thinned, "agreements", "add", "--urban", "131041", "--forest", "202029", "--signed",
       "2008-02-10", "--term", "2009-2013", "--annual-target", "30 ha")
    ok(thinned, "stands", "add", "--agreement", "2", "--site", "美ヶ原", "--compartment", "1",
       "--stand", "1", "--area", "5 ha", "--species", "sugi", "--planted", "1980",
       "--site-class", "1")
    stand = ["--agreement", "1", "--site", "鹿嶺高原", "--compartment", "20", "--stand", "1",
             "--planted", "1970"]
    work = ["thinnings", "add", "--agreement", "1", "--stand", "1", "--fy", "2010"]
    before = state(thinned)

    for args, code, start in [
        (["stands", "add", *stand, "--area", "30 m", "--species", "sugi"], 2,
         "area: '30 m' is not convertible to ha"),
        (["stands", "add", *stand, "--area", "3 ha", "--species", "keyaki"], 2, "species:"),
        (["stands", "add", *stand, "--area", "3 ha", "--species", "sugi"], 2, "site_class:"),
        (["stands", "add", *stand, "--area", "3 ha", "--species", "sugi",
          "--measured-growth", "3 m**3"], 2, "measured_growth:"),
        (["stands", "revise", "2", "--agreement", "1", "--area", "6 ha"], 2, "stand_id:"),
        (["stands", "revise", "1", "--agreement", "1"], 2, "stand: nothing to change"),
        ([*work, "--start", "2010-10-01", "--area", "30 m"], 2, "area:"),
        ([*work, "--start", "2010-10-01", "--area", "11 ha"], 2, "area:"),
        ([*work, "--start", "2011-10-01", "--area", "1 ha"], 2, "started_on:"),
        ([*work, "--start", "2010-10-01", "--area", "1 ha", "--intensity", "130"], 2,
         "intensity:"),
        ([*work, "--start", "2010-10-01", "--area", "1 ha", "--volume", "3 ha"], 2,
         "volume:"),
        (["thinnings", "add", "--agreement", "1", "--stand", "2", "--fy", "2010", "--start",
          "2010-10-01", "--area", "1 ha"], 2, "stand_id: the stand belongs to another"),
        (["thinnings", "add", "--agreement", "1", "--stand", "99", "--fy", "2010", "--start",
          "2010-10-01", "--area", "1 ha"], 2, "stand_id: stand 99 does not exist"),
        (["thinnings", "list", "--agreement", "9"], 2, "agreement_id:"),
        (["estimate", "--agreement", "1", "--fy", "2010", "--parameters", "nope@1", "--post"],
         2, "parameters:"),
        (["certify", "--agreement", "1", "--fy", "2012", "--certified", "30 m", "--body",
          "長野県", "--number", "1", "--issued", "2013-03-20"], 2, "certified:"),
        (["certify", "--agreement", "1", "--fy", "2020", "--certified", "3 t_CO2", "--body",
          "長野県", "--number", "1", "--issued", "2021-03-20"], 2, "fiscal_year:"),
    ]:
        refused(offset(thinned, *args), code, start)
    assert state(thinned) == before


@pytest.mark.parametrize(("option", "value"), [
    ("--site", "鹿嶺\x1b高原"), ("--site", "鹿嶺\u202e高原"), ("--compartment", "1\u200b2"),
    ("--area", "2 ha * 3"), ("--area", "1/0 ha"), ("--area", "9**9**9 ha"),
])
def test_unclean_text_and_expressions_are_one_line_refusals_naming_the_option(
        forest: str, option: str, value: str):
    args = {"--agreement": "1", "--site": "鹿嶺高原", "--compartment": "20", "--stand": "1",
            "--planted": "1970", "--area": "3 ha", "--species": "sugi", option: value}
    before = state(forest)

    result = offset(forest, "stands", "add", *(p for kv in args.items() for p in kv))

    refused(result, 2, f"{option.removeprefix('--')}:")
    assert state(forest) == before


def test_a_note_may_hold_a_line_break_but_no_other_control_character(forest: str):
    ok(forest, *MEASURED_STAND)
    refused(offset(forest, *THINNING, "--note", "行1\x00行2"), 2,
            "note: must not contain U+0000")
    ok(forest, *THINNING, "--note", "行1\n行2")


def test_a_stand_typed_in_full_width_is_the_stand_already_added(forest: str):
    stand = ["stands", "add", "--agreement", "1", "--site", "鹿嶺高原", "--planted", "1970",
             "--area", "3 ha", "--species", "sugi", "--measured-growth", "3 m**3/ha/year"]
    ok(forest, *stand, "--compartment", "１２", "--stand", "３")
    refused(offset(forest, *stand, "--compartment", "12", "--stand", "3"), 1, "stand")


def test_an_enrolled_stand_is_credited_by_no_agreement_in_its_project_years(forest: str):
    ok(forest, *MEASURED_STAND)

    enrolled = ok(forest, "stands", "enroll", "1", "--agreement", "1", "--project",
                  "JCL-0042", "--from", "2011", "--to", "2015")

    assert enrolled.strip() == ("stand 1: 鹿嶺高原 12林班 3小班 enrolled in J-Credit FO-001 "
                                "project JCL-0042 for FY2011–FY2015; no agreement credits "
                                "it then")
    before = entry_count(forest)
    conflict = offset(forest, *THINNING)  # credited FY2009–FY2013: FY2011 on is enrolled
    refused(conflict, 1, "stand_id: the stand is enrolled in J-Credit project JCL-0042 for "
                         "FY2011–FY2013")
    assert entry_count(forest) == before
    refused(offset(forest, "stands", "enroll", "1", "--agreement", "1", "--project",
                   "JCL-0043", "--from", "2020", "--to", "2019"), 2, "last_fy: must not "
                                                                      "come before")
