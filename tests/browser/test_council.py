"""The national council in the browser: its first page lists the partnerships it may read
and leads to the nation's table of a fiscal year, with totals and a chart by prefecture, the
standings read for today; an agreement opens on its read-only audit page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from offset.council import services as council
from offset.fiscal import today_in_japan
from tests.browser.conftest import Site, assert_accessible, log_in, screenshot


def test_the_council_reads_the_nation_by_year_and_prefecture(page: Page, site: Site,
                                                             axe_source: str) -> None:
    with site.work(read_only=True) as uow:
        expected = council.overview(uow, 2013, today_in_japan())
    (line,) = expected.partnerships
    log_in(page, site, "council")
    page.get_by_role("link", name="全国の連携（協議会）").click()
    expect(page).to_have_url(re.compile(r"/council$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("FY2022")  # the latest

    page.get_by_label("表示する年度").select_option("2013")
    page.get_by_role("button", name="表示").click()

    expect(page).to_have_url(re.compile(r"/council\?fy=2013$"))
    row = page.get_by_role("row", name=re.compile("新宿区 – 伊那市"))
    expect(row).to_contain_text(f"{line.certified_t:,.3f}")  # 456.300, as certified
    expect(row).to_contain_text(f"{line.area_thinned_ha:,.2f}")
    expect(row).to_contain_text(f"{line.gross_cost:,.0f}")
    expect(row).to_contain_text("認定期限切れ")  # the illustrative certifications end in 2023
    expect(page.get_by_role("img", name=re.compile("都道府県別"))).to_be_visible()
    totals = page.get_by_role("table", name=re.compile("都道府県別の合計"))
    expect(totals.get_by_role("row", name=re.compile("^長野県 1 "))).to_contain_text(
        f"{line.certified_t:,.3f}")
    assert_accessible(page, axe_source)
    screenshot(page, "council-overview")

    with page.expect_download() as caught:
        page.get_by_role("link", name=re.compile("^PDF")).click()
    assert caught.value.suggested_filename == "offset-national-FY2013.pdf"

    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/agreements/{line.agreement.id}/audit$"))


def test_a_party_is_refused_the_national_view(page: Page, site: Site) -> None:
    log_in(page, site, "urban")
    expect(page.get_by_role("link", name="全国の連携（協議会）")).to_have_count(0)
    answer = page.goto(site.base_url + "/council")
    assert answer is not None and answer.status == 403
