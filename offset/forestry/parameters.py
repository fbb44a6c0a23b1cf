"""Parameter sets and yield tables: versioned data read from CSV, every value with its source."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from offset.errors import InvalidInput
from offset.forestry.errors import ImportRejected, RowProblem
from offset.numbers import D, exactly
from offset.quantities import PARAMETER, STEM_VOLUME

PARAMETERS = ("wood_density_t_per_m3", "bef_age_le_20", "bef_age_gt_20", "root_shoot_ratio",
              "carbon_fraction")
SOURCED, UNVERIFIED = "sourced", "unverified"
# Places kept for a parameter value and a yield-table volume (the precision they are stored
# with); a value with more places is refused here rather than failing when stored.
VALUE_PLACES, VOLUME_PLACES = PARAMETER.places, STEM_VOLUME.places
_EXCEPT = re.compile(r"^sourced except (?P<names>[\w, ]+) \(unverified\)$")


@dataclass(frozen=True)
class Loaded:
    """A parameter set or yield table as catalogued: its name, version and when it was loaded.

    `illustrative` is None for parameter sets (it says whether a yield table was invented).
    """

    name: str
    version: str
    loaded_at: datetime
    illustrative: bool | None = None


@dataclass(frozen=True)
class Value:
    """One parameter value with where it comes from and whether that was checked."""

    value: Decimal
    status: str
    source: str


@dataclass(frozen=True)
class Species:
    code: str
    name_ja: str
    name_en: str
    values: Mapping[str, Value]
    # What offset.forestry.absorption derived from these values, kept with them: a season's
    # import asks the same questions of one species thousands of times.
    derived: dict[object, Any] = field(default_factory=dict, init=False, compare=False,
                                       repr=False)

    def __getitem__(self, parameter: str) -> Value:
        return self.values[parameter]


@dataclass(frozen=True)
class ParameterSet:
    """A named, versioned set of species parameters for the national-inventory method."""

    name: str
    version: str
    species: Mapping[str, Species]

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"


@dataclass(frozen=True)
class YieldTable:
    """Stem volume (m3/ha) by species, site class and age class; `illustrative` if invented."""

    name: str
    version: str
    illustrative: bool
    volumes: Mapping[tuple[str, int, int], Decimal]
    derived: dict[object, Any] = field(default_factory=dict, init=False, compare=False,
                                       repr=False)  # as for Species

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def volume(self, species: str, site_class: int, age_class: int) -> Decimal | None:
        return self.volumes.get((species, site_class, age_class))


def metadata(text: str) -> dict[str, str]:
    """Return the `# key: value` lines of a data file's comment header."""
    found = {}
    for line in text.splitlines():
        if match := re.match(r"^#\s*(name|version|illustrative):\s*(.+?)\s*$", line):
            found[match.group(1)] = match.group(2)
    return found


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        raise InvalidInput("the file holds no rows", field="file")
    reader = csv.DictReader(line for _, line in numbered)
    return [(numbered[i + 1][0], row) for i, row in enumerate(reader)]


def _statuses(status: str) -> dict[str, str]:
    if status in (SOURCED, UNVERIFIED):
        return dict.fromkeys(PARAMETERS, status)
    match = _EXCEPT.match(status)
    if not match:
        raise ValueError(f"status {status!r} is not sourced, unverified or "
                         "'sourced except NAME (unverified)'")
    unverified = {name.strip() for name in match.group("names").split(",")}
    unknown = unverified - set(PARAMETERS)
    if unknown:
        raise ValueError(f"unknown parameter(s) {sorted(unknown)} in status")
    return {p: UNVERIFIED if p in unverified else SOURCED for p in PARAMETERS}


def parse_parameter_set(text: str, name: str, version: str) -> ParameterSet:
    """Return the parameter set in CSV `text` (columns as shared/reference). Raises
    ImportRejected listing every bad row."""
    species: dict[str, Species] = {}
    problems: list[RowProblem] = []
    for line, row in _rows(text):
        try:
            statuses = _statuses((row.get("status") or "").strip())
        except ValueError as error:
            problems.append(RowProblem(line, "status", str(error)))
            continue
        values = {}
        for parameter in PARAMETERS:
            try:
                number = D(row.get(parameter) or "", field=parameter)
                exactly(number, VALUE_PLACES, field=parameter)
                if number <= 0:
                    raise InvalidInput("must be positive", field=parameter)
                values[parameter] = Value(number, statuses[parameter], row.get("source") or "")
            except InvalidInput as error:
                problems.append(RowProblem(line, parameter, error.detail))
        code = (row.get("species_code") or "").strip()
        if not code:
            problems.append(RowProblem(line, "species_code", "is empty"))
        if code in species:
            problems.append(RowProblem(line, "species_code", f"{code} appears twice"))
        species[code] = Species(code, row.get("name_ja") or "", row.get("name_en") or "", values)
    if problems:
        raise ImportRejected(problems)
    return ParameterSet(name, version, species)


def parse_yield_table(text: str, name: str, version: str, illustrative: bool) -> YieldTable:
    """Return the yield table in CSV `text` (species_code, site_class, age_class,
    volume_m3_per_ha). Raises ImportRejected listing every bad row."""
    volumes: dict[tuple[str, int, int], Decimal] = {}
    problems: list[RowProblem] = []
    for line, row in _rows(text):
        try:
            key = ((row.get("species_code") or "").strip(), int(row.get("site_class") or ""),
                   int(row.get("age_class") or ""))
            volume = D(row.get("volume_m3_per_ha") or "", field="volume_m3_per_ha")
            exactly(volume, VOLUME_PLACES, field="volume_m3_per_ha")
        except (ValueError, InvalidInput) as error:
            problems.append(RowProblem(line, "row", str(error)))
            continue
        if not key[0] or key[1] < 1 or key[2] < 1 or volume < 0:
            problems.append(RowProblem(line, "row", "species, classes >= 1 and a volume >= 0"))
        elif key in volumes:
            problems.append(RowProblem(line, "row", f"{key} appears twice"))
        volumes[key] = volume
    if problems:
        raise ImportRejected(problems)
    return YieldTable(name, version, illustrative, volumes)
