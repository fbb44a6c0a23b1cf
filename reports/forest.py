"""The forest half of a report: thinning log, absorption computation, estimate vs certificate."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from offset.forestry.absorption import MEASURED, estimate_inputs
from offset.forestry.absorption import Row as InputRow
from offset.ledger.accounts import ESTIMATED
from offset.ledger.model import Commodity, EntryKind, JournalEntry
from offset.numbers import ZERO
from reports import glossary
from reports.data import Column, Fact, Label, Row, Section, Table, Value
from reports.reading import Snapshot

T = Decimal("0.000")
ILLUSTRATIVE = "illustrative"
METHODS = {"national-inventory": Label("国家インベントリ方式", "national GHG inventory method"),
           "per-area-rate": Label("面積当たり吸収量方式", "per-area rate method")}


def is_illustrative(details: Mapping[str, Any]) -> bool:
    """True for an entry whose figures are marked {"figure": "illustrative"}."""
    return details.get("figure") == ILLUSTRATIVE


def _col(key: str, ja: str, en: str, numeric: bool = False) -> Column:
    return Column(key, Label(ja, en), numeric)


def thinning_log(snap: Snapshot) -> Section:
    """Return the work done in the period, stand by stand."""
    rows = []
    for work in snap.thinnings:
        stand = snap.stands[work.stand_id, work.stand_version]
        species = snap.parameters.species.get(stand.current.species_code)
        rows.append(Row({
            "thinning_id": work.id, "fiscal_year": work.fiscal_year, "stand": stand.label,
            "species": f"{species.name_ja} / {species.name_en}" if species
            else stand.current.species_code,
            "age": stand.age(work.fiscal_year), "area_ha": work.area_ha,
            "intensity": work.intensity_percent, "volume_m3": work.volume_m3,
            "started_on": work.started_on, "finished_on": work.finished_on,
            "contractor": work.contractor}, illustrative=ILLUSTRATIVE in work.note.lower()))
    table = Table("thinnings", Label("間伐実績", "Thinning log"), (
        _col("thinning_id", "番号", "No.", True), _col("fiscal_year", "年度", "FY", True),
        _col("stand", "林班・小班", "Stand"), _col("species", "樹種", "Species"),
        _col("age", "林齢", "Age", True), _col("area_ha", "面積 ha", "Area ha", True),
        _col("intensity", "間伐率 %", "Intensity %", True),
        _col("volume_m3", "材積 m3", "Volume m3", True),
        _col("started_on", "着手", "Started"), _col("finished_on", "完了", "Finished"),
        _col("contractor", "事業体", "Contractor")), tuple(rows),
        totals=Row({"stand": "計 / Total",
                    "area_ha": sum((w.area_ha for w in snap.thinnings), Decimal("0.0000")),
                    "volume_m3": sum((w.volume_m3 for w in snap.thinnings
                                      if w.volume_m3 is not None), Decimal("0.000"))}))
    return Section("thinning", Label("間伐実績", "Thinning log"),
                   facts=(Fact("count", Label("件数", "Records"), len(rows)),
                          Fact("area_ha", Label("間伐面積", "Area thinned"),
                               table.totals["area_ha"] if table.totals else ZERO, "ha"),
                          Fact("area_to_date", Label(
                              f"協定開始からの間伐面積（FY{snap.agreement.first_fy}〜FY{snap.years[-1]}）",
                              "Area thinned, agreement to date"), snap.area_to_date, "ha")),
                   tables=(table,))


# Absorption: the estimate entries as posted, with every input they recorded.

# Report column ← estimate row key (offset.forestry.absorption): keys, never labels, so a
# reworded label cannot empty a column.
_INPUT_COLUMNS = (("area_ha", "area"), ("species", "species"), ("age", "age"),
                  ("growth", "growth"), ("bef", "bef"), ("r", "root_shoot_ratio"),
                  ("d", "wood_density"), ("cf", "carbon_fraction"), ("rate", "rate"))


def estimate_columns(details: Mapping[str, Any],
                     inputs: dict[str, InputRow] | None = None) -> dict[str, Value]:
    """Return the absorption table's input columns for one estimate entry's details (whose
    inputs, read already, may be given)."""
    if inputs is None:
        inputs = estimate_inputs(details)
    columns = {column: inputs[key].value if key == "species"
               else _number(str(inputs[key].value))
               for column, key in _INPUT_COLUMNS if key in inputs}
    if (growth := inputs.get("growth")) is not None:
        columns["growth_from"] = ("実測 / measured" if growth.source == MEASURED
                                  else "収穫表 / yield table")
    return columns


def _number(text: str) -> Value:
    try:
        value = Decimal(text)
    except ArithmeticError:
        return text
    return int(value) if value == value.to_integral_value() and "." not in text else value


def absorption(snap: Snapshot) -> Section:
    """Return the computation of every live estimate and adjustment of the period."""
    estimates = snap.live(EntryKind.ESTIMATE)
    adjustments = snap.live(EntryKind.ESTIMATE_ADJUSTMENT)
    rows = [Row({"entry_id": e.id, "fiscal_year": e.entry.fiscal_year,
                 "thinning_id": e.entry.details.get("thinning_id"),
                 "stand": _stand_label(snap, e.entry.details),
                 **(columns := estimate_columns(e.entry.details, snap.inputs(e))),
                 "species_name": _species_name(snap, columns.get("species")),
                 "parameter_set": e.entry.details.get("parameter_set"),
                 "tonnes": _tonnes(e)}, is_illustrative(e.entry.details)) for e in estimates]
    for e in adjustments:
        rows += _adjustment_rows(snap, e)
    total = sum((_tonnes(e) for e in (*estimates, *adjustments)), T)
    method = METHODS[snap.agreement.absorption_method.value]
    table = Table("estimates", Label("間伐ごとの推計", "Estimate per thinning"), (
        _col("entry_id", "仕訳", "Entry", True), _col("fiscal_year", "年度", "FY", True),
        _col("thinning_id", "間伐", "Thinning", True), _col("stand", "林班・小班", "Stand"),
        _col("species_name", "樹種", "Species"),
        _col("age", "林齢", "Age", True), _col("area_ha", "A ha", "A ha", True),
        _col("growth", "ΔV", "m3/ha/yr", True), _col("growth_from", "ΔV出典", "ΔV from"),
        _col("bef", "BEF", "BEF", True),
        _col("r", "R", "R", True), _col("d", "D t/m3", "D", True), _col("cf", "CF", "CF", True),
        _col("rate", "t/ha/yr", "rate", True), _col("tonnes", "t-CO2", "t-CO2", True)),
        tuple(rows), totals=Row({"species_name": "計 / Total", "tonnes": total}))
    facts: tuple[Fact, ...] = (
             Fact("method", Label("算定方法", "Method"), f"{method.ja} / {method.en}"),
             Fact("formula", Label("算定式", "Formula"),
                  "A × ΔV × BEF × (1 + R) × D × CF × 44/12" if snap.agreement.per_area_rate
                  is None else f"A × {snap.agreement.per_area_rate} t-CO2/ha/yr"),
             Fact("window", Label("計上期間", "Crediting window"),
                  snap.agreement.crediting_window, "FY"),
             Fact("parameter_sets", Label("パラメータセット", "Parameter set"),
                  ", ".join(snap.parameter_sets) or "—"),
             Fact("posted", Label("推計吸収量（計上）", "Estimated absorption posted"), total,
                  "t-CO2"))
    parameters = _parameters(snap, rows)
    unverified = STATUS_UNVERIFIED
    facts += (Fact("unverified_parameters", Label("出典未確認のパラメータ",
                                                  "Parameters marked unverified"),
                   sum(1 for r in parameters.rows if r["status"] == unverified), "件"),)
    return Section("absorption", Label("吸収量の算定", "Absorption computation"), facts=facts,
                   tables=(table, parameters, _yield_tables(snap, estimates)))


STATUS_UNVERIFIED = glossary.label(glossary.STATUSES, "unverified")


def _adjustment_rows(snap: Snapshot, adjustment: JournalEntry) -> list[Row]:
    """Return an adjustment's rows: each work's recomputed estimate with its inputs, then the
    estimate posted before, subtracted, so that the rows add up to the adjustment. One row
    naming only the adjustment for an entry posted before the lines were kept."""
    d, illustrative = adjustment.entry.details, is_illustrative(adjustment.entry.details)
    lines = d.get("lines")
    if not lines:
        return [Row({"entry_id": adjustment.id, "fiscal_year": adjustment.entry.fiscal_year,
                     "species_name": "調整 / adjustment", "parameter_set": d.get("parameter_set"),
                     "tonnes": _tonnes(adjustment)}, illustrative)]
    rows = [Row({"entry_id": adjustment.id, "fiscal_year": adjustment.entry.fiscal_year,
                 "thinning_id": line.get("thinning_id"), "stand": _stand_label(snap, line),
                 **(columns := estimate_columns(line)),
                 "species_name": f"{_species_name(snap, columns.get('species'))}（調整 adj.）",
                 "parameter_set": line.get("parameter_set"),
                 "tonnes": Decimal(line["tonnes"])}, illustrative) for line in lines]
    if Decimal(d["posted_before"]):
        rows.append(Row({"entry_id": adjustment.id, "fiscal_year": adjustment.entry.fiscal_year,
                         "species_name": "既計上分を差引 / less posted before",
                         "tonnes": -Decimal(d["posted_before"])}, illustrative))
    return rows


def _stand_label(snap: Snapshot, cited: Mapping[str, Any]) -> str | None:
    """Return the site, compartment and stand an estimate's work was done on, whichever
    fiscal year the work was logged in."""
    if "stand_id" not in cited:
        return None
    stand = snap.stands.get((int(cited["stand_id"]), int(cited["stand_version"])))
    return stand.label if stand is not None else f"stand {cited['stand_id']}"


def _species_name(snap: Snapshot, code: object) -> str:
    species = snap.parameters.species.get(str(code)) if code is not None else None
    return f"{species.name_ja} / {species.name_en}" if species else str(code or "")


def _tonnes(entry: JournalEntry) -> Decimal:
    return sum((p.amount for p in entry.entry.postings
                if p.account == ESTIMATED and p.commodity is Commodity.TCO2E_EST), T)


def _parameters(snap: Snapshot, rows: Iterable[Row]) -> Table:
    used = {(r.values.get("parameter_set"), r.values.get("species")) for r in rows}
    found = []
    sources: dict[str, int] = {}  # each source printed once, below the table, by number
    for label, parameters in snap.parameter_sets.items():
        for code, species in sorted(parameters.species.items()):
            if (label, code) not in used:
                continue
            for name, value in sorted(species.values.items()):
                found.append(Row({"parameter_set": label, "species": f"{species.name_ja} / "
                                  f"{species.name_en}",
                                  "parameter": glossary.label(glossary.PARAMETERS, name),
                                  "value": value.value,
                                  "status": glossary.label(glossary.STATUSES, value.status),
                                  "source": f"[{_number_of(sources, value.source)}]"}))
    return Table("parameters", Label("使用したパラメータ", "Parameters used"), (
        _col("parameter_set", "セット", "Set"), _col("species", "樹種", "Species"),
        _col("parameter", "項目", "Parameter"), _col("value", "値", "Value", True),
        _col("status", "状態", "Status"), _col("source", "出典", "Source")), tuple(found),
        notes=(*(f"出典 / source [{n}]: {text}" for text, n in sources.items()),
               "unverified = 出典未確認 / source not yet verified"))


def _number_of(numbered: dict[str, int], key: str) -> int:
    """Return `key`'s number in `numbered`, giving it the next one when it is new."""
    return numbered.setdefault(key, len(numbered) + 1)


def _yield_tables(snap: Snapshot, estimates: list[JournalEntry]) -> Table:
    volumes: dict[tuple[str, str, int, int], tuple[Decimal, bool]] = {}
    for e in estimates:
        label = e.entry.details.get("yield_table")
        inputs = snap.inputs(e)
        if not label or "age_class" not in inputs:
            continue
        table = snap.yield_tables.get(label)
        age_class, site = int(inputs["age_class"].value), int(inputs["site_class"].value)
        for c, key in ((age_class, "volume_this_class"), (age_class + 1, "volume_next_class")):
            if (volume := inputs.get(key)) is not None:
                volumes[label, str(inputs["species"].value), site, c] = (
                    Decimal(volume.value), bool(table and table.illustrative))
    rows = tuple(Row({"yield_table": k[0], "species": k[1], "site_class": k[2],
                      "age_class": k[3], "volume": v[0],
                      "status": "例示 / ILLUSTRATIVE" if v[1] else "—"}, illustrative=v[1])
                 for k, v in sorted(volumes.items()))
    return Table("yield", Label("収穫表（使用値）", "Yield table (values used)"), (
        _col("yield_table", "収穫表", "Table"), _col("species", "樹種", "Species"),
        _col("site_class", "地位", "Site class", True),
        _col("age_class", "齢級", "Age class", True),
        _col("volume", "材積 m3/ha", "Volume m3/ha", True), _col("status", "区分", "Status")),
        rows, notes=("例示の収穫表は実測値ではありません / an illustrative yield table is not "
                     "measured data",) if any(r.illustrative for r in rows) else ())


def certification(snap: Snapshot) -> Section:
    """Return, for every fiscal year of the period, the certificate against the estimate."""
    certified = {e.entry.fiscal_year: e for e in snap.live(EntryKind.CERTIFICATION)}
    rows = []
    for year in snap.years:
        found = certified.get(year)
        if found is None:
            pending = snap.balances[year].get((ESTIMATED, Commodity.TCO2E_EST), T)
            rows.append(Row({"fiscal_year": year, "provisional": pending,
                             "status": "認証待ち（暫定）/ pending (provisional)"}))
            continue
        d = found.entry.details
        rows.append(Row({
            "fiscal_year": year, "entry_id": found.id, "certified": Decimal(d["certified"]),
            "estimated": Decimal(d["estimated"]), "difference": Decimal(d["difference"]),
            "body": d["body"], "certificate_number": d["certificate_number"],
            "issued_on": date.fromisoformat(d["issued_on"]),
            "area_ha": None if d.get("certified_area_ha") is None
            else Decimal(d["certified_area_ha"]), "status": "認証済 / certified"},
            is_illustrative(d)))
    # Each column adds up itself: the estimates certificates replaced, and apart from them
    # the provisional estimates of years still awaiting certification.
    sums = {k: sum((r.values.get(k) or T for r in rows), T)
            for k in ("certified", "estimated", "difference", "provisional")}
    table = Table("certifications", Label("推計と認証", "Estimate vs certification"), (
        _col("fiscal_year", "年度", "FY", True), _col("certified", "認証量 t", "Certified t", True),
        _col("estimated", "推計量 t", "Estimated t", True),
        _col("difference", "差 t", "Difference t", True),
        _col("provisional", "暫定推計 t", "Provisional t", True), _col("body", "認証者", "Body"),
        _col("certificate_number", "認証番号", "Certificate"),
        _col("issued_on", "発行日", "Issued"), _col("area_ha", "面積 ha", "Area ha", True),
        _col("status", "状態", "Status")), tuple(rows),
        totals=Row({"fiscal_year": "計", **sums}))
    return Section("certification", Label("推計と認証", "Estimate vs certification"),
                   facts=(Fact("certified", Label("認証量", "Certified"), sums["certified"],
                               "t-CO2"), *_track_record(snap, rows)), tables=(table,))


def _track_record(snap: Snapshot, rows: list[Row]) -> tuple[Fact, ...]:
    """Return how the estimates have compared with the certificates so far (every certified
    year from the agreement's first to the period's last), and the per-area rate of both:
    certified tonnes per certified hectare beside the provisional estimates per hectare of
    the period's years still awaiting certification."""
    gaps, certified_t, certified_ha = [], T, Decimal("0.0000")
    for e in snap.certificates_to_date:
        d = e.entry.details
        certified, estimated = Decimal(d["certified"]), Decimal(d["estimated"])
        if certified > 0:
            gaps.append((estimated - certified) / certified * 100)
        if d.get("certified_area_ha") is not None:
            certified_t += certified
            certified_ha += Decimal(d["certified_area_ha"])
    facts = []
    if gaps:
        low, high = (g.quantize(Decimal("1"), ROUND_HALF_EVEN) for g in (min(gaps), max(gaps)))
        if low > 0:
            said = (f"認証済の{len(gaps)}年度すべてで推計が認証量を {low}〜{high} % 上回った / "
                    f"estimates exceeded certifications by {low}–{high} % in every one of "
                    f"the {len(gaps)} certified years")
        elif high < 0:
            said = (f"認証済の{len(gaps)}年度すべてで推計が認証量を {-high}〜{-low} % 下回った"
                    f" / estimates fell short of certifications by {-high}–{-low} % in every "
                    f"one of the {len(gaps)} certified years")
        else:
            said = (f"認証済の{len(gaps)}年度で推計と認証量の差は {low}〜{high} % / estimates "
                    f"differed from certifications by {low} to {high} % over the "
                    f"{len(gaps)} certified years")
        facts.append(Fact("track_record", Label("これまでの推計と認証の比較",
                                                "Estimates against certificates so far"),
                          said))
    if certified_ha > 0:
        facts.append(Fact("certified_per_ha", Label("認証量の1ha当たり（認証済年度）",
                                                    "Certified t-CO2 per ha (certified years)"),
                          (certified_t / certified_ha).quantize(T, ROUND_HALF_EVEN),
                          "t-CO2/ha"))
    pending = [r["fiscal_year"] for r in rows if r.values.get("provisional") is not None]
    area = Decimal("0.0000")
    for e in snap.live(EntryKind.ESTIMATE):
        inputs = snap.inputs(e)
        if e.entry.fiscal_year in pending and "area" in inputs:
            area += Decimal(str(inputs["area"].value))
    provisional = sum((Decimal(str(r.values.get("provisional") or 0)) for r in rows), T)
    if area > 0:
        facts.append(Fact("provisional_per_ha", Label(
            "暫定推計の1ha当たり（認証待ち年度）", "Provisional t-CO2 per ha (years pending)"),
            (provisional / area).quantize(T, ROUND_HALF_EVEN), "t-CO2/ha"))
    return tuple(facts)
