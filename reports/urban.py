"""The urban half of a report: money per party, emissions with their factors, netting."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal

from offset.agreements.model import Party, Side
from offset.ledger import accounts
from offset.ledger.model import EntryKind, JournalEntry
from offset.money.model import CostCategory, SubsidyScheme
from offset.netting.model import Carbon, activity_of, carbon_of, money_of
from offset.netting.party import PartyShare
from reports import glossary
from reports.data import ChartPoint, Column, Fact, Label, Row, Section, Table
from reports.forest import is_illustrative
from reports.reading import Snapshot

T = Decimal("0.000")
YEN = Decimal(0)
SIDE_LABEL = {Side.URBAN: Label("都市側", "urban partner"),
              Side.FOREST: Label("森林側", "forest partner")}
CATEGORY_EN = {"thinning": "thinning work", "work-road": "work road",
               "survey": "survey / certification", "administration": "administration",
               "other": "other"}
SCHEME_EN = {"national": "national", "prefectural": "prefectural",
             "forest-environment-tax": "forest environment tax",
             "council-grant": "council grant", "other": "other"}
PROVISIONAL = "暫定 / provisional"


def _col(key: str, ja: str, en: str, numeric: bool = False) -> Column:
    return Column(key, Label(ja, en), numeric)


def party_name(snap: Snapshot, side: Side) -> str:
    party: Party = snap.urban if side is Side.URBAN else snap.forest
    return f"{party.name_ja} / {party.name_en}"


def _category(account: str) -> str:
    found = next((c for c in CostCategory if c.account == account), None)
    return account if found is None else f"{found.label_ja} / {CATEGORY_EN[found.value]}"


def _scheme(account: str) -> str:
    found = next((s for s in SubsidyScheme if s.account == account), None)
    return account if found is None else f"{found.label_ja} / {SCHEME_EN[found.value]}"


# Accounts named in words (offset.ledger.accounts is the chart): the fixed ones, then the
# families whose last parts name an activity, a cost category or scheme, and a side.
ACCOUNT_WORDS = {
    accounts.ESTIMATED: "推計吸収量（保有）/ estimated tonnes held",
    accounts.ESTIMATED_SOURCE: "推計吸収量の発生 / estimated tonnes arising",
    accounts.CERTIFIED: "認証吸収量（保有）/ certified tonnes held",
    accounts.CERTIFIED_SOURCE: "認証吸収量の発生 / certified tonnes arising",
    accounts.RETIRED: "無効化したクレジット / credits retired",
    accounts.EMISSIONS_LIABILITY: "排出量（相殺すべき量）/ emissions to offset",
}
SIDE_WORDS = {accounts.URBAN_SIDE: "都市側 / urban", accounts.FOREST_SIDE: "森林側 / forest"}


def account_words(name: str) -> str:
    """Return a ledger account as people read it, e.g. the urban side's thinning cost →
    "費用 / cost: 間伐事業費 / thinning work（都市側 / urban）"; an unknown name as it is."""
    if name in ACCOUNT_WORDS:
        return ACCOUNT_WORDS[name]
    parts = name.split(":")
    side = f"（{SIDE_WORDS[parts[-1]]}）" if parts[-1] in SIDE_WORDS else ""
    family, depth = ":".join(parts[:2]), len(parts)
    if family == accounts.EMISSIONS and depth == 3:
        return f"排出量 / emissions: {glossary.label(glossary.ACTIVITIES, activity_of(parts[2]))}"
    if family == accounts.COSTS and depth == 4:
        return f"費用 / cost: {_category(parts[2])}{side}"
    if family == accounts.SUBSIDIES and depth == 4:
        return f"補助金 / subsidy: {_scheme(parts[2])}{side}"
    if family == accounts.TIMBER and depth == 3:
        return f"間伐材売却収入 / timber revenue{side}"
    if family == accounts.FUNDING and depth == 3:
        return f"拠出（正味）/ funding, net{side}"
    return name


def money(snap: Snapshot) -> Section:
    """Return costs by category and bearer, subsidies, timber revenue and net cost per party."""
    balances = snap.period_balances()
    position, carbon = money_of(balances), carbon_of(balances)
    costs = Table("costs", Label("費用（区分・負担者別）", "Costs by category and bearer"), (
        _col("category", "区分", "Category"), _col("bearer", "負担者", "Bearer"),
        _col("yen", "金額 円", "Yen", True)),
        tuple(Row({"category": _category(name), "bearer": party_name(snap, side), "yen": yen})
              for (name, side), yen in sorted(position.costs.items())),
        totals=Row({"category": "計 / Total", "yen": sum(position.costs.values(), YEN)}))
    subsidies = Table("subsidies", Label("補助金（制度別）", "Subsidies by scheme"), (
        _col("scheme", "制度", "Scheme"), _col("recipient", "受給者", "Recipient"),
        _col("yen", "金額 円", "Yen", True)),
        tuple(Row({"scheme": _scheme(name), "recipient": party_name(snap, side), "yen": yen})
              for (name, side), yen in sorted(position.subsidies.items())),
        totals=Row({"scheme": "計 / Total", "yen": sum(position.subsidies.values(), YEN)}))
    net = Table("net_cost", Label("当事者別の実質負担", "Net cost per party"), (
        _col("party", "当事者", "Party"), _col("costs", "費用", "Costs", True),
        _col("subsidies", "補助金", "Subsidies", True),
        _col("timber", "間伐材収入", "Timber revenue", True),
        _col("net", "実質負担", "Net cost", True),
        _col("net_income", "実質収入", "Net income", True)),
        tuple(Row({"party": party_name(snap, side),
                   "costs": sum((y for (_, s), y in position.costs.items() if s is side), YEN),
                   "subsidies": sum((y for (_, s), y in position.subsidies.items()
                                     if s is side), YEN),
                   "timber": position.timber.get(side, YEN),
                   # Income is a positive amount in a column of its own, never a negative cost.
                   "net": max(position.net_cost[side], YEN),
                   "net_income": max(-position.net_cost[side], YEN)})
              for side in (Side.URBAN, Side.FOREST)),
        notes=("実質負担 = 費用 − 補助金 − 間伐材収入。負になる当事者はその額を実質収入の欄に"
               "示す / net cost = costs − subsidies − timber revenue; a party for which that is "
               "negative shows it as net income",))
    sales = snap.live(EntryKind.TIMBER_SALE)
    timber = Table("timber", Label("間伐材売却", "Timber sales"), (
        _col("entry_id", "仕訳", "Entry", True), _col("sold_on", "売却日", "Sold on"),
        _col("volume_m3", "材積 m3", "Volume m3", True),
        _col("unit_price", "単価 円/m3", "Unit price JPY/m3", True),
        _col("yen", "金額 円", "Yen", True), _col("buyer", "買受人", "Buyer"),
        _col("recipient", "収入先", "Recipient")),
        tuple(Row({"entry_id": e.id, "sold_on": e.entry.effective_date,
                   "volume_m3": Decimal(e.entry.details["volume_m3"]),
                   "unit_price": None if e.entry.details.get("unit_price") is None
                   else Decimal(e.entry.details["unit_price"]),
                   "yen": Decimal(e.entry.details["total"]), "buyer": e.entry.details["buyer"],
                   "recipient": party_name(snap, Side(e.entry.details["recipient"]))},
                  is_illustrative(e.entry.details)) for e in sales),
        totals=Row({"sold_on": "計 / Total",
                    "volume_m3": sum((Decimal(e.entry.details["volume_m3"]) for e in sales), T),
                    "yen": sum((Decimal(e.entry.details["total"]) for e in sales), YEN)}),
        notes=() if sales else ("売却なし / no timber sold",))
    per_tonne = position.cost_per_tonne(carbon.certified)
    to_date, carbon_to_date = money_of(snap.to_date), carbon_of(snap.to_date)
    gross, gross_to_date = (sum((y for (_, side), y in m.costs.items() if side is Side.URBAN),
                                YEN) for m in (position, to_date))
    illustrative = any(is_illustrative(e.entry.details) for e in snap.live(
        EntryKind.COST, EntryKind.SUBSIDY, EntryKind.TIMBER_SALE))
    facts = (Fact("timber", Label("間伐材売却収入", "Timber revenue"),
                  sum(position.timber.values(), YEN), "円 JPY"),
             Fact("urban_gross_cost", Label("都市側の総費用", "Urban partner's gross cost"),
                  gross, "円 JPY"),
             Fact("urban_net_cost", Label("都市側の実質負担", "Urban partner's net cost"),
                  position.net_cost[Side.URBAN], "円 JPY"),
             Fact("certified", Label("認証量", "Certified"), carbon.certified, "t-CO2"),
             Fact("cost_per_tonne", Label("認証1t当たり費用（実質）",
                                          "Net cost per certified t-CO2"),
                  per_tonne if per_tonne is not None else NONE_CERTIFIED, "円/t-CO2 JPY/t"),
             Fact("gross_cost_per_tonne", Label("認証1t当たり費用（総額）",
                                                "Gross cost per certified t-CO2"),
                  _per(gross, carbon.certified), "円/t-CO2 JPY/t"),
             Fact("urban_gross_cost_to_date", Label(
                 f"協定開始からの都市側総費用（FY{snap.agreement.first_fy}"
                 f"〜FY{snap.years[-1]}）", "Urban partner's gross cost, agreement to date"),
                  gross_to_date, "円 JPY"),
             Fact("urban_net_cost_to_date", Label("協定開始からの都市側実質負担",
                                                  "Urban partner's net cost, agreement to date"),
                  to_date.net_cost[Side.URBAN], "円 JPY"),
             Fact("certified_to_date", Label("協定開始からの認証量",
                                             "Certified, agreement to date"),
                  carbon_to_date.certified, "t-CO2"),
             Fact("cost_per_tonne_to_date", Label("協定開始からの認証1t当たり費用（実質／総額）",
                                                  "Cost per certified t to date (net / gross)"),
                  f"{_text(_per(to_date.net_cost[Side.URBAN], carbon_to_date.certified))} / "
                  f"{_text(_per(gross_to_date, carbon_to_date.certified))}", "円/t-CO2 JPY/t"))
    return Section("money", Label("費用と財源", "Costs and funding"), facts=facts,
                   tables=(costs, subsidies, timber, net),
                   notes=COST_NOTES + tuple(
                       note for note in (PUBLISHED.get((snap.urban.code, snap.forest.code)),
                                         "* 例示値を含む / includes illustrative figures"
                                         if illustrative else None) if note))


NONE_CERTIFIED = "— (認証なし / none certified)"
COST_NOTES = (
    "認証1t当たり費用 = 都市側の費用 ÷ 同じ期間の認証量。実質は補助金と間伐材収入を差し引いた負担、"
    "総額は差し引く前 / cost per certified t = the urban partner's cost over the tonnes "
    "certified in the same years; net is after subsidies and timber revenue, gross before",
    "一つの認証書は計上期間内の複数年度の間伐を対象とするため、年度の値は目安 / a "
    "certificate covers several cohorts of thinning (the crediting window), so a single "
    "year's figure is indicative; the agreement-to-date figure is the one to compare",
)
# What a published figure of a partnership corresponds to, by (urban, forest) party code.
PUBLISHED = {("131041", "202096"): (
    "公表の「約1億6,700万円」（新宿区、FY2009–FY2017）は都市側の実質負担に当たる / the "
    "published 'about 167 million yen' spent by the ward (FY2009–FY2017) corresponds to "
    "the urban partner's net cost")}


def _per(yen: Decimal, tonnes: Decimal) -> Decimal | str:
    if tonnes <= 0:
        return NONE_CERTIFIED
    return (yen / tonnes).quantize(Decimal(1), ROUND_HALF_EVEN)


def _text(value: Decimal | str) -> str:
    return f"{value:,}" if isinstance(value, Decimal) else "—"


def emissions(snap: Snapshot) -> Section:
    """Return every live emission entry of the period with the factor it used."""
    found = snap.live(EntryKind.EMISSION)
    rows = tuple(Row({
        "entry_id": e.id, "fiscal_year": e.entry.fiscal_year,
        "activity_type": glossary.label(glossary.ACTIVITIES, e.entry.details["activity_type"]),
        "source": e.entry.details.get("source", ""),
        "activity": _activity(e.entry.details["activity"]),
        **_factor(Decimal(e.entry.details["factor"]), e.entry.details["unit"]),
        "factor_set": e.entry.details["factor_set"],
        "factor_status": glossary.label(glossary.STATUSES, e.entry.details["factor_status"]),
        "tonnes": Decimal(e.entry.details["tonnes"])}, is_illustrative(e.entry.details))
        for e in found)
    table = Table("emissions", Label("排出量（排出源別）", "Emissions by source"), (
        _col("entry_id", "仕訳", "Entry", True), _col("fiscal_year", "年度", "FY", True),
        _col("activity_type", "活動", "Activity"), _col("source", "排出源", "Source"),
        _col("activity", "活動量", "Activity data"), _col("factor", "排出係数", "Factor", True),
        _col("unit", "単位", "Unit"), _col("factor_set", "係数セット", "Factor set"),
        _col("factor_status", "状態", "Status"), _col("tonnes", "t-CO2", "t-CO2", True)), rows,
        totals=Row({"activity_type": "計 / Total",
                    "tonnes": sum((Decimal(e.entry.details["tonnes"]) for e in found), T)}),
        notes=factor_year_warnings(found))
    by_activity = Table("emissions_by_account", Label("勘定別", "By account"), (
        _col("account", "勘定", "Account"), _col("tonnes", "t-CO2", "t-CO2", True)),
        tuple(Row({"account": glossary.label(glossary.ACTIVITIES, activity_of(name)),
                   "tonnes": t})
              for name, t in carbon_of(snap.period_balances()).emissions_by_activity.items()))
    scope = snap.agreement.emission_scope
    return Section("emissions", Label("排出量", "Emissions"),
                   facts=(Fact("scope", Label("対象範囲", "Scope"), scope),),
                   tables=(table, by_activity))


# A factor set published for one fiscal year names it, as electricity's do ("fepc-fy2013").
_SET_YEAR = re.compile(r"fy(\d{4})", re.IGNORECASE)


def factor_year_warnings(found: Iterable[JournalEntry]) -> tuple[str, ...]:
    """Return a warning for each (fiscal year, factor set) where the set was published for
    another fiscal year: electricity's factor changes every year, and an older one may
    overstate or understate the year's emissions."""
    mismatched = sorted({(e.entry.fiscal_year, str(e.entry.details["factor_set"]), int(m[1]))
                         for e in found
                         if (m := _SET_YEAR.search(str(e.entry.details["factor_set"])))
                         and int(m[1]) != e.entry.fiscal_year})
    return tuple(f"注意: FY{year} の排出量は FY{published} の係数セット {name} で算定 / warning: "
                 f"FY{year} emissions use factor set {name}, published for FY{published}"
                 for year, name, published in mismatched)


def _activity(stored: str) -> str:
    """Return activity data as people read it, with thousands separators: "30,230,000 kWh"
    (stored "30230000 kWh"); anything else as stored."""
    number, _, unit = stored.partition(" ")
    try:
        amount = Decimal(number)
    except ArithmeticError:
        return stored
    return f"{amount:,f} {unit}".strip()


def _factor(per_unit: Decimal, unit: str) -> dict[str, Decimal | str]:
    """Return a factor in the unit it is published in: electricity's in kg-CO2/kWh (0.570,
    not 0.00057 t), every other in t-CO2 per unit of activity."""
    if unit == "kWh":
        return {"factor": per_unit * 1000, "unit": "kg-CO2/kWh"}
    return {"factor": per_unit, "unit": f"t-CO2/{unit}"}


def _year_row(year: int, carbon: Carbon) -> Row:
    return Row({"fiscal_year": year, "emissions": carbon.emissions,
                "retired": carbon.retired.quantize(T),
                "net": carbon.net, "ratio": carbon.offset_ratio,
                "pending": carbon.estimated_pending,
                "provisional_net": carbon.provisional_net,
                "provisional_ratio": carbon.provisional_ratio})


def netting_years(snap: Snapshot) -> list[int]:
    """The fiscal years the netting table shows: the term's, up to the period's end."""
    return [y for y in range(snap.term.first_fy, snap.term.last_fy + 1) if y <= snap.years[-1]]


def netting(snap: Snapshot,
            shares: tuple[PartyShare, ...] = ()) -> tuple[Section, tuple[ChartPoint, ...]]:
    """Return netting per fiscal year of the term up to the period's end, with running totals,
    the period's retirements, and the agreement's part in its urban party's netting (`shares`,
    one per year shown)."""
    shown = netting_years(snap)
    rows, points = [], []
    cumulative_e, cumulative_o = T, T
    for year in shown:
        carbon = carbon_of(snap.balances[year])
        cumulative_e += carbon.emissions
        cumulative_o += carbon.retired
        rows.append(_year_row(year, carbon))
        points.append(ChartPoint(year, carbon.emissions, carbon.retired, cumulative_e,
                                 cumulative_o, carbon.estimated_pending, carbon.offset_ratio,
                                 carbon.provisional_ratio))
    period = carbon_of(snap.period_balances())
    total = carbon_of(snap.summed(shown))
    columns = (
        _col("fiscal_year", "年度", "FY", True), _col("emissions", "排出量 E", "Emissions E", True),
        _col("retired", "無効化 O", "Retired O", True), _col("net", "差引 E−O", "Net E−O", True),
        _col("ratio", "相殺率 O/E", "Offset ratio", True),
        _col("pending", "推計（暫定）", "Estimates (provisional)", True),
        _col("provisional_net", "差引（暫定）", "Net (provisional)", True),
        _col("provisional_ratio", "相殺率（暫定）", "Ratio (provisional)", True))
    table = Table("netting", Label("年度別の相殺と累計", "Netting per FY and cumulative"),
                  columns, tuple(rows),
                  totals=Row({**_year_row(0, total).values, "fiscal_year": "累計 / Cumulative"}),
                  notes=(f"{PROVISIONAL}: 認証待ちの推計を含む見込み / includes estimates "
                         "still awaiting certification; not certified",))
    facts = (Fact("emissions", Label("排出量 E", "Emissions E"), period.emissions, "t-CO2"),
             Fact("retired", Label("無効化 O", "Retired O"), period.retired.quantize(T),
                  "t-CO2"),
             Fact("net", Label("差引 E−O", "Net E−O"), period.net, "t-CO2"),
             Fact("ratio", Label("相殺率", "Offset ratio"), period.offset_ratio, "ratio"),
             Fact("retired_to_date", Label("協定開始からの無効化量",
                                           "Retired, agreement to date"),
                  carbon_of(snap.to_date).retired, "t-CO2"),
             Fact("provisional_offset", Label("相殺量（暫定）", "Offset (provisional)"),
                  period.provisional_offset, "t-CO2"),
             Fact("provisional_ratio", Label("相殺率（暫定）", "Offset ratio (provisional)"),
                  period.provisional_ratio, "ratio"))
    return (Section("netting", Label("相殺の状況", "Netting"), facts=facts,
                    tables=(table, _retirements(snap), party_netting(snap, shares))),
            tuple(points))


def party_netting(snap: Snapshot, shares: tuple[PartyShare, ...]) -> Table:
    """Return the agreement's part in its urban party's netting, year by year: its own
    retirements and the scope it offsets beside the party's totals over every agreement it
    is the urban partner of, and where the other agreements' chains were read."""
    columns = (
        _col("fiscal_year", "年度", "FY", True), _col("agreements", "協定数", "Agreements", True),
        _col("emissions_here", "本協定の排出量", "Emissions, this scope", True),
        _col("emissions", "都市側の排出量計", "Party's emissions", True),
        _col("retired_here", "本協定の無効化", "Retired here", True),
        _col("retired", "都市側の無効化計", "Party's retired", True),
        _col("share_ratio", "本協定の割合", "Share of retired", True),
        _col("contributed_ratio", "相殺率への寄与", "Part of party ratio", True),
        _col("offset_ratio", "都市側の相殺率", "Party's offset ratio", True))
    rows = tuple(Row({"fiscal_year": s.fiscal_year, "agreements": s.agreements,
                      "emissions_here": s.emissions_here, "emissions": s.emissions,
                      "retired_here": s.retired_here.quantize(T), "retired": s.retired.quantize(T),
                      "share_ratio": s.share_of_retired, "contributed_ratio": s.contributed_ratio,
                      "offset_ratio": s.offset_ratio}) for s in shares)
    read_at = sorted({(o.agreement_id, o.entry_count, o.head) for s in shares for o in s.others})
    notes = (f"都市側計: {snap.urban.name_ja}が都市側となる全協定（当該年度）の計 / party's "
             f"totals: every agreement {snap.urban.name_en} is the urban partner of in the year",
             *(f"協定 {a} の台帳 / agreement {a}'s chain read at seq {n}, head {h}"
               for a, n, h in read_at))
    return Table("party_netting",
                 Label("都市側の相殺への寄与", "Part in the urban party's netting"),
                 columns, rows, notes=notes)


def _retirements(snap: Snapshot) -> Table:
    """Return the register of the period's retirements: when, how much, of which vintages,
    for whom and why."""
    retired = snap.live(EntryKind.RETIREMENT)
    return Table("retirements", Label("無効化の記録", "Retirement register"), (
        _col("entry_id", "仕訳", "Entry", True), _col("retired_on", "無効化日", "Retired on"),
        _col("fiscal_year", "対象年度", "For FY", True),
        _col("tonnes", "数量 t-CO2", "t-CO2", True),
        _col("vintages", "認証年度（数量）", "Vintages (t)"),
        _col("beneficiary", "受益者", "Beneficiary"), _col("purpose", "目的", "Purpose")),
        tuple(Row({"entry_id": e.id, "retired_on": e.entry.effective_date,
                   "fiscal_year": e.entry.fiscal_year,
                   "tonnes": Decimal(e.entry.details["tonnes"]),
                   "vintages": ", ".join(f"FY{year} {tonnes}" for year, tonnes
                                         in sorted(e.entry.details["vintages"].items())),
                   "beneficiary": e.entry.details["beneficiary"],
                   "purpose": e.entry.details["purpose"]}, is_illustrative(e.entry.details))
              for e in retired),
        totals=Row({"retired_on": "計 / Total",
                    "tonnes": sum((Decimal(e.entry.details["tonnes"]) for e in retired), T)}),
        notes=() if retired else ("無効化なし / no retirements",))
