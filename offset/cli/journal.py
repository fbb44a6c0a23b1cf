"""`offset journal` lists an agreement's entries page by page; `offset reverse` cancels one."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from offset.agreements import services as agreements
from offset.cli import inputs
from offset.cli.context import reading, writing
from offset.cli.inputs import (
    AgreementId,
    AsOfOption,
    RecordedBy,
    checked_id,
    free_text,
    recorder,
)
from offset.cli.tables import console_for
from offset.corrections import correct
from offset.errors import InvalidInput
from offset.fiscal import FiscalYear
from offset.ledger import services
from offset.ledger.model import Commodity, EntryKind, JournalEntry
from offset.ledger.services import JournalPage
from offset.numbers import fixed

MAX_LIMIT = 500


def postings_summary(stored: JournalEntry) -> str:
    """Return what an entry moves: its debits per commodity and how many postings it has."""
    debits: dict[Commodity, Decimal] = defaultdict(Decimal)
    for posting in stored.entry.postings:
        if posting.amount > 0:
            debits[posting.commodity] += posting.amount
    moved = ", ".join(f"{fixed(amount, commodity.places):,} {commodity}"
                      for commodity, amount in debits.items())
    return f"{moved} ({len(stored.entry.postings)} postings)"


def render(page: JournalPage) -> Table:
    """Return one page of the journal as a rich table, in chain order."""
    table = Table(box=box.SIMPLE_HEAD)
    for name in ("ID", "Seq"):
        table.add_column(name, justify="right", no_wrap=True)
    for name in ("年度 FY", "種別 Kind", "日付 Date"):
        table.add_column(name, no_wrap=True)
    table.add_column("摘要 Description", no_wrap=True)
    table.add_column("金額 Postings", justify="right", no_wrap=True)
    table.add_column("取消 Reversed by", justify="right", no_wrap=True)
    for stored in page.entries:
        entry = stored.entry
        reversed_by = page.reversed_by.get(stored.id)
        table.add_row(str(stored.id), str(stored.seq), f"FY{entry.fiscal_year}",
                      entry.kind.value, entry.effective_date.isoformat(), entry.description,
                      postings_summary(stored), "" if reversed_by is None else str(reversed_by))
    return table


def journal(
    ctx: typer.Context, agreement: AgreementId,
    fy: Annotated[int | None, typer.Option("--fy", metavar="YEAR",
                                           help="Only entries of this fiscal year.")] = None,
    limit: Annotated[int, typer.Option(metavar="N", help=f"Entries per page, 1..{MAX_LIMIT}.")
                     ] = 50,
    after_seq: Annotated[int, typer.Option(
        metavar="SEQ", help="Start after this sequence number (the previous page's next).")
    ] = 0,
    as_of: AsOfOption = None,
) -> None:
    """List an agreement's journal entries in chain order, with what reversed them (up to
    now, or to the point `--as-of` names)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"must be 1..{MAX_LIMIT}", field="limit")
    if after_seq:
        checked_id(after_seq, "after_seq")
    point = inputs.as_of(as_of)
    with reading(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        page = services.journal_page(uow, found.id, limit=limit, after_seq=after_seq,
                                     fiscal_year=None if fy is None else FiscalYear(fy).year,
                                     as_of=point)
    table = render(page)
    console = console_for(table)
    if page.entries:
        console.print(table)
    more = ("" if page.next_after_seq is None
            else f"; next page: --after-seq {page.next_after_seq}")
    console.print(f"agreement {found.id}: {len(page.entries)} entries shown{more}",
                  markup=False)
    if point is not None:
        console.print(f"as of seq {page.head.entry_count}, head {page.head.hash}",
                      markup=False)


def reverse(
    ctx: typer.Context,
    entry: Annotated[int, typer.Argument(metavar="ENTRY_ID", help="The entry to reverse.")],
    reason: Annotated[str, typer.Option(metavar="TEXT", help="Why it is reversed.")],
    recorded_by: RecordedBy = None,
) -> None:
    """Post the reversal of an entry; refused when repeated or when it would break netting."""
    why = free_text(reason, "reason")
    if not why:
        raise InvalidInput("must not be blank", field="reason")
    with writing(ctx) as uow:
        stored = correct(uow, checked_id(entry, "entry_id"), why, recorder(recorded_by))
    kind = stored.entry.details["reversed_kind"]
    if stored.entry.kind is EntryKind.PRIOR_PERIOD_ADJUSTMENT:
        typer.echo(f"prior-period adjustment entry {stored.id} in FY{stored.entry.fiscal_year}: "
                   f"corrects entry {entry} ({kind}) of closed "
                   f"FY{stored.entry.details['adjusts_fiscal_year']}: {why}")
    else:
        typer.echo(f"reversal entry {stored.id}: reverses entry {entry} ({kind}): {why}")
