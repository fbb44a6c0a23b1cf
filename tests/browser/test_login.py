"""Logging in through the browser: the login page, a wrong password, logout, expiry, CSRF."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import text

from tests.browser.conftest import Site, assert_accessible, log_in, screenshot


def test_a_person_logs_in_sees_their_agreements_and_logs_out(
        page: Page, site: Site, axe_source: str) -> None:
    page.goto(site.base_url + "/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    assert_accessible(page, axe_source)
    screenshot(page, "login")
    log_in(page, site, "urban")
    expect(page.get_by_role("link", name=re.compile("新宿区と伊那市"))).to_be_visible()
    assert_accessible(page, axe_source)
    page.get_by_role("button", name="ログアウト").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto(site.base_url + "/")
    expect(page).to_have_url(re.compile(r"/login"))


def test_a_wrong_password_is_refused_and_the_name_kept(page: Page, site: Site) -> None:
    page.goto(site.base_url + "/login")
    page.get_by_label("ユーザー名").fill("urban")
    page.get_by_label("パスワード").fill("not the password at all")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("パスワードが違います")
    expect(page.get_by_label("ユーザー名")).to_have_value("urban")


def test_an_ended_session_sends_the_person_back_to_the_login_page(
        page: Page, site: Site) -> None:
    log_in(page, site, "forestry")
    with site.engine.begin() as connection:  # the session's idle limit passes
        connection.execute(text("UPDATE web_sessions SET last_seen_at = :long_ago"),
                           {"long_ago": datetime.now(UTC) - timedelta(hours=1)})
    page.goto(site.base_url + "/")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_a_form_without_its_security_token_is_refused(page: Page, site: Site) -> None:
    log_in(page, site, "urban")
    # A page of another site that posts to offset cannot know the session's token.
    response = page.request.post(site.base_url + "/logout", form={"csrf": "forged"},
                                 max_redirects=0)
    assert response.status == 403
    page.goto(site.base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("協定一覧")


def test_the_pages_speak_english_behind_the_switch(page: Page, site: Site) -> None:
    log_in(page, site, "auditor")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreements")
    page.goto(site.base_url + "/")  # the choice is remembered
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
