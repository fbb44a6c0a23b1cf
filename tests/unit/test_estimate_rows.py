"""Estimate rows are found by stable keys: entries stored with labels only (before keys) and
entries stored with keys read the same, and rewording a label empties no report column.

The stored details here are written out literally: 2.5 ha of 40-year-old sugi, site class 2,
age classes 8 → 9 of the illustrative yield table (354.5 → 412.5 m3/ha, ΔV = 58 / 5 = 11.6),
shipped parameters BEF >20 1.23, R 0.25, D 0.314, CF 0.51; 26.181 t-CO2/yr.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from offset.forestry.absorption import estimate_inputs, national_inventory, per_area_rate
from offset.forestry.model import Stand, StandVersion
from offset.forestry.parameters import parse_parameter_set, parse_yield_table
from reports.forest import estimate_columns
from tests.builders import shipped_data

SOURCE = "sourced: Forestry Agency"
YIELD = "yield table illustrative-richards@1 (illustrative)"

# (key, label, value, unit, source) of every row, as the estimator writes them.
SUGI_40 = [
    ("area", "A thinned area", "2.5", "ha", ""),
    ("species", "species", "sugi", "", ""),
    ("age", "age", "40", "years", ""),
    ("site_class", "site class", "2", "", ""),
    ("age_class", "age class", "8", "", ""),
    ("volume_this_class", "V(age class 8)", "354.5", "m3/ha", YIELD),
    ("volume_next_class", "V(age class 9)", "412.5", "m3/ha", YIELD),
    ("growth", "ΔV = (V(next) − V(now)) / 5", "11.6", "m3/ha/yr", ""),
    ("bef", "BEF (>20 years)", "1.23", "", SOURCE),
    ("root_shoot_ratio", "R root-to-shoot ratio", "0.25", "", SOURCE),
    ("wood_density", "D wood density", "0.314", "t/m3", SOURCE),
    ("carbon_fraction", "CF carbon fraction", "0.51", "t-C/t", SOURCE),
    ("co2_per_carbon", "44/12 CO2 per C", "44/12", "", ""),
    ("annual_co2", "annual CO2", "26.181", "t-CO2/yr", ""),
]
# What the absorption table shows for it, column by column.
SUGI_40_COLUMNS = {"area_ha": Decimal("2.5"), "species": "sugi", "age": 40,
                   "growth": Decimal("11.6"), "bef": Decimal("1.23"), "r": Decimal("0.25"),
                   "d": Decimal("0.314"), "cf": Decimal("0.51"),
                   "growth_from": "収穫表 / yield table"}


def new_style(rows: list[tuple[str, str, str, str, str]]) -> dict[str, Any]:
    return {"method": "national-inventory", "rows": [
        {"key": k, "name": n, "value": v, "unit": u, "source": s} for k, n, v, u, s in rows]}


def old_style(rows: list[tuple[str, str, str, str, str]]) -> dict[str, Any]:
    return {"method": "national-inventory", "rows": [
        {"name": n, "value": v, "unit": u, "source": s} for _, n, v, u, s in rows]}


def test_an_entry_stored_with_labels_only_reads_like_one_stored_with_keys():
    legacy = {"method": "national-inventory", "rows": [
        {"name": "A thinned area", "value": "2.5", "unit": "ha", "source": ""},
        {"name": "species", "value": "sugi", "unit": "", "source": ""},
        {"name": "age", "value": "40", "unit": "years", "source": ""},
        {"name": "site class", "value": "2", "unit": "", "source": ""},
        {"name": "age class", "value": "8", "unit": "", "source": ""},
        {"name": "V(age class 8)", "value": "354.5", "unit": "m3/ha", "source": YIELD},
        {"name": "V(age class 9)", "value": "412.5", "unit": "m3/ha", "source": YIELD},
        {"name": "ΔV = (V(next) − V(now)) / 5", "value": "11.6", "unit": "m3/ha/yr",
         "source": ""},
        {"name": "BEF (>20 years)", "value": "1.23", "unit": "", "source": SOURCE},
        {"name": "R root-to-shoot ratio", "value": "0.25", "unit": "", "source": SOURCE},
        {"name": "D wood density", "value": "0.314", "unit": "t/m3", "source": SOURCE},
        {"name": "CF carbon fraction", "value": "0.51", "unit": "t-C/t", "source": SOURCE},
        {"name": "44/12 CO2 per C", "value": "44/12", "unit": "", "source": ""},
        {"name": "annual CO2", "value": "26.181", "unit": "t-CO2/yr", "source": ""}]}

    assert estimate_inputs(legacy) == estimate_inputs(new_style(SUGI_40))
    assert list(estimate_inputs(legacy)) == [row[0] for row in SUGI_40]
    assert estimate_columns(legacy) == estimate_columns(new_style(SUGI_40)) == SUGI_40_COLUMNS


@pytest.mark.parametrize(("label", "value", "key"), [
    ("ΔV measured growth", "12.5", "growth"), ("BEF (≤20 years)", "1.57", "bef"),
    ("rate", "3.19", "rate")])
def test_the_other_legacy_labels_read_as_their_keys(label: str, value: str, key: str):
    legacy = {"rows": [{"name": "A thinned area", "value": "2.5", "unit": "ha", "source": ""},
                       {"name": label, "value": value, "unit": "", "source": ""}]}
    assert {k: row.value for k, row in estimate_inputs(legacy).items()} == {
        "area": "2.5", key: value}


def test_a_legacy_label_no_one_knows_is_kept_under_its_label():
    legacy = {"rows": [{"name": "note", "value": "x", "unit": "", "source": ""}]}
    assert estimate_inputs(legacy)["note"].value == "x"


def test_a_reworded_label_empties_no_report_column():
    reworded = [(k, f"{n} (reworded)", v, u, s) for k, n, v, u, s in SUGI_40]
    assert estimate_columns(new_style(reworded)) == SUGI_40_COLUMNS
    assert estimate_columns(old_style(SUGI_40)) == SUGI_40_COLUMNS


def compact(rows: list[tuple[str, str, str, str, str]]) -> dict[str, Any]:
    return {"method": "national-inventory", "parameter_set": "jp-nir-default@1",
            "yield_table": "illustrative-richards@1",
            "inputs": [[k, v] for k, _, v, _, _ in rows]}


def test_inputs_stored_as_pairs_read_with_the_methods_labels_and_units():
    read = estimate_inputs(compact(SUGI_40))
    assert [(r.key, r.name, r.value, r.unit) for r in read.values()] == [
        (k, n, v, u) for k, n, v, u, _ in SUGI_40]
    assert estimate_columns(compact(SUGI_40)) == SUGI_40_COLUMNS


def test_inputs_stored_as_pairs_cite_the_set_or_table_their_values_come_from():
    sources = {k: r.source for k, r in estimate_inputs(compact(SUGI_40)).items() if r.source}
    assert sources == {
        "volume_this_class": "yield table illustrative-richards@1",
        "volume_next_class": "yield table illustrative-richards@1",
        **dict.fromkeys(("bef", "root_shoot_ratio", "wood_density", "carbon_fraction"),
                        "parameter set jp-nir-default@1")}


def test_a_measured_growth_stored_as_a_pair_reads_as_the_stand_records():
    young = [("area", "2"), ("species", "karamatsu"), ("age", "12"), ("growth", "12.5"),
             ("bef", "1.5")]
    read = estimate_inputs({"parameter_set": "p@1", "inputs": young})
    assert (read["growth"].name, read["growth"].source) == ("ΔV measured growth",
                                                            "stand record")
    assert read["bef"].name == "BEF (≤20 years)"


def test_an_altered_pair_falls_back_to_its_key_as_label():
    read = estimate_inputs({"inputs": [["age", "forty"], ["bef", "1.23"], ["odd", "1"]]})
    assert (read["bef"].name, read["odd"].name, read["odd"].value) == ("bef", "odd", "1")


def test_the_estimator_stores_every_input_as_a_key_and_a_value():
    parameters = parse_parameter_set(shipped_data("species_parameters.csv"), "jp-nir-default",
                                     "1")
    table = parse_yield_table(shipped_data("yield_table_illustrative.csv"),
                              "illustrative-richards", "1", illustrative=True)
    stand = Stand(1, 1, "鹿嶺高原", "12", "3", 1,
                  StandVersion(Decimal("100"), "sugi", 2009 - 40 + 1, 2, None))

    estimate = national_inventory(stand, Decimal("2.5"), 2009, parameters, table)
    stored = estimate.as_data()

    assert [list(pair) for pair in stored["inputs"]] == [[k, v] for k, _, v, _, _ in SUGI_40]
    assert "rows" not in stored
    assert estimate_columns(stored) == SUGI_40_COLUMNS
    # Read back, each input has the label and unit the estimator gave it.
    assert [(r.key, r.name, r.unit) for r in estimate_inputs(stored).values()] == [
        (r.key, r.name, r.unit) for r in estimate.rows]


def test_the_per_area_rate_stores_its_inputs_with_keys():
    stored = per_area_rate(Decimal("29.5"), Decimal("3.19"), 2009).as_data()
    assert {k: row.value for k, row in estimate_inputs(stored).items()} == {
        "area": "29.5", "rate": "3.19", "annual_co2": "94.105"}
    assert estimate_inputs(stored)["rate"].source == "agreement"
    assert estimate_columns(stored) == {"area_ha": Decimal("29.5"), "rate": Decimal("3.19")}


def test_a_measured_growth_names_no_yield_table_and_its_column_says_measured():
    parameters = parse_parameter_set(shipped_data("species_parameters.csv"), "jp-nir-default",
                                     "1")
    table = parse_yield_table(shipped_data("yield_table_illustrative.csv"),
                              "illustrative-richards", "1", illustrative=True)
    measured = Stand(1, 1, "鹿嶺高原", "12", "3", 1,
                     StandVersion(Decimal("100"), "sugi", 2009 - 40 + 1, None, Decimal("9.5")))

    stored = national_inventory(measured, Decimal("2.5"), 2009, parameters, table).as_data()

    assert stored["yield_table"] is None
    assert estimate_columns(stored)["growth_from"] == "実測 / measured"
    assert estimate_columns(stored)["growth"] == Decimal("9.5")
