"""The app itself: health, documentation, and a database that is opened only when needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from offset.access.model import Role
from offset.access.services import add_user
from offset.api.app import create_app
from offset.db.engine import make_engine
from offset.db.uow import unit_of_work_factory
from offset.settings import settings
from tests.e2e.conftest import TestClient


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch):
    """Point OFFSET_DATABASE_URL at a given URL for the test; the settings are re-read."""
    def point_at(url: str) -> None:
        monkeypatch.setenv("OFFSET_DATABASE_URL", url)
        settings.cache_clear()
    yield point_at
    settings.cache_clear()


def test_health_needs_no_token(client: TestClient):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_the_openapi_document_lists_every_v1_route(client: TestClient):
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) >= {
        "/v1/parties", "/v1/agreements", "/v1/agreements/{agreement_id}",
        "/v1/agreements/{agreement_id}/terms", "/v1/agreements/{agreement_id}/journal",
        "/v1/agreements/{agreement_id}/balances",
        "/v1/entries/{entry_id}/reversal", "/v1/ledger/verify",
        "/v1/users", "/v1/users/{name}/tokens", "/v1/users/{name}/revocation",
    }
    assert client.get("/docs").status_code == 200


def test_creating_the_app_connects_to_nothing(configured, tmp_path: Path):
    database = tmp_path / "never-opened.db"
    configured(f"sqlite:///{database}")
    with TestClient(create_app()) as client:
        assert client.get("/healthz").status_code == 200
    assert not database.exists()


def test_the_default_app_works_on_the_configured_database(configured, fresh_url: str):
    engine = make_engine(fresh_url)
    with unit_of_work_factory(engine)() as work:
        _, token = add_user(work, "root", Role.ADMIN)
        work.commit()
    engine.dispose()
    configured(fresh_url)
    with TestClient(create_app()) as client:
        created = client.post("/v1/parties", headers={"Authorization": f"Bearer {token}"},
                              json={"code": "131041", "name_ja": "新宿区",
                                    "name_en": "Shinjuku City"})
    assert created.status_code == 201
    check = make_engine(fresh_url)
    with check.connect() as connection:
        names = connection.exec_driver_sql("SELECT name_en FROM parties").scalars().all()
    check.dispose()
    assert names == ["Shinjuku City"]


def test_only_the_problem_handler_knows_of_http_exceptions():
    api = Path(__file__).resolve().parents[2] / "offset" / "api"
    mentions = {path.relative_to(api).as_posix() for path in api.rglob("*.py")
                if "HTTPException" in path.read_text(encoding="utf-8")}
    assert mentions == {"problems.py"}
