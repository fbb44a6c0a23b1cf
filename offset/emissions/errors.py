"""Emission errors: offset.errors' tree, extended for activity data and emission factors.

    InvalidInput
    ├── FactorNotFound        the factor set is not loaded, or has no factor for the activity
    │                         (422, field factor_set / activity_type); members: factor_set,
    │                         activity_type (null when the set itself is missing)
    └── InvalidQuantity
        └── UnitMismatch      the activity's unit does not convert to the factor's (422)
                              members: activity, factor_unit, factor_set, activity_type
"""

from __future__ import annotations

from offset.errors import InvalidInput, InvalidQuantity


class FactorNotFound(InvalidInput):
    """Factor set `factor_set` is not loaded (`activity_type` None), or has no factor for
    `activity_type`."""

    title = "Emission factor not found"
    code = "factor-not-found"
    members = ("factor_set", "activity_type")

    def __init__(self, factor_set: str, activity_type: str | None = None) -> None:
        super().__init__(field="factor_set" if activity_type is None else "activity_type")
        self.factor_set = factor_set
        self.activity_type = activity_type

    @property
    def detail(self) -> str:
        if self.activity_type is None:
            return f"factor set {self.factor_set!r} is not loaded"
        return f"factor set {self.factor_set!r} has no factor for {self.activity_type!r}"


class UnitMismatch(InvalidQuantity):
    """`activity` does not convert to `factor_unit`, the unit of factor
    `factor_set`/`activity_type`."""

    title = "Unit mismatch"
    code = "unit-mismatch"
    members = ("activity", "factor_unit", "factor_set", "activity_type")

    def __init__(self, activity: str, factor_unit: str, factor_set: str, activity_type: str,
                 *, field: str = "activity") -> None:
        super().__init__(field=field)
        self.activity = activity
        self.factor_unit = factor_unit
        self.factor_set = factor_set
        self.activity_type = activity_type

    @property
    def detail(self) -> str:
        return (f"{self.activity!r} does not convert to {self.factor_unit} "
                f"(factor {self.factor_set}/{self.activity_type})")
