"""Benchmark: latency of HTTP writes from concurrent writers against `offset serve`.

    python bench/concurrent_writes.py [--writers 8] [--requests 150] [--repeat 2]
                                      [--before main] [--backend sqlite|postgresql|both]
    python bench/concurrent_writes.py --quick        # SQLite, small counts: under 30 s

Each run serves a throw-away database (bench/scratch.py: a temporary SQLite file in WAL
mode, or a PostgreSQL database dropped afterwards) with `offset serve` on a free port of
127.0.0.1, in a subprocess. `--writers` threads then each POST `--requests` costs to
/v1/agreements/{id}/costs with a fresh Idempotency-Key, on one keep-alive connection each,
all into one agreement (every write locks the same chain head). The clock runs per
request, from sending to the whole response read; the first request of each writer is a
warm-up and is not counted. Every response must be 201, and the journal must verify and
hold exactly the entries posted afterwards.

Two codes are served side by side, alternating run by run so that both meet the same load:
  before  the packages (offset, reports, migrations) of git revision `--before`, exported
          by `git archive` (the server imports them through PYTHONPATH);
  after   the packages of this working tree.
The databases are created and checked with this tree's code in both cases.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
from scratch import fresh_database

from offset.access.model import Role
from offset.access.services import add_user
from offset.agreements import services as agreements
from offset.agreements.model import AbsorptionMethod, Agreement, CostSharing, Term
from offset.db.engine import make_engine
from offset.db.uow import unit_of_work_factory
from offset.ledger import services as ledger

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("offset", "reports", "migrations")  # what pyproject.toml installs
URBAN = ("131041", "新宿区", "Shinjuku City")
FOREST = ("202096", "伊那市", "Ina City")
COST = {"fiscal_year": 2010, "category": "thinning", "amount": 1001,
        "incurred_on": "2010-12-20", "description": "間伐事業 鹿嶺高原"}


@dataclass(frozen=True)
class Result:
    backend: str
    code: str
    seconds: list[float]  # per request, sorted
    wall: float

    def quantile(self, q: float) -> float:
        """Return the nearest-rank q-quantile of the request times, in milliseconds."""
        rank = max(1, -(-len(self.seconds) * q // 1))  # ceil(n q), at least the first
        return 1000 * self.seconds[int(rank) - 1]

    def row(self) -> str:
        return (f"| {self.backend} | {self.code} | {len(self.seconds):,} | "
                f"{self.quantile(0.5):.0f} | {self.quantile(0.9):.0f} | "
                f"{self.quantile(0.99):.0f} | {1000 * self.seconds[-1]:.0f} | "
                f"{len(self.seconds) / self.wall:.0f} |")


# --- the database ----------------------------------------------------------------------------

def seed(url: str) -> tuple[int, str]:
    """Create one agreement and an urban user; return the agreement id and its token."""
    engine = make_engine(url)
    draft = Agreement(
        id=0, title_ja="地球環境保全のための連携に関する協定", title_en="Environmental agreement",
        urban_party_id=0, forest_party_id=0, signed_on=date(2008, 2, 10),
        annual_target_ha=Decimal(30), crediting_window=5,
        absorption_method=AbsorptionMethod.NATIONAL_INVENTORY, per_area_rate=None,
        cost_sharing=CostSharing(), terms=(Term(1, 2009, 2013),))
    try:
        with unit_of_work_factory(engine)() as uow:
            urban = agreements.create_party(uow, *URBAN)
            forest = agreements.create_party(uow, *FOREST)
            made = agreements.create_agreement(uow, Agreement(**{
                **draft.__dict__, "urban_party_id": urban.id, "forest_party_id": forest.id}))
            _, token = add_user(uow, "bench-urban", Role.URBAN, party_code=URBAN[0])
            uow.commit()
    finally:
        engine.dispose()
    return made.id, token


def checked(url: str, expected: int) -> None:
    """Fail loudly unless the journal verifies and holds exactly `expected` entries."""
    engine = make_engine(url)
    try:
        with unit_of_work_factory(engine)(read_only=True) as uow:
            verification = ledger.verify(uow)
    finally:
        engine.dispose()
    if not verification.ok or verification.entry_count != expected:
        raise SystemExit(f"expected a whole journal of {expected} entries, found "
                         f"{verification.entry_count} (breaks: {verification.breaks[:3]})")


# --- the server ------------------------------------------------------------------------------

def exported(revision: str, into: Path) -> Path:
    """Export the packages of `revision` under `into`; return the directory."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, *PACKAGES],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(url: str, code_root: Path) -> Iterator[str]:
    """Run `offset serve` of the package under `code_root` over `url`; yield its base URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(code_root), "OFFSET_DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-c", "from offset.cli.main import app; app()", "serve",
         "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {server.stderr.read().decode()}"
                                 if server.stderr else "the server did not start")
            time.sleep(0.1)
        yield base
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- the writers -----------------------------------------------------------------------------

def write_concurrently(base: str, agreement_id: int, token: str, writers: int,
                       requests: int) -> tuple[list[float], float]:
    """Run `writers` threads posting `requests` costs each (plus one warm-up);
    return the sorted request times in seconds and the wall time of the counted part."""
    times: list[list[float]] = [[] for _ in range(writers)]
    failures: list[str] = []
    warmed = threading.Barrier(writers + 1)
    done = threading.Barrier(writers + 1)

    def writer(number: int) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        path = f"/v1/agreements/{agreement_id}/costs"
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            for i in range(requests + 1):
                if i == 1:
                    warmed.wait()
                started = time.perf_counter()
                response = client.post(path, json=COST,
                                       headers={"Idempotency-Key": uuid.uuid4().hex})
                if i > 0:
                    times[number].append(time.perf_counter() - started)
                if response.status_code != 201:
                    failures.append(f"{response.status_code} {response.text[:200]}")
        done.wait()

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(writers)]
    for thread in threads:
        thread.start()
    warmed.wait()
    started = time.perf_counter()
    done.wait()
    wall = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} writes failed, the first: {failures[0]}")
    return sorted(t for per_writer in times for t in per_writer), wall


def run(backend: str, code: str, code_root: Path, args: argparse.Namespace,
        workdir: Path) -> Result:
    """Serve a fresh database with one code, write to it concurrently, check the journal."""
    with fresh_database(backend, workdir) as url:
        agreement_id, token = seed(url)
        with served(url, code_root) as base:
            seconds, wall = write_concurrently(base, agreement_id, token, args.writers,
                                               args.requests)
        checked(url, args.writers * (args.requests + 1))
    result = Result(backend, code, seconds, wall)
    print(result.row(), flush=True)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--requests", type=int, default=150, help="counted writes per writer")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each code per backend")
    parser.add_argument("--before", default="main", help="git revision of the old code")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"),
                        help="default: both, or sqlite with --quick")
    parser.add_argument("--quick", action="store_true",
                        help="20 writes per writer, one run of each code, on SQLite")
    args = parser.parse_args(argv)
    if args.quick:
        args.requests, args.repeat = 20, 1
    args.backend = args.backend or ("sqlite" if args.quick else "both")
    # A terminated run still stops its servers and drops its PostgreSQL databases.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    print(f"{args.writers} writers × {args.requests} costs each into one agreement; "
          f"before = {args.before}, after = this tree")
    print("| backend | code | writes | p50 ms | p90 ms | p99 ms | max ms | writes/s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|", flush=True)
    with tempfile.TemporaryDirectory(prefix="offset-bench-") as temporary:
        workdir = Path(temporary)
        codes = {"before": exported(args.before, Path(tempfile.mkdtemp(dir=workdir))),
                 "after": ROOT}
        for backend in backends:
            for _ in range(args.repeat):
                for code, code_root in codes.items():
                    run(backend, code, code_root, args, workdir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
