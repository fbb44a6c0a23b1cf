"""Annual and term reports on SQLite and PostgreSQL: every figure of the report data is
compared with the journal, summed by plain SQL here (never through offset's netting), and the
PDF's text carries the key figures and labels in Japanese and English.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import Connection, text

from offset.agreements.model import Agreement, Term
from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.emissions import services as emissions
from offset.errors import NotFound
from offset.forestry.certification import certify
from offset.forestry.thinnings import log_thinning
from offset.ledger import services as ledger
from offset.ledger.model import Commodity, Entry, EntryKind, Posting
from offset.money import services as money
from reports import build_annual, build_term, render_pdf
from reports.data import ReportData
from tests.builders import (
    agreement,
    certificate,
    cost,
    emission,
    retirement,
    stand,
    subsidy,
    thinning,
    timber_sale,
)

FY = 2013
T = Decimal("0.000")


@dataclass(frozen=True)
class Case:
    agreement: Agreement
    reversed_cost_id: int
    illustrative_cost_id: int


def scenario(work: UnitOfWork) -> Case:
    """A national-inventory agreement FY2009–FY2013 (+ a term FY2014–FY2018) with work,
    a certification, money, emissions, retirements, a reversal and an illustrative figure."""
    deal = agreement(work, terms=((2009, 2013), (2014, 2018)))
    old = stand(work, "1", area="12", species="sugi", planting_year=1975)
    larch = stand(work, "2", area="20", species="karamatsu", planting_year=1985)
    for fy, where, area in ((2011, old, "6"), (2012, larch, "9.5"), (2013, old, "5"),
                            (2013, larch, "8.25")):
        work_done = replace(thinning(deal.id, where.id, area, fy), volume_m3=Decimal("48.125"),
                            intensity_percent=Decimal(30))
        log_thinning(work, deal, work_done, "forestry")
    certify(work, deal, certificate("120.5", 2012), "forestry")
    thinning_cost = money.record_cost(work, deal, cost(4_500_000, FY), "urban")
    money.record_cost(work, deal, cost(1_000_000, FY, "work-road", bearer="forest"), "forest")
    money.record_subsidy(work, deal, subsidy(1_200_000, FY, funds=(thinning_cost.id,)),
                         "urban")
    money.record_subsidy(work, deal, subsidy(300_000, FY, "prefectural", recipient="forest"),
                         "forest")
    money.record_timber_sale(work, deal, timber_sale("35.5", 8_000, FY), "forest")
    wrong = money.record_cost(work, deal, cost(777_777, FY, "survey"), "urban")
    ledger.reverse(work, wrong.id, "amount typed twice", "urban")
    shown = ledger.post(work, [Entry(
        deal.id, FY, EntryKind.COST, date(FY, 9, 1), "説明用の事務費 illustrative admin cost",
        (Posting("Expenses:Cost:Administration:Urban", Commodity.JPY, Decimal(250_000)),
         Posting("Equity:Funding:Urban", Commodity.JPY, Decimal(-250_000))),
        details={"category": "administration", "amount": "250000",
                 "shares": {"urban": "250000", "forest": "0"}, "thinning_ids": [],
                 "figure": "illustrative"}, recorded_by="urban")])[0]
    for fy, kwh, factors in ((2012, "400000 kWh", "tepco-fy2010"),
                             (FY, "350000 kWh", "fepc-fy2013")):
        emissions.record_emission(work, deal, emission(kwh, fy, factor_set=factors), "urban")
    emissions.record_emission(work, deal, emission("12000 L", FY, "gasoline", "jp-2010"),
                              "urban")
    emissions.retire(work, deal, retirement("100", 2012), "urban")
    emissions.retire(work, deal, retirement("20.5", FY), "urban")
    return Case(deal, wrong.id, shown.id)


# Separate queries: plain SQL over the journal's tables. Exact quantities are stored as
# scaled integers (postings in thousandths, areas in ten-thousandths of their unit).

def unscaled(stored: object, places: int = 3) -> Decimal:
    return Decimal(int(stored)).scaleb(-places)  # type: ignore[call-overload]


def sql_balances(db: Connection, agreement_id: int, years: list[int]
                 ) -> dict[tuple[str, str], Decimal]:
    rows = db.execute(text(
        "SELECT a.name, p.commodity, SUM(p.amount) FROM postings p "
        "JOIN entries e ON e.id = p.entry_id JOIN accounts a ON a.id = p.account_id "
        "WHERE e.agreement_id = :a AND e.fiscal_year BETWEEN :first AND :last "
        "GROUP BY a.name, p.commodity"), {"a": agreement_id, "first": years[0],
                                          "last": years[-1]})
    return {(name, commodity): unscaled(total) for name, commodity, total in rows}


def sql_sum(balances: dict[tuple[str, str], Decimal], prefix: str, commodity: str) -> Decimal:
    return sum((v for (name, c), v in balances.items()
                if c == commodity and (name == prefix or name.startswith(prefix + ":"))),
               Decimal(0))


def live_postings(db: Connection, agreement_id: int, years: list[int], kinds: list[str],
                  account: str) -> dict[int, Decimal]:
    """Return, per entry of `kinds` not reversed, its postings to `account`."""
    rows = db.execute(text(
        "SELECT e.id, SUM(p.amount) FROM entries e JOIN postings p ON p.entry_id = e.id "
        "JOIN accounts a ON a.id = p.account_id WHERE e.agreement_id = :a "
        "AND e.fiscal_year BETWEEN :first AND :last AND a.name = :account "
        f"AND e.kind IN ({', '.join(repr(k) for k in kinds)}) "
        "AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.reverses_id = e.id) GROUP BY e.id"),
        {"a": agreement_id, "first": years[0], "last": years[-1], "account": account})
    return {entry_id: unscaled(total) for entry_id, total in rows}


def report_agreement(db: Connection, agreement_id: int) -> list[Term]:
    rows = db.execute(text("SELECT number, first_fy, last_fy FROM agreement_terms "
                           "WHERE agreement_id = :a"), {"a": agreement_id})
    return [Term(*row) for row in rows]


def assert_reconciles(db: Connection, report: ReportData) -> None:
    years, a = list(report.fiscal_years), report.agreement_id
    sums = sql_balances(db, a, years)

    def jpy(prefix: str) -> Decimal:
        return sql_sum(sums, prefix, "JPY")

    def t(prefix: str) -> Decimal:
        return sql_sum(sums, prefix, "tCO2e")

    thinning = report.section("thinning")
    area, count = db.execute(text(
        "SELECT COALESCE(SUM(area_ha), 0), COUNT(*) FROM thinnings WHERE agreement_id = :a "
        "AND fiscal_year BETWEEN :f AND :l"), {"a": a, "f": years[0], "l": years[-1]}).one()
    assert (thinning.fact("area_ha"), thinning.fact("count")) == (unscaled(area, 4), count)
    volume = db.execute(text(
        "SELECT COALESCE(SUM(volume_m3), 0) FROM thinnings WHERE agreement_id = :a "
        "AND fiscal_year BETWEEN :f AND :l"), {"a": a, "f": years[0], "l": years[-1]}).scalar()
    assert thinning.table("thinnings").totals["volume_m3"] == unscaled(volume, 3)  # type: ignore[index]

    absorption = report.section("absorption")
    estimates = live_postings(db, a, years, ["estimate", "estimate-adjustment"],
                              "Assets:Carbon:Estimated")
    table = absorption.table("estimates")
    assert {r["entry_id"]: r["tonnes"] for r in table.rows} == estimates
    assert absorption.fact("posted") == sum(estimates.values(), T)

    certified = report.section("certification")
    assert certified.fact("certified") == -t("Income:Carbon:Certified")
    for row in certified.table("certifications").rows:
        year = [int(row["fiscal_year"])]  # type: ignore[arg-type]
        if row.values.get("certified") is not None:
            assert row["certified"] == -sql_sum(sql_balances(db, a, year),
                                                "Income:Carbon:Certified", "tCO2e")
        else:
            assert row["provisional"] == sql_sum(sql_balances(db, a, year),
                                                 "Assets:Carbon:Estimated", "tCO2e-est")

    money_ = report.section("money")
    for key, prefix in (("costs", "Expenses:Cost"), ("subsidies", "Income:Subsidy")):
        rows = money_.table(key).rows
        sign = 1 if key == "costs" else -1
        assert sum((r["yen"] for r in rows), Decimal(0)) == sign * jpy(prefix)  # type: ignore
        assert money_.table(key).totals["yen"] == sign * jpy(prefix)  # type: ignore[index]
    # A party's net cost is what its funding account gave; a negative one (the forest party
    # earning more than it spends) is shown as a positive net income instead.
    net = [r["net"] - r["net_income"] for r in money_.table("net_cost").rows]  # type: ignore
    urban_net, forest_net = -jpy("Equity:Funding:Urban"), -jpy("Equity:Funding:Forest")
    assert net == [urban_net, forest_net]
    assert all(r["net"] >= 0 and r["net_income"] >= 0  # type: ignore[operator]
               for r in money_.table("net_cost").rows)
    assert money_.fact("timber") == -jpy("Income:Timber")
    sold = money_.table("timber")
    assert {r["entry_id"]: r["yen"] for r in sold.rows} == {
        entry_id: -amount for side in ("Urban", "Forest") for entry_id, amount in
        live_postings(db, a, years, ["timber-sale"], f"Income:Timber:{side}").items()}
    assert sold.totals["yen"] == -jpy("Income:Timber")  # type: ignore[index]
    tonnes = -t("Income:Carbon:Certified")
    expected_per_tonne = (urban_net / tonnes).quantize(Decimal(1)) if tonnes else None
    assert money_.fact("cost_per_tonne") in (expected_per_tonne,
                                             "— (認証なし / none certified)")
    if tonnes:
        assert money_.fact("cost_per_tonne") == expected_per_tonne

    def urban_gross(balances: dict[tuple[str, str], Decimal]) -> Decimal:
        return sum((v for (name, c), v in balances.items()
                    if c == "JPY" and name.startswith("Expenses:Cost:")
                    and name.endswith(":Urban")), Decimal(0))
    gross = urban_gross(sums)
    assert money_.fact("gross_cost_per_tonne") == (
        (gross / tonnes).quantize(Decimal(1)) if tonnes else "— (認証なし / none certified)")
    first = min(t.first_fy for t in report_agreement(db, a))
    to_date = sql_balances(db, a, list(range(first, years[-1] + 1)))
    assert money_.fact("urban_gross_cost_to_date") == urban_gross(to_date)
    assert money_.fact("urban_net_cost_to_date") == -sql_sum(to_date, "Equity:Funding:Urban",
                                                             "JPY")
    assert money_.fact("certified_to_date") == -sql_sum(to_date, "Income:Carbon:Certified",
                                                        "tCO2e")

    emitted = report.section("emissions").table("emissions")
    assert {r["entry_id"]: r["tonnes"] for r in emitted.rows} == {
        entry_id: -amount for entry_id, amount in live_postings(
            db, a, years, ["emission"], "Liabilities:Emissions").items()}
    assert emitted.totals["tonnes"] == t("Expenses:Emissions")  # type: ignore[index]

    netting = report.section("netting")
    e, o = t("Expenses:Emissions"), t("Expenses:Carbon:Retired")
    assert (netting.fact("emissions"), netting.fact("retired"), netting.fact("net")) == (
        e, o, e - o)
    assert netting.fact("ratio") == ((o / e).quantize(Decimal("0.000001")) if e else None)
    pending = sql_sum(sums, "Assets:Carbon:Estimated", "tCO2e-est")
    assert netting.fact("provisional_offset") == o + pending
    register = netting.table("retirements")
    assert register.totals["tonnes"] == o  # type: ignore[index]
    assert sorted(r["entry_id"] for r in register.rows) == sorted(live_postings(
        db, a, years, ["retirement"], "Expenses:Carbon:Retired"))
    for row in netting.table("netting").rows:
        year = sql_balances(db, a, [int(row["fiscal_year"])])  # type: ignore[arg-type]
        assert (row["emissions"], row["retired"]) == (
            sql_sum(year, "Expenses:Emissions", "tCO2e"),
            sql_sum(year, "Expenses:Carbon:Retired", "tCO2e"))

    reversals = db.execute(text(
        "SELECT id, reverses_id, reason, recorded_by FROM entries WHERE agreement_id = :a "
        "AND kind = 'reversal' AND fiscal_year BETWEEN :f AND :l ORDER BY seq"),
        {"a": a, "f": years[0], "l": years[-1]}).all()
    assert [(r["entry_id"], r["reverses"], r["reason"], r["recorded_by"])
            for r in report.section("corrections").table("reversals").rows] == [
        tuple(r) for r in reversals]

    table = report.section("balances").table("balances")
    shown = {(r["account"], r["commodity"]): r["amount"] for r in table.rows if r["amount"]}
    assert shown == {k: v for k, v in sums.items() if v}
    first = min(t.first_fy for t in report_agreement(db, a))
    before = sql_balances(db, a, [first, years[0] - 1]) if first < years[0] else {}
    for r in table.rows:
        key = (r["account"], r["commodity"])
        assert r["opening"] == before.get(key, 0), key
        assert r["closing"] == before.get(key, 0) + sums.get(key, 0), key

    count, head = db.execute(text("SELECT entry_count, hash FROM chain_heads "
                                  "WHERE agreement_id = :a"), {"a": a}).one()
    assert count == db.execute(text("SELECT COUNT(*) FROM entries WHERE agreement_id = :a"),
                               {"a": a}).scalar_one()
    assert (report.chain.entry_count, report.chain.head_hash) == (count, head)
    chain = report.section("chain")
    assert (chain.fact("entry_count"), chain.fact("head_hash")) == (count, head)


def pdf_text(report: ReportData) -> str:
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_annual_report_reconciles_to_the_journal(uow: UnitOfWorkFactory,
                                                     connection: Connection):
    with uow() as work:
        case = scenario(work)
        work.commit()
    with uow(read_only=True) as work:
        report = build_annual(work, case.agreement, FY)
    assert report.fiscal_years == (FY,)
    assert_reconciles(connection, report)
    money_ = report.section("money")
    assert {r["yen"] for r in money_.table("costs").rows} == {
        Decimal(4_500_000), Decimal(1_000_000), Decimal(250_000)}
    # Electricity's factor is printed in kg-CO2/kWh: kWh × factor / 1000 is the row's tonnes.
    electricity = [r for r in report.section("emissions").table("emissions").rows
                   if r["unit"] == "kg-CO2/kWh"]
    assert [r["activity"] for r in electricity] == ["350,000 kWh"]  # with separators
    for r in electricity:
        kwh = Decimal(str(r["activity"]).split()[0].replace(",", ""))
        assert (kwh * r["factor"] / 1000).quantize(T) == r["tonnes"]  # type: ignore[operator]
    corrections = report.section("corrections").table("reversals").rows
    assert [r["reverses"] for r in corrections] == [case.reversed_cost_id]
    # the survey cost of 777,777 yen typed twice, reversed: what the correction moved
    assert [(r["yen"], r["tonnes"]) for r in corrections] == [(Decimal(777_777), None)]
    assert report.illustrative and report.legend


def test_the_term_report_reconciles_and_adds_up_the_years(uow: UnitOfWorkFactory,
                                                          connection: Connection):
    with uow() as work:
        case = scenario(work)
        work.commit()
    with uow(read_only=True) as work:
        report = build_term(work, case.agreement, 1)
    assert report.fiscal_years == tuple(range(2009, 2014))
    assert_reconciles(connection, report)
    assert [p.fiscal_year for p in report.chart] == list(range(2009, 2014))
    assert report.chart[-1].cumulative_retired == Decimal("120.500")
    assert report.section("certification").fact("certified") == Decimal("120.500")


def test_a_report_is_read_at_one_chain_head(uow: UnitOfWorkFactory, connection: Connection):
    with uow() as work:
        case = scenario(work)
        before = build_annual(work, case.agreement, FY)
        money.record_cost(work, case.agreement, cost(1_000, FY), "urban")
        after = build_annual(work, case.agreement, FY)
    assert after.chain.entry_count == before.chain.entry_count + 1
    costs = after.section("money").table("costs").totals
    assert costs["yen"] == before.section("money").table("costs").totals["yen"] + 1_000  # type: ignore


def test_the_pdf_shows_the_figures_and_labels_in_both_languages(uow: UnitOfWorkFactory):
    with uow() as work:
        case = scenario(work)
        report = build_annual(work, case.agreement, FY)
    found = pdf_text(report)
    for label in ("新宿区 / Shinjuku City", "伊那市 / Ina City", "東京都 / Tokyo",
                  "平成25年度 / FY2013", "間伐実績 / Thinning log", "推計と認証",
                  "Estimate vs certification", "暫定 / provisional", "offset verify",
                  "勘定残高 / Account balances", "訂正 / Corrections", "amount typed twice"):
        assert label in found, label
    netting = report.section("netting")
    for figure in (f"{netting.fact('emissions'):,f}", "4,500,000", report.chain.head_hash[:12],
                   str(report.chain.entry_count)):
        assert figure in found, figure
    assert "1 / " in found


def test_a_fiscal_year_or_term_outside_the_agreement_is_not_found(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        with pytest.raises(NotFound):
            build_annual(work, deal, 2020)
        with pytest.raises(NotFound):
            build_term(work, deal, 2)
        empty = build_annual(work, deal, 2010)
    assert empty.section("thinning").fact("count") == 0
    assert render_pdf(empty).startswith(b"%PDF")


def test_both_sides_appear_in_the_net_cost_table(uow: UnitOfWorkFactory):
    with uow() as work:
        case = scenario(work)
        report = build_annual(work, case.agreement, FY)
    parties = report.section("money").table("net_cost").column("party")
    assert parties == ["新宿区 / Shinjuku City", "伊那市 / Ina City"]


def test_the_demo_fy2013_annual_and_first_term_reports_reconcile(uow: UnitOfWorkFactory,
                                                                 connection: Connection):
    from offset.demo.builder import build

    with uow() as work:
        deal = build(work).agreement
        work.commit()
    with uow(read_only=True) as work:
        annual = build_annual(work, deal, FY)
        term = build_term(work, deal, 1)
    for report in (annual, term):
        assert_reconciles(connection, report)
    assert annual.section("thinning").fact("count") > 0
    assert annual.section("emissions").table("emissions").rows
    found = pdf_text(annual)
    for label in ("新宿区 / Shinjuku City", "伊那市 / Ina City", "平成25年度 / FY2013",
                  "間伐実績 / Thinning log", "排出量 / Emissions"):
        assert label in found, label
    assert render_pdf(term).startswith(b"%PDF")


def test_every_total_row_adds_up_its_own_columns(uow: UnitOfWorkFactory):
    with uow() as work:
        case = scenario(work)
        reports = [build_annual(work, case.agreement, fy) for fy in range(2009, 2014)]
        reports.append(build_term(work, case.agreement, 1))
    for report in reports:
        for section in report.sections:
            for table in section.tables:
                if table.totals is None:
                    continue
                for key, total in table.totals.values.items():
                    if not isinstance(total, Decimal) or key.endswith("ratio"):
                        continue  # a ratio's total is the ratio of the totals, not a sum
                    column = [v for v in table.column_values(key) if isinstance(v, Decimal)]
                    assert total == sum(column, Decimal(0)), (
                        report.fiscal_years, table.key, key, total, column)


def test_the_first_page_answers_who_what_where_and_the_headline_figures(
        uow: UnitOfWorkFactory, connection: Connection):
    from offset.demo.builder import build

    with uow() as work:
        deal = build(work).agreement
        work.commit()
    with uow(read_only=True) as work:
        report = build_annual(work, deal, FY, prepared_by="ina-auditor")

    # Where: every stand worked in FY2013, read straight from the tables, grouped by site.
    worked = connection.execute(text(
        "SELECT DISTINCT s.site, s.compartment, s.stand_number FROM thinnings t "
        "JOIN stands s ON s.id = t.stand_id WHERE t.agreement_id = :a AND t.fiscal_year = :fy"),
        {"a": deal.id, "fy": FY}).all()
    assert worked
    for site, compartment, number in worked:
        line = next(place for place in report.cover.location if place.startswith(site))
        assert f"{compartment}林班（" in line and number in line
    assert len(report.cover.location) == len({site for site, _, _ in worked})
    # Who answers for it: the sections the demo's parties name (case.toml), the preparer.
    assert [str(p.section) for p in report.cover.parties] == [
        "環境対策課 / Environmental Measures Section", "耕地林務課 / Farmland and Forestry Section"]
    # The headline box repeats the sections' own figures, in the order an auditor reads them.
    assert [f.key for f in report.headline] == [
        "area_ha", "posted", "certified", "retired", "emissions", "net", "ratio",
        "urban_gross_cost", "urban_net_cost", "cost_per_tonne", "gross_cost_per_tonne"]
    sections = {"area_ha": "thinning", "posted": "absorption", "certified": "certification",
                "retired": "netting", "emissions": "netting", "net": "netting",
                "ratio": "netting"}
    for fact in report.headline:
        if fact.key in sections:
            assert fact.value == report.section(sections[fact.key]).fact(fact.key)
    # The urban partner's gross cost: what its cost accounts took in the year (a reversal
    # posts the opposite amounts, so it nets out here as in the report).
    urban_costs = connection.execute(text(
        "SELECT SUM(p.amount) FROM postings p JOIN entries e ON e.id = p.entry_id "
        "JOIN accounts a ON a.id = p.account_id WHERE e.agreement_id = :a AND "
        "e.fiscal_year = :fy AND a.name LIKE :accounts"),
        {"a": deal.id, "fy": FY, "accounts": "Expenses:Cost:%:Urban"}).scalar_one()
    gross = next(f.value for f in report.headline if f.key == "urban_gross_cost")
    assert gross == unscaled(urban_costs) > 0  # yen share the postings column of 3 places

    page = " ".join(PdfReader(io.BytesIO(render_pdf(report))).pages[0].extract_text().split())
    for shown in ("所管課 / Responsible section", "環境対策課", "耕地林務課",
                  "作成者 / Prepared by", "ina-auditor", "確認欄 / Approval", "作成 / Prepared",
                  "確認 / Checked", "承認 / Approved", "主要数値 / Headline figures",
                  f"seq {report.chain.entry_count}", report.chain.head_hash[:20], "JST",
                  "森林の所在"):
        assert shown in page, shown


def test_the_certification_section_says_how_estimates_have_compared_with_certificates(
        uow: UnitOfWorkFactory, connection: Connection):
    import json

    from offset.demo.builder import build

    with uow() as work:
        deal = build(work).agreement
        work.commit()
    with uow(read_only=True) as work:
        report = build_term(work, deal, 3)
    # Every certificate from FY2009 to the term's last year, read from the journal's rows.
    stored = [json.loads(d) for (d,) in connection.execute(text(
        "SELECT details FROM entries WHERE agreement_id = :a AND kind = 'certification' "
        "AND fiscal_year <= 2022 AND id NOT IN (SELECT reverses_id FROM entries "
        "WHERE reverses_id IS NOT NULL)"), {"a": deal.id})]
    gaps = [(Decimal(d["estimated"]) / Decimal(d["certified"]) - 1) * 100 for d in stored]
    low, high = round(min(gaps)), round(max(gaps))
    said = report.section("certification").fact("track_record")
    assert f"{len(stored)}年度" in str(said) and f"{low}〜{high} %" in str(said), said
    area = sum(Decimal(d["certified_area_ha"]) for d in stored)
    tonnes = sum(Decimal(d["certified"]) for d in stored)
    assert report.section("certification").fact("certified_per_ha") == (
        tonnes / area).quantize(Decimal("0.001"))


def test_renewal_adjustments_are_shown_row_by_row_and_add_up_to_their_entries(
        uow: UnitOfWorkFactory, connection: Connection):
    from offset.demo.builder import build

    with uow() as work:
        deal = build(work).agreement
        work.commit()
    with uow(read_only=True) as work:
        report = build_term(work, deal, 3)
    adjustments = connection.execute(text(
        "SELECT e.id, SUM(p.amount) FROM entries e JOIN postings p ON p.entry_id = e.id "
        "JOIN accounts a ON a.id = p.account_id WHERE e.agreement_id = :a AND "
        "e.kind = 'estimate-adjustment' AND e.fiscal_year BETWEEN 2018 AND 2022 AND "
        "a.name = 'Assets:Carbon:Estimated' GROUP BY e.id"), {"a": deal.id}).all()
    assert adjustments  # the demo's renewal re-estimates term 3's earlier work
    rows = report.section("absorption").table("estimates").rows
    sites = dict(connection.execute(text(
        "SELECT t.id, s.site FROM thinnings t JOIN stands s ON s.id = t.stand_id "
        "WHERE t.agreement_id = :a"), {"a": deal.id}).all())
    for entry_id, amount in adjustments:
        mine = [r for r in rows if r["entry_id"] == entry_id]
        assert sum(r["tonnes"] for r in mine) == unscaled(amount), entry_id
        worked = [r for r in mine if r["thinning_id"] is not None]
        assert worked, entry_id  # the works it re-estimated, not one opaque line
        for r in worked:
            assert str(r["stand"]).startswith(sites[r["thinning_id"]])
            assert r["area_ha"] and r["growth"] and r["bef"]
    # Every estimate row names its work's site, whenever the work was logged.
    for r in rows:
        if r["thinning_id"] is not None:
            assert str(r["stand"]).startswith(sites[r["thinning_id"]])


def test_a_report_gives_the_area_and_the_retirements_since_the_agreement_began(
        uow: UnitOfWorkFactory, connection: Connection):
    from offset.demo.builder import build

    with uow() as work:
        deal = build(work).agreement
        work.commit()
    with uow(read_only=True) as work:
        report = build_annual(work, deal, 2016)
    area = connection.execute(text(
        "SELECT SUM(area_ha) FROM thinnings WHERE agreement_id = :a AND fiscal_year <= 2016"),
        {"a": deal.id}).scalar_one()
    retired = connection.execute(text(
        "SELECT SUM(p.amount) FROM postings p JOIN entries e ON e.id = p.entry_id "
        "JOIN accounts a ON a.id = p.account_id WHERE e.agreement_id = :a AND "
        "e.fiscal_year <= 2016 AND a.name = 'Expenses:Carbon:Retired'"),
        {"a": deal.id}).scalar_one()
    assert report.section("thinning").fact("area_to_date") == unscaled(area, 4) > unscaled(
        connection.execute(text("SELECT SUM(area_ha) FROM thinnings WHERE agreement_id = :a "
                                "AND fiscal_year = 2016"), {"a": deal.id}).scalar_one(), 4)
    assert report.section("netting").fact("retired_to_date") == unscaled(retired) > 0
