"""Request (XCreate) and response (XRead) bodies, and their conversion to and from the domain.

Numbers that must stay exact travel as strings ("30.0000", "1.500") with a unit field beside
them where a unit matters; requests give quantities as text with units ("30 ha").
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
)

from offset.agreements.model import (
    AbsorptionMethod,
    Agreement,
    CostSharing,
    Party,
    Term,
)
from offset.errors import InvalidInput
from offset.fiscal import MAX_YEAR, MIN_YEAR, FiscalYear
from offset.ledger.chain import ChainHead
from offset.ledger.model import MAX_TEXT, Adjustment, JournalEntry
from offset.ledger.services import JournalPage, Verification
from offset.numbers import D, fixed
from offset.quantities import AREA, PER_AREA_RATE
from offset.text import clean_text


def _clean(multiline: bool) -> BeforeValidator:
    """Return the validator that runs offset.text.clean_text before any other check of a str
    field (before stripping, which would quietly drop some control characters)."""
    def check(value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            try:
                clean_text(value, info.field_name or "value", multiline=multiline)
            except InvalidInput as error:
                raise ValueError(error.detail) from None
        return value
    return BeforeValidator(check)


ONE_LINE = _clean(multiline=False)
MULTI_LINE = _clean(multiline=True)
# Every str field of a request body is one of these, so every text a client sends is clean.
Line = Annotated[str, ONE_LINE]
Text = Annotated[str, MULTI_LINE]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
                 ONE_LINE]
Section = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), ONE_LINE]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
                  ONE_LINE]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                          max_length=MAX_TEXT), MULTI_LINE]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description="fiscal year, e.g. 2009")]


def text(number: Decimal) -> str:
    """Return `number` as plain decimal text, never in exponent form."""
    return format(number, "f")


class Create(BaseModel):
    """A request body: unknown fields are refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


class PrefectureRead(BaseModel):
    code: str
    name_ja: str
    name_en: str


class PartyCreate(Create):
    code: Line = Field(description="6-digit local-government code, e.g. 131041", max_length=6)
    name_ja: Name
    name_en: Name
    section_ja: Section = Field("", description="The section responsible for its "
                                "agreements (所管課), e.g. 環境対策課")
    section_en: Section = Field("", description="The same in English, e.g. "
                                "'Environmental Measures Section'")


class PartyRead(BaseModel):
    id: int
    code: str
    name_ja: str
    name_en: str
    section_ja: str
    section_en: str
    prefecture: PrefectureRead

    @classmethod
    def of(cls, party: Party) -> PartyRead:
        prefecture = party.prefecture
        return cls(id=party.id, code=party.code, name_ja=party.name_ja, name_en=party.name_en,
                   section_ja=party.section_ja, section_en=party.section_en,
                   prefecture=PrefectureRead(code=prefecture.code, name_ja=prefecture.name_ja,
                                             name_en=prefecture.name_en))


class TermCreate(Create):
    first_fy: Year
    last_fy: Year


class TermRead(BaseModel):
    number: int
    first_fy: int
    last_fy: int
    first_fy_label: str = Field(description="era label, e.g. 平成21年度")
    last_fy_label: str

    @classmethod
    def of(cls, term: Term) -> TermRead:
        return cls(number=term.number, first_fy=term.first_fy, last_fy=term.last_fy,
                   first_fy_label=FiscalYear(term.first_fy).era_label,
                   last_fy_label=FiscalYear(term.last_fy).era_label)


class CostSharingCreate(Create):
    urban_percent: Line = Field("100", description="share the urban partner bears")
    by_category: dict[Line, Line] = Field(default_factory=dict)

    def rule(self) -> CostSharing:
        """Return the domain rule. Raises InvalidInput naming the offending share."""
        return CostSharing(
            D(self.urban_percent, field="cost_sharing.urban_percent"),
            {name: D(share, field=f"cost_sharing.by_category.{name}")
             for name, share in self.by_category.items()})


class CostSharingRead(BaseModel):
    urban_percent: str
    by_category: dict[str, str]

    @classmethod
    def of(cls, rule: CostSharing) -> CostSharingRead:
        return cls(urban_percent=text(rule.urban_percent),
                   by_category={name: text(p) for name, p in sorted(rule.by_category.items())})


class AgreementCreate(Create):
    title_ja: Title
    title_en: Title
    urban_party_id: int
    forest_party_id: int
    signed_on: date
    annual_target: Line = Field(description="thinning target per year with its unit, e.g. '30 ha'")
    crediting_window: int = Field(5, description="fiscal years a thinning is credited")
    absorption_method: AbsorptionMethod = AbsorptionMethod.NATIONAL_INVENTORY
    per_area_rate: Line | None = Field(None, description=f"{PER_AREA_RATE.label}, e.g. '3.19'")
    cost_sharing: CostSharingCreate | None = None
    terms: list[TermCreate]

    def draft(self) -> Agreement:
        """Return the agreement to create (id 0). Raises InvalidInput naming the field."""
        rate = (None if self.per_area_rate is None
                else PER_AREA_RATE.parse_number(self.per_area_rate, field="per_area_rate"))
        return Agreement(
            id=0, title_ja=self.title_ja, title_en=self.title_en,
            urban_party_id=self.urban_party_id, forest_party_id=self.forest_party_id,
            signed_on=self.signed_on,
            annual_target_ha=AREA.parse(self.annual_target, field="annual_target"),
            crediting_window=self.crediting_window, absorption_method=self.absorption_method,
            per_area_rate=rate,
            cost_sharing=self.cost_sharing.rule() if self.cost_sharing else CostSharing(),
            terms=tuple(Term(number, t.first_fy, t.last_fy)
                        for number, t in enumerate(self.terms, start=1)),
        )


class AgreementRead(BaseModel):
    id: int
    title_ja: str
    title_en: str
    urban_party_id: int
    forest_party_id: int
    signed_on: date
    annual_target: str
    annual_target_unit: str
    crediting_window: int
    absorption_method: AbsorptionMethod
    per_area_rate: str | None
    per_area_rate_unit: str
    cost_sharing: CostSharingRead
    terms: list[TermRead]

    @classmethod
    def of(cls, agreement: Agreement) -> AgreementRead:
        rate = agreement.per_area_rate
        return cls(
            id=agreement.id, title_ja=agreement.title_ja, title_en=agreement.title_en,
            urban_party_id=agreement.urban_party_id,
            forest_party_id=agreement.forest_party_id, signed_on=agreement.signed_on,
            annual_target=AREA.text(agreement.annual_target_ha),
            annual_target_unit=AREA.label, crediting_window=agreement.crediting_window,
            absorption_method=agreement.absorption_method,
            per_area_rate=None if rate is None else PER_AREA_RATE.text(rate),
            per_area_rate_unit=PER_AREA_RATE.label,
            cost_sharing=CostSharingRead.of(agreement.cost_sharing),
            terms=[TermRead.of(term) for term in agreement.terms],
        )


class ReversalCreate(Create):
    reason: Reason


class PostingRead(BaseModel):
    account: str
    commodity: str
    amount: str = Field(description="with the commodity's places: JPY '1200', tCO2e '1.500'")


class EntryRead(BaseModel):
    id: int
    seq: int
    agreement_id: int
    fiscal_year: int
    fiscal_year_label: str
    kind: str
    effective_date: date
    recorded_at: datetime
    recorded_by: str
    description: str
    details: dict[str, Any]
    reverses_entry_id: int | None
    reason: str | None
    reversed_by_entry_id: int | None
    prev_hash: str
    hash: str
    postings: list[PostingRead]

    @classmethod
    def of(cls, stored: JournalEntry, reversed_by: int | None = None) -> EntryRead:
        entry = stored.entry
        return cls(
            id=stored.id, seq=stored.seq, agreement_id=entry.agreement_id,
            fiscal_year=entry.fiscal_year,
            fiscal_year_label=FiscalYear(entry.fiscal_year).era_label, kind=entry.kind.value,
            effective_date=entry.effective_date, recorded_at=stored.recorded_at,
            recorded_by=entry.recorded_by, description=entry.description,
            details=dict(entry.details),
            reverses_entry_id=None if entry.reverses is None else entry.reverses.entry_id,
            reason=entry.reason, reversed_by_entry_id=reversed_by,
            prev_hash=stored.prev_hash, hash=stored.hash,
            postings=[PostingRead(account=p.account, commodity=p.commodity.value,
                                  amount=text(fixed(p.amount, p.commodity.places)))
                      for p in entry.postings],
        )


class AsOfRead(BaseModel):
    """Where in the agreement's chain a read was made: after entry `seq`, whose hash is
    `head` (seq 0: the empty chain, the genesis hash). Match it with `offset verify
    --agreement ID --at SEQ`."""

    seq: int
    head: str

    @classmethod
    def of(cls, head: ChainHead) -> AsOfRead:
        return cls(seq=head.entry_count, head=head.hash)


class JournalPageRead(BaseModel):
    items: list[EntryRead]
    next_after_seq: int | None = Field(description="pass as after_seq for the next page; "
                                                   "null on the last page")
    as_of: AsOfRead = Field(description="the point of the chain read: only entries and "
                                        "reversals up to it are listed")

    @classmethod
    def of(cls, page: JournalPage) -> JournalPageRead:
        return cls(items=[EntryRead.of(e, page.reversed_by.get(e.id)) for e in page.entries],
                   next_after_seq=page.next_after_seq, as_of=AsOfRead.of(page.head))


class ChainRead(BaseModel):
    agreement_id: int
    entry_count: int
    head_hash: str


class ChainBreakRead(BaseModel):
    agreement_id: int
    entry_id: int | None
    seq: int
    reason: str


class VerificationRead(BaseModel):
    ok: bool
    entry_count: int
    chains: list[ChainRead]
    breaks: list[ChainBreakRead]
    at: AsOfRead | None = Field(
        default=None, description="with agreement and at: that chain's head at the point "
        "asked for, the sequence number and the hash of that entry (the genesis hash at "
        "0), to match against the head a report printed; it is today's chain's only when "
        "ok is true. Null without at")

    @classmethod
    def of(cls, result: Verification, at: ChainHead | None = None) -> VerificationRead:
        return cls(
            ok=result.ok, entry_count=result.entry_count,
            chains=[ChainRead(agreement_id=h.agreement_id, entry_count=h.entry_count,
                              head_hash=h.hash) for h in result.heads],
            breaks=[ChainBreakRead(agreement_id=b.agreement_id, entry_id=b.entry_id,
                                   seq=b.seq, reason=b.reason) for b in result.breaks],
            at=None if at is None else AsOfRead.of(at),
        )


class AdjustmentRead(BaseModel):
    entry_id: int = Field(description="the prior-period adjustment")
    fiscal_year: int = Field(description="the open year it was posted in")
    corrects_entry_id: int
    href: str

    @classmethod
    def of(cls, adjustment: Adjustment) -> AdjustmentRead:
        return cls(entry_id=adjustment.entry_id, fiscal_year=adjustment.fiscal_year,
                   corrects_entry_id=adjustment.corrects_entry_id,
                   href=f"/v1/entries/{adjustment.entry_id}")
