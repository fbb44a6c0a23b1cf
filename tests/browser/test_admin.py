"""The administrator in the browser: parties, agreements and terms, users, reference data.

The main task: an administrator registers a second urban party and an agreement for it,
creates an urban user of that party, and the person opens the one-time link, sets a
password, logs in and sees that agreement alone (the demo's is a 404 to them). All with the
keyboard.
"""

from __future__ import annotations

import csv
import re
from importlib.resources import files
from urllib.parse import urlparse

from playwright.sync_api import Browser, Locator, Page, expect

from offset.access import services as access
from offset.agreements import services as agreements
from offset.forestry.parameters import metadata
from tests.browser.conftest import Site, assert_accessible, log_in, screenshot

# Minato City (港区): a real local-government code, check digit 2 (JIS X 0402).
MINATO = ("131032", "港区", "Minato City")
TITLE_JA = "港区と伊那市との森林整備に関する協定"
NEW_PASSWORD = "larch-and-cedar-2024"


def press(page: Page, target: Locator, key: str = "Enter") -> None:
    """Move the focus to `target` and press a key on it, as a keyboard user does."""
    target.focus()
    page.keyboard.press(key)


def choose(page: Page, select: Locator, option: str) -> None:
    """Pick the option labelled `option` of a drop-down with the arrow keys."""
    select.focus()
    page.keyboard.press("Home")
    for _ in range(select.locator("option").count()):
        if select.evaluate("s => s.options[s.selectedIndex].text") == option:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {option!r}")


def section(page: Page, name: str) -> None:
    """Open a section of the administrator's pages from their navigation."""
    nav = page.get_by_role("navigation", name="管理のページ")
    press(page, nav.get_by_role("link", name=name, exact=True))


def demo_agreement_id(site: Site) -> int:
    return site.built.agreement.id


def register_minato(page: Page) -> None:
    section(page, "団体")
    page.get_by_label(re.compile("団体コード")).fill(MINATO[0])
    page.get_by_label("名称（日本語）").fill(MINATO[1])
    page.get_by_label("名称（英語）").fill(MINATO[2])
    press(page, page.get_by_role("button", name="団体を登録する"))


def register_agreement(page: Page) -> int:
    """Register Minato–Ina through the form; return its id as the page's address says."""
    section(page, "協定と期")
    page.get_by_label("協定名（日本語）").fill(TITLE_JA)
    page.get_by_label("協定名（英語）").fill("Agreement between Minato City and Ina City")
    choose(page, page.get_by_label("都市側の団体"), f"{MINATO[1]} ({MINATO[0]})")
    choose(page, page.get_by_label("森林側の団体"), "伊那市 (202096)")
    page.get_by_label("締結日").fill("2020-03-01")
    page.get_by_label("第1期の初年度（西暦）").fill("2020")
    page.get_by_label("第1期の最終年度（西暦）").fill("2024")
    page.get_by_label(re.compile("年間の間伐目標")).fill("10 ha")
    press(page, page.get_by_role("button", name="協定を登録する"))
    expect(page).to_have_url(re.compile(r"/admin/agreements/\d+\?stored=agreement$"))
    return int(re.findall(r"/admin/agreements/(\d+)", page.url)[0])


def create_user(page: Page, name: str, role: str, party: str) -> None:
    section(page, "ユーザー")
    page.get_by_label("ユーザー名").fill(name)
    choose(page, page.get_by_label("役割"), role)
    choose(page, page.get_by_label(re.compile("団体")), party)
    press(page, page.get_by_role("button", name="ユーザーを作成する"))


def test_an_administrator_creates_an_urban_user_who_sees_only_their_agreement(
        page: Page, site: Site, browser: Browser, axe_source: str) -> None:
    log_in(page, site, "admin")
    press(page, page.get_by_role("link", name="管理"))
    expect(page.get_by_role("heading", level=1)).to_have_text("管理")
    assert_accessible(page, axe_source)

    register_minato(page)
    expect(page.get_by_role("status")).to_contain_text("「港区」（131032）を登録しました")
    with site.work(read_only=True) as uow:
        minato = agreements.party_by_code(uow, MINATO[0])
    expect(page.get_by_role("status")).to_contain_text(f"団体 #{minato.id}「港区」")
    assert_accessible(page, axe_source)

    new_id = register_agreement(page)
    expect(page.get_by_role("status")).to_contain_text(f"協定 #{new_id} を登録")
    with site.work(read_only=True) as uow:
        stored = agreements.agreement(uow, new_id)
    assert (stored.urban_party_id, stored.title_ja) == (minato.id, TITLE_JA)
    assert [(t.first_fy, t.last_fy) for t in stored.terms] == [(2020, 2024)]
    assert_accessible(page, axe_source)

    create_user(page, "minato-env", "環境部門", f"{MINATO[1]} ({MINATO[0]})")
    expect(page.get_by_role("status")).to_contain_text("ユーザー「minato-env」を作成しました")
    link = page.locator("#password-link").get_attribute("href") or ""
    token = page.locator("#api-token").inner_text()
    secret = link.rsplit("/", 1)[-1]
    assert link.endswith(f"/password/{secret}") and len(secret) > 20
    assert token.startswith("off_")
    assert page.url.endswith("/admin/users")  # the secrets are in no address
    assert_accessible(page, axe_source)
    # The token shown is theirs: through the API it sees the new agreement alone.
    seen = page.request.get("/v1/agreements", headers={"Authorization": f"Bearer {token}"})
    assert [a["id"] for a in seen.json()] == [new_id]
    section(page, "ユーザー")  # the list never shows a secret again
    expect(page.get_by_role("heading", level=1)).to_have_text("ユーザー")
    assert secret not in page.content() and token not in page.content()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="minato-env"))
    expect(row).to_contain_text("港区")
    expect(row).to_contain_text("未設定")  # no web password until they use the link
    screenshot(page, "admin-users")

    person = browser.new_context(base_url=site.base_url).new_page()
    person.goto(urlparse(link).path)
    person.get_by_label(re.compile("新しいパスワード")).fill(NEW_PASSWORD)
    person.get_by_label("もう一度入力").fill(NEW_PASSWORD)
    press(person, person.get_by_role("button", name="設定する"))
    expect(person).to_have_url(re.compile(r"/login\?password=set$"))
    log_in(person, site, "minato-env", NEW_PASSWORD)
    rows = person.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(TITLE_JA)
    assert person.request.get(f"/agreements/{new_id}", max_redirects=0).status == 303
    answer = person.goto(f"/agreements/{demo_agreement_id(site)}")
    assert answer is not None and answer.status == 404
    person.context.close()


def test_revoking_a_user_ends_their_sessions(page: Page, site: Site, browser: Browser,
                                             axe_source: str) -> None:
    person = browser.new_context(base_url=site.base_url).new_page()
    log_in(person, site, "urban")
    log_in(page, site, "admin")
    page.goto("/admin/users")
    row = page.locator("tr", has=page.get_by_role("rowheader", name="urban", exact=True))
    press(page, row.get_by_role("link", name=re.compile("失効させる")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("「urban」を失効させますか")
    assert_accessible(page, axe_source)
    press(page, page.get_by_role("button", name="「urban」を失効させる"), "Space")
    expect(page.get_by_role("status")).to_contain_text("ユーザー「urban」を失効させました")
    expect(row).to_contain_text("未設定")
    expect(row).to_contain_text("失効")

    person.reload()
    expect(person).to_have_url(re.compile(r"/login\?next="))
    token = site.built.tokens["urban"]
    refused = page.request.get("/v1/agreements", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401
    with site.work(read_only=True) as uow:
        account = next(a for a in access.accounts(uow) if a.user.name == "urban")
    assert account.password_set_at is None
    person.context.close()


def test_a_refused_user_keeps_its_values_with_the_error_beside_the_field(
        page: Page, site: Site, axe_source: str) -> None:
    log_in(page, site, "admin")
    page.goto("/admin/users")
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        create_user(page, "urban", "環境部門", "新宿区 (131041)")
    assert answered.value.status == 409
    name = page.get_by_label("ユーザー名")
    expect(name).to_have_value("urban")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-name")).to_contain_text("already exists")
    expect(page.get_by_label("役割")).to_have_value("urban")
    expect(page.get_by_label(re.compile("団体"))).to_have_value("131041")
    assert_accessible(page, axe_source)

    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        create_user(page, "auditor-2", "監査", "新宿区 (131041)")
    assert answered.value.status == 422  # an auditor belongs to no party
    expect(page.locator("#e-party")).to_contain_text("belongs to no party")
    expect(page.get_by_label("ユーザー名")).to_have_value("auditor-2")


def test_a_refused_party_or_agreement_keeps_its_values(page: Page, site: Site,
                                                       axe_source: str) -> None:
    log_in(page, site, "admin")
    page.goto("/admin/parties")
    page.get_by_label(re.compile("団体コード")).fill("131040")  # the check digit is 1
    page.get_by_label("名称（日本語）").fill("新宿区の誤記")
    page.get_by_label("名称（英語）").fill("A typo")
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        press(page, page.get_by_role("button", name="団体を登録する"))
    assert answered.value.status == 422
    expect(page.locator("#e-code")).to_contain_text("check digit")
    expect(page.get_by_label("名称（日本語）")).to_have_value("新宿区の誤記")
    assert_accessible(page, axe_source)

    section(page, "協定と期")
    page.get_by_label("協定名（日本語）").fill("同じ団体どうしの協定")
    page.get_by_label("協定名（英語）").fill("One party twice")
    choose(page, page.get_by_label("都市側の団体"), "伊那市 (202096)")
    choose(page, page.get_by_label("森林側の団体"), "伊那市 (202096)")
    page.get_by_label("締結日").fill("2020-03-01")
    page.get_by_label("第1期の初年度（西暦）").fill("2020")
    page.get_by_label("第1期の最終年度（西暦）").fill("2019")
    with site.work(read_only=True) as uow:
        before = agreements.all_agreements(uow)
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        press(page, page.get_by_role("button", name="協定を登録する"))
    assert answered.value.status == 422
    expect(page.locator("#e-forest_party_id, #e-first_fy")).not_to_have_count(0)
    expect(page.get_by_label("協定名（日本語）")).to_have_value("同じ団体どうしの協定")
    expect(page.get_by_label("第1期の最終年度（西暦）")).to_have_value("2019")
    with site.work(read_only=True) as uow:
        assert agreements.all_agreements(uow) == before


def test_the_administrator_renews_an_agreement(page: Page, site: Site,
                                               axe_source: str) -> None:
    log_in(page, site, "admin")
    page.goto("/admin/agreements")
    demo = demo_agreement_id(site)
    table = page.get_by_role("table", name=re.compile("登録済みの協定"))
    # The demo's terms, as its case file states them: FY2009–13, FY2014–17, FY2018–22.
    expect(table).to_contain_text("平成21年度（FY2009） – 平成25年度（FY2013）")
    expect(table).to_contain_text("平成30年度（FY2018） – 令和4年度（FY2022）")
    assert_accessible(page, axe_source)
    screenshot(page, "admin-agreements")

    press(page, table.get_by_role("link", name=re.compile("新宿区と伊那市")))
    expect(page).to_have_url(re.compile(rf"/admin/agreements/{demo}$"))
    users = page.get_by_role("table", name="この協定のユーザー")
    for name in ("urban", "forestry", "auditor"):
        expect(users.get_by_role("cell", name=name, exact=True)).to_be_visible()
    page.get_by_label("初年度（西暦）").fill("2023")
    page.get_by_label("最終年度（西暦）").fill("2027")
    press(page, page.get_by_role("button", name="期を加える"))
    expect(page.get_by_role("status")).to_contain_text(f"協定 #{demo} に新しい期")
    expect(page.get_by_role("row", name=re.compile("第4期"))).to_contain_text("FY2027")
    assert_accessible(page, axe_source)
    with site.work(read_only=True) as uow:
        assert agreements.agreement(uow, demo).terms[-1].last_fy == 2027

    page.get_by_label("初年度（西暦）").fill("2026")  # overlaps the term just added
    page.get_by_label("最終年度（西暦）").fill("2030")
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        press(page, page.get_by_role("button", name="期を加える"))
    assert answered.value.status == 422
    expect(page.locator("#e-first_fy")).to_be_visible()
    expect(page.get_by_label("初年度（西暦）")).to_have_value("2026")


def test_the_reference_data_loaded_is_listed(page: Page, site: Site, axe_source: str) -> None:
    log_in(page, site, "admin")
    page.goto("/admin")
    with site.work(read_only=True) as uow:
        counts = [len(agreements.parties(uow)), len(agreements.all_agreements(uow)),
                  len(access.accounts(uow))]
    expect(page.locator(".count").first).to_have_text(str(counts[0]))
    expect(page.locator(".count").nth(1)).to_have_text(str(counts[1]))
    expect(page.locator(".count").nth(2)).to_have_text(str(counts[2]))
    section(page, "参照データ")
    shipped = (files("offset") / "data").joinpath("species_parameters.csv").read_text("utf-8")
    header = metadata(shipped)
    sets = page.get_by_role("table", name=re.compile("パラメータセット"))
    expect(sets.get_by_role("row", name=re.compile(header["name"]))).to_contain_text(
        header["version"])
    factors_text = (files("offset") / "data").joinpath("emission_factors.csv").read_text("utf-8")
    rows = list(csv.DictReader(line for line in factors_text.splitlines()
                               if line.strip() and not line.startswith("#")))
    table = page.get_by_role("table", name=re.compile("排出係数"))
    expect(table.locator("tbody tr")).to_have_count(len(rows))
    for set_id in {row["set"] for row in rows}:
        expect(table.get_by_role("cell", name=set_id, exact=True).first).to_be_visible()
    assert_accessible(page, axe_source)
    screenshot(page, "admin-reference")


def test_only_an_administrator_opens_the_administrators_pages(
        page: Page, site: Site, axe_source: str) -> None:
    log_in(page, site, "urban")
    for path in ("/admin", "/admin/users", "/admin/agreements/1", "/admin/reference"):
        answer = page.goto(path)
        assert answer is not None and answer.status == 403, path
    expect(page.get_by_role("heading", level=1)).to_contain_text("許可されていません")
    assert_accessible(page, axe_source)
    refused = page.request.post("/admin/users", form={"name": "x", "role": "admin"})
    assert refused.status == 403
