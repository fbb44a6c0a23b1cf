"""The administrator's pages over HTTP: crafted input is a refused form or an error page,
never a 500; secrets appear once and in no address."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from offset.access import services as access
from offset.db.uow import UnitOfWorkFactory
from tests.e2e.conftest import World

PASSWORD = "a long enough admin password"


def logged_in(client: TestClient, uow: UnitOfWorkFactory, name: str = "admin") -> str:
    """Log `name` in through the login form; return the session's CSRF token."""
    with uow() as work:
        access.set_password(work, name, PASSWORD)
        work.commit()
    form = client.get("/login").text
    token = re.findall(r'name="csrf" value="([^"]+)"', form)[0]
    answer = client.post("/login", data={"name": name, "password": PASSWORD, "csrf": token},
                         follow_redirects=False)
    assert answer.status_code == 303
    page = client.get("/admin/users").text if name == "admin" else client.get("/").text
    return re.findall(r'name="csrf" value="([^"]+)"', page)[0]


@pytest.mark.parametrize(("path", "fields", "status"), [
    ("/admin/users", {"name": "x" * 101, "role": "urban"}, 422),
    ("/admin/users", {"name": "new", "role": "king"}, 422),
    ("/admin/users", {"name": "new", "role": "urban", "party": "1310412"}, 422),
    ("/admin/users", {"name": "new", "role": "urban", "party": "999999"}, 422),
    ("/admin/users", {"name": "new", "role": "auditor", "agreement_99999999999": "on"}, 422),
    ("/admin/users", {"name": "new", "role": "auditor", "agreement_x": "on"}, 422),
    ("/admin/users", {"name": "new", "role": "auditor", "agreement_4242": "on"}, 422),
    ("/admin/users", {"name": "urban", "role": "urban", "party": "131041"}, 409),
    ("/admin/parties", {"code": "1" * 300, "name_ja": "a", "name_en": "a"}, 422),
    ("/admin/parties", {"code": "131041", "name_ja": "新宿区", "name_en": "Shinjuku"}, 409),
    ("/admin/agreements", {"title_ja": "t", "title_en": "t", "urban_party_id": "9" * 30,
                           "forest_party_id": "1", "signed_on": "2020-13-45",
                           "annual_target": "1e999 ha", "first_fy": "-5", "last_fy": "x"}, 422),
    ("/admin/agreements/2147483647/terms", {"first_fy": "2030", "last_fy": "2031"}, 404),
    ("/admin/agreements/{deal}/terms", {"first_fy": "99999", "last_fy": ""}, 422),
    ("/admin/users/password", {"name": "nobody"}, 404),
    ("/admin/users/password", {}, 422),
    ("/admin/users/revoke", {"name": "y" * 500}, 422),
])
def test_crafted_forms_are_refused_as_pages(client: TestClient, uow: UnitOfWorkFactory,
                                            world: World, path: str,
                                            fields: dict[str, str], status: int) -> None:
    csrf = logged_in(client, uow)
    answer = client.post(path.format(deal=world.deal.id), data={"csrf": csrf, **fields},
                         follow_redirects=False)
    assert answer.status_code == status, answer.text[:400]
    assert answer.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("query", [
    "/admin/parties?stored=0", "/admin/parties?stored=99999999999", "/admin/parties?stored=x",
    "/admin/agreements/1?stored=other", "/admin/users?revoked=" + "z" * 101,
    "/admin/users/revoke?name=", "/admin/users/revoke?name=nobody", "/admin/agreements/0",
])
def test_crafted_addresses_are_error_pages(client: TestClient, uow: UnitOfWorkFactory,
                                           world: World, query: str) -> None:
    logged_in(client, uow)
    answer = client.get(query)
    assert answer.status_code in (404, 422), query
    assert answer.headers["content-type"].startswith("text/html")


def test_the_secrets_are_shown_once_and_not_cached(client: TestClient, uow: UnitOfWorkFactory,
                                                   world: World) -> None:
    csrf = logged_in(client, uow)
    answer = client.post("/admin/users", data={"csrf": csrf, "name": "chiyoda-env",
                                               "role": "urban", "party": "131016"},
                         follow_redirects=False)
    assert answer.status_code == 201
    assert answer.headers["cache-control"] == "no-store"
    token = re.findall(r'id="api-token">(off_[^<]+)<', answer.text)[0]
    with uow() as work:
        assert access.authenticate(work, token).name == "chiyoda-env"
    assert token not in client.get("/admin/users").text
    # An address cannot make the page claim a revocation that did not happen.
    assert 'role="status"' not in client.get("/admin/users?revoked=chiyoda-env").text


def test_another_role_is_refused(client: TestClient, uow: UnitOfWorkFactory,
                                 world: World) -> None:
    csrf = logged_in(client, uow, "auditor")
    assert client.get("/admin").status_code == 403
    answer = client.post("/admin/parties", data={"csrf": csrf, "code": "131032",
                                                 "name_ja": "港区", "name_en": "Minato"})
    assert answer.status_code == 403
