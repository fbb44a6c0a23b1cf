"""`offset users …`: create users and their first bearer token."""

from __future__ import annotations

from typing import Annotated

import typer

from offset.access import services
from offset.access.model import Role, User
from offset.cli.context import database
from offset.errors import InvalidInput

app = typer.Typer(help="Create users of the API.", no_args_is_help=True)

ROLES = ", ".join(role.value for role in Role)


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip())
    except ValueError:
        raise InvalidInput(f"{text!r} is not one of {ROLES}", field="role") from None


def attachment(user: User, party_line: str | None) -> str:
    """Return what the user acts for, in words."""
    if party_line is not None:
        return f" for {party_line}"
    if user.audited_agreement_ids:
        ids = ", ".join(str(a) for a in sorted(user.audited_agreement_ids))
        return f" auditing agreement(s) {ids}"
    return ""


@app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Unique user name.")],
    role: Annotated[str, typer.Option(metavar="ROLE", help=f"One of {ROLES}.")],
    party: Annotated[str | None, typer.Option(
        metavar="CODE", help="6-digit code of the party of an urban or forestry user.")] = None,
    agreement: Annotated[list[int] | None, typer.Option(
        metavar="ID", help="Agreement id an auditor audits; repeat for several.")] = None,
) -> None:
    """Create a user and print their bearer token (shown once, never stored)."""
    with database(ctx).units_of_work()() as uow:
        user, token = services.add_user(uow, name, parse_role(role), party_code=party,
                                        agreement_ids=frozenset(agreement or ()))
        found = uow.agreements.party(user.party_id) if user.party_id is not None else None
        uow.commit()
    party_line = None if found is None else f"{found.name_ja} ({found.code})"
    typer.echo(f"created user {user.name} ({user.role.value}){attachment(user, party_line)}")
    typer.echo(f"token: {token}")
    typer.echo("This token is shown only now and is not stored (only its hash is); "
               "keep it safe. Send it as 'Authorization: Bearer <token>'.")
