"""`offset verify [--agreement ID [--at SEQ]]`: recompute the hash chains, the forestry rows
they cover and their anchors (offset.integrity), name the first bad entry, and print the head
a chain had at a sequence number (the one a report printed)."""

from __future__ import annotations

from typing import Annotated

import typer

from offset import integrity
from offset.agreements import services as agreements
from offset.cli.context import Database, database, reading
from offset.cli.errors import ChainsBroken
from offset.errors import InvalidInput
from offset.ledger import services
from offset.ledger.as_of import AsOf, parse_as_of
from offset.ledger.chain import ChainBreak


def where(found: ChainBreak) -> str:
    """Return the place of a break in words."""
    if found.entry_id is None:
        return f"chain head after seq {found.seq}"
    return f"entry {found.entry_id} (seq {found.seq})"


def verify(
    ctx: typer.Context,
    agreement: Annotated[int | None, typer.Option(
        "--agreement", metavar="ID", help="Only this agreement's chain.")] = None,
    at: Annotated[str | None, typer.Option(
        "--at", metavar="SEQ|TIME",
        help="Then print the head of the agreement's chain at this sequence number (the entry "
             "count a report printed), or at this ISO 8601 time with its UTC offset.")] = None,
) -> None:
    """Recompute every agreement's hash chain; exit 1 naming the first entry that fails."""
    if at is not None and agreement is None:
        raise InvalidInput("give --agreement with --at", field="at")
    verify_chains(database(ctx), agreement, None if at is None else parse_as_of(at, "at"))


def verify_chains(db: Database, agreement_id: int | None = None,
                  at: AsOf | None = None) -> None:
    """Print every chain's head (its entry count is the last seq) and whether it verifies;
    only agreement `agreement_id`'s when given, and then its head at `at` when given.

    Raises SchemaNotReady when the schema is not at head, NotFound for a missing agreement,
    InvalidAsOf for an `at` past the head, ChainsBroken naming the first bad entry.
    """
    with reading(db) as uow:
        scope = None if agreement_id is None else [agreements.agreement(uow, agreement_id).id]
        point = (None if at is None or agreement_id is None
                 else services.head_as_of(uow, agreement_id, at, field="at"))
        result = integrity.verify(uow, scope)
    breaks = {found.agreement_id: found for found in result.breaks}
    for head in result.heads:
        found = breaks.get(head.agreement_id)
        status = "OK" if found is None else f"BROKEN at {where(found)}: {found.reason}"
        typer.echo(f"agreement {head.agreement_id}: {head.entry_count} entries, "
                   f"head {head.hash}  {status}")
    if result.breaks:
        first = result.breaks[0]
        raise ChainsBroken(f"{len(result.breaks)} of {len(result.heads)} chains broken; first "
                           f"bad {where(first)} of agreement {first.agreement_id}: "
                           f"{first.reason}", field="ledger")
    typer.echo(f"OK: {len(result.heads)} chains, {result.entry_count} entries verified")
    if point is not None:
        # Printed only once the chain verified: the hash of entry N is then today's chain's.
        typer.echo(f"agreement {point.agreement_id} at seq {point.entry_count}: "
                   f"head {point.hash}")
