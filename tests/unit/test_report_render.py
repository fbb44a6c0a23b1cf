"""The renderer draws a literal ReportData: both languages, page numbers, illustrative marks,
and the font decision (an installed TrueType font embedded, else the CID font)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

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
    ReportKind,
    Row,
    Section,
    Table,
)
from reports.render import render_pdf, text

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


def test_without_a_truetype_font_the_cid_font_is_used(font_choice: pytest.MonkeyPatch,
                                                      tmp_path: Path):
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"not a font")
    font_choice.setenv(fonts.ENVIRONMENT, str(not_a_font))
    chosen = fonts.report_font()
    assert (chosen.name, chosen.embedded) == (fonts.CID_FONT, False)
    found, _ = extracted(render_pdf(report()))
    assert "新宿区 / Shinjuku City" in found  # pypdf reads the CID font's UCS-2 text


def test_a_truetype_font_named_in_the_environment_is_embedded(
        font_choice: pytest.MonkeyPatch):
    candidate = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not candidate.exists():
        pytest.skip("no TrueType font to embed on this machine")
    font_choice.setenv(fonts.ENVIRONMENT, str(candidate))
    chosen = fonts.report_font()
    assert chosen.embedded and chosen.path == str(candidate)
    assert b"/FontFile2" in render_pdf(report())


def test_the_file_name_names_agreement_kind_and_period():
    assert report().filename == "offset-agreement-7-annual-FY2013.pdf"
