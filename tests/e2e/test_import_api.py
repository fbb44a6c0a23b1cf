"""POST /v1/agreements/{id}/thinnings:import: the file as the body, all rows or none."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from openpyxl import Workbook

from offset.api.routes.imports import import_limits
from offset.db.uow import UnitOfWorkFactory
from offset.forestry.model import StandInput, StandVersion
from offset.forestry.sheets import Limits
from offset.forestry.stands import register_stand
from tests.builders import INA, party
from tests.e2e.conftest import TestClient, World
from tests.unit.test_imports import bomb

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = ("団地,林班,小班,実施日,面積\n"
        "鹿嶺高原,12,3,2009-10-01,2.5 ha\n"
        "鹿嶺高原,12,4,2009-11-01,1 ha\n").encode()
BAD = ("団地,林班,小班,実施日,面積,備考\n"
       "鹿嶺高原,12,3,2009-10-01,2.5 ha,good\n"
       "鹿嶺高原,12,3,2009-10-02,30 m,a length\n"
       "鹿嶺高原,12,9,2009-10-03,1 ha,no such stand\n"
       "鹿嶺高原,12,4,2020-05-01,1 ha,outside the terms\n").encode()
WINDOW = 5  # the deal's crediting window and its one term, FY2009–FY2013


@pytest.fixture
def stands(uow: UnitOfWorkFactory, world: World) -> None:
    with uow() as work:
        for number in ("3", "4"):
            register_stand(work, party(work, INA).id, StandInput(
                "鹿嶺高原", "12", number, StandVersion(Decimal("10"), "akamatsu", 1970, 2)),
                "test")
        work.commit()


def url(world: World) -> str:
    return f"/v1/agreements/{world.deal.id}/thinnings:import"


def send(client: TestClient, world: World, caller: str, body: bytes,
         media: str = CSV, key: str | None = None) -> object:
    headers = {**world.auth(caller), "Content-Type": media}
    if key:
        headers["Idempotency-Key"] = key
    return client.post(url(world), content=body, headers=headers)


def thinnings(uow: UnitOfWorkFactory, world: World) -> list[int]:
    with uow(read_only=True) as work:
        return [t.id for t in work.forestry.thinnings(world.deal.id)]


def journal_size(client: TestClient, world: World) -> int:
    page = client.get(f"/v1/agreements/{world.deal.id}/journal?limit=500",
                      headers=world.auth("admin")).json()
    return len(page["items"])


@pytest.mark.usefixtures("stands")
def test_the_forestry_office_imports_a_csv_log(client: TestClient, world: World,
                                                uow: UnitOfWorkFactory):
    response = send(client, world, "forestry", GOOD)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["imported"] == 2
    assert body["thinnings"] == thinnings(uow, world)
    assert body["estimates_posted"] == 2 * WINDOW
    assert journal_size(client, world) == 1 + 2 * WINDOW  # the world's cost entry + estimates


@pytest.mark.usefixtures("stands")
def test_an_xlsx_log_imports(client: TestClient, world: World):
    book = Workbook()
    book.active.append(["site", "compartment", "stand", "started_on", "area_ha"])
    book.active.append(["鹿嶺高原", 12, 3, "2009-10-01", 2.5])
    data = io.BytesIO()
    book.save(data)

    response = send(client, world, "forestry", data.getvalue(), XLSX)

    assert response.status_code == 201, response.text
    assert response.json()["imported"] == 1


@pytest.mark.usefixtures("stands")
def test_a_rejected_file_lists_every_bad_row_and_stores_nothing(client: TestClient,
                                                               world: World,
                                                               uow: UnitOfWorkFactory):
    before = journal_size(client, world)

    response = send(client, world, "forestry", BAD)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/import-rejected")
    assert [(e["field"], e["line"], e["column"]) for e in problem["errors"]] == [
        ("file", 3, "面積"), ("file", 4, "小班"), ("file", 5, "実施日")]
    assert all(e["reason"] for e in problem["errors"])
    assert problem["detail"].startswith("3 problem(s), nothing imported")
    assert thinnings(uow, world) == []
    assert journal_size(client, world) == before


@pytest.mark.usefixtures("stands")
@pytest.mark.parametrize(("caller", "status"), [
    ("urban", 403), ("auditor", 403), ("admin", 403),
    ("other-forestry", 404), ("other-urban", 404), ("other-auditor", 404),
    ("anonymous", 401), ("bad-token", 401),
])
def test_only_the_forest_partys_forestry_office_may_import(client: TestClient, world: World,
                                                           uow: UnitOfWorkFactory,
                                                           caller: str, status: int):
    response = send(client, world, caller, GOOD)

    assert response.status_code == status, response.text
    assert thinnings(uow, world) == []


@pytest.mark.usefixtures("stands")
def test_a_retry_with_the_same_key_and_file_returns_the_first_response(
        client: TestClient, world: World, uow: UnitOfWorkFactory):
    first = send(client, world, "forestry", GOOD, key="season-2009")
    retry = send(client, world, "forestry", GOOD, key="season-2009")
    other = send(client, world, "forestry", GOOD.replace(b"2.5 ha", b"2 ha"),
                 key="season-2009")

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert retry.headers["idempotent-replayed"] == "true"
    assert len(thinnings(uow, world)) == 2
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "header.Idempotency-Key"


@pytest.mark.parametrize(("media", "body", "field"), [
    ("application/json", b'{"rows": []}', "header.Content-Type"),
    (CSV, b"", "file"),
    (XLSX, b"not a workbook", "file"),
    (CSV, b"a,b\n1,2\n", "file"),
])
def test_a_body_that_is_no_log_file_is_a_422_naming_it(client: TestClient, world: World,
                                                        media: str, body: bytes, field: str):
    response = send(client, world, "forestry", body, media)

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.usefixtures("stands")
def test_rows_naming_a_stand_in_full_width_characters_match_it(client: TestClient,
                                                               world: World):
    body = "団地,林班,小班,実施日,面積\n鹿嶺高原,１２,３,2009-10-01,2.5 ha\n".encode()

    response = send(client, world, "forestry", body)

    assert response.status_code == 201, response.text  # type: ignore[attr-defined]


@pytest.mark.usefixtures("stands")
@pytest.mark.parametrize(("cell", "column"), [
    ("鹿嶺\x00高原", "団地"), ("1\u200b2", "林班"), ("3\u202e", "小班"), ("2.5 ha * 2", "面積"),
    ("1/0 ha", "面積"), ("上伊那\u2066森林組合", "事業体"),
])
def test_an_unclean_cell_or_an_expression_is_refused_at_its_line_and_column(
        client: TestClient, world: World, uow: UnitOfWorkFactory, cell: str, column: str):
    cells = {"団地": "鹿嶺高原", "林班": "12", "小班": "3", "実施日": "2009-10-01",
             "面積": "2.5 ha", "事業体": "上伊那森林組合", column: cell}
    body = (",".join(cells) + "\n" + ",".join(cells.values()) + "\n").encode()

    response = send(client, world, "forestry", body)

    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    errors = response.json()["errors"]  # type: ignore[attr-defined]
    assert [(e["line"], e["column"]) for e in errors] == [(2, column)]
    assert thinnings(uow, world) == []


@pytest.mark.usefixtures("stands")
def test_a_note_cell_may_hold_line_breaks(client: TestClient, world: World):
    body = ('団地,林班,小班,実施日,面積,備考\n鹿嶺高原,12,3,2009-10-01,2.5 ha,"行1\n行2"\n'
            ).encode()

    response = send(client, world, "forestry", body)

    assert response.status_code == 201, response.text  # type: ignore[attr-defined]


@pytest.mark.usefixtures("stands")
def test_a_header_without_rows_is_a_422_naming_the_file(client: TestClient, world: World,
                                                       uow: UnitOfWorkFactory):
    response = send(client, world, "forestry", "団地,林班,小班,実施日,面積\n".encode())

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "file"
    assert "no rows" in response.json()["detail"]
    assert thinnings(uow, world) == []


@pytest.fixture
def limited(client: TestClient) -> Iterator[Callable[[Limits], None]]:
    """Set the import bounds of the (shared) app for one test."""
    overrides = client.app.dependency_overrides  # type: ignore[attr-defined]

    def limit(limits: Limits) -> None:
        overrides[import_limits] = lambda: limits
    yield limit
    overrides.pop(import_limits, None)


@pytest.mark.usefixtures("stands")
@pytest.mark.parametrize(("limits", "bound", "limit"), [
    (Limits(file_bytes=50), "file_bytes", 50),
    (Limits(rows=1), "rows", 1),
    (Limits(columns=4), "columns", 4),
])
def test_a_file_beyond_a_bound_is_a_413_naming_the_bound(
        client: TestClient, world: World, uow: UnitOfWorkFactory,
        limited: Callable[[Limits], None], limits: Limits, bound: str, limit: int):
    limited(limits)

    response = send(client, world, "forestry", GOOD)

    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/too-large")
    assert (problem["bound"], problem["limit"]) == (bound, limit)
    assert problem["found"] > limit
    assert [e["field"] for e in problem["errors"]] == ["file"]
    assert thinnings(uow, world) == []


def test_a_decompression_bomb_is_a_413_naming_the_uncompressed_size(client: TestClient,
                                                                     world: World):
    response = send(client, world, "forestry", bomb(51 * 2**20), XLSX)

    assert response.status_code == 413, response.text
    assert response.json()["bound"] == "uncompressed_bytes"
