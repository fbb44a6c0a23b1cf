"""Benchmark: the council's overview of one fiscal year over a synthetic nation.

    python bench/national.py [--parties 1700] [--agreements 300] [--entries 1000000]
                             [--small-agreements 10] [--backend sqlite|postgresql|both]
                             [--calls 30] [--repeat 3]

Design §9 plans for every municipality of Japan: about 1,700 parties, a few hundred
agreements of 20 years each, about a million journal entries. Two databases of each backend
are built, migrated to head by Alembic:

  nation  `--parties` parties (valid local-government codes in all 47 prefectures) and
          `--agreements` agreements between them (FY2009–FY2028, four terms), with about
          `--entries` journal entries spread evenly over the agreement-years (the bulk rows
          of bench/summary_scaling.py: balanced, about 3 postings an entry, chains not
          verifiable), 6 thinnings on stands of their own per agreement-year, and a council
          certification per agreement;
  small   the same for `--small-agreements` agreements of the same size each (so the same
          entries per agreement-year);
  thin    the nation's parties and agreements with a tenth of its entries (`--entries` / 10).

All are analysed (VACUUM ANALYZE; SQLite's ANALYZE). Then offset.council.services.overview
and offset.netting.party.party_summary (the urban party of one agreement) are called
for FY2018, each call in its own read-only unit of work, the calls alternating
between the databases; after a warm-up, `--repeat` runs of `--calls` calls each, and each
database's fastest run counts (its median and 95th percentile). The overview lists every
partnership of the year, so its answer grows with the number of agreements (nation/small,
reported with the time per partnership); nation/thin shows whether it grows with the
journal (it should not: the year's balances come from the totals kept on each write).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from scratch import fresh_database
from sqlalchemy import Engine, func, insert, select
from summary_scaling import (
    BULK_ACCOUNTS,
    CHUNK,
    YEARS,
    BulkPlan,
    agreement_draft,
    analyse,
    counts,
    fill_bulk,
)

from offset.agreements import services as agreements
from offset.agreements.model import prefectures
from offset.council import services as council
from offset.council.model import PartnershipCertification
from offset.db.engine import make_engine
from offset.db.tables import (
    accounts,
    entries,
    parties,
    postings,
    stand_versions,
    stands,
    thinnings,
)
from offset.db.tables import agreements as agreement_rows
from offset.db.uow import unit_of_work_factory
from offset.netting.party import party_summary

MEASURED_FY = 2018
ON = date(2019, 3, 31)
THINNINGS_PER_YEAR = 6


def local_codes(count: int) -> list[str]:
    """Return `count` valid local-government codes (JIS X 0402 with check digit), spread
    over the 47 prefectures."""
    codes = []
    for n in range(count):
        prefecture = f"{n % 47 + 1:02d}"
        body = f"{prefecture}{200 + n // 47:03d}"
        weighted = sum(int(d) * w for d, w in zip(body, (6, 5, 4, 3, 2), strict=True))
        codes.append(body + str((11 - weighted % 11) % 10))
    return codes


def add_parties(engine: Engine, count: int) -> list[int]:
    now = datetime.now(UTC)
    names = prefectures()
    rows = [{"code": code, "name_ja": f"{names[code[:2]].name_ja}第{i}町",
             "name_en": f"Town {i}", "prefecture_code": code[:2], "created_at": now}
            for i, code in enumerate(local_codes(count))]
    with engine.begin() as connection:
        connection.execute(insert(parties), rows)
        return list(connection.execute(select(parties.c.id).order_by(parties.c.id)).scalars())


def add_agreements(engine: Engine, party_ids: list[int], count: int) -> list[int]:
    """Create `count` agreements through the service, each between an urban and a forest
    party of its own where the parties suffice, with a council certification."""
    with unit_of_work_factory(engine)() as uow:
        ids = []
        for n in range(count):
            urban, forest = party_ids[(2 * n) % len(party_ids)], party_ids[
                (2 * n + 1) % len(party_ids)]
            made = agreements.create_agreement(uow, agreement_draft(urban, forest))
            council.certify_partnership(uow, made, PartnershipCertification(
                made.id, f"協議会認定第{n + 1}号", date(2009, 4, 1), date(2029, 3, 31),
                ("5年以上の協定期間",)), "bench")
            ids.append(made.id)
        uow.commit()
    return ids


def add_work(engine: Engine, agreement_ids: list[int]) -> int:
    """Log THINNINGS_PER_YEAR thinnings a year for every agreement, each on its own stand."""
    now = datetime.now(UTC)
    with engine.begin() as connection:
        forest = dict(connection.execute(
            select(agreement_rows.c.id, agreement_rows.c.forest_party_id)
            .where(agreement_rows.c.id.in_(agreement_ids))).all())
        stand_rows = [{"forest_party_id": forest[a], "site": f"林{a}", "compartment": str(y),
                       "stand_number": str(k), "created_at": now}
                      for a in agreement_ids for y in YEARS for k in range(THINNINGS_PER_YEAR)]
        connection.execute(insert(stands), stand_rows)
        stand_ids = list(connection.execute(select(stands.c.id).order_by(stands.c.id))
                         .scalars())
        connection.execute(insert(stand_versions), [
            {"stand_id": s, "version": 1, "area_ha": Decimal(10), "species_code": "sugi",
             "planting_year": 1970, "site_class": 2, "measured_growth": None,
             "recorded_at": now, "recorded_by": "bench"} for s in stand_ids])
        rows = []
        for (a, fy, _k), stand_id in zip(
                ((a, fy, k) for a in agreement_ids for fy in YEARS
                 for k in range(THINNINGS_PER_YEAR)), stand_ids, strict=True):
            rows.append({"agreement_id": a, "stand_id": stand_id, "stand_version": 1,
                         "fiscal_year": fy, "started_on": date(fy, 10, 1),
                         "finished_on": date(fy, 12, 20), "area_ha": Decimal("4.8"),
                         "intensity_percent": Decimal(30), "volume_m3": Decimal(120),
                         "contractor": "森林組合", "note": "", "recorded_at": now,
                         "recorded_by": "bench"})
        connection.execute(insert(thinnings), rows)
    return len(rows)


def plan(engine: Engine, agreement_ids: list[int], bulk_entries: int) -> BulkPlan:
    with engine.begin() as connection:
        connection.execute(accounts.insert(), [{"agreement_id": a, "name": name}
                                               for a in agreement_ids
                                               for name in BULK_ACCOUNTS])
        account_ids: dict[int, dict[str, int]] = {}
        for a, name, account_id in connection.execute(
                select(accounts.c.agreement_id, accounts.c.name, accounts.c.id)
                .where(accounts.c.agreement_id.in_(agreement_ids))):
            account_ids.setdefault(a, {})[name] = account_id
        last_entry = connection.execute(select(func.max(entries.c.id))).scalar_one() or 0
        last_posting = connection.execute(select(func.max(postings.c.id))).scalar_one() or 0
    cells = len(agreement_ids) * len(YEARS)
    base, extra = divmod(bulk_entries, cells)
    per_year = [base + (1 if i < extra else 0) for i in range(cells)]
    return BulkPlan(agreement_ids, per_year, account_ids, last_entry + 1, last_posting + 1)


# The bulk rows go in raw, past the write path that keeps year_totals: sum them as that
# path would have (the statement of migration 0012, which fills it for older databases).
KEEP_TOTALS = (
    "INSERT INTO year_totals (agreement_id, fiscal_year, account_id, commodity, amount) "
    "SELECT e.agreement_id, e.fiscal_year, p.account_id, p.commodity, SUM(p.amount) "
    "FROM postings p JOIN entries e ON e.id = p.entry_id "
    "GROUP BY e.agreement_id, e.fiscal_year, p.account_id, p.commodity")


def keep_totals(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM year_totals")
        connection.exec_driver_sql(KEEP_TOTALS)


@dataclass
class Nation:
    label: str
    engine: Engine
    agreements: int
    entries: int = 0
    postings: int = 0
    runs: list[list[float]] = field(default_factory=list)
    party_runs: list[list[float]] = field(default_factory=list)
    party_id: int = 0  # the urban party whose position is timed

    def party_seconds(self) -> float:
        started = time.perf_counter()
        with unit_of_work_factory(self.engine)(read_only=True) as uow:
            found = party_summary(uow, self.party_id, MEASURED_FY)
        elapsed = time.perf_counter() - started
        if not found.contributions:
            raise SystemExit(f"{self.label}: party {self.party_id} has no agreement")
        return elapsed

    @property
    def party_median_ms(self) -> float:
        return statistics.median(min(self.party_runs, key=statistics.median)) * 1000

    @property
    def party_p95_ms(self) -> float:
        best = min(self.party_runs, key=statistics.median)
        return statistics.quantiles(best, n=20)[-1] * 1000

    def overview_seconds(self) -> float:
        started = time.perf_counter()
        with unit_of_work_factory(self.engine)(read_only=True) as uow:
            found = council.overview(uow, MEASURED_FY, ON)
        elapsed = time.perf_counter() - started
        if len(found.partnerships) != self.agreements:
            raise SystemExit(f"{self.label}: {len(found.partnerships)} partnerships listed")
        return elapsed

    @property
    def best(self) -> list[float]:
        return min(self.runs, key=statistics.median)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.best) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.best, n=20)[-1] * 1000


def build(backend: str, label: str, url: str, n_parties: int, n_agreements: int,
          n_entries: int, measured: int) -> Nation:
    engine = make_engine(url)
    started = time.perf_counter()
    party_ids = add_parties(engine, n_parties)
    ids = add_agreements(engine, party_ids, n_agreements)
    work = add_work(engine, ids)

    def progress(done: int, total: int, seconds: float) -> None:
        if done == total or done // CHUNK % 5 == 0:
            print(f"[{backend} {label}]   bulk {done:>9,} / {total:,} entries "
                  f"({seconds:5.0f} s)", flush=True)

    fill_bulk(engine, plan(engine, ids, n_entries), progress)
    keep_totals(engine)
    analyse(engine)
    # The party measured is the urban partner of agreement `measured` (agreement n's is
    # party 2n): a different agreement id in each database, because this one process reads
    # three databases and the verdict of offset.integrity is kept per agreement id, which a
    # service process of one database never shares.
    nation = Nation(label, engine, n_agreements, party_id=party_ids[2 * measured])
    nation.entries, nation.postings = counts(engine)
    print(f"[{backend} {label}] {n_parties:,} parties, {n_agreements} agreements, "
          f"{nation.entries:,} entries, {nation.postings:,} postings, {work:,} thinnings "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    engine.dispose()  # measure on connections that did no filling
    return nation


def measure(nations: Sequence[Nation], calls: int, warmup: int, repeat: int) -> None:
    for _ in range(warmup):
        for nation in nations:
            nation.overview_seconds(), nation.party_seconds()
    for _ in range(repeat):
        runs: list[list[float]] = [[] for _ in nations]
        party_runs: list[list[float]] = [[] for _ in nations]
        for _ in range(calls):
            for nation, run, party_run in zip(nations, runs, party_runs, strict=True):
                run.append(nation.overview_seconds())
                party_run.append(nation.party_seconds())
        for nation, run, party_run in zip(nations, runs, party_runs, strict=True):
            nation.runs.append(run)
            nation.party_runs.append(party_run)


def run_backend(backend: str, args: argparse.Namespace, workdir: Path) -> list[Nation]:
    per_agreement = args.entries // args.agreements
    with fresh_database(backend, workdir) as small_url, \
            fresh_database(backend, workdir) as thin_url, \
            fresh_database(backend, workdir) as large_url:
        nations = [
            build(backend, "small", small_url, max(2 * args.small_agreements, 20),
                  args.small_agreements, per_agreement * args.small_agreements, 0),
            build(backend, "thin", thin_url, args.parties, args.agreements,
                  args.entries // 10, 1),
            build(backend, "nation", large_url, args.parties, args.agreements, args.entries,
                  2)]
        try:
            load = os.getloadavg()[0]
            measure(nations, args.calls, args.warmup, args.repeat)
            print(f"[{backend}] " + ", ".join(
                f"{n.label} {n.median_ms:.1f} ms (p95 {n.p95_ms:.1f}), party "
                f"{n.party_median_ms:.1f} ms" for n in nations)
                + f"; load before {load:.1f}", flush=True)
            return nations
        finally:
            for nation in nations:
                nation.engine.dispose()


def table(results: list[tuple[str, list[Nation]]]) -> str:
    lines = ["| backend | database | agreements | entries | overview median (p95) ms | "
             "ms per partnership | vs small | vs thin | party summary median (p95) ms | "
             "vs small |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for backend, nations in results:
        small, thin = nations[0], nations[1]
        for n in nations:
            lines.append(
                f"| {backend} | {n.label} | {n.agreements} | {n.entries:,} | "
                f"{n.median_ms:.1f} ({n.p95_ms:.1f}) | {n.median_ms / n.agreements:.3f} | "
                f"{n.median_ms / small.median_ms:.2f} | {n.median_ms / thin.median_ms:.2f} | "
                f"{n.party_median_ms:.1f} ({n.party_p95_ms:.1f}) | "
                f"{n.party_median_ms / small.party_median_ms:.2f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=1_700)
    parser.add_argument("--agreements", type=int, default=300)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--small-agreements", type=int, default=10)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = []
    with tempfile.TemporaryDirectory(prefix="offset-bench-") as workdir:
        for backend in backends:
            results.append((backend, run_backend(backend, args, Path(workdir))))
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
