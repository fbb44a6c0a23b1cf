"""`offset stands add | list | revise | enroll`: the forest party's stands (林班・小班), versioned
on edit, and their enrollments in other crediting schemes' projects.

Also holds the options every forestry-office command shares: the agreement, who records.
"""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from offset.agreements import services as agreements
from offset.cli.context import reading, writing
from offset.db.uow import UnitOfWork
from offset.errors import InvalidInput, NotFound
from offset.forestry import reference
from offset.forestry import stands as forestry_stands
from offset.forestry.model import (
    FOREST_MANAGEMENT,
    J_CREDIT,
    Enrollment,
    Stand,
    StandInput,
    StandVersion,
)
from offset.forestry.parameters import ParameterSet
from offset.forestry.stands import enroll_stand, register_stand, revise_stand
from offset.quantities import AREA, GROWTH

app = typer.Typer(help="Register, list, revise and enroll the forest party's stands.",
                  no_args_is_help=True)

CLEAR = "none"
UNBOUNDED = 10_000  # characters: a table printed to a pipe or file is never wrapped

AgreementId = Annotated[int, typer.Option("--agreement", metavar="ID", help="Agreement id.")]
RecordedBy = Annotated[str | None, typer.Option(
    "--recorded-by", metavar="WHO", help="Who the record is by (default: cli:<your login>).")]
Area = Annotated[str, typer.Option(metavar="AREA", help="Stand area with unit: '12.5 ha', "
                                                        "'125000 m**2', '12.6 町'.")]
Species = Annotated[str, typer.Option(metavar="CODE", help="Species code of the parameter "
                                                           "set, e.g. akamatsu, sugi.")]
Planted = Annotated[int, typer.Option(metavar="YEAR", help="Planting year, e.g. 1970.")]
SiteClass = Annotated[int | None, typer.Option(metavar="1-5", help="Yield-table site class.")]
Growth = Annotated[str | None, typer.Option(
    metavar="GROWTH", help="Measured stem-volume growth replacing the yield table, "
                           "e.g. '3.5 m**3/ha/year'.")]


def who(recorded_by: str | None) -> str:
    """Return who a record is by: the option given, else cli:<login>."""
    if recorded_by and recorded_by.strip():
        return recorded_by.strip()
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name in the environment (e.g. some containers)
        return "cli:unknown"


def stand_of(uow: UnitOfWork, forest_party_id: int, stand_id: int) -> Stand:
    """Return the stand if it is the forest party's. Raises NotFound."""
    stand = forestry_stands.stand(uow, stand_id)
    if stand.forest_party_id != forest_party_id:
        raise NotFound(f"stand {stand_id} is not a stand of the agreement's forest party",
                       field="stand_id")
    return stand


def echo_table(table: Table) -> None:
    """Print a table: wrapped to a terminal's width, else (a pipe, a file) at full width."""
    console = Console(highlight=False, soft_wrap=True)
    if not console.is_terminal:
        unbounded = console.options.update_width(UNBOUNDED)
        console = Console(highlight=False, soft_wrap=True,
                          width=console.measure(table, options=unbounded).maximum)
    console.print(table)


def species_name(parameters: ParameterSet, code: str) -> str:
    """Return "akamatsu アカマツ Japanese red pine" (the Latin name left out)."""
    found = parameters.species.get(code)
    if found is None:
        return code
    return f"{code} {found.name_ja} {found.name_en.split(' (')[0]}"


def fields(version: StandVersion) -> dict[str, str]:
    """Return a stand version's fields as shown to people, by name."""
    growth_text = (f"{GROWTH.text(version.measured_growth)} {GROWTH.label}"
                   if version.measured_growth is not None else "—")
    return {"area": f"{AREA.text(version.area_ha)} {AREA.label}",
            "species": version.species_code, "planted": str(version.planting_year),
            "site class": "—" if version.site_class is None else str(version.site_class),
            "measured growth": growth_text}


def render(stands: list[Stand], parameters: ParameterSet) -> Table:
    """Return the stands as a table, Japanese labels beside the English ones."""
    table = Table(box=box.SIMPLE_HEAD)
    for header in ("id", "団地 site", "林班 compartment", "小班 stand", "版 version",
                   "面積 area ha", "樹種 species", "植栽 planted", "地位 site class",
                   "成長量 growth m3/ha/yr"):
        table.add_column(header)
    for stand in stands:
        now = stand.current
        table.add_row(str(stand.id), stand.site, stand.compartment, stand.stand_number,
                      str(stand.version), AREA.text(now.area_ha),
                      species_name(parameters, now.species_code), str(now.planting_year),
                      "—" if now.site_class is None else str(now.site_class),
                      "—" if now.measured_growth is None
                      else GROWTH.text(now.measured_growth))
    return table


@app.command()
def add(ctx: typer.Context, agreement: AgreementId,
        site: Annotated[str, typer.Option(metavar="NAME", help="Site, e.g. 鹿嶺高原.")],
        compartment: Annotated[str, typer.Option(metavar="NO", help="林班, e.g. 12.")],
        stand: Annotated[str, typer.Option(metavar="NO", help="小班, e.g. 3 or ろ.")],
        area: Area, species: Species, planted: Planted, site_class: SiteClass = None,
        measured_growth: Growth = None, recorded_by: RecordedBy = None) -> None:
    """Register a stand of the agreement's forest party."""
    given = StandInput(site, compartment, stand,
                       StandVersion.read(area, species, planted, site_class, measured_growth))
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        added = register_stand(uow, found.forest_party_id, given, who(recorded_by))
    shown = ", ".join(f"{name} {value}" for name, value in fields(added.current).items())
    typer.echo(f"stand {added.id}: {added.label}, version {added.version}: {shown}")


@app.command("list")
def list_stands(ctx: typer.Context, agreement: AgreementId) -> None:
    """List the forest party's stands, each at its latest version."""
    with reading(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        stands = forestry_stands.party_stands(uow, found.forest_party_id)
        parameters = reference.current_parameter_set(uow)
    if not stands:
        typer.echo(f"no stands yet for agreement {agreement}; add one with `offset stands add`")
        return
    echo_table(render(stands, parameters))


def revised(current: StandVersion, area: str | None, species: str | None,
            planted: int | None, site_class: int | None,
            measured_growth: str | None) -> StandVersion:
    """Return the current version with the given fields changed ('none' clears the growth).

    Raises InvalidInput when nothing would change, InvalidQuantity for a bad quantity.
    """
    new = StandVersion(
        current.area_ha if area is None else AREA.parse(area, field="area"),
        current.species_code if species is None else species.strip(),
        current.planting_year if planted is None else planted,
        current.site_class if site_class is None else site_class,
        current.measured_growth if measured_growth is None
        else None if measured_growth.strip().lower() == CLEAR
        else GROWTH.parse(measured_growth, field="measured_growth"))
    if new == current:
        raise InvalidInput("nothing to change: give a field with a new value", field="stand")
    return new


@app.command()
def revise(ctx: typer.Context,
           stand_id: Annotated[int, typer.Argument(metavar="STAND_ID", help="Stand id.")],
           agreement: AgreementId,
           area: Annotated[str | None, typer.Option(metavar="AREA", help="New area.")] = None,
           species: Annotated[str | None, typer.Option(metavar="CODE",
                                                       help="New species.")] = None,
           planted: Annotated[int | None, typer.Option(metavar="YEAR",
                                                       help="New planting year.")] = None,
           site_class: SiteClass = None,
           measured_growth: Annotated[str | None, typer.Option(
               metavar="GROWTH", help=f"New measured growth, or '{CLEAR}' to use the yield "
                                      "table.")] = None,
           recorded_by: RecordedBy = None) -> None:
    """Record an edit as the stand's next version; work logged on earlier versions keeps them.

    Fields left out keep their current values.
    """
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        before = stand_of(uow, found.forest_party_id, stand_id)
        new = revised(before.current, area, species, planted, site_class, measured_growth)
        after = revise_stand(uow, before, new, who(recorded_by))
    typer.echo(f"stand {after.id}: {after.label}, version {before.version} → {after.version}")
    old, changed = fields(before.current), fields(after.current)
    for name, value in changed.items():
        if value != old[name]:
            typer.echo(f"  {name}: {old[name]} → {value}")


@app.command()
def enroll(ctx: typer.Context,
           stand_id: Annotated[int, typer.Argument(metavar="STAND_ID", help="Stand id.")],
           agreement: AgreementId,
           project: Annotated[str, typer.Option(
               "--project", metavar="NUMBER", help="The project's number in the scheme.")],
           first_fy: Annotated[int, typer.Option("--from", metavar="FY",
                                                 help="First fiscal year enrolled.")],
           last_fy: Annotated[int, typer.Option("--to", metavar="FY",
                                                help="Last fiscal year enrolled.")],
           scheme: Annotated[str, typer.Option(metavar="NAME",
                                               help="Crediting scheme.")] = J_CREDIT,
           methodology: Annotated[str, typer.Option(
               metavar="CODE", help="The scheme's methodology.")] = FOREST_MANAGEMENT,
           recorded_by: RecordedBy = None) -> None:
    """Record the stand's enrollment in another scheme's project (a J-Credit FO-001 project)
    for fiscal years: no agreement credits it for those years from then on."""
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        stand = stand_of(uow, found.forest_party_id, stand_id)
        stored = enroll_stand(uow, stand, Enrollment(stand.id, scheme, methodology, project,
                                                     first_fy, last_fy), who(recorded_by))
    typer.echo(f"stand {stand.id}: {stand.label} enrolled in {stored.scheme} "
               f"{stored.methodology} project {stored.project_number} for "
               f"FY{stored.first_fy}–FY{stored.last_fy}; no agreement credits it then")
