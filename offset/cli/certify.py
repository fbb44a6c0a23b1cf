"""`offset certify --agreement ID --fy 2013 --certified "456.3 t_CO2" …`: record a certificate.

Posting it issues tCO2e into the agreement's credit account and reverses that year's estimate
in one entry; the difference certified − estimated is kept on the entry and shown.
"""

from __future__ import annotations

from typing import Annotated

import typer

from offset.agreements import services as agreements
from offset.cli.agreements import parse_date
from offset.cli.context import writing
from offset.cli.stands import AgreementId, RecordedBy, who
from offset.fiscal import FiscalYear
from offset.forestry import certification
from offset.forestry.certification import Certificate
from offset.numbers import D
from offset.quantities import AREA, CO2


def tonnes(stored: object) -> str:
    """Return a figure stored on the entry (decimal text) as 't-CO2' with 3 places."""
    return f"{CO2.text(D(str(stored)))} {CO2.label}"


def certify(
    ctx: typer.Context,
    agreement: AgreementId,
    fy: Annotated[int, typer.Option("--fy", metavar="YEAR", help="Fiscal year, e.g. 2013.")],
    certified: Annotated[str, typer.Option(
        metavar="CO2", help="Certified CO2 with unit, e.g. '456.3 t_CO2'.")],
    body: Annotated[str, typer.Option(metavar="NAME", help="Certifying body, e.g. 長野県.")],
    number: Annotated[str, typer.Option(metavar="TEXT", help="Certificate number.")],
    issued: Annotated[str, typer.Option(metavar="DATE", help="Date issued, e.g. 2014-03-20.")],
    area: Annotated[str | None, typer.Option(
        metavar="AREA", help="Certified area, e.g. '142.90 ha'.")] = None,
    recorded_by: RecordedBy = None,
) -> None:
    """Record a certification: issue tCO2e for a fiscal year and clear its estimate."""
    certificate = Certificate(
        fiscal_year=FiscalYear(fy).year,
        tonnes=CO2.parse(certified, field="certified"),
        body=body.strip(), number=number.strip(), issued_on=parse_date(issued, "issued_on"),
        area_ha=AREA.parse_optional(area, field="certified_area"))
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        posted = certification.certify(uow, found, certificate, who(recorded_by))
    details = posted.entry.details
    shown_area = ("" if certificate.area_ha is None
                  else f" over {format(certificate.area_ha, 'f')} ha")
    typer.echo(f"certification entry {posted.id}: agreement {agreement}, {FiscalYear(fy)}, "
               f"{certificate.body} {certificate.number}, issued "
               f"{certificate.issued_on.isoformat()}{shown_area}")
    for label, key in (("certified ", "certified"), ("estimated ", "estimated"),
                       ("difference", "difference")):
        typer.echo(f"  {label} {tonnes(details[key]):>16}")
