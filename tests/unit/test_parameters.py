"""Parameter sets and yield tables are data: parsed from CSV with every value's status and
source, and refused whole with every bad row listed by its line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from offset.errors import InvalidInput
from offset.forestry.errors import ImportRejected
from offset.forestry.parameters import metadata, parse_parameter_set, parse_yield_table
from tests.builders import shipped_data

HEADER = ("species_code,name_ja,name_en,wood_density_t_per_m3,bef_age_le_20,bef_age_gt_20,"
          "root_shoot_ratio,carbon_fraction,status,source")


def test_the_shipped_set_holds_the_reference_values():
    shipped = parse_parameter_set(shipped_data("species_parameters.csv"), "jp-nir-default", "1")
    assert shipped.label == "jp-nir-default@1"
    assert sorted(shipped.species) == ["akamatsu", "broadleaf", "hinoki", "karamatsu", "sugi"]
    values = {code: tuple(s[p].value for p in ("wood_density_t_per_m3", "bef_age_le_20",
                                                "bef_age_gt_20", "root_shoot_ratio",
                                                "carbon_fraction"))
              for code, s in shipped.species.items()}
    assert values["sugi"] == tuple(map(Decimal, ("0.314", "1.57", "1.23", "0.25", "0.51")))
    assert values["broadleaf"] == tuple(map(Decimal, ("0.469", "1.40", "1.30", "0.26", "0.48")))
    assert shipped.species["sugi"].name_ja == "スギ"


def test_the_shipped_set_names_itself_in_its_header():
    assert metadata(shipped_data("species_parameters.csv")) == {"name": "jp-nir-default",
                                                               "version": "1"}


def test_sourced_except_one_value_gives_each_value_its_status():
    sugi = parse_parameter_set(shipped_data("species_parameters.csv"), "d", "1").species["sugi"]
    statuses = {name: value.status for name, value in sugi.values.items()}
    assert statuses == {"wood_density_t_per_m3": "sourced", "bef_age_le_20": "unverified",
                        "bef_age_gt_20": "sourced", "root_shoot_ratio": "sourced",
                        "carbon_fraction": "sourced"}
    assert sugi["bef_age_gt_20"].source.startswith("Forestry Agency (林野庁) worked example")


def test_an_unverified_row_marks_every_value_unverified():
    hinoki = parse_parameter_set(shipped_data("species_parameters.csv"), "d", "1").species[
        "hinoki"]
    assert {value.status for value in hinoki.values.values()} == {"unverified"}


def test_several_values_can_be_excepted():
    text = "\n".join([HEADER, 'sugi,スギ,Cedar,0.314,1.57,1.23,0.25,0.51,'
                              '"sourced except bef_age_le_20, root_shoot_ratio (unverified)",x'])
    sugi = parse_parameter_set(text, "d", "1").species["sugi"]
    assert sugi["root_shoot_ratio"].status == sugi["bef_age_le_20"].status == "unverified"
    assert sugi["carbon_fraction"].status == "sourced"


def test_every_bad_row_is_reported_with_its_line():
    text = "\n".join([
        "# name: broken",                                               # line 1
        HEADER,                                                         # line 2
        "sugi,スギ,Cedar,0.314,1.57,1.23,0.25,0.51,sourced,ok",          # line 3
        "hinoki,ヒノキ,Cypress,-0.4,1.55,1.24,0.26,0.51,sourced,x",      # line 4: negative
        "",                                                             # line 5: blank
        "karamatsu,カラマツ,Larch,0.404,abc,1.15,0.29,0.51,sourced,x",   # line 6: not a number
        "akamatsu,アカマツ,Pine,0.451,1.63,1.23,0.27,0.51,maybe,x",      # line 7: bad status
        "sugi,スギ,Cedar,0.314,1.57,1.23,0.25,0.51,sourced,again",       # line 8: twice
        ",,,0.469,1.40,1.30,0.26,0.48,sourced,x",                       # line 9: no code
        'broadleaf,広葉樹,Broadleaf,0.469,1.40,1.30,0.26,0.48,'
        '"sourced except density (unverified)",x',                      # line 10: unknown name
    ])
    with pytest.raises(ImportRejected) as rejected:
        parse_parameter_set(text, "broken", "1")
    found = [(p.line, p.column) for p in rejected.value.problems]
    assert found == [(4, "wood_density_t_per_m3"), (6, "bef_age_le_20"), (7, "status"),
                     (8, "species_code"), (9, "species_code"), (10, "status")]
    assert rejected.value.field == "file"
    assert "6 problem(s), nothing imported" in rejected.value.detail


def test_the_shipped_yield_table_is_labelled_illustrative():
    text = shipped_data("yield_table_illustrative.csv")
    assert metadata(text) == {"name": "illustrative-richards", "version": "1",
                              "illustrative": "yes"}
    assert "ILLUSTRATIVE ONLY" in text


def test_the_shipped_yield_table_reads_as_written():
    table = parse_yield_table(shipped_data("yield_table_illustrative.csv"), "t", "1", True)
    # Literal rows of offset/data/yield_table_illustrative.csv.
    assert table.volume("sugi", 2, 3) == Decimal("64.3")
    assert table.volume("sugi", 1, 16) == Decimal("878.6")
    assert table.volume("broadleaf", 2, 9) == Decimal("196.4")
    assert table.volume("sugi", 2, 17) is None
    assert len(table.volumes) == 5 * 3 * 16


def test_a_yield_table_reports_every_bad_row():
    text = "\n".join([
        "species_code,site_class,age_class,volume_m3_per_ha",  # line 1
        "sugi,2,3,64.3",                                         # line 2
        "sugi,two,4,113.7",                                      # line 3: class not a number
        "sugi,2,0,10",                                           # line 4: class 0
        "sugi,2,5,-1",                                           # line 5: negative volume
        "sugi,2,3,64.3",                                         # line 6: twice
        "hinoki,2,3,lots",                                       # line 7: not a number
    ])
    with pytest.raises(ImportRejected) as rejected:
        parse_yield_table(text, "t", "1", False)
    assert [p.line for p in rejected.value.problems] == [3, 4, 5, 6, 7]


def test_a_file_without_rows_is_refused():
    with pytest.raises(InvalidInput) as refused:
        parse_yield_table("# name: empty\n", "t", "1", False)
    assert refused.value.field == "file"


def test_values_with_more_places_than_are_kept_are_refused_not_rounded():
    # Parameter values keep 6 places and volumes 3, as they are stored.
    with pytest.raises(ImportRejected) as rejected:
        parse_parameter_set("\n".join([HEADER, "sugi,スギ,Cedar,0.3141592,1.57,1.23,0.25,0.51,"
                                               "sourced,x"]), "d", "1")
    assert [(p.line, p.column) for p in rejected.value.problems] == [
        (2, "wood_density_t_per_m3")]
    with pytest.raises(ImportRejected) as rejected:
        parse_yield_table("species_code,site_class,age_class,volume_m3_per_ha\n"
                          "sugi,2,3,64.3001\n", "t", "1", False)
    assert [p.line for p in rejected.value.problems] == [2]
