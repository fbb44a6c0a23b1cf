"""The domain speaks first: its modules import no SQL, HTTP or validation framework."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "offset"
CONTEXTS = ("ledger", "agreements", "access", "forestry")
DOMAIN_MODULES = sorted(
    [path for context in CONTEXTS for name in ("model.py", "errors.py", "chain.py", "tokens.py")
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
