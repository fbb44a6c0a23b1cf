"""Benchmark: how long the web interface's pages take to render on the server.

    python bench/web_pages.py [--backend sqlite|postgresql|both] [--calls 30]
                              [--entries 1000000] [--agreements 300] [--no-large]

Targets (issue 12): every page renders in under 100 ms on the server for the demo, and the
FY dashboard and the journal browser stay under 100 ms in a database of 300 agreements and
1,000,000 entries.

"On the server" is the whole request as the app answers it in-process (Starlette's test
client: routing, the session check, the use cases, the template, the middleware), without a
socket or a browser. Each page is requested `--calls` times after 3 untimed warm-up requests,
round-robin over the pages so that they meet the same background load; the median and the
95th percentile are reported.

  demo   the Shinjuku–Ina demo (offset.demo.builder.build), every page of every role.
  large  bench/summary_scaling.py's measured agreement (FY2013 posted through the services)
         plus 299 agreements filled raw to about 1,000,000 entries; the urban user of the
         measured agreement's party and its auditor look at the dashboard of FY2013 and at the
         journal browser (first page, FY2013, a page after entry 100).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scratch import fresh_database
from summary_scaling import analyse, build_measured, counts, fill_bulk, plan_bulk

from offset.access import services as access
from offset.access.model import Role
from offset.agreements import services as agreements_service
from offset.api.app import create_app
from offset.db.engine import make_engine
from offset.db.uow import unit_of_work_factory
from offset.demo.builder import build

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TARGET_MS = 100.0


def demo_pages(agreement_id: int) -> dict[str, list[str]]:
    """The pages each demo user opens (every page of the interface that reads)."""
    a = f"/agreements/{agreement_id}"
    return {
        "forestry": ["/", f"{a}/forest", f"{a}/stands", f"{a}/stands/1",
                     f"{a}/thinnings?fy=2013", f"{a}/imports", f"{a}/certifications",
                     f"{a}/timber"],
        "urban": [f"{a}/dashboard?fy=2013", f"{a}/dashboard?term=3", f"{a}/money?fy=2013",
                  f"{a}/emissions", f"{a}/retire"],
        "auditor": [f"{a}/audit", f"{a}/journal", f"{a}/journal?fy=2013",
                    f"{a}/journal?after=100&page=5", f"{a}/exports"],
        "admin": ["/admin", "/admin/parties", "/admin/agreements",
                  f"/admin/agreements/{agreement_id}", "/admin/users", "/admin/reference"],
    }


def logged_in(app: object, name: str, password: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token, "no CSRF token on the login page"
    answer = client.post("/login", data={"name": name, "password": password,
                                         "csrf": token.group(1), "next": "/"})
    if answer.status_code != 303:
        raise SystemExit(f"{name} could not log in: {answer.status_code}")
    return client


@dataclass
class Page:
    who: str
    path: str
    client: TestClient
    times: list[float]

    def fetch(self) -> float:
        started = time.perf_counter()
        answer = self.client.get(self.path)
        elapsed = time.perf_counter() - started
        if answer.status_code != 200:
            raise SystemExit(f"{self.who} {self.path}: {answer.status_code}")
        return elapsed

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.times, n=20)[-1] * 1000


def measure(pages: list[Page], calls: int) -> None:
    for page in pages:
        for _ in range(3):
            page.fetch()
    for _ in range(calls):
        for page in pages:
            page.times.append(page.fetch())


def run_demo(backend: str, workdir: Path, calls: int) -> list[Page]:
    with fresh_database(backend, workdir) as url:
        engine = make_engine(url)
        try:
            with unit_of_work_factory(engine)() as uow:
                built = build(uow)
                uow.commit()
            app = create_app(unit_of_work_factory(engine))
            pages = [Page(who, path, logged_in(app, who, built.passwords[who]), [])
                     for who, paths in demo_pages(built.agreement.id).items()
                     for path in paths]
            measure(pages, calls)
            return pages
        finally:
            engine.dispose()


def run_large(backend: str, workdir: Path, calls: int, entries: int,
              agreements: int) -> tuple[list[Page], int]:
    with fresh_database(backend, workdir) as url:
        engine = make_engine(url)
        try:
            measured = build_measured(engine)
            plan = plan_bulk(engine, measured.urban_party_id, measured.forest_party_id,
                             agreements - 1, max(0, entries - 200))
            print(f"[{backend}] filling {entries:,} entries", flush=True)
            fill_bulk(engine, plan, lambda *_: None)
            analyse(engine)
            total = counts(engine)[0]
            with unit_of_work_factory(engine)() as uow:
                urban_code = agreements_service.party(uow, measured.urban_party_id).code
                access.add_user(uow, "bench-urban", Role.URBAN, party_code=urban_code)
                access.add_user(uow, "bench-auditor", Role.AUDITOR,
                                agreement_ids=frozenset({measured.id}))
                for name in ("bench-urban", "bench-auditor"):
                    access.set_password(uow, name, "bench password " + name)
                uow.commit()
            engine.dispose()  # measure on connections that did no filling
            app = create_app(unit_of_work_factory(engine))
            a = f"/agreements/{measured.id}"
            urban = logged_in(app, "bench-urban", "bench password bench-urban")
            auditor = logged_in(app, "bench-auditor", "bench password bench-auditor")
            pages = [Page("urban", f"{a}/dashboard?fy=2013", urban, []),
                     Page("urban", f"{a}/dashboard?term=1", urban, []),
                     Page("auditor", f"{a}/journal", auditor, []),
                     Page("auditor", f"{a}/journal?fy=2013", auditor, []),
                     Page("auditor", f"{a}/journal?after=100&page=5", auditor, [])]
            measure(pages, calls)
            return pages, total
        finally:
            engine.dispose()


def table(rows: list[tuple[str, str, Page]]) -> str:
    lines = ["| backend | database | who | page | median ms | p95 ms |",
             "|---|---|---|---|---:|---:|"]
    for backend, database, page in rows:
        lines.append(f"| {backend} | {database} | {page.who} | `{page.path}` | "
                     f"{page.median_ms:.1f} | {page.p95_ms:.1f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--agreements", type=int, default=300)
    parser.add_argument("--no-large", dest="large", action="store_false")
    args = parser.parse_args(argv)
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    rows: list[tuple[str, str, Page]] = []
    with tempfile.TemporaryDirectory(prefix="offset-bench-") as workdir:
        for backend in backends:
            rows += [(backend, "demo", page)
                     for page in run_demo(backend, Path(workdir), args.calls)]
            if args.large:
                pages, total = run_large(backend, Path(workdir), args.calls, args.entries,
                                         args.agreements)
                rows += [(backend, f"{args.agreements} agreements, {total:,} entries", page)
                         for page in pages]
    print(table(rows))
    slowest = max(rows, key=lambda row: row[2].median_ms)
    print(f"\nslowest median: {slowest[2].median_ms:.1f} ms ({slowest[0]}, {slowest[2].path}); "
          f"target {TARGET_MS:.0f} ms: {'met' if slowest[2].median_ms < TARGET_MS else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
