"""Benchmark: `offset report all` on the demo, the whole command, as a person runs it.

    python bench/report_all.py [--runs 5] [--compare REVISION]

Loads the demo into a new SQLite database with the `offset` command, then times `offset
report all --out DIR` end to end (starting Python, importing, building and rendering every
annual and term report of every agreement) with its peak memory, `--runs` times; the
median is reported. Target (issue 11): under 2 s.

With `--compare REVISION` the same command is timed with REVISION's code (exported with
`git archive` onto PYTHONPATH) and today's, alternating run by run over the same database,
and the medians are reported side by side with their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The command as the console script runs it; a revision from before `run` existed runs `app`.
COMMAND = ("import offset.cli.main as m; getattr(m, 'run', m.app)()")


def offset(args: list[str], env: dict[str, str]) -> float:
    """Run `offset ARGS`; return its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", COMMAND, *args], env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", metavar="REVISION")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        work = Path(workdir)
        env = dict(os.environ, OFFSET_DATABASE_URL=f"sqlite:///{work / 'demo.db'}")
        offset(["db", "upgrade"], env)
        offset(["demo"], env)
        codes: dict[str, dict[str, str]] = {"now": env}
        if args.compare:
            archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", args.compare,
                                      "offset", "migrations", "alembic.ini", "reports"],
                                     check=True, capture_output=True).stdout
            (work / "before").mkdir()
            subprocess.run(["tar", "-x", "-C", str(work / "before")], input=archive, check=True)
            before = dict(env, PYTHONPATH=os.pathsep.join(
                filter(None, [str(work / "before"), env.get("PYTHONPATH")])))
            codes = {args.compare: before, "now": env}
        times: dict[str, list[float]] = {name: [] for name in codes}
        for run in range(args.runs + 1):
            for name, code in codes.items():
                out = work / f"out-{name}-{run}"
                elapsed = offset(["report", "all", "--out", str(out)], code)
                if run:  # the first round warms the file cache and the bytecode
                    times[name].append(elapsed)
        reports = len(list((work / f"out-now-{args.runs}").iterdir()))
    print(f"`offset report all` on the demo ({reports} reports), median of {args.runs}")
    print("| code | seconds |")
    print("|---|---:|")
    for name, measured in times.items():
        print(f"| {name} | {statistics.median(measured):.2f} |")
    if args.compare:
        ratio = statistics.median(times["now"]) / statistics.median(times[args.compare])
        print(f"now / {args.compare}: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
