"""`offset report annual|term|all`: write auditors' PDF reports from the ledger (read only).

These are drafts built on demand at today's chain head; reports issued when a year closes
are kept in the register (`offset reports`)."""

from __future__ import annotations

import getpass
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from offset.agreements import services as agreements
from offset.cli import inputs
from offset.cli.context import reading
from offset.cli.inputs import AsOfOption
from offset.errors import InvalidInput
from reports import ReportData, build_annual, build_term, render_pdf, render_xlsx, xlsx_filename

app = typer.Typer(help="Write annual and term PDF reports built on demand (drafts; the "
                       "issued ones: `offset reports`).", no_args_is_help=True)

AgreementOption = Annotated[int, typer.Option("--agreement", help="Agreement id.")]
Output = Annotated[Path, typer.Option("-o", "--output", help="The file to write.")]


class Format(StrEnum):
    PDF = "pdf"
    XLSX = "xlsx"


FormatOption = Annotated[Format, typer.Option(
    "--format", help="pdf (the document) or xlsx (its data, a sheet per section).")]
RENDER = {Format.PDF: render_pdf, Format.XLSX: render_xlsx}


def write(report: ReportData, path: Path, form: Format = Format.PDF) -> None:
    """Render `report` into `path` as `form`. Raises InvalidInput when the file cannot be
    written."""
    save(RENDER[form](report), path)


@app.command("annual")
def annual(ctx: typer.Context, agreement: AgreementOption,
           fy: Annotated[int, typer.Option("--fy", help="Fiscal year, e.g. 2013.")],
           output: Output, as_of: AsOfOption = None, form: FormatOption = Format.PDF) -> None:
    """Write the annual report of one agreement and fiscal year."""
    point = inputs.as_of(as_of)
    with reading(ctx) as uow:
        report = build_annual(uow, agreements.agreement(uow, agreement), fy, as_of=point,
                              prepared_by=_operator())
    write(report, output, form)
    typer.echo(f"wrote {output} ({report.chain.entry_count} entries, head "
               f"{report.chain.head_hash[:12]})")


@app.command("term")
def term(ctx: typer.Context, agreement: AgreementOption,
         number: Annotated[int, typer.Option("--term", help="Term number, 1 for the first.")],
         output: Output, as_of: AsOfOption = None, form: FormatOption = Format.PDF) -> None:
    """Write the report of one agreement's term."""
    point = inputs.as_of(as_of)
    with reading(ctx) as uow:
        report = build_term(uow, agreements.agreement(uow, agreement), number, as_of=point,
                            prepared_by=_operator())
    write(report, output, form)
    typer.echo(f"wrote {output} ({report.chain.entry_count} entries, head "
               f"{report.chain.head_hash[:12]})")


@contextmanager
def progress_bar(total: int) -> Iterator[Progress | None]:
    """Yield a bar drawn on stderr, or None when stderr is no terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    with Progress(TextColumn("reports"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        bar.add_task("reports", total=total)
        yield bar


@app.command("all")
def every(ctx: typer.Context,
          out: Annotated[Path, typer.Option("--out", help="Directory to write into.")],
          agreement: Annotated[int | None, typer.Option(
              "--agreement", help="Only this agreement (default: every agreement).")] = None,
          form: FormatOption = Format.PDF) -> None:
    """Write the annual report of every agreement-year (and every term report)."""
    with reading(ctx) as uow:
        found = (agreements.all_agreements(uow) if agreement is None
                 else [agreements.agreement(uow, agreement)])
    jobs = [(a.id, "annual", y) for a in found for t in a.terms
            for y in range(t.first_fy, t.last_fy + 1)]
    jobs += [(a.id, "term", t.number) for a in found for t in a.terms]
    out.mkdir(parents=True, exist_ok=True)
    with progress_bar(len(jobs)) as bar, renderers(len(jobs)) as render:
        waiting: deque[tuple[Path, Future[bytes]]] = deque()

        def save_oldest() -> None:
            path, made = waiting.popleft()
            save(made.result(), path)
            if bar is not None:
                bar.advance(bar.task_ids[0])

        for agreement_id, kind, which in jobs:
            with reading(ctx) as uow:
                chosen = agreements.agreement(uow, agreement_id)
                report = (build_annual(uow, chosen, which, prepared_by=_operator())
                          if kind == "annual"
                          else build_term(uow, chosen, which, prepared_by=_operator()))
            name = report.filename if form is Format.PDF else xlsx_filename(report)
            waiting.append((out / name, render(RENDER[form], report)))
            if len(waiting) > IN_FLIGHT:
                save_oldest()
        while waiting:
            save_oldest()
    typer.echo(f"wrote {len(jobs)} reports into {out}")


# Reports rendered ahead of the one being written: enough to keep every CPU busy while the
# next report is read, few enough that a nation's reports are never all held at once.
IN_FLIGHT = 8


@contextmanager
def renderers(jobs: int) -> Iterator[Callable[[Callable[[ReportData], bytes], ReportData],
                                             Future[bytes]]]:
    """Yield a function that renders a report, returning its future bytes.

    Rendering is pure computation on report data already read, and most of a report's time:
    with several CPUs and more than one report it runs in worker processes forked from this
    one (they inherit the loaded code, and never touch the database), while this process
    reads the next report. Otherwise it runs here, at once.
    """
    workers = min(os.cpu_count() or 1, jobs, 4)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        def here(render: Callable[[ReportData], bytes], report: ReportData) -> Future[bytes]:
            made: Future[bytes] = Future()
            made.set_result(render(report))
            return made

        yield here
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool.submit


def save(content: bytes, path: Path) -> None:
    """Write `content` into `path`. Raises InvalidInput when the file cannot be written."""
    try:
        path.write_bytes(content)
    except OSError as error:
        raise InvalidInput(f"cannot write {path}: {error.strerror}", field="output") from None


def _operator() -> str:
    """The preparer a report written from the command line names: the operator's login."""
    return f"cli:{getpass.getuser()}"
