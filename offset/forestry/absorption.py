"""Absorption methods: the national-inventory formula and the per-area rate, row by row.

    annual CO2 (t-CO2/yr) = A (ha) × ΔV (m3/ha/yr) × BEF × (1 + R) × D (t/m3) × CF × 44/12

Each estimate keeps every input with its unit and source, so it can be explained line by
line. The journal entry it produces stores each input as a (key, value) pair: a key's label
and unit are the method's, and a value's source is the parameter set or yield table the
entry names (both versioned, never changed once loaded), so storing them again in every
entry would only repeat them (a season's import posts tens of thousands of estimates).
A row is found again by its stable key, never by its label: labels are for people and may
be reworded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from offset.agreements.model import AbsorptionMethod, Agreement
from offset.forestry.errors import InvalidWork
from offset.forestry.model import AGE_CLASS_YEARS, Stand, Thinning
from offset.forestry.parameters import ParameterSet, Species, YieldTable
from offset.numbers import fixed

METHOD_VERSION = "1"
YOUNG_STAND_MAX_AGE = 20  # BEF switches above this age
MEASURED = "stand record"  # the source of a measured growth


class Row(NamedTuple):
    """One input or intermediate of a computation: a stable key, a label for people, a value.

    A named tuple: an estimate is made of a dozen, and a season's import makes 50,000
    estimates."""

    key: str
    name: str
    value: Decimal | int | str
    unit: str = ""
    source: str = ""


def _label(key: str, inputs: Mapping[str, Any]) -> tuple[str, str]:
    """Return the label and unit of input `key`, given the other inputs it is shown with.

    A stored value that cannot be read (an entry altered by hand) leaves the plain label.
    """
    try:
        if key == "bef":
            older = "≤" if int(inputs["age"]) <= YOUNG_STAND_MAX_AGE else ">"
            return f"BEF ({older}20 years)", ""
        if key in ("volume_this_class", "volume_next_class"):
            age_class = int(inputs["age_class"]) + (key == "volume_next_class")
            return f"V(age class {age_class})", "m3/ha"
    except (KeyError, TypeError, ValueError):
        return key, ""
    if key == "growth":
        return ("ΔV = (V(next) − V(now)) / 5" if "site_class" in inputs
                else "ΔV measured growth"), "m3/ha/yr"
    return _LABELS.get(key, (key, ""))


_LABELS = {
    "area": ("A thinned area", "ha"), "species": ("species", ""), "age": ("age", "years"),
    "site_class": ("site class", ""), "age_class": ("age class", ""),
    "root_shoot_ratio": ("R root-to-shoot ratio", ""), "wood_density": ("D wood density", "t/m3"),
    "carbon_fraction": ("CF carbon fraction", "t-C/t"), "co2_per_carbon": ("44/12 CO2 per C", ""),
    "annual_co2": ("annual CO2", "t-CO2/yr"), "rate": ("rate", "t-CO2/ha/yr"),
}
_PARAMETERS = ("bef", "root_shoot_ratio", "wood_density", "carbon_fraction")


def _row(key: str, value: Decimal | int | str, source: str = "", **shown_with: Any) -> Row:
    """Return input `key` with the method's label and unit (`shown_with`: the other inputs
    its label names)."""
    fixed_label = _LABELS.get(key)
    if fixed_label is not None:
        return Row(key, fixed_label[0], value, fixed_label[1], source)
    return _labelled(key, value, source, shown_with)


def _labelled(key: str, value: Any, source: str, inputs: Mapping[str, Any]) -> Row:
    name, unit = _label(key, inputs)
    return Row(key, name, value, unit, source)


_CO2_PER_CARBON = _row("co2_per_carbon", "44/12")


@dataclass(frozen=True)
class Estimate:
    """The estimated absorption one piece of work earns in one fiscal year."""

    fiscal_year: int
    method: AbsorptionMethod
    rows: tuple[Row, ...]
    exact: Decimal
    parameter_set: str | None = None
    yield_table: str | None = None

    @property
    def tonnes(self) -> Decimal:
        """The estimate in t-CO2, rounded half-even to the kilogram."""
        return fixed(self.exact, 3)

    def as_data(self) -> dict[str, object]:
        return {"method": self.method.value, "method_version": METHOD_VERSION,
                "parameter_set": self.parameter_set, "yield_table": self.yield_table,
                "inputs": [(row.key, str(row.value)) for row in self.rows],
                "tonnes": str(self.tonnes)}


# The labels of entries posted before rows carried keys. Those entries are hash-chained and
# never rewritten, so their labels are read as keys here, forever; new labels never go here.
_LEGACY_KEYS = {
    "A thinned area": "area", "species": "species", "age": "age", "site class": "site_class",
    "age class": "age_class", "ΔV measured growth": "growth",
    "ΔV = (V(next) − V(now)) / 5": "growth", "BEF (≤20 years)": "bef", "BEF (>20 years)": "bef",
    "R root-to-shoot ratio": "root_shoot_ratio", "D wood density": "wood_density",
    "CF carbon fraction": "carbon_fraction", "44/12 CO2 per C": "co2_per_carbon",
    "annual CO2": "annual_co2", "rate": "rate",
}


def estimate_inputs(details: Mapping[str, Any]) -> dict[str, Row]:
    """Return the rows an estimate entry stored, by key, in stored order, values as stored text.

    Inputs stored as (key, value) pairs get the method's labels and units, and as source the
    parameter set or yield table the entry names ("stand record" for a measured growth).
    Entries posted before that stored every row whole, with its label, unit and source;
    those written before keys existed are keyed by their label (`_LEGACY_KEYS`; the
    yield-table volumes by the age class they name). A legacy label the table does not know
    keeps its label as key, so no stored row is ever dropped from view.
    """
    if "inputs" in details:
        return _described(details)
    stored = details.get("rows", [])
    legacy = dict(_LEGACY_KEYS)
    age_class = next((r["value"] for r in stored if r.get("key", legacy.get(r["name"]))
                      == "age_class"), None)
    if age_class is not None:
        legacy[f"V(age class {age_class})"] = "volume_this_class"
        legacy[f"V(age class {int(age_class) + 1})"] = "volume_next_class"
    found: dict[str, Row] = {}
    for row in stored:
        key = row.get("key") or legacy.get(row["name"], row["name"])
        found[key] = Row(key, row["name"], row["value"], row.get("unit", ""),
                         row.get("source", ""))
    return found


def _described(details: Mapping[str, Any]) -> dict[str, Row]:
    inputs = {str(key): value for key, value in details["inputs"]}
    sources = {"growth": "" if "site_class" in inputs else MEASURED,
               "volume_this_class": f"yield table {details.get('yield_table')}",
               "volume_next_class": f"yield table {details.get('yield_table')}",
               "rate": "agreement",
               **{key: f"parameter set {details.get('parameter_set')}" for key in _PARAMETERS}}
    return {key: _labelled(key, value, sources.get(key, ""), inputs)
            for key, value in inputs.items()}


def carbon_per_stem_m3(species: Species, age: int) -> tuple[Decimal, tuple[Row, ...]]:
    """Return t-C per m3 of stem volume, BEF × (1 + R) × D × CF, and the rows it used."""
    young = age <= YOUNG_STAND_MAX_AGE
    key = ("carbon_per_stem_m3", young)
    if key not in species.derived:
        species.derived[key] = _carbon_per_stem_m3(species, age)
    found: tuple[Decimal, tuple[Row, ...]] = species.derived[key]
    return found


def _carbon_per_stem_m3(species: Species, age: int) -> tuple[Decimal, tuple[Row, ...]]:
    bef_name = "bef_age_le_20" if age <= YOUNG_STAND_MAX_AGE else "bef_age_gt_20"
    bef, r = species[bef_name], species["root_shoot_ratio"]
    d, cf = species["wood_density_t_per_m3"], species["carbon_fraction"]
    rows = [_row("bef", bef.value, f"{bef.status}: {bef.source}", age=age),
            _row("root_shoot_ratio", r.value, f"{r.status}: {r.source}"),
            _row("wood_density", d.value, f"{d.status}: {d.source}"),
            _row("carbon_fraction", cf.value, f"{cf.status}: {cf.source}")]
    return bef.value * (1 + r.value) * d.value * cf.value, tuple(rows)


def growth(stand: Stand, fiscal_year: int, table: YieldTable) -> tuple[Decimal, tuple[Row, ...]]:
    """Return ΔV (m3/ha/yr) for the stand in `fiscal_year`, and the rows it used.

    The stand's measured growth wins; otherwise (V(next age class) − V(age class)) / 5.
    Raises InvalidWork when the yield table cannot answer.
    """
    if stand.current.measured_growth is not None:
        return stand.current.measured_growth, (
            _row("growth", stand.current.measured_growth, MEASURED),)
    site_class = stand.current.site_class
    if site_class is None:
        raise InvalidWork("the stand needs a site class or a measured growth",
                          field="site_class")
    key = ("growth", stand.current.species_code, site_class, stand.age_class(fiscal_year))
    if key not in table.derived:
        table.derived[key] = _table_growth(table, *key[1:])
    found: tuple[Decimal, tuple[Row, ...]] = table.derived[key]
    return found


def _table_growth(table: YieldTable, species: str, site_class: int,
                  age_class: int) -> tuple[Decimal, tuple[Row, ...]]:
    now, later = (table.volume(species, site_class, c) for c in (age_class, age_class + 1))
    if now is None or later is None:
        raise InvalidWork(f"yield table {table.label} has no volume for {species}, site class "
                          f"{site_class}, age classes {age_class}–{age_class + 1}",
                          field="stand_id")
    delta = (later - now) / AGE_CLASS_YEARS
    source = f"yield table {table.label}" + (" (illustrative)" if table.illustrative else "")
    return delta, (_row("site_class", site_class), _row("age_class", age_class),
                   _row("volume_this_class", now, source, age_class=age_class),
                   _row("volume_next_class", later, source, age_class=age_class),
                   _row("growth", delta, site_class=site_class))


def national_inventory(stand: Stand, area_ha: Decimal, fiscal_year: int,
                       parameters: ParameterSet, table: YieldTable) -> Estimate:
    """Return A × ΔV × BEF × (1 + R) × D × CF × 44/12 for `fiscal_year`.

    Raises InvalidWork for a species missing from the parameter set or a yield-table gap.
    """
    species = parameters.species.get(stand.current.species_code)
    if species is None:
        raise InvalidWork(f"parameter set {parameters.label} has no species "
                          f"{stand.current.species_code!r}", field="species")
    age = stand.age(fiscal_year)
    delta, growth_rows = growth(stand, fiscal_year, table)
    per_m3, factor_rows = carbon_per_stem_m3(species, age)
    # × 44 then ÷ 12 last: 44/12 as a 28-digit Decimal is slightly too large and pushes an
    # exact half-kilogram (e.g. 500 ha × 20 m3/ha/yr of old sugi = 9027.8925 t) upwards.
    exact = area_ha * delta * per_m3 * 44 / 12
    rows = (_row("area", area_ha), _row("species", species.code), _row("age", age),
            *growth_rows, *factor_rows,
            _CO2_PER_CARBON, _row("annual_co2", fixed(exact, 3)))
    # The yield table is named only when the growth came from it, not from a measurement.
    used = None if stand.current.measured_growth is not None else table.label
    return Estimate(fiscal_year, AbsorptionMethod.NATIONAL_INVENTORY, rows, exact,
                    parameters.label, used)


def per_area_rate(area_ha: Decimal, rate: Decimal, fiscal_year: int) -> Estimate:
    """Return A × rate (t-CO2/ha/yr), the budgeting method."""
    exact = area_ha * rate
    rows = (_row("area", area_ha), _row("rate", rate, "agreement"),
            _row("annual_co2", fixed(exact, 3)))
    return Estimate(fiscal_year, AbsorptionMethod.PER_AREA_RATE, rows, exact)


def estimate(work: Thinning, stand: Stand, agreement: Agreement, fiscal_year: int,
             parameters: ParameterSet, table: YieldTable) -> Estimate:
    """Return the estimate `work` earns in `fiscal_year` by the agreement's method."""
    if agreement.absorption_method is AbsorptionMethod.PER_AREA_RATE:
        assert agreement.per_area_rate is not None  # guaranteed by check_agreement
        return per_area_rate(work.area_ha, agreement.per_area_rate, fiscal_year)
    return national_inventory(stand, work.area_ha, fiscal_year, parameters, table)


def credited_years(work: Thinning, agreement: Agreement) -> list[int]:
    """Return the fiscal years of the crediting window that fall within the agreement's terms.

    Years beyond the last term are credited once a renewal covers them (by an adjustment).
    """
    return [y for y in work.credited_years(agreement.crediting_window) if agreement.covers(y)]
