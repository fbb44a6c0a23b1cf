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
                   "d": Decimal("0.314"), "cf": Decimal("0.51")}


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


def test_the_estimator_stores_every_row_with_its_key():
    parameters = parse_parameter_set(shipped_data("species_parameters.csv"), "jp-nir-default",
                                     "1")
    table = parse_yield_table(shipped_data("yield_table_illustrative.csv"),
                              "illustrative-richards", "1", illustrative=True)
    stand = Stand(1, 1, "鹿嶺高原", "12", "3", 1,
                  StandVersion(Decimal("100"), "sugi", 2009 - 40 + 1, 2, None))

    stored = national_inventory(stand, Decimal("2.5"), 2009, parameters, table).as_data()

    rows = stored["rows"]
    assert isinstance(rows, list)
    assert [row["key"] for row in rows] == [row[0] for row in SUGI_40]
    assert estimate_columns(stored) == SUGI_40_COLUMNS


def test_the_per_area_rate_stores_its_rows_with_keys():
    stored = per_area_rate(Decimal("29.5"), Decimal("3.19"), 2009).as_data()
    assert {k: row.value for k, row in estimate_inputs(stored).items()} == {
        "area": "29.5", "rate": "3.19", "annual_co2": "94.105"}
    assert estimate_columns(stored) == {"area_ha": Decimal("29.5"), "rate": Decimal("3.19")}
