"""The council's records and its national view of the partnerships, as immutable values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from offset.agreements.model import Agreement, Party
from offset.errors import InvalidInput

MAX_CONDITIONS = 20


class Standing(StrEnum):
    """Where a partnership stands with the council on a given day."""

    CERTIFIED = "certified"  # a certification is valid that day
    EXPIRED = "expired"  # certified once; no certification is valid that day
    PENDING = "pending"  # certified, but valid only from a later day
    UNCERTIFIED = "uncertified"  # never certified

    @property
    def label_ja(self) -> str:
        return {"certified": "認定中", "expired": "認定期限切れ", "pending": "認定前",
                "uncertified": "未認定"}[self.value]


@dataclass(frozen=True)
class PartnershipCertification:
    """The council found a partnership (an agreement) to meet its conditions."""

    agreement_id: int
    number: str  # the council's certification number, e.g. 協議会認定第1号
    certified_on: date
    valid_until: date
    conditions: tuple[str, ...]  # the conditions it found met, one line each
    id: int = 0

    def __post_init__(self) -> None:
        if not self.number.strip() or len(self.number) > 60 or "\n" in self.number:
            raise InvalidInput("must be one line of 1..60 characters", field="number")
        if self.valid_until < self.certified_on:
            raise InvalidInput("must not be before certified_on", field="valid_until")
        if not 1 <= len(self.conditions) <= MAX_CONDITIONS:
            raise InvalidInput(f"name 1..{MAX_CONDITIONS} conditions met", field="conditions")
        for index, condition in enumerate(self.conditions):
            if not condition.strip() or len(condition) > 200 or "\n" in condition:
                raise InvalidInput("must be one line of 1..200 characters",
                                   field=f"conditions.{index}")

    def valid_on(self, day: date) -> bool:
        return self.certified_on <= day <= self.valid_until

    def covers_part_of(self, first: date, last: date) -> bool:
        """Whether it was valid on some day from `first` to `last`."""
        return self.certified_on <= last and first <= self.valid_until


def standing_on(certifications: list[PartnershipCertification], day: date
                ) -> tuple[Standing, PartnershipCertification | None]:
    """Return the partnership's standing on `day` and the certification that decides it: the
    one valid that day (the latest to expire), else the latest to have expired, else the
    next to start."""
    valid = [c for c in certifications if c.valid_on(day)]
    if valid:
        return Standing.CERTIFIED, max(valid, key=lambda c: (c.valid_until, c.id))
    past = [c for c in certifications if c.valid_until < day]
    if past:
        return Standing.EXPIRED, max(past, key=lambda c: (c.valid_until, c.id))
    future = [c for c in certifications if c.certified_on > day]
    if future:
        return Standing.PENDING, min(future, key=lambda c: (c.certified_on, c.id))
    return Standing.UNCERTIFIED, None


@dataclass(frozen=True)
class Partnership:
    """One partnership's figures for a fiscal year, as the council reads them."""

    agreement: Agreement
    urban: Party
    forest: Party
    area_thinned_ha: Decimal
    target_ha: Decimal
    certified_t: Decimal
    retired_t: Decimal
    gross_cost: Decimal  # every cost of the year, whoever bears it
    net_cost: Decimal  # less subsidies (grants included) and timber revenue, both sides
    urban_net_cost: Decimal  # the urban partner's share of the net cost
    grants: Decimal  # the council's grants of the year, to either side
    standing: Standing  # on the day the overview is read for
    certification: PartnershipCertification | None  # the one that decides the standing
    certified_in_year: bool  # some certification was valid during the fiscal year
    chain_seq: int = 0  # the agreement's chain as the figures were read: its head's sequence
    chain_head: str = ""  # and hash, to tie the figures to `offset verify --at`

    @property
    def prefecture_code(self) -> str:
        """The prefecture of the forest: where the partnership's work is done."""
        return self.forest.prefecture.code

    @property
    def target_share(self) -> Decimal | None:
        """The area thinned as a fraction of the annual target (None without a target)."""
        if self.target_ha <= 0:
            return None
        return (self.area_thinned_ha / self.target_ha).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class Totals:
    """Sums over a set of partnerships."""

    partnerships: int
    certified_partnerships: int  # certified on the day the overview is read for
    area_thinned_ha: Decimal
    target_ha: Decimal
    certified_t: Decimal
    retired_t: Decimal
    gross_cost: Decimal
    net_cost: Decimal
    grants: Decimal

    @classmethod
    def of(cls, lines: list[Partnership]) -> Totals:
        def total(name: str) -> Decimal:
            return sum((getattr(line, name) for line in lines), Decimal(0))
        return cls(len(lines), sum(1 for line in lines if line.standing is Standing.CERTIFIED),
                   total("area_thinned_ha"), total("target_ha"), total("certified_t"),
                   total("retired_t"), total("gross_cost"), total("net_cost"),
                   total("grants"))


@dataclass(frozen=True)
class PrefectureTotals:
    code: str  # JIS X 0401
    name_ja: str
    name_en: str
    totals: Totals


@dataclass(frozen=True)
class Overview:
    """Every partnership active in a fiscal year, by forest prefecture, with the nation's
    totals; standings are those of `on` (the day it was read)."""

    fiscal_year: int
    on: date
    partnerships: tuple[Partnership, ...]
    prefectures: tuple[PrefectureTotals, ...]
    totals: Totals
