"""`offset thinnings add | list`: thinning work (間伐) and the estimates it posts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.table import Table

from offset.agreements import services as agreements
from offset.cli.agreements import parse_date
from offset.cli.context import reading, writing
from offset.cli.stands import AgreementId, RecordedBy, echo_table, who
from offset.fiscal import FiscalYear
from offset.forestry.model import Thinning, ThinningInput
from offset.forestry.stands import party_stands
from offset.forestry.stands import stand as stand_at
from offset.forestry.thinnings import agreement_thinnings, log_thinning
from offset.quantities import AREA, INTENSITY, VOLUME

app = typer.Typer(help="Log and list thinning work.", no_args_is_help=True)


def work_of(stand: int, fy: int, start: str, end: str | None, area: str,
            intensity: str | None = None, volume: str | None = None, contractor: str = "",
            note: str = "") -> ThinningInput:
    """Return the work the options state (the last day defaults to the first).

    Raises InvalidInput naming the field.
    """
    started = parse_date(start, "started_on")
    finished = started if end is None else parse_date(end, "finished_on")
    return ThinningInput.read(stand, fy, started, finished, area, intensity, volume,
                              contractor, note)


@app.command()
def add(ctx: typer.Context, agreement: AgreementId,
        stand: Annotated[int, typer.Option(metavar="STAND_ID", help="The stand's id.")],
        fy: Annotated[int, typer.Option("--fy", metavar="YEAR", help="Fiscal year, e.g. 2009.")],
        start: Annotated[str, typer.Option(metavar="DATE", help="First day, e.g. 2009-10-01.")],
        area: Annotated[str, typer.Option(metavar="AREA", help="Area thinned with unit: "
                                                               "'29 ha', '290000 m**2', '3 町'.")],
        end: Annotated[str | None, typer.Option(
            metavar="DATE", help="Last day (default: the first day).")] = None,
        intensity_percent: Annotated[str | None, typer.Option(
            "--intensity", metavar="PERCENT", help="Percent of stems removed, e.g. 30.")] = None,
        volume_removed: Annotated[str | None, typer.Option(
            "--volume", metavar="VOLUME", help="Volume removed: '120 m**3', '430 石'.")] = None,
        contractor: Annotated[str, typer.Option(metavar="NAME", help="Contractor.")] = "",
        note: Annotated[str, typer.Option(metavar="TEXT", help="Note.")] = "",
        recorded_by: RecordedBy = None) -> None:
    """Log thinning work on a stand and post its estimate for each fiscal year it is credited."""
    draft = work_of(stand, fy, start, end, area, intensity_percent, volume_removed,
                    contractor, note)
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        logged = log_thinning(uow, found, draft, who(recorded_by))
        label = stand_at(uow, stand).label
    work = logged.thinning
    typer.echo(f"thinning {work.id}: {label} (stand {work.stand_id} v{work.stand_version}), "
               f"{FiscalYear(work.fiscal_year)}, {AREA.text(work.area_ha)} ha")
    for posted in logged.estimates:
        entry = posted.entry
        typer.echo(f"  estimate entry {posted.id}: {FiscalYear(entry.fiscal_year)} "
                   f"{entry.details['tonnes']} t-CO2")
    if not logged.estimates:
        typer.echo("  no estimates posted (every credited year is certified or earns nothing)")


def render(works: list[Thinning], labels: dict[int, str]) -> Table:
    """Return the work as a table, Japanese labels beside the English ones."""
    table = Table(box=box.SIMPLE_HEAD)
    for header in ("id", "林小班 stand", "年度 FY", "開始 start", "終了 end", "面積 area ha",
                   "間伐率 intensity %", "材積 volume m3", "請負 contractor", "備考 note"):
        table.add_column(header)
    for work in works:
        table.add_row(
            str(work.id), f"{labels.get(work.stand_id, work.stand_id)} v{work.stand_version}",
            str(FiscalYear(work.fiscal_year)), work.started_on.isoformat(),
            work.finished_on.isoformat(), AREA.text(work.area_ha),
            "—" if work.intensity_percent is None else INTENSITY.text(work.intensity_percent),
            "—" if work.volume_m3 is None else VOLUME.text(work.volume_m3),
            work.contractor, work.note)
    return table


@app.command("list")
def list_thinnings(ctx: typer.Context, agreement: AgreementId,
                   fy: Annotated[int | None, typer.Option(
                       "--fy", metavar="YEAR", help="Only this fiscal year.")] = None) -> None:
    """List the agreement's thinning work in the order it was logged."""
    with reading(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        works = agreement_thinnings(uow, found.id, fy)
        labels = {s.id: s.label for s in party_stands(uow, found.forest_party_id)}
    if not works:
        typer.echo(f"no thinning work logged for agreement {agreement}"
                   + (f" in {FiscalYear(fy)}" if fy is not None else ""))
        return
    echo_table(render(works, labels))
