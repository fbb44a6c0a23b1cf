"""Benchmark: verifying a chain against reading its rows and hashing their bytes plainly.

    python bench/verify_chain.py [--entries 100000] [--backend sqlite|postgresql|both]
                                 [--repeat 3]

One agreement of `--entries` cost entries (3 postings each, a correct chain) is inserted raw
as bench/post_entries.py does. Then, alternating, best of `--repeat`:

  verify  offset.integrity.verify of that agreement: what `offset verify` and
          GET /v1/ledger/verify run once the process is up (every entry's hash recomputed
          from its stored content, the links, the head, the forestry and anchor checks).
  plain   the floor: the same entry and posting rows read with the DBAPI cursor (two
          queries in chain order, every row fetched) plus SHA-256 over the entries'
          canonical bytes, computed beforehand and not timed.

Target (issue 15): verify / plain ≤ 3 on SQLite and PostgreSQL, and memory flat in the
number of entries: the peak Python allocation of verify (tracemalloc) over a chain of a
fifth of the entries is reported beside the full one. Both databases are analysed after the
fill (VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite), as production's autovacuum would.

    python bench/verify_chain.py --compare REVISION [...]

runs the same measurement with REVISION's code first (exported with `git archive` onto
PYTHONPATH, in a process of its own), then with today's, and prints both tables.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from post_entries import (
    create_accounts,
    create_agreements,
    make_entries,
    raw_rows,
    run_raw,
    store_heads,
)
from scratch import fresh_database
from sqlalchemy import Engine
from summary_scaling import analyse

from offset import integrity
from offset.db.engine import make_engine
from offset.db.uow import unit_of_work_factory
from offset.ledger.chain import GENESIS, ChainHead, canonical, extend

HERE = Path(__file__).resolve().parent


def filled(engine: Engine, count: int) -> tuple[int, list[bytes]]:
    """Insert one agreement of `count` entries raw; return its id and the entries' canonical
    bytes (as the hash covers them), for the plain path."""
    (agreement_id,) = create_agreements(engine, 1)
    made = make_entries([agreement_id], count)
    entry_rows, posting_rows, heads = raw_rows(made, create_accounts(engine, [agreement_id]),
                                               engine.dialect.name == "sqlite")
    run_raw(engine, entry_rows, posting_rows, 10_000)
    store_heads(engine, heads)
    analyse(engine)  # the planner's statistics, as autovacuum keeps them in production
    # The same links again (raw_rows does not return them): the bytes each hash covers.
    moment = datetime.now(UTC)
    links, _ = extend(ChainHead(agreement_id, 0, GENESIS), made, moment)
    return agreement_id, [canonical(link.entry, link.seq, moment, link.prev_hash)
                          for link in links]


def plain(engine: Engine, agreement_id: int, content: list[bytes]) -> float:
    """Read every entry and posting row of the chain with the DBAPI cursor and hash the
    canonical bytes; return the seconds."""
    marks = "?" if engine.dialect.name == "sqlite" else "%s"
    dbapi = engine.raw_connection()
    try:
        cursor = dbapi.cursor()
        started = time.perf_counter()
        cursor.execute("SELECT id, agreement_id, seq, fiscal_year, kind, effective_date, "
                       "recorded_at, recorded_by, description, details, reverses_id, reason, "
                       f"prev_hash, hash FROM entries WHERE agreement_id = {marks} ORDER BY seq",
                       (agreement_id,))
        rows = cursor.fetchall()
        cursor.execute("SELECT p.entry_id, p.line, a.name, p.commodity, p.amount FROM postings p "
                       "JOIN entries e ON e.id = p.entry_id JOIN accounts a ON a.id = p.account_id "
                       f"WHERE e.agreement_id = {marks} ORDER BY e.seq, p.line", (agreement_id,))
        lines = cursor.fetchall()
        for text in content:
            hashlib.sha256(text).hexdigest()
        seconds = time.perf_counter() - started
        assert len(rows) == len(content) and len(lines) == 3 * len(content)
        cursor.close()
    finally:
        dbapi.close()
    return seconds


def verified(engine: Engine, agreement_id: int) -> float:
    started = time.perf_counter()
    with unit_of_work_factory(engine)(read_only=True) as uow:
        found = integrity.verify(uow, [agreement_id])
    seconds = time.perf_counter() - started
    if not found.ok:
        raise SystemExit(f"the chain does not verify: {found.breaks[:1]}")
    return seconds


def peak_mib(engine: Engine, agreement_id: int) -> float:
    tracemalloc.start()
    try:
        verified(engine, agreement_id)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run(backend: str, args: argparse.Namespace, workdir: Path) -> list[str]:
    with fresh_database(backend, workdir) as url, fresh_database(backend, workdir) as fifth:
        engine, small = make_engine(url), make_engine(fifth)
        try:
            agreement_id, content = filled(engine, args.entries)
            small_id, _ = filled(small, args.entries // 5)
            print(f"[{backend}] filled", flush=True)
            verified(engine, agreement_id)  # warm-up: caches, the file in the page cache
            plain(engine, agreement_id, content)
            times: dict[str, list[float]] = {"verify": [], "plain": []}
            for _ in range(args.repeat):
                times["verify"].append(verified(engine, agreement_id))
                times["plain"].append(plain(engine, agreement_id, content))
            memory = (peak_mib(small, small_id), peak_mib(engine, agreement_id))
        finally:
            engine.dispose()
            small.dispose()
    check, floor = min(times["verify"]), min(times["plain"])
    return [f"| {backend} | {args.entries:,} | {check:.2f} | {floor:.2f} | {check / floor:.1f} "
            f"| {memory[0]:.1f} | {memory[1]:.1f} |"]


def before(args: argparse.Namespace) -> None:
    """Run this benchmark with the code of revision `args.compare` and print its table."""
    with tempfile.TemporaryDirectory() as code:
        archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", args.compare,
                                  "offset", "migrations", "alembic.ini"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", code], input=archive, check=True)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            filter(None, [code, os.environ.get("PYTHONPATH")])))
        done = subprocess.run([sys.executable, __file__, "--entries", str(args.entries),
                               "--backend", args.backend, "--repeat", str(args.repeat)],
                              env=env, check=True, capture_output=True, text=True)
    print(f"with {args.compare}'s code:")
    print("\n".join(line for line in done.stdout.splitlines() if line.startswith("|")))
    print("with today's code:", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare", metavar="REVISION")
    args = parser.parse_args(argv)
    if args.compare:
        before(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for backend in backends:
            rows += run(backend, args, Path(workdir))
    print(f"| backend | entries | verify (s) | plain read + SHA-256 (s) | verify / plain "
          f"| verify peak MiB, {args.entries // 5:,} entries | verify peak MiB, "
          f"{args.entries:,} entries |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
