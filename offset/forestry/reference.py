"""Forestry reference data: loading parameter sets and yield tables, and finding the ones to use."""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from offset.errors import AlreadyExists, InvalidInput, NotFound
from offset.forestry.parameters import (
    Loaded,
    ParameterSet,
    YieldTable,
    metadata,
    parse_parameter_set,
    parse_yield_table,
)

if TYPE_CHECKING:
    from offset.ports import UnitOfWork


def load_parameter_set(uow: UnitOfWork, text: str, name: str | None = None,
                       version: str | None = None) -> ParameterSet:
    """Parse and store a parameter set (name and version from the file header unless given).

    Raises ImportRejected for bad rows, AlreadyExists for a loaded name and version.
    """
    header = metadata(text)
    name, version = _named(name or header.get("name"), version or header.get("version"))
    parameters = parse_parameter_set(text, name, version)
    uow.forestry.add_parameter_set(parameters)
    return parameters


def load_yield_table(uow: UnitOfWork, text: str, name: str | None = None,
                     version: str | None = None, illustrative: bool | None = None) -> YieldTable:
    """Parse and store a yield table; like load_parameter_set."""
    header = metadata(text)
    name, version = _named(name or header.get("name"), version or header.get("version"))
    if illustrative is None:
        illustrative = header.get("illustrative", "no").lower() in ("yes", "true")
    table = parse_yield_table(text, name, version, illustrative)
    uow.forestry.add_yield_table(table)
    return table


def _named(name: str | None, version: str | None) -> tuple[str, str]:
    if not name or not version:
        raise InvalidInput("give a name and a version (or '# name:' and '# version:' lines)",
                           field="version")
    return name.strip(), version.strip()


def load_defaults(uow: UnitOfWork) -> list[str]:
    """Load the shipped parameter set and illustrative yield table unless already loaded.

    Returns the labels of what was loaded now.
    """
    loaded = []
    for file, load in (("species_parameters.csv", load_parameter_set),
                       ("yield_table_illustrative.csv", load_yield_table)):
        text = (files("offset") / "data" / file).read_text(encoding="utf-8")
        try:
            loaded.append(load(uow, text).label)
        except AlreadyExists:
            continue
    return loaded


def reference(uow: UnitOfWork, label: str | None) -> tuple[ParameterSet, YieldTable]:
    """Return the parameter set named `label` ("name@version"; the newest when None) and the
    yield table. Raises InvalidInput when the reference data is not loaded."""
    name, _, version = (label or "").partition("@")
    try:
        return (uow.forestry.parameter_set(name or None, version or None),
                uow.forestry.yield_table())
    except NotFound as missing:
        raise InvalidInput(f"{missing.detail}; run `offset db upgrade` to load the defaults",
                           field="parameters") from None


def current_parameter_set(uow: UnitOfWork) -> ParameterSet:
    """Return the newest parameter set loaded, the one estimates use. Raises NotFound."""
    return uow.forestry.parameter_set()


def parameter_sets(uow: UnitOfWork) -> list[Loaded]:
    """Return the catalogue of loaded parameter sets, oldest first (the last is in use)."""
    return uow.forestry.parameter_sets()


def yield_tables(uow: UnitOfWork) -> list[Loaded]:
    """Return the catalogue of loaded yield tables, oldest first (the last is in use)."""
    return uow.forestry.yield_tables()
