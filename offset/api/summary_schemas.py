"""The netting summary of a fiscal year or a term as JSON: carbon and money, numbers as text.

t-CO2 with 3 places, yen whole, ratios as fractions with 6 places ("0.833542"); the view that
counts pending estimates sits apart under `provisional`, labelled so.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from offset.agreements.model import Side
from offset.api.schemas import AdjustmentRead, AsOfRead, PartyRead, text
from offset.api.urban_schemas import JPY
from offset.fiscal import FiscalYear
from offset.integrity import Integrity
from offset.money.model import CostCategory, SubsidyScheme
from offset.netting.model import Carbon, Money, activity_of
from offset.netting.party import PartyShare, PartySummary
from offset.netting.services import Summary
from offset.quantities import CO2

PROVISIONAL_LABEL = ("provisional — includes estimates pending certification / "
                     "暫定値（認証前の推計を含む）")
CATEGORIES = {c.account: c for c in CostCategory}
SCHEMES = {s.account: s for s in SubsidyScheme}


def tonnes(value: Decimal) -> str:
    return CO2.text(value)


def yen(value: Decimal) -> str:
    return text(value.quantize(Decimal(1)))


def fraction(value: Decimal | None) -> str | None:
    return None if value is None else text(value)


class ProvisionalRead(BaseModel):
    label: str
    estimated_pending: str = Field(description="estimates of years not yet certified")
    offset: str = Field(description="retired + estimated_pending")
    net: str
    offset_ratio: str | None


class CarbonRead(BaseModel):
    unit: str
    emissions: str
    emissions_by_activity: dict[str, str]
    certified: str
    retired: str
    net: str = Field(description="emissions − retired")
    offset_ratio: str | None = Field(description="retired / emissions; null without emissions")
    provisional: ProvisionalRead

    @classmethod
    def of(cls, carbon: Carbon) -> CarbonRead:
        return cls(
            unit=CO2.label, emissions=tonnes(carbon.emissions),
            emissions_by_activity={activity_of(k): tonnes(v)
                                   for k, v in carbon.emissions_by_activity.items()},
            certified=tonnes(carbon.certified), retired=tonnes(carbon.retired),
            net=tonnes(carbon.net), offset_ratio=fraction(carbon.offset_ratio),
            provisional=ProvisionalRead(
                label=PROVISIONAL_LABEL, estimated_pending=tonnes(carbon.estimated_pending),
                offset=tonnes(carbon.provisional_offset), net=tonnes(carbon.provisional_net),
                offset_ratio=fraction(carbon.provisional_ratio)))


class CostLine(BaseModel):
    category: str
    category_ja: str
    bearer: Side
    amount: str


class SubsidyLine(BaseModel):
    scheme: str
    scheme_ja: str
    recipient: Side
    amount: str


class TimberLine(BaseModel):
    recipient: Side
    amount: str


class MoneyRead(BaseModel):
    unit: str
    costs: list[CostLine]
    subsidies: list[SubsidyLine]
    timber: list[TimberLine]
    net_cost: dict[Side, str] = Field(description="costs − subsidies − timber, per side")
    cost_per_certified_tonne: str | None = Field(
        description="the urban partner's net cost / certified t-CO2; null with none certified")
    cost_per_certified_tonne_unit: str

    @classmethod
    def of(cls, money: Money, per_tonne: Decimal | None) -> MoneyRead:
        return cls(
            unit=JPY,
            costs=[CostLine(category=CATEGORIES[name].value,
                            category_ja=CATEGORIES[name].label_ja, bearer=side,
                            amount=yen(amount))
                   for (name, side), amount in money.costs.items()],
            subsidies=[SubsidyLine(scheme=SCHEMES[name].value, scheme_ja=SCHEMES[name].label_ja,
                                   recipient=side, amount=yen(amount))
                       for (name, side), amount in money.subsidies.items()],
            timber=[TimberLine(recipient=side, amount=yen(amount))
                    for side, amount in sorted(money.timber.items())],
            net_cost={side: yen(money.net_cost[side]) for side in (Side.URBAN, Side.FOREST)},
            cost_per_certified_tonne=None if per_tonne is None else yen(per_tonne),
            cost_per_certified_tonne_unit=f"{JPY}/{CO2.label}")


class ChainStateRead(BaseModel):
    entry_count: int = Field(description="entries of the agreement's chain read")
    head_hash: str


class IntegrityRead(BaseModel):
    ok: bool = Field(description="false when the agreement's chain, or a forestry row it "
                                 "covers, does not verify (GET /v1/ledger/verify says more)")
    first_bad_entry: int | None = Field(None, description="the first entry that fails; null "
                                                          "for a break in the head or anchors")
    seq: int | None = Field(None, description="where in the chain the break is")
    reason: str | None = None

    @model_serializer(mode="wrap")
    def _only_what_is_known(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # {"ok": true} says all there is; the break's members appear only with a break.
        found: dict[str, Any] = handler(self)
        return {k: v for k, v in found.items() if v is not None or k == "first_bad_entry"
                and not self.ok}

    @classmethod
    def of(cls, found: Integrity) -> IntegrityRead:
        if found.ok:
            return cls(ok=True)
        return cls(ok=False, first_bad_entry=found.first_bad_entry, seq=found.seq,
                   reason=found.reason)


class SummaryRead(BaseModel):
    agreement_id: int
    fiscal_years: list[int]
    fiscal_year_labels: list[str]
    term: int | None
    provisional: bool = Field(description="true while some year's absorption is an estimate")
    chain: ChainStateRead
    integrity: IntegrityRead
    as_of: AsOfRead = Field(description="the point of the chain read: today's head, or the "
                                        "one asked for with as_of")
    carbon: CarbonRead
    money: MoneyRead
    adjusted_later: list[AdjustmentRead] = Field(
        description="prior-period adjustments posted in later years that correct entries of "
                    "these (closed) years: the figures above stay as the years were closed")

    @classmethod
    def of(cls, summary: Summary, term: int | None = None) -> SummaryRead:
        return cls(
            agreement_id=summary.agreement_id, fiscal_years=summary.fiscal_years,
            fiscal_year_labels=[FiscalYear(y).era_label for y in summary.fiscal_years],
            term=term, provisional=summary.provisional,
            chain=ChainStateRead(entry_count=summary.chain_entry_count,
                                 head_hash=summary.chain_head),
            integrity=IntegrityRead.of(summary.integrity),
            as_of=AsOfRead(seq=summary.chain_entry_count, head=summary.chain_head),
            carbon=CarbonRead.of(summary.carbon),
            money=MoneyRead.of(summary.money, summary.cost_per_tonne),
            adjusted_later=[AdjustmentRead.of(a) for a in summary.adjusted_later])


class ReadAtRead(BaseModel):
    agreement_id: int
    entry_count: int
    head_hash: str


class PartyShareRead(BaseModel):
    party: PartyRead = Field(description="the urban party, whose netting this is part of")
    agreements: int = Field(description="the party's agreements covering the year, this one "
                                        "included")
    emissions_here: str = Field(description="t-CO2 of the scope this agreement offsets")
    retired_here: str = Field(description="t-CO2 retired in this agreement")
    emissions: str = Field(description="the party's t-CO2, every agreement's scope")
    retired: str = Field(description="the party's t-CO2 retired, every agreement")
    share_of_retired: str | None = Field(description="retired_here / retired")
    offset_ratio: str | None = Field(description="the party's: retired / emissions")
    contributed_ratio: str | None = Field(
        description="retired_here / emissions: this agreement's part of the party's ratio")
    others_read_at: list[ReadAtRead] = Field(
        description="the party's other agreements, as their chains stood when read: at "
                    "`as_of` when it is a timestamp, else now (a sequence number is this "
                    "agreement's own)")

    @classmethod
    def of(cls, share: PartyShare) -> PartyShareRead:
        return cls(
            party=PartyRead.of(share.party), agreements=share.agreements,
            emissions_here=tonnes(share.emissions_here), retired_here=tonnes(share.retired_here),
            emissions=tonnes(share.emissions), retired=tonnes(share.retired),
            share_of_retired=fraction(share.share_of_retired),
            offset_ratio=fraction(share.offset_ratio),
            contributed_ratio=fraction(share.contributed_ratio),
            others_read_at=[ReadAtRead(agreement_id=o.agreement_id, entry_count=o.entry_count,
                                       head_hash=o.head) for o in share.others])


class FiscalYearSummaryRead(SummaryRead):
    party_netting: PartyShareRead = Field(
        description="the agreement's contribution to its urban party's netting of the year")


class ScopeRead(BaseModel):
    scope: str = Field(description="the emissions an agreement offsets, e.g. ward facilities")
    emissions: str


class ContributionRead(BaseModel):
    agreement_id: int
    title_ja: str
    title_en: str
    forest: PartyRead
    emission_scope: str
    summary: SummaryRead = Field(description="the agreement's own fiscal-year summary")


class PartySummaryRead(BaseModel):
    party: PartyRead
    fiscal_year: int
    fiscal_year_label: str
    carbon: CarbonRead = Field(description="the sum over the party's agreements")
    emissions_by_scope: list[ScopeRead]
    net_cost: str = Field(description="yen: the party's net cost over its agreements")
    contributions: list[ContributionRead]

    @classmethod
    def of(cls, found: PartySummary) -> PartySummaryRead:
        return cls(
            party=PartyRead.of(found.party), fiscal_year=found.fiscal_year,
            fiscal_year_label=FiscalYear(found.fiscal_year).era_label,
            carbon=CarbonRead.of(found.carbon),
            emissions_by_scope=[ScopeRead(scope=scope, emissions=tonnes(value))
                                for scope, value in found.emissions_by_scope.items()],
            net_cost=yen(found.net_cost),
            contributions=[ContributionRead(
                agreement_id=c.agreement.id, title_ja=c.agreement.title_ja,
                title_en=c.agreement.title_en, forest=PartyRead.of(c.forest),
                emission_scope=c.agreement.emission_scope, summary=SummaryRead.of(c.summary))
                for c in found.contributions])
