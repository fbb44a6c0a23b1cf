"""Importing a season's thinning log: all rows or none, every bad row named, on both databases."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import Workbook

from offset.agreements.model import Agreement
from offset.db.uow import UnitOfWorkFactory
from offset.forestry.errors import ImportRejected
from offset.forestry.imports import read_table
from offset.forestry.model import StandInput, StandVersion
from offset.forestry.sheets import FileFormat
from offset.forestry.stands import register_stand
from offset.forestry.thinnings import Imported, Progress, import_thinnings, prepare_import
from offset.ledger import services as ledger
from tests.builders import INA, agreement, party

ENGLISH = """\
site,compartment,stand,fiscal_year,started_on,finished_on,area,species,intensity,volume,contractor,note
鹿嶺高原,12,3,,2009-10-01,2009-11-30,2.5 ha,akamatsu,30,12 m**3,伊那市森林組合,
ますみヶ丘平地林,4,1,2009,2010-01-15,,25000 m**2,karamatsu,,40 石,,
"""
JAPANESE = """\
団地,林班,小班,年度,実施日,完了日,面積,樹種,間伐率,材積,事業体,備考
鹿嶺高原,12,3,,2009-10-01,2009-11-30,2.5 ha,アカマツ,30%,12 m3,伊那市森林組合,
ますみヶ丘平地林,4,1,H21,2010-01-15,,25000 m**2,カラマツ,,40 石,,
"""
# 40 石 = 40 × 10 立方尺, 1 尺 = 10/33 m: 400 × 1000 / 35937 m3 = 11.1306 m3.
KOKU_40 = (Decimal(400 * 1000) / Decimal(35937)).quantize(Decimal("0.001"))
EXPECTED = {
    ("鹿嶺高原", "12", "3", 2009, date(2009, 10, 1), date(2009, 11, 30), Decimal("2.5"),
     Decimal("30"), Decimal("12"), "伊那市森林組合", ""),
    ("ますみヶ丘平地林", "4", "1", 2009, date(2010, 1, 15), date(2010, 1, 15), Decimal("2.5"),
     None, KOKU_40, "", ""),
}
WINDOW = 5  # tests.builders.agreement's crediting window; its term is FY2009–FY2013


@dataclass(frozen=True)
class Forest:
    deal: Agreement
    uow: UnitOfWorkFactory

    def run(self, data: bytes, file_format: FileFormat = FileFormat.CSV,
            progress: Progress | None = None) -> Imported:
        with self.uow(read_only=True) as work:
            prepared = prepare_import(work, self.deal, read_table(data, file_format), progress)
        with self.uow() as work:
            done = import_thinnings(work, self.deal, prepared, "test")
            work.commit()
        return done

    def rejected(self, data: bytes) -> list[tuple[int, str]]:
        with pytest.raises(ImportRejected) as raised:
            self.run(data)
        return [(p.line, p.column) for p in raised.value.problems]

    def stored(self) -> set[tuple[object, ...]]:
        """Return the agreement's stored work as the file would state it."""
        with self.uow(read_only=True) as work:
            stands = {s.id: s for s in work.forestry.stands(self.deal.forest_party_id)}
            return {(stands[t.stand_id].site, stands[t.stand_id].compartment,
                     stands[t.stand_id].stand_number, t.fiscal_year, t.started_on,
                     t.finished_on, t.area_ha, t.intensity_percent, t.volume_m3,
                     t.contractor, t.note) for t in work.forestry.thinnings(self.deal.id)}

    def count(self) -> int:
        with self.uow(read_only=True) as work:
            return len(work.forestry.thinnings(self.deal.id))

    def entry_count(self) -> int:
        with self.uow(read_only=True) as work:
            return ledger.verify(work, [self.deal.id]).entry_count


def register(uow: UnitOfWorkFactory, site: str, compartment: str, stand: str,
             area: str = "10", species: str = "akamatsu", planted: int = 1970) -> None:
    with uow() as work:
        register_stand(work, party(work, INA).id, StandInput(
            site, compartment, stand,
            StandVersion(Decimal(area), species, planted, site_class=2)), "test")
        work.commit()


@pytest.fixture
def forest(uow: UnitOfWorkFactory) -> Forest:
    with uow() as work:
        deal = agreement(work)
        work.commit()
    register(uow, "鹿嶺高原", "12", "3", "10", "akamatsu", 1970)
    register(uow, "ますみヶ丘平地林", "4", "1", "8", "karamatsu", 1975)
    return Forest(deal, uow)


@pytest.mark.parametrize("text", [ENGLISH, JAPANESE], ids=["english", "japanese"])
def test_english_and_japanese_headers_import_the_same_work(forest: Forest, text: str):
    done = forest.run(text.encode("utf-8"))

    assert forest.stored() == EXPECTED
    assert len(done.thinnings) == 2
    assert len(done.estimates) == 2 * WINDOW
    assert forest.entry_count() == 2 * WINDOW


def test_a_shift_jis_file_with_a_byte_order_mark_free_header_imports(forest: Forest):
    forest.run(JAPANESE.encode("cp932"))

    assert forest.stored() == EXPECTED


def test_a_utf8_file_with_a_byte_order_mark_imports(forest: Forest):
    forest.run(JAPANESE.encode("utf-8-sig"))

    assert forest.stored() == EXPECTED


def test_an_xlsx_sheet_with_date_cells_and_units_in_the_header_imports(forest: Forest):
    book = Workbook()
    sheet = book.active
    sheet.append(["令和6年度 間伐実績"])  # a title above the header is skipped
    sheet.append([])
    sheet.append(["団地", "林班", "小班", "実施日", "完了日", "面積(ha)", "樹種", "間伐率",
                  "材積(m3)", "事業体"])
    sheet.append(["鹿嶺高原", 12, 3, datetime(2009, 10, 1), datetime(2009, 11, 30), 2.5,
                  "アカマツ", 0.3, 12, "伊那市森林組合"])
    sheet.cell(row=4, column=8).number_format = "0%"
    sheet.append(["ますみヶ丘平地林", 4, 1, "H22.1.15", None, "25000 m**2", "カラマツ", None,
                  "40 石", None])
    data = io.BytesIO()
    book.save(data)

    forest.run(data.getvalue(), FileFormat.XLSX)

    assert forest.stored() == EXPECTED


def test_a_bare_area_takes_the_unit_its_header_gives(forest: Forest):
    forest.run("site,compartment,stand,started_on,area_ha\n"
               "鹿嶺高原,12,3,2009-10-01,2.5\n".encode())
    forest.run("団地,林班,小班,実施日,面積（㎡）\n"
               "鹿嶺高原,12,3,2009-10-02,5000\n".encode())

    assert sorted(row[6] for row in forest.stored()) == [Decimal("0.5"), Decimal("2.5")]


def test_three_bad_rows_among_good_ones_are_all_named_and_nothing_is_stored(forest: Forest):
    forest.run("site,compartment,stand,started_on,area\n鹿嶺高原,12,3,2009-06-01,1 ha\n".encode())
    before = (forest.stored(), forest.entry_count())
    text = """\
団地,林班,小班,実施日,面積,備考
鹿嶺高原,12,3,2009-10-01,1 ha,good
鹿嶺高原,12,3,2009-10-02,30 m,a length is no area
ますみヶ丘平地林,4,1,2009-10-03,1 ha,good
鹿嶺高原,12,99,2009-10-04,1 ha,no such stand
鹿嶺高原,12,3,2020-05-01,1 ha,outside the agreement's terms
ますみヶ丘平地林,4,1,2009-10-05,1 ha,good
"""
    with pytest.raises(ImportRejected) as raised:
        forest.run(text.encode())

    problems = raised.value.problems
    assert [(p.line, p.column) for p in problems] == [(3, "面積"), (5, "小班"), (6, "実施日")]
    assert "30 m" in problems[0].reason
    assert "12 99" in problems[1].reason
    assert "FY2020" in problems[2].reason
    assert (forest.stored(), forest.entry_count()) == before


def test_two_rows_that_together_over_credit_a_stand_are_refused(forest: Forest):
    # 6 ha + 6 ha thinned in FY2009 on a 10 ha stand: the second row over-credits it.
    text = ("団地,林班,小班,実施日,面積\n"
            "鹿嶺高原,12,3,2009-10-01,6 ha\n"
            "鹿嶺高原,12,3,2009-12-01,6 ha\n")

    assert forest.rejected(text.encode()) == [(3, "面積")]
    assert forest.stored() == set()
    assert forest.entry_count() == 0


def test_a_species_other_than_the_stands_is_refused(forest: Forest):
    text = "団地,林班,小班,実施日,面積,樹種\n鹿嶺高原,12,3,2009-10-01,1 ha,スギ\n"

    assert forest.rejected(text.encode()) == [(2, "樹種")]


def test_progress_is_reported_row_by_row(forest: Forest):
    calls: list[tuple[int, int]] = []

    forest.run(ENGLISH.encode(), progress=lambda done, total: calls.append((done, total)))

    assert calls == [(1, 2), (2, 2)]


# The full season runs with --run-slow; 200 rows keep the same path covered in every run.
# How long an import takes is shown by bench/import_rows.py, not asserted here.
@pytest.mark.parametrize("size", [200, pytest.param(2000, marks=pytest.mark.slow)])
def test_a_long_season_imports(forest: Forest, size: int):
    stands = 100
    for number in range(stands):
        register(forest.uow, "伊那富士", "7", str(number + 1), area="50")
    rows = [f"伊那富士,7,{n % stands + 1},{date(2009, 4, 1) + timedelta(days=n % 365)},1 ha"
            for n in range(size)]
    text = "団地,林班,小班,実施日,面積\n" + "\n".join(rows) + "\n"

    done = forest.run(text.encode())

    assert len(done.thinnings) == size
    assert forest.count() == size
    assert forest.entry_count() == size * WINDOW


def test_an_import_posted_in_several_batches_is_one_chain_in_file_order(
        forest: Forest, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("offset.forestry.thinnings.POSTING_BATCH", 3)
    stands = 7
    for number in range(stands):
        register(forest.uow, "伊那富士", "7", str(number + 1), area="50")
    rows = [f"伊那富士,7,{n + 1},2009-0{5 + n % 4}-01,{n + 1} ha" for n in range(stands)]

    done = forest.run(("団地,林班,小班,実施日,面積\n" + "\n".join(rows) + "\n").encode())

    # Three batches (3 + 3 + 1 rows), each thinning's five years together, in file order.
    assert [e.entry.details["thinning_id"] for e in done.estimates] == [
        t.id for t in done.thinnings for _ in range(WINDOW)]
    assert [e.seq for e in done.estimates] == list(range(1, stands * WINDOW + 1))
    assert forest.entry_count() == stands * WINDOW  # verify walked the whole chain
