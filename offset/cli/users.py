"""`offset users …`: create and list users, issue their tokens and revoke them."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from offset.access import services
from offset.access.model import Role, User
from offset.access.services import Issued
from offset.access.tokens import MAX_EXPIRY_DAYS, Account
from offset.agreements import services as agreements
from offset.agreements.model import Party
from offset.cli.context import reading, writing
from offset.cli.tables import console_for
from offset.errors import InvalidInput
from offset.settings import settings

app = typer.Typer(help="Create users of the API and manage their tokens.",
                  no_args_is_help=True)

ROLES = ", ".join(role.value for role in Role)
KEEP_SAFE = ("This token is shown only now and is not stored (only its hash is); "
             "keep it safe. Send it as 'Authorization: Bearer <token>'.")

UserName = Annotated[str, typer.Argument(metavar="NAME", help="The user's name.")]
# Typer's own range check would print a usage block; the service refuses in one line.
Expires = Annotated[int | None, typer.Option(
    "--expires", metavar="DAYS",
    help=f"Days until the token stops working (1..{MAX_EXPIRY_DAYS}); default: never.")]


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


def moment(value: datetime | None, never: str = "—") -> str:
    """Return a timestamp to the minute in UTC, or `never`."""
    return never if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the user's web password from standard input (one line).")]
Link = Annotated[bool, typer.Option(
    "--link", help="Print a one-time link (24 h) with which the user sets their password.")]


def read_password() -> str:
    """Return the first line of standard input, without its line ending."""
    return sys.stdin.readline().rstrip("\r\n")


def link_url(secret: str) -> str:
    return f"{settings().public_url.rstrip('/')}/password/{secret}"


def show_link(name: str, secret: str) -> None:
    typer.echo(f"one-time link for {name} to set a password (valid 24 h, shown only now):")
    typer.echo(f"  {link_url(secret)}")


def show_token(issued: Issued) -> None:
    typer.echo(f"token: {issued.secret}")
    expires = issued.token.expires_at
    typer.echo("it never expires" if expires is None else f"it expires {moment(expires)}")
    typer.echo(KEEP_SAFE)


@app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Unique user name.")],
    role: Annotated[str, typer.Option(metavar="ROLE", help=f"One of {ROLES}.")],
    party: Annotated[str | None, typer.Option(
        metavar="CODE", help="6-digit code of the party of an urban or forestry user.")] = None,
    agreement: Annotated[list[int] | None, typer.Option(
        metavar="ID", help="Agreement id an auditor audits; repeat for several.")] = None,
    expires: Expires = None,
    password_stdin: PasswordStdin = False,
    link: Link = False,
) -> None:
    """Create a user and print their bearer token (shown once, never stored); with
    --password-stdin or --link, give them a web login too."""
    password = read_password() if password_stdin else None
    with writing(ctx) as uow:
        issued = services.add_account(uow, name, parse_role(role), party_code=party,
                                      agreement_ids=frozenset(agreement or ()),
                                      expires_in_days=expires)
        user = issued.user
        if password is not None:
            services.set_password(uow, user.name, password)
        secret = services.password_link(uow, user.name)[1] if link else None
        found = agreements.party(uow, user.party_id) if user.party_id is not None else None
    party_line = None if found is None else f"{found.name_ja} ({found.code})"
    typer.echo(f"created user {user.name} ({user.role.value}){attachment(user, party_line)}")
    if password is not None:
        typer.echo("the password read from standard input is set for the web interface")
    if secret is not None:
        show_link(user.name, secret)
    show_token(issued)


@app.command()
def password(ctx: typer.Context, name: UserName, password_stdin: PasswordStdin = False,
             link: Link = False) -> None:
    """Set a user's web password (from standard input) or print a one-time link to set it;
    either ends the user's browser sessions."""
    if password_stdin == link:
        raise InvalidInput("give exactly one of --password-stdin and --link", field="password")
    with writing(ctx) as uow:
        if password_stdin:
            user = services.set_password(uow, name, read_password())
            secret = None
        else:
            user, secret = services.password_link(uow, name)
    if secret is None:
        typer.echo(f"set the web password of {user.name}; their sessions have ended")
    else:
        show_link(user.name, secret)


@app.command()
def token(ctx: typer.Context, name: UserName, expires: Expires = None) -> None:
    """Issue another bearer token to a user and print it (shown once, never stored)."""
    with writing(ctx) as uow:
        issued = services.issue_token(uow, name, expires_in_days=expires)
    typer.echo(f"issued a new token to {issued.user.name}")
    show_token(issued)


@app.command()
def revoke(ctx: typer.Context, name: UserName) -> None:
    """Revoke a user: every token is refused from the next request on, their browser
    sessions end and their password is cleared."""
    with writing(ctx) as uow:
        user, count = services.revoke(uow, name)
    typer.echo(f"revoked {count} token(s) of {user.name}" if count else
               f"{user.name} has no unrevoked token; nothing to revoke")


def render(accounts: list[Account], parties: dict[int, Party], now: datetime) -> Table:
    """Return the users as a table, Japanese labels beside the English ones."""
    table = Table(box=box.SIMPLE_HEAD)
    for header in ("名前 name", "役割 role", "団体 party", "監査 audits",
                   "有効/発行 tokens live/issued", "最終利用 last used", "状態 state",
                   "ログイン web login"):
        table.add_column(header, no_wrap=True)
    for account in accounts:
        user = account.user
        party = parties.get(user.party_id) if user.party_id is not None else None
        audits = ", ".join(str(a) for a in sorted(user.audited_agreement_ids))
        table.add_row(user.name, user.role.value,
                      "—" if party is None else f"{party.code} {party.name_ja}",
                      audits or "—", f"{account.live_tokens(now)}/{len(account.tokens)}",
                      moment(account.last_used_at, "never"), account.state(now).value,
                      "password" if account.password_set_at else "—")
    return table


@app.command("list")
def list_users(ctx: typer.Context) -> None:
    """List every user: role, party or audits, tokens, last use and state."""
    with reading(ctx) as uow:
        accounts = services.accounts(uow)
        parties = {party.id: party for party in agreements.parties(uow)}
    if not accounts:
        typer.echo("no users yet; add one with `offset users add`")
        return
    table = render(accounts, parties, datetime.now(UTC))
    console_for(table).print(table)
