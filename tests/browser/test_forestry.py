"""The forestry office in the browser: importing a season's log, stands, the thinning log,
certifications and timber sales, on the Shinjuku–Ina demo.

The demo closes every year the prefecture has certified (FY2009–FY2020); FY2021 and FY2022
stay open, awaiting certification. New work goes into FY2022, the last year of the third
term and the latest open one, on stands last thinned in FY2009, whose crediting window
ended long ago.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import Page, expect

from offset.agreements import services as agreements
from offset.forestry import certification, stands, thinnings
from offset.forestry.model import FOREST_MANAGEMENT, J_CREDIT, Enrollment
from offset.ledger import services as ledger
from offset.ledger.model import EntryKind
from tests.browser.conftest import Site, assert_accessible, log_in, screenshot

DEMO = Path(__file__).resolve().parents[2] / "offset" / "demo" / "data"
SEASON = 2022
HEADER = "団地,林班,小班,実施日,完了日,面積,間伐率,材積,備考\n"
GOOD_ROWS = ("ますみヶ丘平地林,31,い,2022-09-05,2022-10-20,8.5 ha,25,310 m**3,秋の間伐\n"
             "鹿嶺高原 (長谷溝口),205,い,2022-10-03,2022-11-18,7.25 ha,30,280 m**3,\n")
BAD_ROW = "鹿嶺高原 (長谷溝口),205,い,2022-10-03,2022-11-18,7.25 m,30,280 m**3,\n"


def demo_rows(name: str) -> list[dict[str, str]]:
    """Return the rows of one of the demo's data files (its comment lines left out)."""
    with (DEMO / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def agreement_url(site: Site, page_name: str) -> str:
    return f"/agreements/{site.built.agreement.id}/{page_name}"


def stored_work(site: Site) -> tuple[list[int], int]:
    """Return the ids of the agreement's FY2022 thinnings and its journal's length."""
    with site.work(read_only=True) as uow:
        agreement = agreements.agreement(uow, site.built.agreement.id)
        ids = [t.id for t in thinnings.agreement_thinnings(uow, agreement.id, SEASON)]
        return ids, ledger.head_as_of(uow, agreement.id).entry_count


def estimate_ids(site: Site, thinning_ids: set[int]) -> list[int]:
    """Return the estimate entries of FY2022 that the thinnings `thinning_ids` posted."""
    with site.work(read_only=True) as uow:
        page = ledger.journal_page(uow, site.built.agreement.id, fiscal_year=SEASON, limit=500)
    return [e.id for e in page.entries if e.entry.kind is EntryKind.ESTIMATE
            and e.entry.details.get("thinning_id") in thinning_ids]


def choose_and_send(page: Page, name: str, content: str) -> None:
    """Choose the file in the upload field, then send the form with the keyboard."""
    field = page.get_by_label("CSV または XLSX ファイル")
    field.set_input_files({"name": name, "mimeType": "text/csv",
                           "buffer": content.encode("utf-8")})
    field.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="取り込む")).to_be_focused()
    page.keyboard.press("Enter")


def test_the_forestry_office_imports_a_season_with_one_bad_row(
        page: Page, site: Site, axe_source: str) -> None:
    demo_season = [r for r in demo_rows("thinnings.csv") if int(r["fiscal_year"]) == SEASON]
    before, journal_before = stored_work(site)
    assert len(before) == len(demo_season)
    log_in(page, site, "forestry")
    page.goto(agreement_url(site, "imports"))
    assert_accessible(page, axe_source)

    # The file's third line gives an area in metres: nothing of the file is stored.
    choose_and_send(page, "season-2022.csv", HEADER + GOOD_ROWS.splitlines(True)[0] + BAD_ROW)
    refused = page.get_by_role("table", name=re.compile("誤りのある行"))
    expect(refused.locator("tbody tr")).to_have_count(1)
    cells = refused.locator("tbody tr").first.locator("td")
    expect(cells.nth(0)).to_have_text("3")
    expect(cells.nth(1)).to_have_text("面積")
    expect(cells.nth(2)).to_contain_text("7.25 m")
    expect(page.get_by_role("alert").first).to_contain_text("何も保存していません")
    assert stored_work(site) == (before, journal_before)
    assert_accessible(page, axe_source)
    screenshot(page, "forestry-import-refused")

    # Corrected, the whole file is stored: each row's work and its estimate for FY2022 (the
    # window's later years lie beyond the agreement's last term).
    choose_and_send(page, "season-2022.csv", HEADER + GOOD_ROWS)
    window = range(SEASON, SEASON + site.built.agreement.crediting_window)
    credited = [y for y in window if site.built.agreement.covers(y)]
    expect(page.get_by_role("status")).to_have_text(
        f"間伐 2 件を取り込み、推計 {2 * len(credited)} 件を計上しました。")
    after, journal_after = stored_work(site)
    new = set(after) - set(before)
    assert len(new) == 2
    posted = estimate_ids(site, new)
    assert len(posted) == 2 * len(credited)
    assert journal_after == journal_before + len(posted)

    link = page.get_by_role("link", name=re.compile("FY2022.*の間伐記録"))
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/thinnings\?fy=2022$"))
    log = page.get_by_role("table", name=re.compile("間伐と、その年度に計上した推計"))
    expect(log.locator("tbody tr")).to_have_count(len(demo_season) + 2)
    for entry_id in posted:
        expect(log).to_contain_text(f"#{entry_id}:")
    expect(log).to_contain_text("8.5000")


def test_a_refused_stand_keeps_what_was_typed(page: Page, site: Site, axe_source: str) -> None:
    log_in(page, site, "forestry")
    page.goto(agreement_url(site, "stands"))
    page.get_by_label("団地・地区").fill("伊那富士")
    page.get_by_label("林班", exact=True).fill("13")
    page.get_by_label("小班", exact=True).fill("に")
    page.get_by_label("面積", exact=True).fill("12 m")
    page.get_by_label("樹種").select_option("karamatsu")
    page.get_by_label("植栽年").fill("1975")
    page.get_by_label("地位（1〜5）").fill("2")
    page.get_by_label("地位（1〜5）").press("Enter")

    area = page.get_by_label("面積", exact=True)
    expect(area).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-area")).to_contain_text("not convertible to ha")
    expect(area).to_have_value("12 m")
    expect(page.get_by_label("団地・地区")).to_have_value("伊那富士")
    expect(page.get_by_label("樹種")).to_have_value("karamatsu")
    assert_accessible(page, axe_source)

    area.fill("12 ha")
    area.press("Enter")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"林分 #\d+ の版 1 を記録しました"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("伊那富士 13林班に小班")


def test_logging_work_shows_the_estimate_it_posted_row_by_row(
        page: Page, site: Site, axe_source: str) -> None:
    log_in(page, site, "forestry")
    page.goto(agreement_url(site, "thinnings") + f"?fy={SEASON}")
    stand = next(r for r in demo_rows("stands.csv") if r["key"] == "ますみヶ丘平地林-31-ろ")
    with site.work(read_only=True) as uow:
        agreement = agreements.agreement(uow, site.built.agreement.id)
        (stand_id,) = [s.id for s in stands.party_stands(uow, agreement.forest_party_id)
                       if (s.site, s.compartment, s.stand_number)
                       == (stand["site"], stand["compartment"], stand["stand_number"])]
    page.get_by_label("林分", exact=True).select_option(str(stand_id))
    page.get_by_label("年度", exact=True).last.select_option(str(SEASON))
    page.get_by_label("着手日").fill("2022-09-01")
    page.get_by_label("完了日").fill("2022-10-15")
    page.get_by_label("間伐面積").fill("6 ha")
    page.get_by_label("間伐率 %").fill("30")
    page.get_by_role("button", name="記録して推計を計上").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("を記録し")

    after, _ = stored_work(site)
    newest = max(after)
    (entry_id,) = estimate_ids(site, {newest})
    expect(page.get_by_role("status")).to_have_text(
        f"間伐 #{newest} を記録し、推計を仕訳 #{entry_id} として計上しました。")
    estimate = page.get_by_role("table", name=re.compile(f"仕訳 #{entry_id}"))
    expect(estimate).to_contain_text("6.0000")  # the area, as the estimate recorded it
    expect(estimate.locator("tfoot")).to_contain_text("t-CO2")
    assert_accessible(page, axe_source)
    screenshot(page, "forestry-thinnings")


def test_the_forestry_pages_pass_axe_and_show_the_demo(
        page: Page, site: Site, axe_source: str) -> None:
    certified = demo_rows("certifications.csv")
    awaiting = {int(r["fiscal_year"]) for r in demo_rows("thinnings.csv")} - {
        int(r["fiscal_year"]) for r in certified}
    log_in(page, site, "forestry")
    page.goto(agreement_url(site, "forest"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("FY2022")
    season = [r for r in demo_rows("thinnings.csv") if int(r["fiscal_year"]) == SEASON]
    area = sum(Decimal(r["area_ha"]) for r in season)
    expect(page.locator(".figures")).to_contain_text(f"{area:.2f} ha")
    expect(page.locator(".figures")).to_contain_text("目標 30 ha")
    pending = page.get_by_role("table", name=re.compile("まだ認証のない年度"))
    expect(pending.locator("tbody tr")).to_have_count(len(awaiting))
    assert_accessible(page, axe_source)
    screenshot(page, "forestry-home")

    page.goto(agreement_url(site, "stands"))
    expect(page.get_by_role("table").first.locator("tbody tr")).to_have_count(
        len(demo_rows("stands.csv")))
    assert_accessible(page, axe_source)
    screenshot(page, "forestry-stands")
    page.get_by_role("link", name=re.compile("ますみヶ丘平地林 31林班い小班")).click()
    expect(page.get_by_role("button", name="版 2 として記録")).to_be_visible()
    assert_accessible(page, axe_source)

    page.goto(agreement_url(site, "certifications"))
    listed = page.get_by_role("table", name=re.compile("記録した認証"))
    expect(listed.locator("tbody tr")).to_have_count(len(certified))
    expect(listed).to_contain_text("456.300")  # the published FY2013 certificate
    assert_accessible(page, axe_source)
    screenshot(page, "forestry-certifications")

    page.goto(agreement_url(site, "timber") + "?fy=2013")
    sale = next(r for r in demo_rows("timber.csv") if r["fiscal_year"] == "2013")
    total = int(sale["volume_m3"]) * int(sale["unit_price_jpy"])
    expect(page.get_by_role("table").first).to_contain_text(f"{total:,} 円")
    assert_accessible(page, axe_source)

    page.goto(agreement_url(site, "thinnings") + "?fy=2013&lang=en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thinning log")
    assert_accessible(page, axe_source)


def test_a_certification_is_recorded_and_listed(page: Page, site: Site) -> None:
    log_in(page, site, "forestry")
    page.goto(agreement_url(site, "certifications"))
    page.get_by_label("年度").select_option("2021")
    page.get_by_label("認証量").fill("401.5 t_CO2")
    page.get_by_label("認証者").fill("長野県")
    page.get_by_label("認証番号").fill("森第22-1号")
    page.get_by_label("発行日").fill("2022-03-25")
    page.get_by_role("button", name="認証を記録").press("Enter")
    done = page.get_by_role("status")
    expect(done).to_contain_text("として記録しました")
    with site.work(read_only=True) as uow:
        (recorded,) = certification.certifications(uow, site.built.agreement.id, 2021)
    expect(done).to_have_text(f"認証を仕訳 #{recorded.id} として記録しました。")
    listed = page.get_by_role("table", name=re.compile("記録した認証"))
    expect(listed.locator("tbody tr").first).to_contain_text("401.500")
    expect(listed.locator("tbody tr").first).to_contain_text("森第22-1号")


def test_a_stand_page_shows_its_enrollment_in_another_scheme(
        page: Page, site: Site, axe_source: str) -> None:
    with site.work() as uow:  # stand 1 is credited through FY2013 in the demo: enroll later
        stand = stands.stand(uow, 1)
        stands.enroll_stand(uow, stand, Enrollment(stand.id, J_CREDIT, FOREST_MANAGEMENT,
                                                   "JCL-0042", 2023, 2030), "test")
        uow.commit()
    log_in(page, site, "forestry")
    page.goto(f"/agreements/{site.built.agreement.id}/stands/1")
    row = page.get_by_role("row", name=re.compile("JCL-0042"))
    expect(row).to_contain_text("令和5年度（FY2023） – 令和12年度（FY2030）")
    assert_accessible(page, axe_source)
