"""Benchmark: the fiscal-year summary of one agreement in a small and in a large database.

    python bench/summary_scaling.py [--entries 1000000] [--agreements 300]
                                    [--backend sqlite|postgresql|both] [--calls 200]

Every run uses databases of its own, migrated to head by Alembic: temporary SQLite files
(WAL, as in production) and throw-away PostgreSQL databases that are dropped afterwards.

The measured agreement-year (FY2013 of a Shinjuku–Ina-like agreement running FY2009–FY2028)
is posted through the real services in both databases alike: 30 thinnings over FY2009–FY2013
(6 a year on their own stands, each estimated for its 5-year window, so FY2013 holds 30
estimates), 20 costs, 3 subsidies, 2 timber sales, 10 emissions, 1 certification and 3
retirements in FY2013.

  small  a database holding only that agreement.
  large  the same agreement plus `--agreements` − 1 others whose entries fill the database
         to about `--entries` journal entries with about 3 postings each, spread evenly
         over the 20 fiscal years FY2009–FY2028, so that every agreement-year is of a size
         similar to the measured one. These bulk entries are inserted raw (COPY on
         PostgreSQL, executemany in large transactions with synchronous=OFF on SQLite):
         valid-looking, balanced rows in entries/postings/accounts/chain_heads whose hashes
         are NOT a correct chain; the summary does not verify chains, so it does not care.

After filling, both databases are analysed (PostgreSQL: VACUUM ANALYZE, as autovacuum would
do; SQLite: ANALYZE). Then `offset.netting.services.fiscal_year_summary` is called for the
measured agreement-year, each call in its own read-only unit of work; after a warm-up the
calls alternate between the two databases call by call (so both meet the same background
load); this is repeated `--repeat` times, and for each database the run with the lowest
median counts: its median and 95th percentile of `--calls` calls are reported, with the
ratio large / small of the medians. The query plan of the balances query is printed for both.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from scratch import fresh_database
from sqlalchemy import Engine, event, func, select, text

from offset.agreements import services as agreements
from offset.agreements.model import AbsorptionMethod, Agreement, CostSharing, Side, Term
from offset.db.engine import make_engine
from offset.db.tables import accounts, entries, postings
from offset.db.uow import unit_of_work_factory
from offset.emissions import services as emissions
from offset.forestry.certification import Certificate, certify
from offset.forestry.model import StandInput, StandVersion, ThinningInput
from offset.forestry.stands import register_stand
from offset.forestry.thinnings import Basis, log_thinning
from offset.ledger.model import Commodity
from offset.money import services as money
from offset.money.model import Cost, CostCategory, Subsidy, SubsidyScheme, TimberSale
from offset.netting.services import Summary, fiscal_year_summary

URBAN = ("131041", "新宿区", "Shinjuku City")
FOREST = ("202096", "伊那市", "Ina City")
TERMS = tuple(Term(n, first, first + 4) for n, first in enumerate(range(2009, 2029, 5), 1))
YEARS = range(2009, 2029)  # the 20 fiscal years of every agreement
MEASURED_FY = 2013
CHUNK = 50_000  # bulk entries per COPY / transaction


# --- databases -------------------------------------------------------------------------------

def analyse(engine: Engine) -> None:
    """Give the planner statistics, as production must (autovacuum on PostgreSQL)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
        return
    dbapi = engine.raw_connection()
    try:
        dbapi.execute("ANALYZE")
        dbapi.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        dbapi.close()


# --- the measured agreement, through the services --------------------------------------------

def agreement_draft(urban_id: int, forest_id: int) -> Agreement:
    return Agreement(
        id=0, title_ja="地球環境保全のための連携に関する協定", title_en="Environmental agreement",
        urban_party_id=urban_id, forest_party_id=forest_id, signed_on=date(2008, 2, 10),
        annual_target_ha=Decimal(30), crediting_window=5,
        absorption_method=AbsorptionMethod.NATIONAL_INVENTORY, per_area_rate=None,
        cost_sharing=CostSharing(by_category={"work-road": Decimal(50)}), terms=TERMS)


def build_measured(engine: Engine) -> Agreement:
    """Create the parties and the measured agreement and post its year through the services."""
    factory = unit_of_work_factory(engine)
    with factory() as uow:
        urban = agreements.create_party(uow, *URBAN)
        forest = agreements.create_party(uow, *FOREST)
        deal = agreements.create_agreement(uow, agreement_draft(urban.id, forest.id))
        stands = [register_stand(
            uow, forest.id, StandInput(
                "鹿嶺高原", str(10 + n // 10), str(n % 10 + 1),
                StandVersion(Decimal("10"), ("sugi", "hinoki", "karamatsu")[n % 3], 1960 + n, 2,
                             None)), "bench") for n in range(30)]
        basis = Basis.load(uow, deal)
        for n, stand in enumerate(stands):
            fy = 2009 + n // 6
            log_thinning(uow, deal, ThinningInput(
                stand_id=stand.id, fiscal_year=fy, started_on=date(fy, 10, 1),
                finished_on=date(fy, 11, 30),
                area_ha=Decimal("4.8"), intensity_percent=Decimal("30"), volume_m3=None,
                contractor="上伊那森林組合", note=""), "bench", basis)
        uow.commit()
    fy = MEASURED_FY
    with factory() as uow:
        costs = [money.record_cost(uow, deal, Cost(
            fy, list(CostCategory)[n % 5], Decimal(1_250_000 + 37_811 * n),
            date(fy, 4 + n % 9, 1 + n), f"Cost {n}"), "bench") for n in range(20)]
        money.record_subsidy(uow, deal, Subsidy(
            fy, SubsidyScheme.NATIONAL, "造林補助金", Side.FOREST, Decimal(900_000),
            date(fy, 12, 1), (costs[0].id,)), "bench")
        money.record_subsidy(uow, deal, Subsidy(
            fy, SubsidyScheme.PREFECTURAL, "県単間伐", Side.FOREST, Decimal(400_000),
            date(fy, 12, 2), (costs[5].id,)), "bench")
        money.record_subsidy(uow, deal, Subsidy(
            fy, SubsidyScheme.FOREST_ENVIRONMENT_TAX, "森林環境譲与税", Side.URBAN,
            Decimal(2_000_000), date(fy + 1, 1, 15)), "bench")
        for n in range(2):
            money.record_timber_sale(uow, deal, TimberSale(
                fy, Decimal("85.5") + n, Decimal(1_026_000 + 12_000 * n), "上伊那木材共販所",
                Side.FOREST, date(fy + 1, 2, 1 + n)), "bench")
        activities = [("electricity", "fepc-fy2013", f"{1_100_000 + 10_000 * n} kWh")
                      for n in range(6)] + [("kerosene", "jp-2010", "12 kL"),
                                            ("kerosene", "jp-2010", "9500 L"),
                                            ("gasoline", "jp-2010", "4.2 kL"),
                                            ("diesel", "jp-2010", "3 kL")]
        for n, (activity, factor_set, quantity) in enumerate(activities):
            emissions.record_emission(uow, deal, emissions.EmissionInput(
                fy, activity, quantity, factor_set, source=f"facility {n}"), "bench")
        certify(uow, deal, Certificate(
            fy, Decimal("456.300"), "長野県", "N-2013-001", date(fy + 1, 3, 10),
            Decimal("142.90")), "bench")
        for n, tonnes in enumerate(("200", "150", "100.3")):
            emissions.retire(uow, deal, emissions.Retirement(
                fy, Decimal(tonnes), "新宿区", f"offset of ward facilities, part {n + 1}",
                date(fy + 1, 3, 20 + n)), "bench")
        uow.commit()
    return deal


# --- the other agreements, raw ---------------------------------------------------------------

BULK_ACCOUNTS = (
    "Expenses:Cost:Thinning:Urban", "Expenses:Cost:Thinning:Forest", "Equity:Funding:Urban",
    "Equity:Funding:Forest", "Assets:Carbon:Estimated", "Income:Carbon:Estimated",
    "Assets:Carbon:Certified", "Income:Carbon:Certified", "Expenses:Emissions:Electricity",
    "Liabilities:Emissions", "Income:Subsidy:National:Forest", "Income:Timber:Forest",
    "Expenses:Carbon:Retired",
)
# Entry k > 0 of an agreement-year follows this pattern; entry 0 is its certification.
# 5 four-posting costs and 5 two-posting entries: 3 postings an entry on average.
PATTERN = ("cost", "estimate", "cost", "estimate", "cost", "emission", "cost", "estimate",
           "cost", "other")
OTHER = ("subsidy", "timber-sale", "retirement", "estimate")
ENTRY_COLUMNS = ("id", "agreement_id", "seq", "fiscal_year", "kind", "effective_date",
                 "recorded_at", "recorded_by", "description", "details", "prev_hash", "hash")
POSTING_COLUMNS = ("id", "entry_id", "line", "account_id", "commodity", "amount")


def bulk_postings(kind: str, k: int, a: dict[str, int]) -> list[tuple[int, str, int]]:
    """Return balanced (account id, commodity, scaled amount) postings for one bulk entry."""
    jpy, est, cer = Commodity.JPY.value, Commodity.TCO2E_EST.value, Commodity.TCO2E.value
    amount = (100_000 + 7_919 * k % 900_000) * 1000  # Fixed(3): thousandths
    tonnes = 1_000 + 977 * k % 20_000  # kg: 1.000 t .. 21.000 t
    if kind == "cost":
        urban = amount // 1000 * 7 // 10 * 1000
        return [(a["Expenses:Cost:Thinning:Urban"], jpy, urban),
                (a["Equity:Funding:Urban"], jpy, -urban),
                (a["Expenses:Cost:Thinning:Forest"], jpy, amount - urban),
                (a["Equity:Funding:Forest"], jpy, urban - amount)]
    pairs = {"estimate": ("Assets:Carbon:Estimated", "Income:Carbon:Estimated", est, tonnes),
             "emission": ("Expenses:Emissions:Electricity", "Liabilities:Emissions", cer,
                          tonnes * 40),
             "subsidy": ("Equity:Funding:Forest", "Income:Subsidy:National:Forest", jpy,
                         amount // 2),
             "timber-sale": ("Equity:Funding:Forest", "Income:Timber:Forest", jpy, amount),
             "retirement": ("Expenses:Carbon:Retired", "Assets:Carbon:Certified", cer, tonnes)}
    if kind == "certification":
        return [(a["Assets:Carbon:Certified"], cer, 400_000), (a["Income:Carbon:Certified"],
                                                               cer, -400_000),
                (a["Assets:Carbon:Estimated"], est, -380_000),
                (a["Income:Carbon:Estimated"], est, 380_000)]
    debit, credit, commodity, value = pairs[kind]
    return [(a[debit], commodity, value), (a[credit], commodity, -value)]


@dataclass
class BulkPlan:
    agreement_ids: list[int]
    per_year: list[int]  # entries of agreement-year i (agreement-major, then fiscal year)
    account_ids: dict[int, dict[str, int]]
    first_entry_id: int
    first_posting_id: int


def bulk_chunks(plan: BulkPlan, sqlite: bool) -> Iterator[tuple[list[tuple[Any, ...]],
                                                               list[tuple[Any, ...]]]]:
    """Yield (entry rows, posting rows) in chunks of about CHUNK entries, in the order a
    ledger grows: fiscal year by fiscal year, every agreement's entries of that year."""
    now = datetime.now(UTC)
    recorded_at = now.replace(tzinfo=None).isoformat(" ") if sqlite else now
    seq = dict.fromkeys(plan.agreement_ids, 0)
    entry_id, posting_id = plan.first_entry_id, plan.first_posting_id
    entry_rows: list[tuple[Any, ...]] = []
    posting_rows: list[tuple[Any, ...]] = []
    for y, fy in enumerate(YEARS):
        for i, agreement_id in enumerate(plan.agreement_ids):
            for k in range(plan.per_year[i * len(YEARS) + y]):
                kind = "certification" if k == 0 else PATTERN[k % len(PATTERN)]
                if kind == "other":
                    kind = OTHER[k // len(PATTERN) % len(OTHER)]
                seq[agreement_id] += 1
                s = seq[agreement_id]
                effective = date(fy + (k % 12 >= 9), (3 + k % 12) % 12 + 1, 1 + k % 28)
                entry_rows.append((
                    entry_id, agreement_id, s, fy, kind,
                    effective.isoformat() if sqlite else effective, recorded_at, "bulk",
                    f"Bulk {kind} FY{fy} no. {k}",
                    json.dumps({"bulk": True, "lot": k}, separators=(",", ":")),
                    f"{s - 1:064x}", f"{s:064x}"))
                for line, (account_id, commodity, amount) in enumerate(
                        bulk_postings(kind, entry_id, plan.account_ids[agreement_id])):
                    posting_rows.append((posting_id, entry_id, line, account_id, commodity,
                                         amount))
                    posting_id += 1
                entry_id += 1
                if len(entry_rows) >= CHUNK:
                    yield entry_rows, posting_rows
                    entry_rows, posting_rows = [], []
    if entry_rows:
        yield entry_rows, posting_rows


def plan_bulk(engine: Engine, urban_id: int, forest_id: int, count: int,
              bulk_entries: int) -> BulkPlan:
    """Create `count` agreements (through the service) and their accounts; plan the fill."""
    with unit_of_work_factory(engine)() as uow:
        ids = [agreements.create_agreement(uow, agreement_draft(urban_id, forest_id)).id
               for _ in range(count)]
        uow.commit()
    with engine.begin() as connection:
        connection.execute(accounts.insert(), [{"agreement_id": a, "name": name}
                                               for a in ids for name in BULK_ACCOUNTS])
        account_ids: dict[int, dict[str, int]] = {}
        for a, name, account_id in connection.execute(
                select(accounts.c.agreement_id, accounts.c.name, accounts.c.id)
                .where(accounts.c.agreement_id.in_(ids))):
            account_ids.setdefault(a, {})[name] = account_id
        last_entry = connection.execute(select(func.max(entries.c.id))).scalar_one() or 0
        last_posting = connection.execute(select(func.max(postings.c.id))).scalar_one() or 0
    cells = count * len(YEARS)
    base, extra = divmod(bulk_entries, cells)
    per_year = [base + (1 if i < extra else 0) for i in range(cells)]
    return BulkPlan(ids, per_year, account_ids, last_entry + 1, last_posting + 1)


def fill_bulk(engine: Engine, plan: BulkPlan, progress: Callable[[int, int, float], None],
              ) -> tuple[int, int]:
    """Insert the planned entries and postings raw and move the chain heads; return counts."""
    sqlite = engine.dialect.name == "sqlite"
    total = sum(plan.per_year)
    done = postings_done = 0
    started = time.perf_counter()
    dbapi = engine.raw_connection()
    try:
        cursor = dbapi.cursor()
        if sqlite:
            cursor.execute("PRAGMA synchronous = OFF")
            entry_sql = (f"INSERT INTO entries ({', '.join(ENTRY_COLUMNS)}) "
                         f"VALUES ({', '.join('?' * len(ENTRY_COLUMNS))})")
            posting_sql = (f"INSERT INTO postings ({', '.join(POSTING_COLUMNS)}) "
                           f"VALUES ({', '.join('?' * len(POSTING_COLUMNS))})")
        for entry_rows, posting_rows in bulk_chunks(plan, sqlite):
            if sqlite:
                cursor.execute("BEGIN")
                cursor.executemany(entry_sql, entry_rows)
                cursor.executemany(posting_sql, posting_rows)
                cursor.execute("COMMIT")
            else:
                for table, columns, rows in (("entries", ENTRY_COLUMNS, entry_rows),
                                             ("postings", POSTING_COLUMNS, posting_rows)):
                    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                dbapi.commit()
            done += len(entry_rows)
            postings_done += len(posting_rows)
            progress(done, total, time.perf_counter() - started)
        if sqlite:
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()
    finally:
        dbapi.close()
    with engine.begin() as connection:
        counts: dict[int, int] = {}
        for i, agreement_id in enumerate(plan.agreement_ids):
            counts[agreement_id] = sum(plan.per_year[i * len(YEARS):(i + 1) * len(YEARS)])
        connection.execute(
            text("UPDATE chain_heads SET entry_count = :n, hash = :h WHERE agreement_id = :a"),
            [{"n": n, "h": f"{n:064x}", "a": a} for a, n in counts.items()])
        if not sqlite:
            for table in ("entries", "postings", "accounts"):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))")
    return done, postings_done


# --- measuring -------------------------------------------------------------------------------

@dataclass
class Database:
    label: str
    engine: Engine
    agreement: Agreement
    agreements: int = 1
    entries: int = 0
    postings: int = 0
    seconds: list[float] | None = None

    def summary(self) -> Summary:
        with unit_of_work_factory(self.engine)(read_only=True) as uow:
            return fiscal_year_summary(uow, self.agreement, MEASURED_FY)

    def timed(self) -> float:
        started = time.perf_counter()
        self.summary()
        return time.perf_counter() - started

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds or []) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.seconds or [], n=20)[-1] * 1000


def counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        return (connection.execute(select(func.count()).select_from(entries)).scalar_one(),
                connection.execute(select(func.count()).select_from(postings)).scalar_one())


def year_size(engine: Engine, agreement_id: int, fiscal_year: int) -> tuple[int, int]:
    """Return the entries and postings of one agreement-year."""
    with engine.connect() as connection:
        entry_count, posting_count = connection.execute(
            select(func.count(func.distinct(entries.c.id)), func.count(postings.c.id))
            .select_from(entries.join(postings))
            .where(entries.c.agreement_id == agreement_id,
                   entries.c.fiscal_year == fiscal_year)).one()
    return entry_count, posting_count


def balances_plan(database: Database) -> str:
    """Return the database's plan of the balances query the summary runs."""
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                _many: bool) -> None:
        if "sum(postings.amount)" in statement:
            captured.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        database.summary()
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
    statement, parameters = captured[0]
    with database.engine.connect() as connection:
        if database.engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            return "\n".join(f"  {row[3]}" for row in rows)
        rows = connection.exec_driver_sql("EXPLAIN (ANALYZE, COSTS OFF) " + statement,
                                          parameters)
        return "\n".join(f"  {row[0]}" for row in rows)


def measure(small: Database, large: Database, calls: int, warmup: int, repeat: int,
            label: str) -> None:
    """Time `calls` summaries on each database after a warm-up, alternating call by call
    (small, large, small, ...) so that both meet the same background load; with `repeat`
    runs of that, keep each database's run with the lowest median (for a busy machine)."""
    for database in (small, large):
        for _ in range(warmup):
            database.summary()
    for run in range(repeat):
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(calls):
            times[0].append(small.timed())
            times[1].append(large.timed())
        print(f"[{label}]   run {run + 1}: small {statistics.median(times[0]) * 1000:.2f} ms, "
              f"large {statistics.median(times[1]) * 1000:.2f} ms median", flush=True)
        for database, seconds in zip((small, large), times, strict=True):
            if database.seconds is None or statistics.median(seconds) < database.median_ms / 1000:
                database.seconds = seconds


def run_backend(backend: str, args: argparse.Namespace, workdir: Path) -> tuple[Database,
                                                                                Database]:
    print(f"[{backend}] building the small database", flush=True)
    with fresh_database(backend, workdir) as small_url, \
            fresh_database(backend, workdir) as large_url:
        small_engine, large_engine = make_engine(small_url), make_engine(large_url)
        try:
            started = time.perf_counter()
            small = Database("small", small_engine, build_measured(small_engine))
            if args.analyse:
                analyse(small_engine)
            print(f"[{backend}] measured agreement posted through the services "
                  f"({time.perf_counter() - started:.1f} s); building the large database",
                  flush=True)
            large = Database("large", large_engine, build_measured(large_engine),
                             args.agreements)
            measured_entries = counts(large_engine)[0]
            plan = plan_bulk(large_engine, large.agreement.urban_party_id,
                             large.agreement.forest_party_id, args.agreements - 1,
                             max(0, args.entries - measured_entries))

            def progress(done: int, total: int, seconds: float) -> None:
                if done == total or done // CHUNK % 4 == 0:
                    print(f"[{backend}]   bulk {done:>9,} / {total:,} entries "
                          f"({seconds:5.0f} s)", flush=True)

            fill_bulk(large_engine, plan, progress)
            if args.analyse:
                started = time.perf_counter()
                analyse(large_engine)
                print(f"[{backend}] analysed ({time.perf_counter() - started:.0f} s)",
                      flush=True)
            for database in (small, large):
                database.entries, database.postings = counts(database.engine)
            if (small.summary().carbon, small.summary().money) != (
                    large.summary().carbon, large.summary().money):
                raise SystemExit("the measured agreement-year differs between the databases")
            size = year_size(small_engine, small.agreement.id, MEASURED_FY)
            print(f"[{backend}] measured agreement-year FY{MEASURED_FY}: {size[0]} entries, "
                  f"{size[1]} postings; timing {args.calls} calls on each database", flush=True)
            for engine in (small_engine, large_engine):
                engine.dispose()  # measure on connections that did no filling
            load = os.getloadavg()[0]
            measure(small, large, args.calls, args.warmup, args.repeat, backend)
            print(f"[{backend}] load average (1 min) before timing: {load:.1f} "
                  f"on {os.cpu_count()} CPUs", flush=True)
            for database in (small, large):
                print(f"[{backend}] balances query plan, {database.label} database:\n"
                      f"{balances_plan(database)}", flush=True)
            return small, large
        finally:
            small_engine.dispose()
            large_engine.dispose()


def table(results: list[tuple[str, Database, Database]]) -> str:
    lines = ["| backend | small: entries | small: median (p95) ms | large: agreements / entries "
             "/ postings | large: median (p95) ms | ratio large/small |",
             "|---|---:|---:|---:|---:|---:|"]
    for backend, small, large in results:
        lines.append(
            f"| {backend} | {small.entries:,} | {small.median_ms:.2f} ({small.p95_ms:.2f}) | "
            f"{large.agreements} / {large.entries:,} / "
            f"{large.postings:,} | {large.median_ms:.2f} ({large.p95_ms:.2f}) | "
            f"{large.median_ms / small.median_ms:.2f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000,
                        help="journal entries in the large database, all agreements")
    parser.add_argument("--agreements", type=int, default=300,
                        help="agreements in the large database, the measured one included")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--calls", type=int, default=200, help="timed summaries per database")
    parser.add_argument("--warmup", type=int, default=20, help="untimed summaries first")
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed runs; each database's fastest run counts (busy machine)")
    parser.add_argument("--no-analyse", dest="analyse", action="store_false",
                        help="diagnostic: skip ANALYZE after the fill (planner without "
                             "statistics; PostgreSQL's autovacuum may still step in)")
    args = parser.parse_args(argv)
    # A terminated run still drops its PostgreSQL databases (the `finally` in fresh_database).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = []
    with tempfile.TemporaryDirectory(prefix="offset-bench-") as workdir:
        for backend in backends:
            small, large = run_backend(backend, args, Path(workdir))
            results.append((backend, small, large))
            print(f"[{backend}] small {small.median_ms:.2f} ms median "
                  f"(p95 {small.p95_ms:.2f}), large {large.median_ms:.2f} ms median "
                  f"(p95 {large.p95_ms:.2f}), ratio {large.median_ms / small.median_ms:.2f}",
                  flush=True)
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
