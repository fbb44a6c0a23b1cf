"""`offset close --agreement ID --fy 2013` and `offset fiscal-year …`: close a year, or show
its state and what a close would meet."""

from __future__ import annotations

from typing import Annotated

import typer

from offset.agreements import services as agreements
from offset.cli.agreements import parse_date
from offset.cli.context import reading, writing
from offset.cli.stands import AgreementId, RecordedBy, who
from offset.closing import services as closing
from offset.closing.model import Consent, YearStatus
from offset.fiscal import FiscalYear

FiscalYearOption = Annotated[int, typer.Option("--fy", metavar="YEAR",
                                               help="Fiscal year, e.g. 2013.")]


def show(status: YearStatus) -> None:
    fy = FiscalYear(status.fiscal_year)
    typer.echo(f"agreement {status.agreement_id}, {fy} ({fy.era_label}): {status.state.value}"
               f"  {status.starts_on}..{status.ends_on}, payments until "
               f"{status.settlement_ends_on}")
    if status.closed_on is not None:
        typer.echo(f"  closed on {status.closed_on} by {status.closed_by} "
                   f"(entry {status.close_entry_id})")
    for problem in status.problems:
        mark = "blocks" if problem.blocking else "note  "
        typer.echo(f"  {mark} {problem.code}: {problem.message}")
    for adjustment in status.adjusted_later:
        typer.echo(f"  adjusted later: entry {adjustment.entry_id} in "
                   f"FY{adjustment.fiscal_year} corrects entry {adjustment.corrects_entry_id}")


def fiscal_year(ctx: typer.Context, agreement: AgreementId, fy: FiscalYearOption) -> None:
    """Show a fiscal year's state, dates and the problems a close would meet."""
    with reading(ctx) as uow:
        show(closing.year_status(uow, agreements.agreement(uow, agreement), fy))


def close(
    ctx: typer.Context,
    agreement: AgreementId,
    fy: FiscalYearOption,
    consent_by: Annotated[str | None, typer.Option(
        metavar="NAME", help="Who consented for the forest party, when the rule asks.")] = None,
    consent_on: Annotated[str | None, typer.Option(
        metavar="DATE", help="When the forest party consented, e.g. 2014-06-10.")] = None,
    recorded_by: RecordedBy = None,
) -> None:
    """Close a fiscal year: nothing more is dated into it; corrections go to the next year."""
    consent = None
    if consent_by is not None or consent_on is not None:
        if consent_by is None or consent_on is None:
            raise typer.BadParameter("give both --consent-by and --consent-on")
        consent = Consent(consent_by.strip(), parse_date(consent_on, "consent_on"))
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        closed = closing.close_year(uow, found, fy, who(recorded_by), consent=consent)
    typer.echo(f"period-close entry {closed.entry.id} ({closed.entry.hash[:12]})")
    show(closed.status)
    for report in closed.reports:
        typer.echo(f"  issued {report.kind.value} report {report.number}: sha256 "
                   f"{report.sha256}, made at seq {report.made_at_seq}")
