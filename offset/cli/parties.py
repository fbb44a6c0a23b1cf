"""`offset parties …`: register and list municipalities."""

from __future__ import annotations

from typing import Annotated

import typer

from offset.agreements import services
from offset.agreements.model import Party
from offset.cli.context import reading, writing

app = typer.Typer(help="Register and list municipalities (parties).", no_args_is_help=True)


def describe(party: Party) -> str:
    """Return one line naming a party the way users know it."""
    prefecture = party.prefecture
    section = f" — 所管課 {party.section_ja or party.section_en}" if (
        party.section_ja or party.section_en) else ""
    return f"{party.code}  {party.name_ja} ({party.name_en}), {prefecture.name_ja}{section}"


@app.command()
def add(
    ctx: typer.Context,
    code: Annotated[str, typer.Option(
        metavar="CODE", help="6-digit local-government code, e.g. 131041.")],
    name_ja: Annotated[str, typer.Option(metavar="NAME", help="Japanese name, e.g. 新宿区.")],
    name_en: Annotated[str, typer.Option(
        metavar="NAME", help="English name, e.g. 'Shinjuku City'.")],
    section_ja: Annotated[str, typer.Option(
        metavar="NAME", help="Section responsible for its agreements (所管課), e.g. 環境対策課.")
    ] = "",
    section_en: Annotated[str, typer.Option(
        metavar="NAME", help="The section in English, e.g. 'Environmental Measures Section'.")
    ] = "",
) -> None:
    """Register a municipality."""
    with writing(ctx) as uow:
        party = services.create_party(uow, code, name_ja, name_en, section_ja=section_ja,
                                      section_en=section_en)
    typer.echo(f"added party {describe(party)}")


@app.command("list")
def list_parties(ctx: typer.Context) -> None:
    """List every municipality."""
    with reading(ctx) as uow:
        parties = services.parties(uow)
    for party in parties:
        typer.echo(describe(party))
    if not parties:
        typer.echo("no parties yet; add one with `offset parties add`")
