"""Emission factors and the exact computation of emissions from activity data."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from offset.emissions.errors import UnitMismatch
from offset.errors import InvalidInput, InvalidQuantity
from offset.forestry.errors import ImportRejected, RowProblem
from offset.numbers import D, fixed
from offset.units import parse, registry


@dataclass(frozen=True)
class Factor:
    """t-CO2 per `unit` of one activity (e.g. 0.000375 per kWh), with its source."""

    set_id: str
    activity: str
    unit: str
    t_co2_per_unit: Decimal
    status: str
    source: str


FactorSets = Mapping[str, Mapping[str, Factor]]


def parse_factors(text: str) -> dict[str, dict[str, Factor]]:
    """Return the factor sets in CSV `text` (set, activity, unit, t_co2_per_unit, status,
    source). Raises ImportRejected listing every bad row."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(line for _, line in lines)
    sets: dict[str, dict[str, Factor]] = {}
    problems = []
    for (line, _), row in zip(lines[1:], reader, strict=True):
        try:
            factor = Factor(row["set"].strip(), row["activity"].strip(), row["unit"].strip(),
                            D(row["t_co2_per_unit"], field="t_co2_per_unit"),
                            row["status"].strip(), row["source"].strip())
            registry()(factor.unit)
        except (InvalidInput, KeyError, AttributeError, ValueError) as error:
            problems.append(RowProblem(line, "row", str(error)))
            continue
        if factor.activity in sets.setdefault(factor.set_id, {}):
            problems.append(RowProblem(line, "activity", "appears twice in its set"))
        sets[factor.set_id][factor.activity] = factor
    if problems:
        raise ImportRejected(problems)
    return sets


@dataclass(frozen=True)
class Emission:
    """Emissions of one activity in one fiscal year, computed from activity data."""

    fiscal_year: int
    activity: str
    activity_text: str
    quantity_in_factor_units: Decimal
    factor: Factor
    scope: str

    @property
    def tonnes(self) -> Decimal:
        """activity (in the factor's unit) × factor, rounded half-even to the kilogram."""
        return fixed(self.quantity_in_factor_units * self.factor.t_co2_per_unit, 3)


def in_factor_units(activity_text: str, factor: Factor, *, field: str) -> Decimal:
    """Return how many of the factor's units `activity_text` is ("1200 MWh" → 1200000 for a
    per-kWh factor). Raises InvalidQuantity naming `field`, UnitMismatch for a wrong
    dimension."""
    ureg = registry()
    given = parse(activity_text, field=field, example="1200000 kWh")
    try:
        ratio = (given / ureg.Quantity(factor.unit)).to("dimensionless")
    except Exception:
        raise UnitMismatch(activity_text, factor.unit, factor.set_id, factor.activity,
                           field=field) from None
    magnitude = ratio.magnitude
    if not isinstance(magnitude, Decimal) or not magnitude.is_finite() or magnitude <= 0:
        raise InvalidQuantity("must be a positive quantity with a unit, e.g. '1200000 kWh'",
                              field=field)
    return magnitude
