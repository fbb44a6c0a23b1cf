"""Build a report's data from the ledger: read-only, one unit of work, one chain head.

    build_annual(uow, agreement, fiscal_year, as_of=None) -> ReportData
    build_term(uow, agreement, term_number, as_of=None)   -> ReportData

Both raise NotFound for a fiscal year or term the agreement does not have. A report of an
agreement that does not verify is still built on demand, with a warning on every page. The
caller opens the (read-only) unit of work and checks that the reader may see the agreement.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from offset.agreements.model import Agreement, Party, Term
from offset.errors import NotFound
from offset.fiscal import FiscalYear
from offset.integrity import Integrity, integrity_of
from offset.ledger.as_of import AsOf
from offset.ledger.model import Commodity, JournalEntry
from offset.netting.model import carbon_of
from offset.netting.party import PartyShare, party_shares
from reports import forest, urban
from reports.data import (
    ChainStamp,
    Column,
    Cover,
    Fact,
    Label,
    PartyLine,
    ReportData,
    ReportKind,
    Row,
    Section,
    Table,
)
from reports.reading import Snapshot, read

if TYPE_CHECKING:
    from offset.ports import UnitOfWork

VERIFY_HINT = ("`{command}` を実行し、この仕訳数でのハッシュが一致することを確認 / run "
               "`{command}` and match the head hash it prints at this entry count")
LEGEND = "* 例示値 (illustrative): 公表値のない箇所の仮の数値 / figure marked illustrative in " \
         "the ledger, not a published fact"


def build_annual(uow: UnitOfWork, agreement: Agreement, fiscal_year: int, *,
                 now: datetime | None = None, as_of: AsOf | None = None,
                 prepared_by: str | None = None) -> ReportData:
    """Return the annual report of `agreement` for `fiscal_year`, as the ledger stands now
    or stood at `as_of`, naming `prepared_by` as its preparer. Raises NotFound, and what
    ledger.head_as_of raises."""
    FiscalYear(fiscal_year)
    term = agreement.term_of(fiscal_year)
    if term is None:
        raise NotFound(f"FY{fiscal_year} is outside the agreement's terms", field="fiscal_year")
    snap = read(uow, agreement, term, [fiscal_year], as_of)
    return _build(snap, ReportKind.ANNUAL, now, integrity_of(uow, agreement.id), prepared_by,
                  _shares(uow, snap, as_of))


def build_term(uow: UnitOfWork, agreement: Agreement, number: int, *,
               now: datetime | None = None, as_of: AsOf | None = None,
               prepared_by: str | None = None) -> ReportData:
    """Return the report of term `number` of `agreement`, as the ledger stands now or stood
    at `as_of`. Raises NotFound, and what ledger.head_as_of raises."""
    term = next((t for t in agreement.terms if t.number == number), None)
    if term is None:
        raise NotFound(f"the agreement has no term {number}", field="term")
    years = list(range(term.first_fy, term.last_fy + 1))
    snap = read(uow, agreement, term, years, as_of)
    return _build(snap, ReportKind.TERM, now, integrity_of(uow, agreement.id), prepared_by,
                  _shares(uow, snap, as_of))


def _shares(uow: UnitOfWork, snap: Snapshot, as_of: AsOf | None) -> tuple[PartyShare, ...]:
    """The agreement's part in its urban party's netting, for each fiscal year the netting
    table shows (the term's, up to the period's end)."""
    return party_shares(uow, snap.agreement, {year: carbon_of(snap.balances[year])
                                              for year in urban.netting_years(snap)}, as_of)


def warning(found: Integrity) -> str | None:
    """Return the band a report of a ledger that does not verify carries, or None."""
    if found.ok:
        return None
    return (f"台帳の検証に失敗 — この報告書の数値は信頼できません / LEDGER DOES NOT VERIFY — "
            f"do not rely on these figures: {found.where}: {found.reason}")


def _build(snap: Snapshot, kind: ReportKind, now: datetime | None,
           integrity: Integrity, prepared_by: str | None,
           shares: tuple[PartyShare, ...]) -> ReportData:
    netting, chart = urban.netting(snap, shares)
    sections = (forest.thinning_log(snap), forest.absorption(snap), forest.certification(snap),
                urban.money(snap), urban.emissions(snap), netting, corrections(snap),
                account_balances(snap), chain(snap))
    illustrative = any(row.illustrative for s in sections for t in s.tables for row in t.rows)
    return ReportData(
        kind=kind, agreement_id=snap.agreement.id, term_number=snap.term.number,
        fiscal_years=snap.years, cover=cover(snap, kind), sections=sections, chart=chart,
        chain=_stamp(snap),
        generated_at=(now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
        illustrative=illustrative, legend=(LEGEND,) if illustrative else (),
        integrity_warning=warning(integrity), headline=headline(sections),
        headline_notes=headline_notes(sections), prepared_by=prepared_by)


# The headline box of the first page: (section, fact) in the order printed.
HEADLINE = (("thinning", "area_ha"), ("absorption", "posted"), ("certification", "certified"),
            ("netting", "retired"), ("netting", "emissions"), ("netting", "net"),
            ("netting", "ratio"), ("money", "urban_gross_cost"), ("money", "urban_net_cost"),
            ("money", "cost_per_tonne"), ("money", "gross_cost_per_tonne"))


def headline(sections: tuple[Section, ...]) -> tuple[Fact, ...]:
    """Return the first page's headline figures: the sections' own facts, not recomputed."""
    facts = {(s.key, f.key): f for s in sections for f in s.facts}
    return tuple(facts[key] for key in HEADLINE if key in facts)


def headline_notes(sections: tuple[Section, ...]) -> tuple[str, ...]:
    """Return the notes under the headline box: how many parameters the estimates used are
    marked unverified (their figures rest on a source not yet checked)."""
    count = next((f.value for s in sections if s.key == "absorption" for f in s.facts
                  if f.key == "unverified_parameters"), 0)
    if not count:
        return ()
    return (f"推計に用いたパラメータのうち {count} 件は出典未確認 / {count} of the parameters "
            f"the estimates used are marked unverified (source not yet checked)",)


def _stamp(snap: Snapshot) -> ChainStamp:
    return ChainStamp(snap.agreement.id, snap.head.entry_count, snap.head.hash)


def fiscal_label(year: int) -> Label:
    fy = FiscalYear(year)
    return Label(fy.era_label, str(fy))


def term_label(term: Term) -> Label:
    first, last = FiscalYear(term.first_fy), FiscalYear(term.last_fy)
    return Label(f"第{term.number}期 {first.era_label}〜{last.era_label}",
                 f"Term {term.number}: {first}–{last}")


def _party(role: Label, party: Party) -> PartyLine:
    prefecture = party.prefecture
    section = (Label(party.section_ja or party.section_en, party.section_en or party.section_ja)
               if party.section_ja or party.section_en else None)
    return PartyLine(role, Label(party.name_ja, party.name_en),
                     Label(prefecture.name_ja, prefecture.name_en), party.code, section)


def location(snap: Snapshot) -> tuple[str, ...]:
    """Return each site with its compartments and stands (林班・小班) that the period's work
    was done on, or, for a period without work, every stand the report reads."""
    worked = {(w.stand_id, w.stand_version) for w in snap.thinnings}
    stands = [s for key, s in snap.stands.items() if key in worked] or list(snap.stands.values())
    places: dict[str, dict[str, set[str]]] = {}
    for stand in stands:
        places.setdefault(stand.site, {}).setdefault(stand.compartment, set()).add(
            stand.stand_number)
    return tuple(f"{site} " + "、".join(
        f"{compartment}林班（{'・'.join(sorted(numbers, key=_natural))}小班）"
        for compartment, numbers in sorted(compartments.items(), key=lambda c: _natural(c[0])))
        for site, compartments in sorted(places.items()))


def _natural(text: str) -> tuple[int, str]:
    """Sort "2" before "10", numbers before names."""
    return (int(text), "") if text.isdigit() else (1 << 30, text)


def cover(snap: Snapshot, kind: ReportKind) -> Cover:
    first, last = fiscal_label(snap.years[0]), fiscal_label(snap.years[-1])
    period = first if len(snap.years) == 1 else Label(f"{first.ja}〜{last.ja}",
                                                       f"{first.en}–{last.en}")
    title = (Label("年度報告書", "Annual report") if kind is ReportKind.ANNUAL
             else Label("期間報告書", "Term report"))
    agreement = snap.agreement
    return Cover(
        title=title, agreement_id=agreement.id,
        agreement_title=Label(agreement.title_ja, agreement.title_en),
        parties=(_party(Label("都市側", "Urban partner"), snap.urban),
                 _party(Label("森林側", "Forest partner"), snap.forest)),
        term=term_label(snap.term), period=period, period_start=snap.period_start.start,
        period_end=snap.period_end.end, signed_on=agreement.signed_on, location=location(snap))


def _col(key: str, ja: str, en: str, numeric: bool = False) -> Column:
    return Column(key, Label(ja, en), numeric)


def corrections(snap: Snapshot) -> Section:
    """Return the reversals made in the period or of its entries."""
    rows = tuple(Row({
        "entry_id": e.id, "reverses": e.entry.reverses.entry_id if e.entry.reverses else None,
        "kind": str(e.entry.details.get("reversed_kind", "")) + (
            f" — 前期修正 FY{e.entry.details['adjusts_fiscal_year']} / prior-period adjustment"
            if "adjusts_fiscal_year" in e.entry.details else ""),
        "fiscal_year": e.entry.fiscal_year, **_moved(e),
        "reason": e.entry.reason or "",
        "recorded_by": e.entry.recorded_by,
        "recorded_at": e.recorded_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")})
        for e in snap.reversals)
    table = Table("reversals", Label("訂正（取消仕訳）", "Corrections (reversals)"), (
        _col("entry_id", "仕訳", "Entry", True), _col("reverses", "取消対象", "Reverses", True),
        _col("kind", "種類", "Kind"), _col("fiscal_year", "年度", "FY", True),
        _col("yen", "金額 円", "Amount JPY", True), _col("tonnes", "数量 t-CO2", "t-CO2", True),
        _col("reason", "理由", "Reason"), _col("recorded_by", "記録者", "By"),
        _col("recorded_at", "記録日時", "Recorded at")), rows,
        notes=() if rows else ("訂正なし / no corrections",))
    return Section("corrections", Label("訂正", "Corrections"),
                   facts=(Fact("count", Label("件数", "Count"), len(rows)),), tables=(table,))


def _moved(correction: JournalEntry) -> dict[str, Decimal | None]:
    """Return what a correction moves: its yen and its tonnes (the sum of its debits in each,
    None when it moves none)."""
    def debits(*kinds: Commodity) -> Decimal | None:
        found = [p.amount for p in correction.entry.postings
                 if p.commodity in kinds and p.amount > 0]
        return sum(found, Decimal(0)) if found else None
    return {"yen": debits(Commodity.JPY),
            "tonnes": debits(Commodity.TCO2E, Commodity.TCO2E_EST)}


def account_balances(snap: Snapshot) -> Section:
    """Return every account and commodity with its balance at the period's start (from the
    agreement's first fiscal year), the period's movement and its balance at the end, as of
    the head. Each commodity's movements add up to zero (double entry); so do the balances."""
    movement = snap.period_balances()
    closing = snap.to_date
    keys = sorted({k for k, v in movement.items() if v} | {k for k, v in closing.items() if v})
    zero = Decimal("0.000")
    rows = tuple(Row({"account_name": urban.account_words(name), "account": name,
                      "commodity": commodity.value,
                      "opening": closing.get((name, commodity), zero)
                      - movement.get((name, commodity), zero),
                      "amount": movement.get((name, commodity), zero),
                      "closing": closing.get((name, commodity), zero)})
                 for name, commodity in keys)
    totals = Row({"account_name": "計（商品別）/ Total per commodity", "commodity": ", ".join(
        f"{c.value} {sum((a for (_, k), a in movement.items() if k is c), Decimal(0))}"
        for c in Commodity if any(k is c for _, k in movement))})
    table = Table("balances", Label("勘定残高", "Account balances"), (
        _col("account_name", "勘定", "Account"), _col("account", "台帳上の名称", "Ledger name"),
        _col("commodity", "単位", "Commodity"), _col("opening", "期首残高", "Opening", True),
        _col("amount", "期中増減", "Movement", True),
        _col("closing", "期末残高", "Closing", True)), rows, totals=totals,
        notes=("期首残高は協定初年度からの累計 / opening balances accumulate from the "
               "agreement's first fiscal year",))
    return Section("balances", Label("勘定残高", "Account balances"), tables=(table,))


def chain(snap: Snapshot) -> Section:
    """Return the chain head the report was read at, for `offset verify`."""
    return Section("chain", Label("台帳の検証", "Ledger verification"), facts=(
        Fact("agreement_id", Label("協定番号", "Agreement"), snap.agreement.id),
        Fact("entry_count", Label("仕訳数", "Entry count"), snap.head.entry_count),
        Fact("head_hash", Label("チェーン先頭ハッシュ", "Chain head hash"), snap.head.hash)),
        notes=(VERIFY_HINT.format(command=_stamp(snap).verify_command),))
