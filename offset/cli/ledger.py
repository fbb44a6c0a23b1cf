"""`offset verify`: recompute every agreement's hash chain, the forestry rows it covers and
its anchors (offset.integrity), and name the first bad entry."""

from __future__ import annotations

import typer

from offset import integrity
from offset.cli.context import Database, database, reading
from offset.cli.errors import ChainsBroken
from offset.ledger.chain import ChainBreak


def where(found: ChainBreak) -> str:
    """Return the place of a break in words."""
    if found.entry_id is None:
        return f"chain head after seq {found.seq}"
    return f"entry {found.entry_id} (seq {found.seq})"


def verify(ctx: typer.Context) -> None:
    """Recompute every agreement's hash chain; exit 1 naming the first entry that fails."""
    verify_chains(database(ctx))


def verify_chains(db: Database) -> None:
    """Print every chain's head (its entry count is the last seq) and whether it verifies.

    Raises SchemaNotReady when the schema is not at head, ChainsBroken naming the first
    bad entry.
    """
    with reading(db) as uow:
        result = integrity.verify(uow)
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
