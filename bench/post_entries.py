"""Benchmark: posting journal entries through the service layer against raw executemany.

    python bench/post_entries.py [--entries 100000] [--backend sqlite|postgresql|both]

Every run uses databases of its own, migrated to head by Alembic: a temporary SQLite file
(WAL, as in production) and a throw-away PostgreSQL database that is dropped afterwards.

Scenarios (each on a fresh database):
  service  `offset.ledger.services.post` with its validation, chain locking and hashing,
           one unit of work per batch of `--batch` entries, committed.
  raw      the same rows (precomputed, hashes included; accounts and agreements created
           beforehand) inserted with the DBAPI cursor's `executemany`: entries, then
           postings, one transaction per batch of the same size.
Each is run into one agreement and into `--agreements` agreements; with many agreements,
entry i goes to agreement i mod n (round robin), so each batch holds entries of every
agreement and the service locks and extends every chain once per batch.

Entries are built before the clock starts: both paths are timed from their ready input
(Entry values for the service, parameter tuples for raw) to the last commit.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from scratch import fresh_database
from sqlalchemy import Engine, func, select, text

from offset.agreements import services as agreements
from offset.agreements.model import AbsorptionMethod, Agreement, CostSharing, Term
from offset.db.engine import make_engine
from offset.db.tables import accounts, entries, postings
from offset.db.uow import unit_of_work_factory
from offset.ledger import services as ledger
from offset.ledger.chain import GENESIS, ChainHead, extend
from offset.ledger.model import Commodity, Entry, EntryKind, Link, Posting, canonical_json

URBAN = ("131041", "新宿区", "Shinjuku City")
FOREST = ("202096", "伊那市", "Ina City")
ACCOUNTS = ("Expenses:Thinning", "Liabilities:Payable:Urban", "Liabilities:Payable:Forest")
FISCAL_YEAR = 2009


@dataclass(frozen=True)
class Result:
    backend: str
    agreements: int
    path: str
    entries: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.entries / self.seconds


# --- databases -------------------------------------------------------------------------------

def create_agreements(engine: Engine, count: int) -> list[int]:
    """Create `count` agreements between the same two parties; return their ids."""
    draft = Agreement(
        id=0, title_ja="地球環境保全のための連携に関する協定", title_en="Environmental agreement",
        urban_party_id=0, forest_party_id=0, signed_on=date(2008, 2, 10),
        annual_target_ha=Decimal(30), crediting_window=5,
        absorption_method=AbsorptionMethod.NATIONAL_INVENTORY, per_area_rate=None,
        cost_sharing=CostSharing(), terms=(Term(1, 2009, 2013),))
    with unit_of_work_factory(engine)() as uow:
        urban = agreements.create_party(uow, *URBAN)
        forest = agreements.create_party(uow, *FOREST)
        draft = Agreement(**{**draft.__dict__, "urban_party_id": urban.id,
                             "forest_party_id": forest.id})
        ids = [agreements.create_agreement(uow, draft).id for _ in range(count)]
        uow.commit()
    return ids


# --- input -----------------------------------------------------------------------------------

def make_entries(agreement_ids: Sequence[int], count: int) -> list[Entry]:
    """Return `count` balanced cost entries (3 JPY postings), round robin over agreements."""
    made = []
    for i in range(count):
        yen = 1_000 + i % 9_000
        urban = yen * 6 // 10
        made.append(Entry(
            agreement_ids[i % len(agreement_ids)], FISCAL_YEAR, EntryKind.COST,
            _month_of_fiscal_year(i % 12),
            f"Thinning work, lot {i}",
            (Posting(ACCOUNTS[0], Commodity.JPY, Decimal(yen)),
             Posting(ACCOUNTS[1], Commodity.JPY, Decimal(-urban)),
             Posting(ACCOUNTS[2], Commodity.JPY, Decimal(urban - yen))),
            details={"lot": i}, recorded_by="bench"))
    return made


def _month_of_fiscal_year(index: int) -> date:
    """Return the first day of month `index` (0 = April) of the benchmark's fiscal year."""
    month = 4 + index
    return date(FISCAL_YEAR + month // 13, (month - 1) % 12 + 1, 1)


def batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- the service path ------------------------------------------------------------------------

def run_service(engine: Engine, made: list[Entry], batch: int) -> float:
    """Post `made` through ledger.post, one committed unit of work per batch; return seconds."""
    factory = unit_of_work_factory(engine)
    started = time.perf_counter()
    for chunk in batches(made, batch):
        with factory() as uow:
            ledger.post(uow, chunk)
            uow.commit()
    return time.perf_counter() - started


# --- the raw path ----------------------------------------------------------------------------

ENTRY_SQL = ("INSERT INTO entries (id, agreement_id, seq, fiscal_year, kind, effective_date, "
             "recorded_at, recorded_by, description, details, reverses_id, reason, prev_hash, "
             "hash) VALUES ({})")
POSTING_SQL = ("INSERT INTO postings (id, entry_id, line, account_id, commodity, amount) "
               "VALUES ({})")


def raw_rows(made: list[Entry], account_ids: dict[tuple[int, str], int], sqlite: bool,
             ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[ChainHead]]:
    """Return entry and posting parameter tuples for `made`, ids and hashes precomputed,
    in the form the DBAPI driver takes (SQLite: ISO text for dates), and the chain heads."""
    now = datetime.now(UTC)
    heads: dict[int, ChainHead] = {}
    links: list[Link] = []
    for entry in made:
        head = heads.get(entry.agreement_id, ChainHead(entry.agreement_id, 0, GENESIS))
        sealed, heads[entry.agreement_id] = extend(head, [entry], now)
        links.extend(sealed)
    recorded_at = now.replace(tzinfo=None).isoformat(" ") if sqlite else now
    entry_rows, posting_rows = [], []
    for entry_id, link in enumerate(links, start=1):
        entry = link.entry
        entry_rows.append((
            entry_id, entry.agreement_id, link.seq, entry.fiscal_year, entry.kind.value,
            entry.effective_date.isoformat() if sqlite else entry.effective_date, recorded_at,
            entry.recorded_by, entry.description, canonical_json(dict(entry.details)), None,
            None, link.prev_hash, link.hash))
        for line, p in enumerate(entry.postings):
            posting_rows.append((
                len(posting_rows) + 1, entry_id, line, account_ids[entry.agreement_id, p.account],
                p.commodity.value, int(p.amount * 1000)))  # Fixed(3): scaled to thousandths
    return entry_rows, posting_rows, list(heads.values())


def create_accounts(engine: Engine, agreement_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    """Create the three accounts of every agreement; return their ids by (agreement, name)."""
    with engine.begin() as connection:
        connection.execute(accounts.insert(), [{"agreement_id": a, "name": name}
                                               for a in agreement_ids for name in ACCOUNTS])
        found = connection.execute(select(accounts.c.agreement_id, accounts.c.name,
                                          accounts.c.id)).all()
    return {(a, name): account_id for a, name, account_id in found}


def run_raw(engine: Engine, entry_rows: list[tuple[Any, ...]],
            posting_rows: list[tuple[Any, ...]], batch: int) -> float:
    """Insert the rows by DBAPI executemany, one transaction per batch; return seconds."""
    sqlite = engine.dialect.name == "sqlite"
    marks = "?" if sqlite else "%s"
    entry_sql = ENTRY_SQL.format(", ".join([marks] * 14))
    posting_sql = POSTING_SQL.format(", ".join([marks] * 6))
    per_entry = len(posting_rows) // len(entry_rows)
    dbapi = engine.raw_connection()
    try:
        cursor = dbapi.cursor()
        started = time.perf_counter()
        for start in range(0, len(entry_rows), batch):
            if sqlite:  # the engine leaves transaction control to us (isolation_level None)
                cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(entry_sql, entry_rows[start:start + batch])
            cursor.executemany(posting_sql,
                               posting_rows[start * per_entry:(start + batch) * per_entry])
            dbapi.commit() if not sqlite else cursor.execute("COMMIT")
        seconds = time.perf_counter() - started
        cursor.close()
    finally:
        dbapi.close()
    return seconds


def store_heads(engine: Engine, heads: list[ChainHead]) -> None:
    """Move the chain heads as the service would (untimed), so that the raw journal verifies."""
    with engine.begin() as connection:
        for head in heads:
            connection.execute(text("UPDATE chain_heads SET entry_count = :n, hash = :h "
                                    "WHERE agreement_id = :a"),
                               {"n": head.entry_count, "h": head.hash, "a": head.agreement_id})


# --- running ---------------------------------------------------------------------------------

def counted(engine: Engine, expected: int) -> None:
    """Fail loudly when the journal does not hold exactly the entries and postings posted."""
    with engine.connect() as connection:
        found = (connection.execute(select(func.count()).select_from(entries)).scalar_one(),
                 connection.execute(select(func.count()).select_from(postings)).scalar_one())
    if found != (expected, 3 * expected):
        raise SystemExit(f"expected {expected} entries and {3 * expected} postings, found {found}")


def verified(engine: Engine) -> None:
    with unit_of_work_factory(engine)(read_only=True) as uow:
        verification = ledger.verify(uow)
    if not verification.ok:
        raise SystemExit(f"the journal does not verify: {verification.breaks[:3]}")


def scenario(backend: str, n_agreements: int, args: argparse.Namespace,
             workdir: Path) -> list[Result]:
    """Run both paths of one scenario; with --repeat, keep each path's fastest run.

    The paths alternate (service, raw, service, raw, ...) so that both meet the same
    background load on a shared machine.
    """
    seconds: dict[str, list[float]] = {"service": [], "raw": []}
    for _ in range(args.repeat):
        for path, runs in seconds.items():
            runs.append(timed_run(backend, n_agreements, path, args, workdir))
    results = []
    for path, runs in seconds.items():
        result = Result(backend, n_agreements, path, args.entries, min(runs))
        print(f"  {backend:<10} {n_agreements:>3} agreement(s)  {path:<7} "
              f"{result.seconds:7.2f} s  {result.rate:9,.0f} entries/s", flush=True)
        results.append(result)
    return results


def timed_run(backend: str, n_agreements: int, path: str, args: argparse.Namespace,
              workdir: Path) -> float:
    """Post the scenario's entries by `path` into a fresh database; return the seconds."""
    with fresh_database(backend, workdir) as url:
        engine = make_engine(url)
        try:
            ids = create_agreements(engine, n_agreements)
            made = make_entries(ids, args.entries)
            if path == "service":
                seconds = run_service(engine, made, args.batch)
            else:
                rows = raw_rows(made, create_accounts(engine, ids), backend == "sqlite")
                seconds = run_raw(engine, rows[0], rows[1], args.batch)
                store_heads(engine, rows[2])
            counted(engine, args.entries)
            if args.verify:
                verified(engine)
        finally:
            engine.dispose()
    return seconds


def table(results: list[Result]) -> str:
    """Return the results as a Markdown table: service and raw side by side, and the ratio."""
    lines = ["| backend | agreements | service entries/s | raw entries/s | service/raw |",
             "|---|---:|---:|---:|---:|"]
    by_key: dict[tuple[str, int], dict[str, Result]] = {}
    for result in results:
        by_key.setdefault((result.backend, result.agreements), {})[result.path] = result
    for (backend, n), pair in by_key.items():
        service, raw = pair["service"].rate, pair["raw"].rate
        lines.append(f"| {backend} | {n} | {service:,.0f} | {raw:,.0f} | {service / raw:.0%} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--batch", type=int, default=1_000, help="entries per unit of work")
    parser.add_argument("--agreements", type=int, default=100,
                        help="agreements of the spread scenario")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each path; the fastest counts (for a busy machine)")
    parser.add_argument("--verify", action="store_true",
                        help="also verify every chain afterwards (untimed)")
    args = parser.parse_args(argv)
    # A terminated run still drops its PostgreSQL database (the `finally` in fresh_database).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results: list[Result] = []
    print(f"{args.entries:,} entries, 3 postings each, batches of {args.batch:,}, "
          f"best of {args.repeat}")
    with tempfile.TemporaryDirectory(prefix="offset-bench-") as workdir:
        for backend in backends:
            for n in (1, args.agreements):
                results += scenario(backend, n, args, Path(workdir))
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
