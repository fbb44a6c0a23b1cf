"""The environment division in the browser: it retires credits against a fiscal year and sees
the dashboard change, records emissions and money, and a refused form keeps what was typed.

Expected figures are read from the ledger's balances through the services before the task
(not from the pages, nor through the netting summaries the pages show) and worked out here.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal

from playwright.sync_api import Page, expect

from offset.emissions import services as emissions
from offset.ledger import services as ledger
from offset.ledger.model import Commodity, EntryKind
from tests.browser.conftest import Site, assert_accessible, log_in, screenshot

FY = 2022  # open in the demo: it closes FY2009–FY2020, the years the prefecture certified
CLOSED_FY = 2020


def tonnes(value: Decimal) -> str:
    return f"{value:,.3f}"


def percent(part: Decimal, whole: Decimal) -> str:
    fraction = (part / whole).quantize(Decimal("0.000001"), ROUND_HALF_EVEN)
    return f"{fraction * 100:.2f} %"


def carbon(site: Site, year: int) -> tuple[Decimal, Decimal]:
    """Return the year's emissions and retired credits, summed from its account balances."""
    with site.work(read_only=True) as uow:
        balances = ledger.balances(uow, site.built.agreement.id, fiscal_year=year)
    emitted = sum((v for (account, _), v in balances.items()
                   if account.startswith("Expenses:Emissions:")), Decimal(0))
    return emitted, balances.get(("Expenses:Carbon:Retired", Commodity.TCO2E), Decimal(0))


def available(site: Site) -> dict[int, Decimal]:
    with site.work(read_only=True) as uow:
        return emissions.available_by_vintage(uow, site.built.agreement.id)


def figure(page: Page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"]').inner_text().replace("t-CO2", "").strip()


def url(site: Site, page_name: str, **query: object) -> str:
    tail = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/agreements/{site.built.agreement.id}/{page_name}" + (f"?{tail}" if tail else "")


def press_link(page: Page, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).focus()
    page.keyboard.press("Enter")


def test_the_environment_division_retires_40_t_against_fy2022_and_sees_the_dashboard_change(
        page: Page, site: Site, axe_source: str) -> None:
    emitted, retired = carbon(site, FY)
    before = available(site)
    assert emitted > 0 and sum(before.values()) >= 40  # the demo leaves credits to retire
    log_in(page, site, "urban")
    page.goto(url(site, "dashboard", fy=FY))
    expect(page.get_by_role("heading", level=1)).to_contain_text("令和4年度（FY2022）")
    assert figure(page, "retired") == tonnes(retired)
    expect(page.get_by_role("heading", name=re.compile("暫定"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("年度別の排出量とクレジット"))).to_be_visible()
    assert_accessible(page, axe_source)
    screenshot(page, "urban-dashboard")

    press_link(page, "クレジットの無効化")
    expect(page.get_by_role("heading", level=1)).to_contain_text("クレジットの無効化")
    page.get_by_label("表示する年度").focus()
    page.get_by_label("表示する年度").select_option(str(FY))
    page.keyboard.press("Tab")  # to the picker's button
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"retire\?fy={FY}$"))
    for vintage, tonnes_left in before.items():
        expect(page.locator(f'[data-vintage="{vintage}"]')).to_have_text(tonnes(tonnes_left))
    assert_accessible(page, axe_source)
    screenshot(page, "urban-retire")

    page.get_by_label("相殺する排出量の年度").focus()
    page.get_by_label("相殺する排出量の年度").select_option(str(FY))
    page.keyboard.press("Tab")
    page.keyboard.type("40")
    page.get_by_label("無効化日").fill("2023-03-31")  # in FY2022 (a date field takes ISO)
    page.get_by_label("目的").focus()
    page.keyboard.press("Tab")  # to the button
    page.keyboard.press("Space")

    expect(page.get_by_role("status")).to_contain_text("を記録しました")
    with site.work(read_only=True) as uow:
        journal = ledger.journal_page(uow, site.built.agreement.id, fiscal_year=FY,
                                      limit=500)
    stored = [e for e in journal.entries if e.entry.kind is EntryKind.RETIREMENT]
    assert len(stored) == 1 and stored[0].entry.details["tonnes"] == "40.000"
    expect(page.get_by_role("status")).to_contain_text(
        f"仕訳 #{stored[0].id} を記録しました（令和4年度（FY2022）の排出量に対し 40.000 t-CO2")
    oldest = min(before)  # the oldest eligible vintage goes first
    expect(page.locator(f'[data-vintage="{oldest}"]')).to_have_text(
        tonnes(before[oldest] - Decimal(40)))

    press_link(page, "ダッシュボードで確認する")
    expect(page).to_have_url(re.compile(rf"dashboard\?fy={FY}$"))
    assert figure(page, "retired") == tonnes(retired + 40)
    assert figure(page, "net") == tonnes(emitted - retired - 40)
    assert figure(page, "ratio") == percent(retired + 40, emitted)
    assert figure(page, "ratio") != percent(retired, emitted)
    # FY2022 is past the Numata agreement: Ina's retirements are all the ward's.
    assert figure(page, "party_retired") == tonnes(retired + 40)
    assert figure(page, "party_share") == "100.00 %"
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Netting")
    assert figure(page, "retired") == tonnes(retired + 40)


def test_the_dashboard_shows_the_agreements_part_in_the_wards_netting(page: Page,
                                                                      site: Site) -> None:
    emitted, retired = carbon(site, 2019)
    log_in(page, site, "urban")
    page.goto(url(site, "dashboard", fy=2019))
    # Numata's FY2019 (illustrative): 30 kL gasoline × 2.32 + 11 kL diesel × 2.62 = 98.42 t
    # emitted, 48.3 t retired.
    assert figure(page, "party_emissions") == tonnes(emitted + Decimal("98.420"))
    assert figure(page, "party_retired") == tonnes(retired + Decimal("48.300"))
    assert figure(page, "party_share") == percent(retired, retired + Decimal("48.300"))
    assert figure(page, "party_ratio") == percent(retired + Decimal("48.300"),
                                                  emitted + Decimal("98.420"))
    screenshot(page, "urban-dashboard-party")


def test_retiring_more_than_is_available_is_refused_beside_the_quantity_and_keeps_it(
        page: Page, site: Site, axe_source: str) -> None:
    left = sum(available(site).values())
    log_in(page, site, "urban")
    page.goto(url(site, "retire", fy=FY))
    asked = left + 100
    page.get_by_label("無効化する量（t-CO2）").fill(str(asked))
    page.get_by_label("無効化日").fill("2023-03-31")
    page.get_by_label("無効化の名義（受益者）").fill("新宿区 環境対策課")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="無効化する").press("Enter")
    assert answer.value.status == 409
    quantity = page.get_by_label("無効化する量（t-CO2）")
    expect(quantity).to_have_value(str(asked))
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(quantity).to_have_accessible_description(re.compile(re.escape(tonnes(left))))
    expect(page.get_by_label("無効化の名義（受益者）")).to_have_value("新宿区 環境対策課")
    assert_accessible(page, axe_source)
    assert sum(available(site).values()) == left  # nothing stored


def test_a_closed_year_says_so_and_refuses_a_retirement_beside_the_year(
        page: Page, site: Site) -> None:
    log_in(page, site, "urban")
    page.goto(url(site, "retire", fy=CLOSED_FY))
    expect(page.get_by_text(re.compile("締め済みです"))).to_be_visible()
    page.get_by_label("無効化する量（t-CO2）").fill("1")
    page.get_by_label("無効化日").fill("2021-03-31")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="無効化する").press("Enter")
    assert answer.value.status == 409
    expect(page.get_by_label("相殺する排出量の年度")).to_have_accessible_description(
        re.compile("締め済み"))
    expect(page.get_by_label("無効化する量（t-CO2）")).to_have_value("1")


def test_emissions_are_recorded_from_the_lists_and_a_bad_quantity_is_refused_beside_it(
        page: Page, site: Site, axe_source: str) -> None:
    with site.work(read_only=True) as uow:
        factor = next(f for f in emissions.factors(uow)
                      if f.set_id == "fepc-fy2013" and f.activity == "electricity")
    emitted, _ = carbon(site, FY)
    log_in(page, site, "urban")
    page.goto(url(site, "emissions", fy=FY))
    assert_accessible(page, axe_source)
    screenshot(page, "urban-emissions")
    page.get_by_label("活動", exact=True).select_option("electricity")
    page.get_by_label("排出係数セット").select_option("fepc-fy2013")
    activity = page.get_by_label("活動量（単位付き）")
    activity.fill("twelve kWh")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        activity.press("Enter")
    assert answer.value.status == 422
    expect(activity).to_have_value("twelve kWh")
    expect(activity).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("活動", exact=True)).to_have_value("electricity")
    assert_accessible(page, axe_source)

    activity.fill("10000 kWh")
    page.get_by_label("施設・メーター（任意）").fill("区役所本庁舎")
    activity.press("Enter")
    expected = (Decimal(10000) * factor.t_co2_per_unit).quantize(Decimal("0.001"))
    expect(page.get_by_role("status")).to_contain_text(f"{expected} t-CO2")
    assert carbon(site, FY)[0] == emitted + expected
    expect(page.get_by_role("row", name=re.compile("区役所本庁舎"))).to_contain_text(
        tonnes(expected))


def test_money_shows_each_party_s_net_cost_and_records_a_cost(
        page: Page, site: Site, axe_source: str) -> None:
    def net_urban() -> Decimal:
        with site.work(read_only=True) as uow:
            balances = ledger.balances(uow, site.built.agreement.id, fiscal_year=FY)
        return -sum((v for (account, _), v in balances.items()
                     if account == "Equity:Funding:Urban"), Decimal(0))
    before = net_urban()
    log_in(page, site, "urban")
    page.goto(url(site, "money", fy=FY))
    expect(page.locator('[data-figure="net-urban"]')).to_contain_text(f"{before:,.0f}")
    assert_accessible(page, axe_source)
    screenshot(page, "urban-money")
    form = page.locator("form", has=page.get_by_role("heading", name="費用を記録する"))
    form.get_by_label("区分").select_option("survey")
    form.get_by_label("金額（円）").fill("120000")
    form.get_by_label("支出日").fill("2022-10-01")
    form.get_by_label("負担者").select_option("urban")
    form.get_by_label("金額（円）").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("120,000 円")
    assert net_urban() == before + 120000
    expect(page.locator('[data-figure="net-urban"]')).to_contain_text(
        f"{before + 120000:,.0f}")


def test_admin_reads_the_dashboard_without_the_forms_and_forestry_may_not(
        page: Page, site: Site) -> None:
    log_in(page, site, "admin")
    page.goto(url(site, "retire", fy=FY))
    expect(page.get_by_role("heading", level=1)).to_contain_text("クレジットの無効化")
    expect(page.get_by_role("button", name="無効化する")).to_have_count(0)
    page.get_by_role("button", name="ログアウト").click()
    log_in(page, site, "forestry")
    response = page.goto(url(site, "dashboard"))
    assert response is not None and response.status == 403


def test_a_retirement_is_previewed_with_what_it_leaves_before_anything_is_stored(
        page: Page, site: Site, axe_source: str) -> None:
    before = available(site)
    with site.work(read_only=True) as uow:
        entries_before = ledger.verify(uow, [site.built.agreement.id]).heads[0].entry_count
    log_in(page, site, "urban")
    page.goto(url(site, "retire", fy=FY))
    page.get_by_label("相殺する排出量の年度").select_option(str(FY))
    page.get_by_label("無効化する量（t-CO2）").fill("40")
    page.get_by_label("無効化日").fill("2023-03-31")
    page.get_by_role("button", name="記録せずに確認する").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("確認"))).to_be_visible()
    oldest = min(before)  # drawn first, and here all 40 t come from it
    expect(page.locator(f'[data-left="{oldest}"]')).to_have_text(
        tonnes(before[oldest] - Decimal(40)))
    expect(page.get_by_label("無効化する量（t-CO2）")).to_have_value("40")
    assert_accessible(page, axe_source)
    with site.work(read_only=True) as uow:  # nothing was stored
        assert ledger.verify(uow, [site.built.agreement.id]).heads[0].entry_count \
            == entries_before
    page.get_by_role("button", name="無効化する", exact=True).press("Enter")
    expect(page.get_by_role("status")).to_contain_text("を記録しました")
    assert available(site)[oldest] == before[oldest] - Decimal(40)
