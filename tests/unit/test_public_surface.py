"""What other code may import from offset, its contexts and reports is written down and pinned.

Adding a name to a package's `__all__`, or reaching into a module that is not listed, is
then a visible decision in a diff of this file (as httpx pins its exported members).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

import pytest

TOP = Path(__file__).resolve().parents[2]

# The public surface, spelled out: a change to a package's __all__ must change this table.
SURFACE = {
    "offset": [
        "__version__",
        "access", "agreements", "closing", "council", "documents", "emissions", "forestry",
        "ledger", "money", "netting",
        "collector", "corrections", "errors", "fiscal", "integrity", "numbers", "ports",
        "quantities", "reference_data", "settings", "text", "units",
        "api", "cli", "db", "demo", "exports", "runtime", "web",
    ],
    "offset.ledger": ["accounts", "as_of", "chain", "errors", "model", "ports", "services",
                      "trial_balance"],
    "offset.forestry": [
        "absorption", "carbon", "certification", "coverage", "errors", "estimates", "imports",
        "model", "parameters", "ports", "reference", "sheets", "stands", "thinnings",
    ],
    "reports": ["ACTIVITIES", "STATUSES", "XLSX_MEDIA_TYPE", "ReportData", "ReportIssue",
                "account_words", "certification_section", "read_snapshot",
                "national_filename", "party_filename", "render_party_pdf", "render_party_xlsx",
                "render_national_pdf", "render_national_xlsx",
                "thinning_log_section", "build_annual", "build_term",
                "render_pdf", "render_xlsx", "xlsx_filename"],
}
# Packages whose surface is their modules (the rest export functions and types).
MODULE_PACKAGES = ("offset", "offset.ledger", "offset.forestry")


def _package_dir(name: str) -> Path:
    return TOP.joinpath(*name.split("."))


@pytest.mark.parametrize("name", SURFACE)
def test_the_public_surface_is_pinned(name: str):
    module = importlib.import_module(name)
    assert sorted(module.__all__) == sorted(SURFACE[name])


@pytest.mark.parametrize("name", SURFACE)
def test_every_exported_name_can_be_imported(name: str):
    module = importlib.import_module(name)
    for exported in module.__all__:
        found = getattr(module, exported, None)
        if found is None:
            found = importlib.import_module(f"{name}.{exported}")
        assert found is not None, f"{name}.{exported}"


@pytest.mark.parametrize("name", MODULE_PACKAGES)
def test_no_module_is_left_off_the_surface(name: str):
    directory = _package_dir(name)
    present = {path.stem for path in directory.glob("*.py") if not path.stem.startswith("_")}
    present |= {path.name for path in directory.iterdir()
                if (path / "__init__.py").exists()}
    exported = set(importlib.import_module(name).__all__) - {"__version__"}
    assert present == exported


def test_reports_exports_its_functions_and_types_only():
    module: ModuleType = importlib.import_module("reports")
    public = {n for n, v in vars(module).items()
              if not n.startswith("_") and not isinstance(v, ModuleType)}
    assert public == set(module.__all__)


def _imports_from(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.module for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module}


OFFSET_SOURCES = sorted((TOP / "offset").rglob("*.py"))


@pytest.mark.parametrize("path", OFFSET_SOURCES, ids=lambda p: str(p.relative_to(TOP)))
def test_offset_reads_reports_through_its_surface_only(path: Path):
    assert not {m for m in _imports_from(path) if m.startswith("reports.")}


def test_the_surface_check_would_catch_a_reach_past_it(tmp_path: Path):
    source = tmp_path / "sample.py"
    source.write_text("from reports.data import Table\n", encoding="utf-8")
    assert _imports_from(source) == {"reports.data"}
