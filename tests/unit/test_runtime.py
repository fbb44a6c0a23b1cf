"""A process running offset settles its loaded code out of the garbage collector's way."""

from __future__ import annotations

import gc
import tomllib
from pathlib import Path

import pytest

from offset.cli import main
from offset.runtime import settle

TOP = Path(__file__).resolve().parents[2]


def test_settling_moves_what_is_alive_to_the_permanent_generation() -> None:
    kept = object.__new__(type("Kept", (), {}))
    before = gc.get_freeze_count()
    try:
        settle()
        assert gc.get_freeze_count() > before
        assert gc.is_tracked(kept)
    finally:
        gc.unfreeze()  # the test process goes on collecting as before


def test_the_offset_command_settles_before_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    scripts = tomllib.loads((TOP / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["offset"] == "offset.cli.main:run"
    calls: list[str] = []
    monkeypatch.setattr(main, "settle", lambda: calls.append("settle"))
    monkeypatch.setattr(main, "app", lambda: calls.append("app"))
    main.run()
    assert calls == ["settle", "app"]
