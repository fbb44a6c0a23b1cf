"""Request and response bodies of the council's endpoints: certifications of partnerships,
grants, and the national overview.

Yen travel as whole numbers, hectares and t-CO2 as exact decimal strings, as everywhere in
the API.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from offset.agreements.model import Side
from offset.api.forestry_schemas import Label
from offset.api.schemas import ONE_LINE, Create, PartyRead, Year, text
from offset.api.urban_schemas import SubsidyRead, Yen
from offset.council.model import (
    MAX_CONDITIONS,
    Overview,
    Partnership,
    PartnershipCertification,
    PrefectureTotals,
    Totals,
)
from offset.money.model import Subsidy, SubsidyScheme

HA = Decimal("0.01")
T = Decimal("0.001")
Condition = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=200), ONE_LINE]


class CertificationCreate(Create):
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=60), ONE_LINE] = Field(
        description="the council's certification number, e.g. 協議会認定第1号")
    certified_on: date
    valid_until: date
    conditions: Annotated[list[Condition], Field(min_length=1, max_length=MAX_CONDITIONS)] = (
        Field(description="the conditions the council found met, one line each"))

    def certification(self, agreement_id: int) -> PartnershipCertification:
        return PartnershipCertification(agreement_id, self.number, self.certified_on,
                                        self.valid_until, tuple(self.conditions))


class CertificationRead(BaseModel):
    id: int
    agreement_id: int
    number: str
    certified_on: date
    valid_until: date
    conditions: list[str]

    @classmethod
    def of(cls, c: PartnershipCertification) -> CertificationRead:
        return cls(id=c.id, agreement_id=c.agreement_id, number=c.number,
                   certified_on=c.certified_on, valid_until=c.valid_until,
                   conditions=list(c.conditions))


class GrantCreate(Create):
    fiscal_year: Year
    recipient: Side = Field(description="the side of the partnership the grant is paid to")
    name: Label = Field(description="e.g. 連携推進交付金（間伐）")
    amount: Yen
    received_on: date

    def grant(self) -> Subsidy:
        return Subsidy(self.fiscal_year, SubsidyScheme.COUNCIL_GRANT, self.name,
                       self.recipient, Decimal(self.amount), self.received_on)


GrantRead = SubsidyRead


class TotalsRead(BaseModel):
    partnerships: int
    certified_partnerships: int
    area_thinned_ha: str
    target_ha: str
    certified_t: str
    retired_t: str
    gross_cost: int
    net_cost: int
    grants: int

    @classmethod
    def of(cls, t: Totals) -> TotalsRead:
        return cls(partnerships=t.partnerships, certified_partnerships=t.certified_partnerships,
                   area_thinned_ha=text(t.area_thinned_ha.quantize(HA)),
                   target_ha=text(t.target_ha.quantize(HA)),
                   certified_t=text(t.certified_t.quantize(T)),
                   retired_t=text(t.retired_t.quantize(T)), gross_cost=int(t.gross_cost),
                   net_cost=int(t.net_cost), grants=int(t.grants))


class PartnershipRead(BaseModel):
    agreement_id: int
    title_ja: str
    title_en: str
    urban: PartyRead
    forest: PartyRead
    area_thinned_ha: str
    target_ha: str
    target_share: str | None = Field(description="area thinned over the annual target")
    certified_t: str
    retired_t: str
    gross_cost: int = Field(description="yen: every cost of the year, whoever bears it")
    net_cost: int = Field(description="yen: less subsidies, grants and timber, both sides")
    urban_net_cost: int
    grants: int = Field(description="yen: the council's grants of the year")
    standing: str = Field(description="certified, expired, pending or uncertified, on the "
                                      "day read for (standing_on)")
    standing_ja: str
    certification: CertificationRead | None = Field(description="the one deciding standing")
    certified_in_year: bool = Field(description="a certification was valid during the year")
    chain_seq: int = Field(description="the agreement's chain head the figures were read at")
    chain_head: str

    @classmethod
    def of(cls, p: Partnership) -> PartnershipRead:
        share = p.target_share
        return cls(
            agreement_id=p.agreement.id, title_ja=p.agreement.title_ja,
            title_en=p.agreement.title_en, urban=PartyRead.of(p.urban),
            forest=PartyRead.of(p.forest),
            area_thinned_ha=text(p.area_thinned_ha.quantize(HA)),
            target_ha=text(p.target_ha.quantize(HA)),
            target_share=None if share is None else text(share),
            certified_t=text(p.certified_t.quantize(T)), retired_t=text(p.retired_t.quantize(T)),
            gross_cost=int(p.gross_cost), net_cost=int(p.net_cost),
            urban_net_cost=int(p.urban_net_cost), grants=int(p.grants),
            standing=p.standing.value, standing_ja=p.standing.label_ja,
            certification=None if p.certification is None
            else CertificationRead.of(p.certification),
            certified_in_year=p.certified_in_year, chain_seq=p.chain_seq,
            chain_head=p.chain_head)


class PrefectureTotalsRead(BaseModel):
    code: str
    name_ja: str
    name_en: str
    totals: TotalsRead

    @classmethod
    def of(cls, p: PrefectureTotals) -> PrefectureTotalsRead:
        return cls(code=p.code, name_ja=p.name_ja, name_en=p.name_en,
                   totals=TotalsRead.of(p.totals))


class OverviewRead(BaseModel):
    fiscal_year: int
    standing_on: date = Field(description="the day the partnerships' standings are read for")
    partnerships: list[PartnershipRead]
    prefectures: list[PrefectureTotalsRead] = Field(description="by the forest's prefecture")
    totals: TotalsRead

    @classmethod
    def of(cls, o: Overview) -> OverviewRead:
        return cls(fiscal_year=o.fiscal_year, standing_on=o.on,
                   partnerships=[PartnershipRead.of(p) for p in o.partnerships],
                   prefectures=[PrefectureTotalsRead.of(p) for p in o.prefectures],
                   totals=TotalsRead.of(o.totals))
