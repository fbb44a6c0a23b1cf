"""The domain speaks first: its modules import no SQL, HTTP or validation framework."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "offset"
CONTEXTS = ("ledger", "agreements", "access", "forestry", "money", "netting", "emissions",
            "documents")
DOMAIN_MODULES = sorted(
    [path for context in CONTEXTS
     for name in ("model.py", "errors.py", "chain.py", "tokens.py", "accounts.py", "ports.py")
     if (path := ROOT / context / name).exists()]
    + [ROOT / "fiscal.py", ROOT / "numbers.py", ROOT / "errors.py", ROOT / "ports.py",
       ROOT / "units.py", ROOT / "quantities.py"])
FORBIDDEN = ("sqlalchemy", "fastapi", "pydantic", "starlette", "alembic", "typer")


def imports_of(path: Path) -> set[str]:
    """Return every module `path` imports, at run time or under TYPE_CHECKING alike."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    return imported | {node.module or "" for node in ast.walk(tree)
                       if isinstance(node, ast.ImportFrom)}


def test_every_context_has_its_domain_model_checked():
    assert {p.relative_to(ROOT).as_posix() for p in DOMAIN_MODULES} >= {
        f"{context}/model.py" for context in CONTEXTS}


@pytest.mark.parametrize("path", DOMAIN_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_module_imports_no_framework(path: Path):
    assert not {name for name in imports_of(path) if name.split(".")[0] in FORBIDDEN}


# The use cases: every context's services, the forestry use-case modules, and the modules
# that compose them (corrections, reference data) or read through them (reports/).
FORESTRY_USE_CASES = ("reference", "stands", "thinnings", "estimates", "certification")
USE_CASE_MODULES = sorted(
    [*ROOT.glob("*/services.py"),
     *(ROOT / "forestry" / f"{name}.py" for name in FORESTRY_USE_CASES),
     ROOT / "netting" / "reversals.py", ROOT / "corrections.py", ROOT / "reference_data.py",
     ROOT / "integrity.py", ROOT / "forestry" / "coverage.py",
     *(ROOT.parent / "reports").glob("*.py")])


def test_the_use_case_modules_are_all_found():
    names = {p.relative_to(ROOT.parent).as_posix() for p in USE_CASE_MODULES}
    assert {f"offset/{c}/services.py" for c in ("ledger", "money", "emissions", "netting",
                                                "agreements", "access")} <= names
    assert "offset/forestry/thinnings.py" in names and "reports/reading.py" in names


@pytest.mark.parametrize("path", USE_CASE_MODULES,
                         ids=lambda p: str(p.relative_to(ROOT.parent)))
def test_use_cases_import_nothing_from_the_persistence_package(path: Path):
    # They type against the ports (offset.ports, offset/<context>/ports.py); the SQL adapter
    # is chosen by the entrypoints, and the unit tests put an in-memory fake in its place.
    assert not {name for name in imports_of(path)
                if name == "offset.db" or name.startswith("offset.db.")}


LEDGER = sorted((ROOT / "ledger").glob("*.py"))
HIGHER_CONTEXTS = ("offset.netting", "offset.money", "offset.emissions", "offset.forestry",
                   "offset.documents",
                   "offset.corrections", "offset.api", "offset.cli", "offset.ports",
                   "offset.agreements", "offset.access", "offset.db")


@pytest.mark.parametrize("path", LEDGER, ids=lambda p: p.name)
def test_the_ledger_depends_on_no_context_built_on_it(path: Path):
    assert not {name for name in imports_of(path) if name.startswith(HIGHER_CONTEXTS)}


# Account names are spelled once, in offset/ledger/accounts.py; docstrings may mention them.
CHART = ROOT / "ledger" / "accounts.py"
ACCOUNT_LITERAL = re.compile(r"(Assets|Liabilities|Equity|Income|Expenses):")
READERS = sorted(p for p in [*ROOT.rglob("*.py"), *(ROOT.parent / "reports").rglob("*.py")]
                 if p != CHART)


def _literals(tree: ast.AST) -> list[str]:
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docstrings]


@pytest.mark.parametrize("path", READERS, ids=lambda p: str(p.relative_to(ROOT.parent)))
def test_no_module_but_the_chart_of_accounts_spells_an_account_name(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not [text for text in _literals(tree) if ACCOUNT_LITERAL.search(text)]


# Entrypoints (the HTTP API and the CLI) call use cases and queries of the contexts, never
# the repositories behind a unit of work, and commit in one place each.
ENTRYPOINTS = sorted([*(ROOT / "api").rglob("*.py"), *(ROOT / "cli").rglob("*.py")])
REPOSITORIES = frozenset({"journal", "forestry", "agreements", "access", "emissions",
                          "documents"})
UNITS_OF_WORK = frozenset({"uow", "work", "unit_of_work"})
STORE = re.compile(r"^offset\.db\.\w+_store$")
COMMITS = {
    ("api/idempotency.py", "writing"): "the API's writes",
    ("cli/context.py", "writing"): "the CLI's writes",
    # Alembic runs on a bare connection: no unit of work opens before the schema is at head.
    ("cli/db.py", "_migrate"): "schema migrations",
}


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def repository_uses(source: str) -> list[str]:
    """Return `uow.<repository>` and `….<repository>.…` expressions of `source`, as written."""
    used = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute):
            continue
        inner = node.value
        if node.attr in REPOSITORIES and isinstance(inner, ast.Name) \
                and inner.id in UNITS_OF_WORK:
            used.add(ast.unparse(node))
        if isinstance(inner, ast.Attribute) and inner.attr in REPOSITORIES \
                and _root(inner) != "offset":  # offset.agreements.services is a module path
            used.add(ast.unparse(inner))
    return sorted(used)


def store_imports(source: str) -> list[str]:
    """Return the repository modules (offset.db.*_store) that `source` imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if STORE.match(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] if STORE.match(node.module) else [
                f"{node.module}.{alias.name}" for alias in node.names
                if STORE.match(f"{node.module}.{alias.name}")]
    return found


def commits(source: str) -> list[str]:
    """Return the function around each `.commit()` call of `source` ('' at module level)."""
    found: list[str] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "commit":
            found.append(function)
        for child in ast.iter_child_nodes(node):
            visit(child, function)
    visit(ast.parse(source), "")
    return found


def test_the_rules_catch_what_they_forbid():
    assert repository_uses("uow.journal.get(1)\nwork.forestry\nself.uow.access.add(x)") == [
        "self.uow.access", "uow.journal", "work.forestry"]
    assert repository_uses("agreements.agreement(uow, 1)\nimport offset.agreements.services\n"
                           "offset.agreements.services.parties(uow)") == []
    assert store_imports("from offset.db.access_store import StoredResponse\n"
                         "from offset.db import forestry_store\nimport offset.db.journal_store\n"
                         "from offset.db.uow import UnitOfWork") == [
        "offset.db.access_store", "offset.db.forestry_store", "offset.db.journal_store"]
    assert commits("def f(uow):\n    uow.commit()\nconnection.commit()") == ["f", ""]


@pytest.mark.parametrize("path", ENTRYPOINTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_an_entrypoint_reaches_no_repository(path: Path):
    source = path.read_text(encoding="utf-8")
    assert repository_uses(source) == []
    assert store_imports(source) == []


@pytest.mark.parametrize("path", ENTRYPOINTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_an_entrypoint_commits_only_in_its_one_place(path: Path):
    where = str(path.relative_to(ROOT))
    assert [f for f in commits(path.read_text(encoding="utf-8"))
            if (where, f) not in COMMITS] == []


def test_each_allowed_commit_is_still_there():
    # A stale allowance would let a new commit slip into that function unnoticed.
    for where, function in COMMITS:
        assert function in commits((ROOT / where).read_text(encoding="utf-8")), where


# The web interface is thin over the use cases: its routes never reach a repository (an
# attribute of a unit of work) nor the SQL layer, exactly as the API's routes.
WEB_MODULES = sorted([*(ROOT / "web").glob("*.py"), *(ROOT / "web" / "routes").glob("*.py")])


@pytest.mark.parametrize("path", WEB_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_web_interface_reaches_no_repository(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    reached = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
               and isinstance(node.value, ast.Name) and node.value.id == "uow"}
    assert not reached
    assert not {name for name in imports_of(path)
                if name.split(".")[0] == "sqlalchemy" or name.startswith("offset.db.tables")}
