"""The `offset` command line, run in-process against real SQLite and PostgreSQL databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from offset.access.model import Role
from offset.access.services import authenticate
from offset.cli.main import app
from offset.db.migrate import alembic_config
from offset.db.uow import unit_of_work_factory
from offset.ledger import services as ledger
from offset.settings import settings
from tests.builders import cost_entry
from tests.cli.running import assert_one_line_error, offset, ok, runner, tamper
from tests.databases import engine_for, fresh_database

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()

SHINJUKU = ["parties", "add", "--code", "131041", "--name-ja", "新宿区",
            "--name-en", "Shinjuku City"]
INA = ["parties", "add", "--code", "202096", "--name-ja", "伊那市", "--name-en", "Ina City"]
AGREEMENT = ["agreements", "add", "--urban", "131041", "--forest", "202096",
             "--signed", "2008-02-10", "--term", "2009-2013", "--annual-target", "30 ha"]





@pytest.fixture
def shinjuku_ina(fresh_url: str) -> str:
    """A migrated database holding Shinjuku, Ina and agreement 1 between them."""
    for command in (SHINJUKU, INA, AGREEMENT):
        ok(fresh_url, *command)
    return fresh_url


def test_db_upgrade_makes_the_schema_of_an_empty_database(backend: str, tmp_path: Path):
    with fresh_database(backend, tmp_path, migrate=False) as url:
        assert "(empty)" in ok(url, "db", "current")
        assert_one_line_error(offset(url, "parties", "list"), 1, "database:")
        assert "offset db upgrade" in offset(url, "parties", "list").stderr

        assert f"upgraded from (empty) to {HEAD} (head)" in ok(url, "db", "upgrade")
        assert f"already at {HEAD} (head)" in ok(url, "db", "upgrade")
        assert "no parties yet" in ok(url, "parties", "list")


def test_db_downgrade_empties_the_schema_and_upgrade_restores_it(fresh_url: str):
    assert "to (empty)" in ok(fresh_url, "db", "downgrade", "base", "--yes")
    assert "(empty)" in ok(fresh_url, "db", "current")
    ok(fresh_url, "db", "upgrade")
    assert f"{HEAD} (head)" in ok(fresh_url, "db", "current")


def test_downgrade_without_yes_asks_first_and_stops_on_no(fresh_url: str):
    result = runner.invoke(app, ["--database-url", fresh_url, "db", "downgrade"], input="n\n")
    assert result.exit_code == 1
    assert f"{HEAD} (head)" in ok(fresh_url, "db", "current")


def test_parties_and_agreements_are_added_renewed_and_listed(shinjuku_ina: str):
    assert "131041  新宿区 (Shinjuku City), 東京都" in ok(shinjuku_ina, "parties", "list")

    renewed = ok(shinjuku_ina, "agreements", "renew", "--agreement", "1", "--term", "2014-2018")
    assert "term 2: FY2014–FY2018 (平成26年度〜平成30年度)" in renewed

    listed = ok(shinjuku_ina, "agreements", "list")
    assert "urban 新宿区 (131041), forest 伊那市 (202096), signed 2008-02-10" in listed
    assert "target 30 ha/yr, national-inventory, crediting window 5 FY" in listed
    assert "term 1: FY2009–FY2013 (平成21年度〜平成25年度)" in listed


def test_a_party_is_listed_with_the_section_responsible_for_its_agreements(fresh_url: str):
    ok(fresh_url, *SHINJUKU[:2], "--code", "011002", "--name-ja", "札幌市", "--name-en",
       "Sapporo City", "--section-ja", "環境政策課", "--section-en", "Environmental Policy")
    assert "011002  札幌市 (Sapporo City), 北海道 — 所管課 環境政策課" in ok(
        fresh_url, "parties", "list")


def test_a_per_area_rate_agreement_keeps_its_rate(shinjuku_ina: str):
    shown = ok(shinjuku_ina, *AGREEMENT[:-1], "29.5 ha", "--method", "per-area-rate",
               "--per-area-rate", "3.19 t_CO2/ha/yr", "--term", "2014-2018")
    assert "agreement 2:" in shown
    assert "target 29.5 ha/yr, per-area-rate (3.19 t-CO2/ha/yr)" in shown
    assert "term 2: FY2014–FY2018" in shown
    plain = ok(shinjuku_ina, *AGREEMENT, "--method", "per-area-rate", "--per-area-rate", "3.19")
    assert "per-area-rate (3.19 t-CO2/ha/yr)" in plain


def _token(output: str) -> str:
    return next(line.removeprefix("token: ") for line in output.splitlines()
                if line.startswith("token: "))


def test_users_add_prints_once_a_token_that_authenticates(shinjuku_ina: str):
    shown = ok(shinjuku_ina, "users", "add", "kankyo", "--role", "urban", "--party", "131041")
    assert "created user kankyo (urban) for 新宿区 (131041)" in shown
    assert "not stored" in shown

    engine = engine_for(shinjuku_ina)
    try:
        with unit_of_work_factory(engine)(read_only=True) as uow:
            user = authenticate(uow, _token(shown))
            party = uow.agreements.party_by_code("131041")
    finally:
        engine.dispose()
    assert (user.name, user.role, user.party_id) == ("kankyo", Role.URBAN, party.id)


def test_an_auditor_is_assigned_to_the_agreements_given(shinjuku_ina: str):
    shown = ok(shinjuku_ina, "users", "add", "kansa", "--role", "auditor", "--agreement", "1")
    assert "auditing agreement(s) 1" in shown
    engine = engine_for(shinjuku_ina)
    try:
        with unit_of_work_factory(engine)(read_only=True) as uow:
            assert authenticate(uow, _token(shown)).audited_agreement_ids == {1}
    finally:
        engine.dispose()


def _post_costs(url: str, agreement_id: int, count: int) -> list[int]:
    engine = engine_for(url)
    try:
        with unit_of_work_factory(engine)() as uow:
            posted = ledger.post(uow, [cost_entry(agreement_id, 1000 * (n + 1), tonnes="1.5")
                                       for n in range(count)])
            uow.commit()
    finally:
        engine.dispose()
    return [entry.id for entry in posted]


def test_verify_prints_every_chain_and_ok(shinjuku_ina: str):
    ok(shinjuku_ina, *AGREEMENT)
    _post_costs(shinjuku_ina, 1, 3)
    shown = ok(shinjuku_ina, "verify")
    assert "agreement 1: 3 entries, head " in shown
    assert "agreement 2: 0 entries, head " + "0" * 64 + "  OK" in shown
    assert shown.rstrip().endswith("OK: 2 chains, 3 entries verified")


def test_verify_exits_1_naming_the_first_entry_that_was_altered(shinjuku_ina: str,
                                                                backend: str):
    ids = _post_costs(shinjuku_ina, 1, 3)
    tamper(shinjuku_ina, backend, ids[1])

    result = offset(shinjuku_ina, "verify")
    assert_one_line_error(result, 1, "ledger: 1 of 1 chains broken")
    assert f"entry {ids[1]} (seq 2)" in result.stderr
    assert "stored hash does not match the entry's content" in result.stderr
    assert "agreement 1: 3 entries, head " in result.stdout
    assert f"BROKEN at entry {ids[1]} (seq 2)" in result.stdout


@pytest.mark.parametrize(("args", "code", "start"), [
    (["users", "add", "x", "--role", "boss"], 2, "role: 'boss' is not one of urban"),
    (["users", "add", "x", "--role", "urban", "--party", "999999"], 2, "party: no party"),
    (["users", "add", "x", "--role", "admin", "--party", "131041"], 2, "party: "),
    (["parties", "add", "--code", "131042", "--name-ja", "x", "--name-en", "y"], 2,
     "code: 131042 has a wrong check digit"),
    (SHINJUKU, 1, "code: a party with code 131041 already exists"),
    (["parties", "add", "--code", "011002", "--name-ja", "札幌市", "--name-en", "Sapporo",
      "--section-ja", "環境\u202e課"], 2, "section_ja: "),
    ([*AGREEMENT[:-1], "30 m"], 2, "annual_target: '30 m' is not convertible to ha"),
    ([*AGREEMENT[:3], "131016", *AGREEMENT[4:]], 2, "urban: no party with code 131016"),
    ([*AGREEMENT[:9], "2013-2009", *AGREEMENT[10:]], 2, "terms.0: "),
    ([*AGREEMENT, "--method", "per-area-rate", "--per-area-rate", "3.1905"], 2,
     "per_area_rate: 3.1905 has more than 3 decimal places"),
    (["agreements", "renew", "--agreement", "9", "--term", "2014-2018"], 2, "agreement_id: "),
    (["agreements", "renew", "--agreement", "1", "--term", "2010-2012"], 2, "terms.1: "),
    (["db", "upgrade", "nowhere"], 2, "revision: "),
], ids=["bad-role", "unknown-party", "admin-with-party", "bad-code", "duplicate-party",
        "unclean-section",
        "wrong-dimension", "unknown-urban", "backwards-term", "rate-too-precise",
        "unknown-agreement", "overlapping-term", "unknown-revision"])
def test_bad_requests_print_one_error_line_and_exit_non_zero(shinjuku_ina: str,
                                                             args: list[str], code: int,
                                                             start: str):
    assert_one_line_error(offset(shinjuku_ina, *args), code, start)


@pytest.mark.parametrize("url", [
    "sqlite:///{tmp}/no/such/directory/offset.db",
    "postgresql+psycopg://postgres:secret@127.0.0.1:1/test",
], ids=["sqlite", "postgresql"])
@pytest.mark.parametrize("command", [["verify"], ["db", "upgrade"], ["parties", "list"]])
def test_an_unreachable_database_is_one_error_line(url: str, command: list[str],
                                                   tmp_path: Path):
    result = offset(url.format(tmp=tmp_path), *command)
    assert_one_line_error(result, 1, "database: cannot open ")
    assert "secret" not in result.output


def test_an_unknown_kind_of_database_url_is_bad_input():
    assert_one_line_error(offset("mysql://localhost/offset", "verify"), 2, "database_url: ")


@pytest.fixture
def environment() -> Iterator[None]:
    settings.cache_clear()
    yield
    settings.cache_clear()


def test_the_database_url_comes_from_the_environment_without_the_option(
        fresh_url: str, monkeypatch: pytest.MonkeyPatch, environment: None):
    monkeypatch.setenv("OFFSET_DATABASE_URL", fresh_url)
    result = runner.invoke(app, SHINJUKU)
    assert result.exit_code == 0, result.output
    assert "新宿区" in ok(fresh_url, "parties", "list")


def test_serve_refuses_a_database_without_schema(backend: str, tmp_path: Path):
    with fresh_database(backend, tmp_path, migrate=False) as url:
        assert_one_line_error(offset(url, "serve"), 1, "database: ")


def test_serve_runs_uvicorn_over_the_api_on_the_given_address(
        fresh_url: str, monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("offset.api.app", reason="the HTTP API is not built yet")
    import uvicorn
    served: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(app=app, **options))
    ok(fresh_url, "serve", "--host", "0.0.0.0", "--port", "8123")
    assert (served["host"], served["port"]) == ("0.0.0.0", 8123)
    assert hasattr(served["app"], "router")
