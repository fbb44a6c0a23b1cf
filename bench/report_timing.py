"""Benchmark: build and render an annual report, in a small and in a large database.

    python bench/report_timing.py [--backend sqlite|postgresql|both] [--runs 15]
                                  [--agreements 300] [--entries 300000]

Two agreement-years are measured, each report built (one read-only unit of work) and
rendered to PDF bytes per run:

  demo      the Shinjuku–Ina demo's FY2013 annual report (offset.demo.builder.build).
  1000      FY2013 of an agreement with 1,000 thinning records in FY2013 (each on its own
            stand, measured growth, national-inventory method), posted through the services.

  small  a database holding only those two agreements.
  large  the same two plus `--agreements` others whose `--entries` journal entries are
         inserted raw, as bench/summary_scaling.py does (its helpers are reused).

Each database's runs follow its own warm-ups; the median of `--runs` runs is reported per
case with the ratio large / small.

    python bench/report_timing.py --compare REVISION [--repeat 3]

measures the 1,000-thinning report (SQLite, median of 5 after 2 warm-ups) with REVISION's
code (exported with `git archive` onto PYTHONPATH) and today's, side by side, each in a
process of its own, alternating; the best of `--repeat` is reported with the ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from offset.agreements import services as agreements
from offset.agreements.model import Agreement
from offset.db.engine import make_engine
from offset.db.uow import unit_of_work_factory
from offset.demo.builder import build as build_demo
from offset.forestry.model import StandInput, StandVersion, ThinningInput
from offset.forestry.stands import register_stand
from offset.forestry.thinnings import Basis, log_thinning
from reports import build_annual, render_pdf

HERE = Path(__file__).resolve().parent
FY = 2013
URBAN = ("131016", "千代田区", "Chiyoda City")
FOREST = ("202029", "松本市", "Matsumoto City")


def _scaling() -> Any:
    spec = importlib.util.spec_from_file_location("summary_scaling", HERE / "summary_scaling.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["summary_scaling"] = module
    spec.loader.exec_module(module)
    return module


scaling = _scaling()


def thousand_thinnings(engine: Engine, count: int = 1000) -> Agreement:
    """Post an agreement whose FY2013 holds `count` thinning records, through the services."""
    work = unit_of_work_factory(engine)
    with work() as uow:
        urban = agreements.create_party(uow, *URBAN)
        forest = agreements.create_party(uow, *FOREST)
        deal = agreements.create_agreement(uow, scaling.agreement_draft(urban.id, forest.id))
        basis = Basis.load(uow, deal)
        for n in range(count):
            stand = register_stand(
                uow, forest.id, StandInput(
                    "bench", str(n // 100 + 1), str(n),
                    StandVersion(Decimal("5"), "karamatsu" if n % 2 else "sugi", 1960 + n % 40,
                                 None, Decimal("8.5"))), "bench")
            work_ = ThinningInput(stand.id, FY, date(FY, 6, 1), date(FY, 9, 30),
                                  Decimal("2.5"), Decimal("30"), None, "bench contractor")
            log_thinning(uow, deal, work_, "bench", basis)
        uow.commit()
    return deal


def report_once(engine: Engine, agreement_id: int) -> float:
    started = time.perf_counter()
    with unit_of_work_factory(engine)(read_only=True) as uow:
        report = build_annual(uow, uow.agreements.agreement(agreement_id), FY)
    render_pdf(report)
    return time.perf_counter() - started


def populate(engine: Engine) -> dict[str, int]:
    work = unit_of_work_factory(engine)
    with work() as uow:
        demo = build_demo(uow).agreement
        uow.commit()
    return {"demo": demo.id, "1000": thousand_thinnings(engine).id}


def run(backend: str, args: argparse.Namespace, workdir: Path,
        say: Callable[[str], None]) -> list[tuple[str, str, float, float]]:
    with scaling.fresh_database(backend, workdir) as small_url, \
            scaling.fresh_database(backend, workdir) as large_url:
        small, large = make_engine(small_url), make_engine(large_url)
        try:
            ids = populate(small)
            say(f"[{backend}] small database ready")
            large_ids = populate(large)
            measured = unit_of_work_factory(large)
            with measured() as uow:
                chosen = uow.agreements.agreement(large_ids["1000"])
            plan = scaling.plan_bulk(large, chosen.urban_party_id, chosen.forest_party_id,
                                     args.agreements, args.entries)
            scaling.fill_bulk(large, plan, lambda done, total, s: None)
            for engine in (small, large):
                scaling.analyse(engine)
            say(f"[{backend}] large database ready: {scaling.counts(large)[0]:,} entries")
            results = []
            for case in ("demo", "1000"):
                times: dict[str, list[float]] = {"small": [], "large": []}
                # Each database's runs in a block after its warm-ups: both hold agreements
                # of the same ids, and alternating them would re-verify the chain (the
                # integrity cache of offset.integrity is per agreement id) on every build,
                # which a service with one database does once per new head.
                for name, engine, agreement_id in (("small", small, ids[case]),
                                                   ("large", large, large_ids[case])):
                    for _ in range(2):  # warm-up
                        report_once(engine, agreement_id)
                    for _ in range(args.runs):
                        times[name].append(report_once(engine, agreement_id))
                results.append((backend, case, statistics.median(times["small"]),
                                statistics.median(times["large"])))
                say(f"[{backend}] {case}: small {results[-1][2] * 1000:.0f} ms, "
                    f"large {results[-1][3] * 1000:.0f} ms")
            return results
        finally:
            small.dispose()
            large.dispose()


def settled() -> None:
    """Settle the loaded code as the `offset` command and server do (offset.runtime), where
    the code measured has that step."""
    try:
        from offset.runtime import settle
    except ImportError:  # a revision from before it, measured by --compare
        return
    settle()


def one() -> None:
    """Print the median seconds of the 1,000-thinning report in a new SQLite database."""
    settled()
    with tempfile.TemporaryDirectory() as workdir, \
            scaling.fresh_database("sqlite", Path(workdir)) as url:
        engine = make_engine(url)
        deal = thousand_thinnings(engine)
        for _ in range(2):
            report_once(engine, deal.id)
        print(statistics.median(report_once(engine, deal.id) for _ in range(5)))
        engine.dispose()


def compare(revision: str, repeat: int) -> None:
    runs: dict[str, list[float]] = {"before": [], "now": []}
    with tempfile.TemporaryDirectory() as workdir:
        archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", revision,
                                  "offset", "migrations", "alembic.ini", "reports"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", workdir], input=archive, check=True)
        for _ in range(repeat):
            for which, root in (("before", workdir), ("now", None)):
                env = dict(os.environ)
                if root is not None:
                    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root,
                                                                      env.get("PYTHONPATH")]))
                done = subprocess.run([sys.executable, __file__, "--one"], env=env,
                                      check=True, capture_output=True, text=True)
                runs[which].append(float(done.stdout.strip().splitlines()[-1]))
    old, new = min(runs["before"]), min(runs["now"])
    print(f"| report | {revision} (ms) | now (ms) | now / {revision} |")
    print("|---|---:|---:|---:|")
    print(f"| 1,000 thinnings FY2013, SQLite | {old * 1000:.0f} | {new * 1000:.0f} | "
          f"{new / old:.2f} |")


def main() -> int:
    if sys.argv[1:] == ["--one"]:
        one()
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--agreements", type=int, default=300)
    parser.add_argument("--entries", type=int, default=300_000)
    parser.add_argument("--compare", metavar="REVISION")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.compare:
        compare(args.compare, args.repeat)
        return 0
    settled()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        for backend in backends:
            results += run(backend, args, Path(workdir), lambda line: print(line, flush=True))
    print(f"\nmachine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; {args.agreements} other agreements, "
          f"{args.entries:,} bulk entries in the large database; median of {args.runs}")
    print("| backend | agreement-year | small (ms) | large (ms) | large / small |")
    print("|---|---|---:|---:|---:|")
    for backend, case, small, large in results:
        label = "demo FY2013" if case == "demo" else "1,000 thinnings FY2013"
        print(f"| {backend} | {label} | {small * 1000:.0f} | {large * 1000:.0f} | "
              f"{large / small:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
