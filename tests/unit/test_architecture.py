"""The domain speaks first: its modules import no SQL, HTTP or validation framework."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "offset"
CONTEXTS = ("ledger", "agreements", "access", "forestry", "money", "netting", "emissions")
DOMAIN_MODULES = sorted(
    [path for context in CONTEXTS
     for name in ("model.py", "errors.py", "chain.py", "tokens.py", "accounts.py")
     if (path := ROOT / context / name).exists()]
    + [ROOT / "fiscal.py", ROOT / "numbers.py", ROOT / "errors.py"])
FORBIDDEN = ("sqlalchemy", "fastapi", "pydantic", "starlette", "alembic", "typer")


@pytest.mark.parametrize("path", DOMAIN_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_module_imports_no_framework(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in FORBIDDEN}


LEDGER = sorted((ROOT / "ledger").glob("*.py"))
HIGHER_CONTEXTS = ("offset.netting", "offset.money", "offset.emissions", "offset.forestry",
                   "offset.corrections", "offset.api", "offset.cli")


@pytest.mark.parametrize("path", LEDGER, ids=lambda p: p.name)
def test_the_ledger_depends_on_no_context_built_on_it(path: Path):
    source = path.read_text(encoding="utf-8")
    imported = {node.module or "" for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(ast.parse(source))
                 if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name.startswith(HIGHER_CONTEXTS)}


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
