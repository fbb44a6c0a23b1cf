"""Benchmark: importing a season's thinning log of N rows through the CLI and through HTTP.

    python bench/import_rows.py [--rows 1000 10000] [--backend sqlite|postgresql|both] [--quick]

Every measurement uses a database of its own (bench/scratch.py: a SQLite file in WAL mode or
a throw-away PostgreSQL database), holding one agreement (FY2009–FY2013, crediting window 5)
and 200 stands of 100 ha. The log is a UTF-8 CSV of N rows of 1 ha each, spread round robin
over the stands and over the days of FY2009, so every row earns five estimate entries.

Paths, each timed from the file's bytes to the committed import:
  cli   `offset import thinnings FILE --agreement ID`, in-process through typer's runner
        (process start-up and the schema check at start excluded; the file is read from disk)
  http  POST /v1/agreements/{id}/thinnings:import through the ASGI app (starlette's test
        client, no network), authenticated with a forestry user's bearer token

`--quick` imports 200 and 2,000 rows on SQLite only (under 30 s on a quiet machine). The
per-row time of the two sizes side by side shows whether import time is linear in the rows.

`--compare REVISION` measures the code of an earlier revision and today's side by side: each
measurement runs in a process of its own (the earlier packages exported with `git archive`
and put first on PYTHONPATH), the two alternating, `--repeat` times each; the best run of
each counts, and the table gives their ratio. Machines shared with other work move single
figures a lot; the ratio of neighbouring runs moves much less.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from scratch import fresh_database
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from offset.access.model import Role
from offset.access.services import add_user
from offset.agreements import services as agreements
from offset.agreements.model import AbsorptionMethod, Agreement, CostSharing, Term
from offset.api.app import create_app
from offset.cli.main import app as cli
from offset.db.engine import make_engine
from offset.db.tables import entries, thinnings
from offset.db.uow import unit_of_work_factory
from offset.forestry.model import StandInput, StandVersion
from offset.forestry.stands import register_stand

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

URBAN = ("131041", "新宿区", "Shinjuku City")
FOREST = ("202096", "伊那市", "Ina City")
STANDS = 200
WINDOW = 5


@dataclass(frozen=True)
class Result:
    backend: str
    path: str
    rows: int
    seconds: float

    @property
    def per_row_ms(self) -> float:
        return self.seconds / self.rows * 1000


@dataclass(frozen=True)
class Deal:
    agreement_id: int
    token: str


def set_up(engine: Engine) -> Deal:
    """Create the parties, the agreement, a forestry user and the stands; return their ids."""
    with unit_of_work_factory(engine)() as uow:
        urban = agreements.create_party(uow, *URBAN)
        forest = agreements.create_party(uow, *FOREST)
        deal = agreements.create_agreement(uow, Agreement(
            id=0, title_ja="地球環境保全のための連携に関する協定",
            title_en="Environmental agreement",
            urban_party_id=urban.id, forest_party_id=forest.id, signed_on=date(2008, 2, 10),
            annual_target_ha=Decimal(30), crediting_window=WINDOW,
            absorption_method=AbsorptionMethod.NATIONAL_INVENTORY, per_area_rate=None,
            cost_sharing=CostSharing(), terms=(Term(1, 2009, 2013),)))
        for number in range(1, STANDS + 1):
            register_stand(uow, forest.id, StandInput(
                "伊那富士", "7", str(number),
                StandVersion(Decimal(100), "akamatsu", 1970, site_class=2)), "bench")
        _, token = add_user(uow, "ina-forestry", Role.FORESTRY, party_code=FOREST[0])
        uow.commit()
    return Deal(deal.id, token)


def log_file(rows: int) -> bytes:
    """Return a CSV thinning log of `rows` rows of 1 ha."""
    lines = [f"伊那富士,7,{n % STANDS + 1},{date(2009, 4, 1) + timedelta(days=n % 365)},1 ha"
             for n in range(rows)]
    return ("団地,林班,小班,実施日,面積\n" + "\n".join(lines) + "\n").encode()


def via_cli(url: str, deal: Deal, data: bytes, workdir: Path) -> float:
    path = workdir / "log.csv"
    path.write_bytes(data)
    runner = CliRunner()
    started = time.perf_counter()
    result = runner.invoke(cli, ["--database-url", url, "import", "thinnings", str(path),
                                 "--agreement", str(deal.agreement_id)])
    elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"cli import failed: {result.output}")
    return elapsed


def via_http(url: str, deal: Deal, data: bytes, _workdir: Path) -> float:
    engine = make_engine(url)
    client = TestClient(create_app(unit_of_work_factory(engine)))
    started = time.perf_counter()
    response = client.post(f"/v1/agreements/{deal.agreement_id}/thinnings:import",
                           content=data, headers={"Authorization": f"Bearer {deal.token}",
                                                  "Content-Type": "text/csv"})
    elapsed = time.perf_counter() - started
    engine.dispose()
    if response.status_code != 201:
        raise SystemExit(f"http import failed: {response.status_code} {response.text[:500]}")
    return elapsed


PATHS: dict[str, Callable[[str, Deal, bytes, Path], float]] = {"cli": via_cli, "http": via_http}


def measure(backend: str, path: str, rows: int, workdir: Path) -> Result:
    with fresh_database(backend, workdir) as url:
        engine = make_engine(url)
        deal = set_up(engine)
        seconds = PATHS[path](url, deal, log_file(rows), workdir)
        with engine.connect() as connection:
            stored = connection.execute(select(func.count()).select_from(thinnings)).scalar()
            posted = connection.execute(select(func.count()).select_from(entries)).scalar()
        engine.dispose()
    if (stored, posted) != (rows, rows * WINDOW):
        raise SystemExit(f"{backend} {path}: stored {stored} thinnings, {posted} entries")
    return Result(backend, path, rows, seconds)


ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("offset", "migrations", "alembic.ini", "reports")


def exported(revision: str, into: Path) -> Path:
    """Export the packages of `revision` under `into`; return the directory."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, *PACKAGES],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def measured_apart(code_root: Path | None, backend: str, path: str, rows: int) -> float:
    """Return the seconds of one measurement made in a new process (with the packages under
    `code_root` first on PYTHONPATH when given)."""
    env = dict(os.environ)
    if code_root is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code_root),
                                                          env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, __file__, "--one", backend, path, str(rows)],
                          env=env, check=True, capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def compare(revision: str, backends: list[str], sizes: list[int], repeat: int) -> None:
    print(f"| backend | path | rows | {revision} (s) | now (s) | now / {revision} |")
    print("|---|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as workdir:
        before = exported(revision, Path(workdir))
        for backend in backends:
            for path in PATHS:
                for rows in sizes:
                    runs: dict[str, list[float]] = {"before": [], "now": []}
                    for _ in range(repeat):
                        runs["before"].append(measured_apart(before, backend, path, rows))
                        runs["now"].append(measured_apart(None, backend, path, rows))
                    old, new = min(runs["before"]), min(runs["now"])
                    print(f"| {backend} | {path} | {rows:,} | {old:.2f} | {new:.2f} | "
                          f"{new / old:.2f} |", flush=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="200 and 2,000 rows, SQLite")
    parser.add_argument("--compare", metavar="REVISION",
                        help="measure REVISION's code and today's side by side")
    parser.add_argument("--repeat", type=int, default=2, help="runs per code with --compare")
    parser.add_argument("--one", nargs=3, metavar=("BACKEND", "PATH", "ROWS"),
                        help=argparse.SUPPRESS)  # one measurement, its seconds on stdout
    args = parser.parse_args(argv)
    if args.one:
        backend, path, rows = args.one
        with tempfile.TemporaryDirectory() as workdir:
            print(measure(backend, path, int(rows), Path(workdir)).seconds)
        return
    sizes = [200, 2000] if args.quick else args.rows
    backend = "sqlite" if args.quick else args.backend
    backends = ["sqlite", "postgresql"] if backend == "both" else [backend]
    if args.compare:
        compare(args.compare, backends, sizes, args.repeat)
        return
    print("| backend | path | rows | seconds | ms per row |")
    print("|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as workdir:
        for name in backends:
            for path in PATHS:
                for rows in sizes:
                    result = measure(name, path, rows, Path(workdir))
                    print(f"| {result.backend} | {result.path} | {result.rows:,} | "
                          f"{result.seconds:.2f} | {result.per_row_ms:.3f} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
