"""The auditor in the browser: downloads the FY2013 report, verifies the chain and matches the
head printed on it; browses the journal by year and kind; downloads the exports."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from offset.access import services as access
from offset.agreements import services as agreements
from offset.corrections import correct_as
from offset.documents import services as documents
from offset.documents.model import DocumentKind
from offset.ledger import services as ledger
from offset.ledger.model import EntryKind, JournalEntry
from offset.web.routes.auditor import PAGE_SIZE
from tests.browser.conftest import Site, assert_accessible, log_in, screenshot

HEAD_ON_REPORT = re.compile(r"チェーン先頭 head\s*([0-9a-f]{64})")


def every_entry(site: Site) -> list[JournalEntry]:
    """The demo's whole journal, read through the use case (a page holds them all)."""
    with site.work(read_only=True) as uow:
        page = ledger.journal_page(uow, site.built.agreement.id, limit=500)
    assert page.next_after_seq is None
    return page.entries


def press(page: Page, role: str, name: str | re.Pattern[str]) -> None:
    """Move the keyboard's focus to a link or button, and press Enter on it."""
    page.get_by_role(role, name=name).focus()
    page.keyboard.press("Enter")


def test_the_auditor_downloads_the_fy2013_report_and_verify_matches_its_head(
        page: Page, site: Site, axe_source: str, tmp_path: Path) -> None:
    agreement = site.built.agreement
    with site.work(read_only=True) as uow:
        fy2013 = next(r for r in documents.register(uow, agreement)
                      if r.kind is DocumentKind.ANNUAL and r.fiscal_year == 2013)
        today = ledger.verify(uow, [agreement.id]).heads[0]
    log_in(page, site, "auditor")
    press(page, "link", re.compile("新宿区と伊那市"))
    expect(page).to_have_url(re.compile(rf"/agreements/{agreement.id}/audit$"))
    assert_accessible(page, axe_source)

    with page.expect_download() as caught:
        press(page, "link", f"PDF {fy2013.number}")
    download = caught.value
    assert download.suggested_filename == fy2013.filename
    saved = tmp_path / "fy2013.pdf"
    download.save_as(saved)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(saved.read_bytes())).pages)
    printed = HEAD_ON_REPORT.search(text)
    assert printed, "the report prints the chain head it was made at"
    head_on_report = printed.group(1)

    page.get_by_label(re.compile("照合する位置")).focus()
    page.keyboard.press("Tab")  # to the verify button
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/audit/verify"))
    expect(page.get_by_role("status")).to_contain_text("検証に成功しました")
    expect(page.locator("#current-head")).to_have_text(today.hash)
    expect(page.get_by_role("status")).to_contain_text(str(today.entry_count))
    matched = page.get_by_role("table", name=re.compile("照合")).get_by_role(
        "row", name=re.compile(re.escape(fy2013.number)))
    cells = matched.get_by_role("cell")
    expect(cells.nth(0)).to_have_text(re.compile(rf"^\s*{fy2013.made_at_seq}\s*$"))
    expect(cells.nth(2)).to_have_text(head_on_report)  # verify's head at the report's point
    expect(matched).to_contain_text("一致")
    assert_accessible(page, axe_source)
    screenshot(page, "auditor-audit")

    # The same point asked for by hand, as `offset verify --at SEQ`.
    page.get_by_label(re.compile("照合する位置")).fill(str(fy2013.made_at_seq))
    page.keyboard.press("Enter")
    expect(page.locator("#point-head")).to_have_text(head_on_report)


def test_a_point_past_the_head_is_refused_beside_its_field(page: Page, site: Site) -> None:
    log_in(page, site, "auditor")
    response = page.goto(f"/agreements/{site.built.agreement.id}/audit/verify?at=999999")
    assert response is not None and response.status == 422
    field = page.get_by_label(re.compile("照合する位置"))
    expect(field).to_have_value("999999")
    expect(field).to_have_attribute("aria-invalid", "true")


def test_on_demand_reports_and_exports_download_as_files(page: Page, site: Site,
                                                         axe_source: str) -> None:
    agreement_id = site.built.agreement.id
    log_in(page, site, "auditor")
    page.goto(f"/agreements/{agreement_id}/audit")
    for name, suffix in (("XLSX 平成25年度（FY2013）", "annual-FY2013.xlsx"),
                         ("PDF 第1期", "term-1.pdf")):
        with page.expect_download() as caught:
            press(page, "link", name)
        assert caught.value.suggested_filename == f"offset-agreement-{agreement_id}-{suffix}"
    page.goto(f"/agreements/{agreement_id}/exports")
    assert_accessible(page, axe_source)
    screenshot(page, "auditor-exports")
    for suffix in ("csv", "xlsx", "beancount"):
        name = f"offset-agreement-{agreement_id}-journal.{suffix}"
        with page.expect_download() as caught:
            press(page, "link", name)
        assert caught.value.suggested_filename == name
    csv = page.request.get(f"/agreements/{agreement_id}/exports/journal.csv")
    assert csv.headers["content-type"].startswith("text/csv")


def shown_ids(page: Page) -> list[int]:
    headings = page.locator("article.entry").get_by_role("heading").all_inner_texts()
    return [int(re.search(r"#(\d+)", h).group(1)) for h in headings]


def walk(page: Page) -> list[int]:
    """Return the entries of every page, following 次のページ to the last."""
    pages = [shown_ids(page)]
    while page.get_by_role("link", name=re.compile("次のページ")).count():
        press(page, "link", re.compile("次のページ"))
        expect(page.locator("#page-facts")).to_contain_text(
            re.compile(rf"ページ {len(pages) + 1}(?!\d)"))
        pages.append(shown_ids(page))
    return [entry for shown in pages for entry in shown]


def test_the_journal_browser_filters_by_year_and_kind_and_pages(
        page: Page, site: Site, axe_source: str) -> None:
    agreement_id = site.built.agreement.id
    entries = every_entry(site)
    log_in(page, site, "auditor")
    page.goto(f"/agreements/{agreement_id}/journal")
    assert_accessible(page, axe_source)
    screenshot(page, "auditor-journal")
    assert shown_ids(page) == [e.id for e in entries[:PAGE_SIZE]]

    page.get_by_label("年度", exact=True).select_option("2013")
    page.get_by_label("種類", exact=True).select_option(EntryKind.COST.value)
    press(page, "button", "表示する")
    expect(page).to_have_url(re.compile(r"\?fy=2013&kind=cost$"))
    costs_2013 = [e.id for e in entries
                  if e.entry.fiscal_year == 2013 and e.entry.kind is EntryKind.COST]
    assert costs_2013 and shown_ids(page) == costs_2013
    expect(page.get_by_role("article").first).to_contain_text("円")

    page.goto(f"/agreements/{agreement_id}/journal?fy=2013&size=10")
    assert walk(page) == [e.id for e in entries if e.entry.fiscal_year == 2013]
    page.goto(f"/agreements/{agreement_id}/journal?kind=estimate&size=10")
    estimates = [e.id for e in entries if e.entry.kind is EntryKind.ESTIMATE]
    assert len(estimates) > 10 and walk(page) == estimates
    page.goto(f"/agreements/{agreement_id}/journal?size=10")
    assert walk(page) == [e.id for e in entries]
    assert_accessible(page, axe_source)


def test_an_entry_and_its_reversal_link_to_each_other(page: Page, site: Site,
                                                      axe_source: str) -> None:
    agreement_id = site.built.agreement.id
    original = next(e for e in every_entry(site)
                    if e.entry.kind is EntryKind.EMISSION and e.entry.fiscal_year == 2022)
    with site.work() as uow:  # the demo has no reversal: the administrator makes one
        admin = access.authenticate(uow, site.built.tokens["admin"])
        reversal = correct_as(uow, admin, original.id, "二重計上のため / booked twice")
        uow.commit()
    log_in(page, site, "auditor")
    page.goto(f"/agreements/{agreement_id}/journal?fy=2022&kind=emission")
    article = page.locator(f"#entry-{original.id}")
    expect(article).to_contain_text(original.hash)
    expect(article).to_contain_text(original.prev_hash)
    article.get_by_role("link", name=f"仕訳 #{reversal.id}").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/journal/{reversal.id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"仕訳 #{reversal.id}")
    expect(page.get_by_role("main")).to_contain_text("二重計上のため")
    assert_accessible(page, axe_source)
    press(page, "link", f"仕訳 #{original.id}")
    expect(page).to_have_url(re.compile(rf"/journal/{original.id}$"))
    expect(page.get_by_role("main")).to_contain_text(
        f"この仕訳を取り消した仕訳：仕訳 #{reversal.id}")


def test_another_agreements_pages_are_not_found(page: Page, site: Site) -> None:
    with site.work() as uow:  # an agreement of the same parties, not assigned to the auditor
        other = agreements.create_agreement(uow, replace(
            site.built.agreement, title_ja="別の協定", title_en="Another agreement"))
        uow.commit()
    entry_of_demo = every_entry(site)[0].id
    log_in(page, site, "auditor")
    for path in ("/agreements/999/audit", f"/agreements/{other.id}/audit",
                 f"/agreements/{other.id}/audit/verify", f"/agreements/{other.id}/journal",
                 f"/agreements/{other.id}/exports",
                 f"/agreements/{other.id}/exports/journal.csv",
                 f"/agreements/{other.id}/audit/annual/2013.pdf",
                 f"/agreements/{site.built.agreement.id}/journal/999999",
                 f"/agreements/{site.built.agreement.id}/audit/issued/no-such.pdf"):
        response = page.goto(path)
        assert response is not None and response.status == 404, path
    # An entry of the auditor's agreement is not found under another agreement's address.
    log_in(page, site, "admin")
    response = page.goto(f"/agreements/{other.id}/journal/{entry_of_demo}")
    assert response is not None and response.status == 404
