"""What the chain says of forestry rows: each estimate entry against the work and stand it cites.

Thinnings and stand versions live outside the chain, in tables offset never updates. An
estimate entry records, hashed into the chain, the fields its figure rests on: the work's
stand, stand version, area (and, since they were added to the details, its fiscal year and
finish date) and the stand version's species, planting year (as the age), site class or
measured growth. A row edited behind offset's back no longer matches the entries that cite
it; these pure functions say how. Entries made before a key existed are checked on the keys
they have.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from offset.forestry.absorption import MEASURED, Row, estimate_inputs
from offset.forestry.model import Stand, Thinning
from offset.ledger.model import JournalEntry


def cited_thinning(entry: JournalEntry) -> int | None:
    """Return the thinning an estimate entry cites, or None for an entry citing none."""
    found = entry.entry.details.get("thinning_id")
    return found if isinstance(found, int) else None


def cited_stand(entry: JournalEntry) -> tuple[int, int] | None:
    """Return the (stand id, version) an estimate entry cites, or None."""
    details = entry.entry.details
    stand_id, version = details.get("stand_id"), details.get("stand_version")
    return (stand_id, version) if isinstance(stand_id, int) and isinstance(version, int) \
        else None


def work_mismatch(entry: JournalEntry, work: Thinning | None, window: int) -> str | None:
    """Return how the stored work differs from what estimate `entry` recorded of it, or None."""
    thinning_id = cited_thinning(entry)
    if thinning_id is None:
        return None
    if work is None:
        return f"thinning {thinning_id} cited by entry {entry.id} is missing"
    details, rows = entry.entry.details, estimate_inputs(entry.entry.details)
    found = [
        _differs("stand", work.stand_id, details.get("stand_id")),
        _differs("stand version", work.stand_version, details.get("stand_version")),
        _differs("area (ha)", work.area_ha, _value(rows, "area"), numeric=True),
        _differs("fiscal year", work.fiscal_year, details.get("thinning_fiscal_year")),
        _differs("finished on", work.finished_on.isoformat(), details.get("finished_on")),
        _credited_in(entry, work, window),
    ]
    problem = next((p for p in found if p), None)
    return None if problem is None else (
        f"thinning {work.id} no longer matches entry {entry.id}: {problem}")


def stand_mismatch(entry: JournalEntry, stand: Stand | None) -> str | None:
    """Return how the stored stand version differs from what `entry` recorded, or None."""
    cited = cited_stand(entry)
    if cited is None:
        return None
    if stand is None:
        return f"stand {cited[0]} version {cited[1]} cited by entry {entry.id} is missing"
    rows, version = estimate_inputs(entry.entry.details), stand.current
    age = _value(rows, "age")
    growth = rows.get("growth")
    found = [
        _differs("species", version.species_code, _value(rows, "species")),
        _differs("planting year", version.planting_year,
                 None if age is None else entry.entry.fiscal_year - int(age) + 1),
        _differs("site class", version.site_class, _value(rows, "site_class")),
        # A growth from the yield table rests on there being no measured growth.
        None if "site_class" not in rows or version.measured_growth is None else
        f"measured growth is {version.measured_growth}, the entry used the yield table",
        None if growth is None or growth.source != MEASURED else
        _differs("measured growth", version.measured_growth, growth.value, numeric=True),
    ]
    problem = next((p for p in found if p), None)
    return None if problem is None else (
        f"stand {cited[0]} version {cited[1]} no longer matches entry {entry.id}: {problem}")


def _credited_in(entry: JournalEntry, work: Thinning, window: int) -> str | None:
    # What older entries hold without the keys: the year they credit lies in the work's
    # window, and the entry of the work's own year is dated the day the work finished.
    year = entry.entry.fiscal_year
    if year not in work.credited_years(window):
        return f"FY{work.fiscal_year} work does not credit FY{year}"
    if year == work.fiscal_year and entry.entry.effective_date != work.finished_on:
        return f"finished on {work.finished_on}, the entry is dated {entry.entry.effective_date}"
    return None


def _value(rows: Mapping[str, Row], key: str) -> str | None:
    row = rows.get(key)
    return None if row is None else str(row.value)


def _differs(name: str, stored: object, recorded: object, *, numeric: bool = False) -> str | None:
    """Return "<name> is <stored>, the entry recorded <recorded>" when they differ; None when
    they agree or the entry recorded nothing."""
    if recorded is None:
        return None
    same = _number(stored) == _number(recorded) if numeric else str(stored) == str(recorded)
    if same:
        return None
    shown = _number(recorded) if numeric else recorded
    return f"{name} is {_shown(stored)}, the entry recorded {_shown(shown)}"


def _shown(value: object) -> str:
    # A stored Numeric reads back with its column's places ("20.0000"): show it plainly.
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _number(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def estimate_keys(work: Thinning) -> dict[str, object]:
    """Return the work's fields an estimate entry records beside its rows, for verify."""
    return {"thinning_fiscal_year": work.fiscal_year, "finished_on": work.finished_on}


def uncited(works: Iterable[Thinning], cited: set[int], certified: set[int]) -> list[Thinning]:
    """Return the work no entry cites although its own fiscal year was never certified.

    Logging work posts its estimate in the same transaction, and the work's own year is
    always within the terms, so such work lost its estimates: entries were deleted. (Work
    whose year has a certification may have been logged after it and posted nothing; an
    estimate rounding to 0 t posts nothing either: the caller rules those out.)
    """
    return [w for w in works if w.id not in cited and w.fiscal_year not in certified]
