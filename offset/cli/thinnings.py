"""`offset thinnings add | list`: thinning work (間伐) and the estimates it posts."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from offset.agreements import services as agreements
from offset.cli.agreements import parse_date
from offset.cli.context import reading, writing
from offset.cli.stands import (
    AREA_PLACES,
    AREA_UNIT,
    AgreementId,
    RecordedBy,
    echo_table,
    plain,
    who,
)
from offset.fiscal import FiscalYear
from offset.forestry.model import Thinning
from offset.forestry.stands import party_stands
from offset.forestry.stands import stand as stand_at
from offset.forestry.thinnings import agreement_thinnings, log_thinning
from offset.numbers import D, exactly
from offset.units import quantity

app = typer.Typer(help="Log and list thinning work.", no_args_is_help=True)

VOLUME_UNIT, VOLUME_PLACES = "m**3", 3
INTENSITY_PLACES = 2


def intensity(text: str | None) -> Decimal | None:
    """Return a percentage of stems such as '30' or '30 %' with 2 places, or None."""
    if text is None:
        return None
    number = D(text.strip().removesuffix("%"), field="intensity")
    return exactly(number, INTENSITY_PLACES, field="intensity")


def volume(text: str | None) -> Decimal | None:
    return None if text is None else quantity(text, VOLUME_UNIT, VOLUME_PLACES, field="volume")


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
    started = parse_date(start, "started_on")
    draft = Thinning(
        id=0, agreement_id=agreement, stand_id=stand, stand_version=0, fiscal_year=fy,
        started_on=started, finished_on=started if end is None else parse_date(end, "finished_on"),
        area_ha=quantity(area, AREA_UNIT, AREA_PLACES, field="area"),
        intensity_percent=intensity(intensity_percent), volume_m3=volume(volume_removed),
        contractor=contractor.strip(), note=note.strip())
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        logged = log_thinning(uow, found, draft, who(recorded_by))
        label = stand_at(uow, stand).label
    work = logged.thinning
    typer.echo(f"thinning {work.id}: {label} (stand {work.stand_id} v{work.stand_version}), "
               f"{FiscalYear(work.fiscal_year)}, {plain(work.area_ha, AREA_PLACES)} ha")
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
            work.finished_on.isoformat(), plain(work.area_ha, AREA_PLACES),
            "—" if work.intensity_percent is None
            else plain(work.intensity_percent, INTENSITY_PLACES),
            "—" if work.volume_m3 is None else plain(work.volume_m3, VOLUME_PLACES),
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
