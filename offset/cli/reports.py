"""`offset reports list|get|reissue`: the register of issued reports, their exact PDFs and
re-issues (再発行)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from offset.agreements import services as agreements
from offset.cli.context import reading, writing
from offset.cli.inputs import AgreementId, RecordedBy, free_text, recorder
from offset.cli.tables import console_for
from offset.documents import services as documents
from offset.documents.model import IssuedReport
from offset.errors import InvalidInput

app = typer.Typer(help="The register of issued reports: list, download, re-issue.",
                  no_args_is_help=True)

Number = Annotated[str, typer.Argument(metavar="NUMBER",
                                       help="The document number, e.g. 2014-新伊-001.")]


def render(rows: list[IssuedReport]) -> Table:
    """Return the register as a rich table, in the order issued."""
    table = Table(box=box.SIMPLE_HEAD)
    for name in ("文書番号 Number", "種別 Kind", "対象 Period", "作成 Generated (JST)"):
        table.add_column(name, no_wrap=True)
    table.add_column("Seq", justify="right", no_wrap=True)
    for name in ("SHA-256", "発行者 By", "再発行 Replaces", "後継 Replaced by"):
        table.add_column(name, no_wrap=True)
    for row in rows:
        period = (f"FY{row.fiscal_year}" if row.term_number is None
                  else f"term {row.term_number}")
        table.add_row(row.number, row.kind.value, period,
                      row.generated_in_japan.strftime("%Y-%m-%d %H:%M:%S"),
                      str(row.made_at_seq), row.sha256, row.issued_by, row.replaces or "",
                      row.replaced_by or "")
    return table


@app.command("list")
def register(ctx: typer.Context, agreement: AgreementId) -> None:
    """List the agreement's issued reports with the chain place and hash of each."""
    with reading(ctx) as uow:
        rows = documents.register(uow, agreements.agreement(uow, agreement))
    table = render(rows)
    console = console_for(table)
    if rows:
        console.print(table)
    console.print(f"agreement {agreement}: {len(rows)} issued reports", markup=False)


@app.command("get")
def get(ctx: typer.Context, agreement: AgreementId, number: Number,
        output: Annotated[Path, typer.Option("-o", "--output", help="The PDF file to write.")],
        ) -> None:
    """Write an issued report's PDF, exactly the bytes issued."""
    with reading(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        row = documents.issued_report(uow, found, number)
        pdf = documents.issued_pdf(uow, found, number)
    try:
        output.write_bytes(pdf)
    except OSError as error:
        raise InvalidInput(f"cannot write {output}: {error.strerror}", field="output") from None
    typer.echo(f"wrote {output} ({row.number}, sha256 {row.sha256})")


@app.command("reissue")
def reissue(ctx: typer.Context, agreement: AgreementId, number: Number,
            reason: Annotated[str, typer.Option(metavar="TEXT", help="Why it is re-issued.")],
            recorded_by: RecordedBy = None) -> None:
    """Issue a report again under a new number that names it; both stay downloadable."""
    why = free_text(reason, "reason")
    if not why:
        raise InvalidInput("must not be blank", field="reason")
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        row = documents.reissue(uow, found, number, why, recorder(recorded_by))
    typer.echo(f"issued {row.number}, replacing {row.replaces}: {why} "
               f"(sha256 {row.sha256}, entry {row.entry_id})")
