"""The renderer draws a literal ReportData: both languages, page numbers, illustrative marks,
and the font decision (an installed TrueType font embedded, else the CID font)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports import fonts
from reports.data import (
    ChainStamp,
    ChartPoint,
    Column,
    Cover,
    Fact,
    Label,
    PartyLine,
    ReportData,
    ReportIssue,
    ReportKind,
    Row,
    Section,
    Table,
)
from reports.render import CELL_SIZE, _lines, render_pdf, text

HASH = "ab" * 32


def report() -> ReportData:
    cover = Cover(Label("年度報告書", "Annual report"), 7, Label("協定", "Agreement"),
                  (PartyLine(Label("都市側", "Urban partner"), Label("新宿区", "Shinjuku City"),
                             Label("東京都", "Tokyo"), "131041"),),
                  Label("第1期", "Term 1: FY2009–FY2013"), Label("平成25年度", "FY2013"),
                  date(2013, 4, 1), date(2014, 3, 31), date(2008, 2, 10))
    table = Table("costs", Label("費用", "Costs"), (Column("category", Label("区分", "Category")),
                                                   Column("yen", Label("金額", "Yen"), True)),
                  (Row({"category": "間伐事業費 / thinning work", "yen": Decimal(4_500_000)}),
                   Row({"category": "事務費 / administration", "yen": Decimal(250_000)},
                       illustrative=True)),
                  totals=Row({"category": "計 / Total", "yen": Decimal(4_750_000)}))
    netting = Section("netting", Label("相殺の状況", "Netting"), facts=(
        Fact("emissions", Label("排出量 E", "Emissions E"), Decimal("1234.567"), "t-CO2"),
        Fact("ratio", Label("相殺率", "Offset ratio"), Decimal("0.456789"), "ratio")))
    return ReportData(ReportKind.ANNUAL, 7, 1, (2013,), cover,
                      (Section("money", Label("費用と財源", "Costs and funding"),
                               tables=(table,)), netting),
                      (ChartPoint(2012, Decimal("10.5"), Decimal("3"), Decimal("10.5"),
                                  Decimal("3")),
                       ChartPoint(2013, Decimal("12"), Decimal("4.25"), Decimal("22.5"),
                                  Decimal("7.25"))),
                      ChainStamp(7, 42, HASH), datetime(2025, 1, 2, 3, 4, tzinfo=UTC),
                      illustrative=True, legend=("* 例示値 / illustrative",))


def extracted(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


@pytest.fixture
def font_choice(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    fonts.report_font.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    fonts.report_font.cache_clear()


def test_figures_are_printed_exactly_with_separators_and_ratios_as_percent():
    assert text(Decimal("4500000")) == "4,500,000"
    assert text(Decimal("1234.500")) == "1,234.500"
    assert text(Decimal("0.456789"), unit="ratio") == "45.68 %"
    assert text(None) == "—"
    assert text(date(2013, 4, 1)) == "2013-04-01"


def test_the_pdf_carries_both_languages_figures_page_numbers_and_marks():
    found, pages = extracted(render_pdf(report()))
    for expected in ("年度報告書 / Annual report", "新宿区 / Shinjuku City", "東京都 / Tokyo",
                     "平成25年度 / FY2013", "費用と財源 / Costs and funding", "4,500,000",
                     "* 事務費 / administration", "1,234.567 t-CO2", "45.68 %", HASH[:40],
                     "42", "offset verify", "* 例示値 / illustrative", f"1 / {pages}"):
        assert expected in found, expected


def font_files(pdf: bytes) -> dict[str, bool]:
    """Return every font the PDF's pages use, by base name, and whether its program is in
    the file (a FontFile, FontFile2 or FontFile3 in its descriptor)."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            described = (font["/DescendantFonts"][0].get_object()
                         if "/DescendantFonts" in font else font)
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def test_every_font_of_the_pdf_is_embedded_and_the_japanese_reads_back():
    pdf = render_pdf(report())
    embedded = font_files(pdf)
    assert embedded and all(embedded.values()), embedded
    found, _ = extracted(pdf)
    for label in ("年度報告書", "新宿区", "費用と財源", "例示値"):
        assert label in found, label


def test_the_shipped_font_is_ipaex_gothic_with_its_licence():
    chosen = fonts.report_font()
    assert chosen.shipped and Path(chosen.path).name == "ipaexg.ttf"
    assert (Path(chosen.path).parent / "IPA_Font_License_Agreement_v1.0.txt").is_file()


def test_a_file_that_is_not_a_font_leaves_the_shipped_font(font_choice: pytest.MonkeyPatch,
                                                           tmp_path: Path):
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"not a font")
    font_choice.setenv(fonts.ENVIRONMENT, str(not_a_font))
    chosen = fonts.report_font()
    assert chosen.shipped and chosen.path == str(fonts.SHIPPED)
    assert all(font_files(render_pdf(report())).values())


def test_a_truetype_font_named_in_the_environment_is_embedded(
        font_choice: pytest.MonkeyPatch, tmp_path: Path):
    candidate = tmp_path / "chosen.ttf"
    candidate.write_bytes(fonts.SHIPPED.read_bytes())
    font_choice.setenv(fonts.ENVIRONMENT, str(candidate))
    chosen = fonts.report_font()
    assert not chosen.shipped and chosen.path == str(candidate)
    assert all(font_files(render_pdf(report())).values())


def test_the_file_name_names_agreement_kind_and_period():
    assert report().filename == "offset-agreement-7-annual-FY2013.pdf"


ISSUED = ReportIssue("2014-新伊-001")
REISSUED = ReportIssue("2014-新伊-002", replaces="2014-新伊-001", reason="表紙の誤記 typo")


@pytest.mark.parametrize("issue", [None, ISSUED, REISSUED])
def test_the_same_report_renders_to_the_same_bytes(issue: ReportIssue | None):
    shown = replace(report(), issue=issue)
    assert render_pdf(shown) == render_pdf(shown)


def test_the_dates_and_id_of_the_pdf_come_from_the_report_not_the_clock():
    issued, draft = (render_pdf(replace(report(), issue=i)) for i in (ISSUED, None))
    # Generated 2025-01-02 03:04 UTC: 12:04 in Japan.
    assert b"/CreationDate (D:20250102120400+09'00')" in issued
    assert b"/ModDate (D:20250102120400+09'00')" in issued
    assert _trailer_id(issued) != _trailer_id(draft)
    later = replace(report(), issue=ISSUED, generated_at=datetime(2025, 1, 2, 3, 5, tzinfo=UTC))
    assert _trailer_id(render_pdf(later)) != _trailer_id(issued)


def _trailer_id(pdf: bytes) -> bytes:
    return pdf[pdf.rindex(b"/ID"):].split(b"]")[0]


def test_an_issued_report_prints_its_number_and_state_on_the_cover():
    cover = _first_page(replace(report(), issue=ISSUED))
    assert "発行 文書番号 2014-新伊-001 / issued, No. 2014-新伊-001" in cover
    assert "2025-01-02 12:04:00 JST (03:04:00 UTC)" in cover
    assert "draft" not in cover


def test_a_reissue_names_the_report_it_replaces_and_why():
    cover = _first_page(replace(report(), issue=REISSUED))
    assert "再発行" in cover and "replaces 2014-新伊-001" in cover
    assert "表紙の誤記 typo" in cover


def test_a_report_built_on_demand_says_it_is_a_draft_not_issued():
    cover = _first_page(report())
    assert "草案（随時作成・未発行） / draft built on demand, not issued" in cover
    assert "DRAFT, not issued" in cover  # the footer of every page


def _first_page(shown: ReportData) -> str:
    text_found = PdfReader(io.BytesIO(render_pdf(shown))).pages[0].extract_text()
    return " ".join(text_found.split())


@pytest.mark.parametrize("shown", [
    "区の施設の排出量のオフセット offsetting the ward facilities' emissions",
    "長野県森林CO2吸収評価認証制度による認証書第二〇一四号",
    "x" * 300])
def test_a_cell_text_is_broken_into_lines_that_fit_its_column(shown: str):
    font = fonts.report_font().name
    lines = _lines(shown, font, 60)
    assert "".join(lines).replace(" ", "") == shown.replace(" ", "")
    assert all(stringWidth(line, font, CELL_SIZE) <= 60 for line in lines), lines


def test_an_electricity_factor_of_another_fiscal_year_is_warned_of():
    from datetime import date as day

    from offset.ledger.model import Entry, EntryKind, JournalEntry
    from reports.urban import factor_year_warnings

    def emission(year: int, factor_set: str) -> JournalEntry:
        entry = Entry(1, year, EntryKind.EMISSION, day(year, 4, 1), "emission", (),
                      details={"factor_set": factor_set}, recorded_by="t")
        return JournalEntry(1, 1, datetime(2020, 1, 1, tzinfo=UTC), "0" * 64, "1" * 64, entry)

    warned = factor_year_warnings([emission(2018, "fepc-fy2013"), emission(2013, "fepc-fy2013"),
                                   emission(2018, "jp-2010"), emission(2019, "fepc-fy2013")])
    assert warned == (
        "注意: FY2018 の排出量は FY2013 の係数セット fepc-fy2013 で算定 / warning: FY2018 "
        "emissions use factor set fepc-fy2013, published for FY2013",
        "注意: FY2019 の排出量は FY2013 の係数セット fepc-fy2013 で算定 / warning: FY2019 "
        "emissions use factor set fepc-fy2013, published for FY2013")


@pytest.mark.parametrize(("name", "words"), [
    ("Assets:Carbon:Certified", "認証吸収量（保有）/ certified tonnes held"),
    ("Expenses:Cost:Thinning:Urban", "費用 / cost: 間伐事業費 / thinning work（都市側 / urban）"),
    ("Income:Subsidy:Prefectural:Urban",
     "補助金 / subsidy: 県補助 / prefectural（都市側 / urban）"),
    ("Expenses:Emissions:CityGas", "排出量 / emissions: 都市ガス / city gas"),
    ("Equity:Funding:Forest", "拠出（正味）/ funding, net（森林側 / forest）"),
    ("Expenses:Unknown:Thing", "Expenses:Unknown:Thing"),  # a name the chart lacks: as stored
])
def test_accounts_are_named_in_words(name: str, words: str):
    from reports.urban import account_words

    assert account_words(name) == words


def test_a_unit_follows_a_figure_but_not_a_word_standing_for_one():
    from reports.data import Fact, Label
    from reports.render import _fact

    label = Label("認証1t当たり費用", "Cost per certified t")
    assert _fact(Fact("cost_per_tonne", label, Decimal("71834"), "円/t-CO2")) == (
        "71,834 円/t-CO2")
    assert _fact(Fact("cost_per_tonne", label, "— (認証なし / none certified)", "円/t-CO2")
                 ) == "— (認証なし / none certified)"
    assert _fact(Fact("to_date", label, "63,231 / 103,207", "円/t-CO2")) == (
        "63,231 / 103,207 円/t-CO2")
