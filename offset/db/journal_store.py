"""The journal's repository: chain heads, accounts, entries and postings in SQL."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from offset.db.tables import accounts, chain_heads, entries, postings
from offset.errors import NotFound
from offset.ledger.chain import GENESIS, ChainHead
from offset.ledger.model import (
    Commodity,
    Entry,
    EntryKind,
    JournalEntry,
    Link,
    Posting,
    Reference,
)

Balances = dict[tuple[str, Commodity], Decimal]

_reversed = entries.alias("reversed")
_ENTRY_COLUMNS = (*entries.c, _reversed.c.hash.label("reverses_hash"))


class SqlJournal:
    """Reads and appends journal entries; never updates or deletes them."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def open_chain(self, agreement_id: int) -> None:
        """Start an empty chain for a new agreement."""
        self._db.execute(insert(chain_heads).values(
            agreement_id=agreement_id, entry_count=0, hash=GENESIS))

    def lock_head(self, agreement_id: int) -> ChainHead:
        """Return the agreement's chain head, holding its lock until the transaction ends.

        Raises NotFound when the agreement has no chain.
        """
        query = select(chain_heads).where(chain_heads.c.agreement_id == agreement_id)
        if self._db.dialect.name == "postgresql":
            query = query.with_for_update()
        row = self._db.execute(query).one_or_none()
        if row is None:
            raise NotFound(f"agreement {agreement_id} does not exist", field="agreement_id")
        return ChainHead(row.agreement_id, row.entry_count, row.hash)

    def heads(self, agreement_ids: Iterable[int] | None = None) -> list[ChainHead]:
        query = select(chain_heads).order_by(chain_heads.c.agreement_id)
        if agreement_ids is not None:
            query = query.where(chain_heads.c.agreement_id.in_(list(agreement_ids)))
        return [ChainHead(r.agreement_id, r.entry_count, r.hash) for r in self._db.execute(query)]

    def append(self, links: Sequence[Link], head: ChainHead) -> list[JournalEntry]:
        """Store sealed `links` of one chain and move its head; return them with their ids."""
        account_ids = self._account_ids(head.agreement_id,
                                        {p.account for link in links for p in link.entry.postings})
        rows = [_entry_row(link) for link in links]
        ids = self._db.execute(
            insert(entries).returning(entries.c.id, sort_by_parameter_order=True), rows
        ).scalars().all()
        self._db.execute(insert(postings), [
            {"entry_id": entry_id, "line": line, "account_id": account_ids[p.account],
             "commodity": p.commodity.value, "amount": p.amount}
            for entry_id, link in zip(ids, links, strict=True)
            for line, p in enumerate(link.entry.postings)
        ])
        self._db.execute(update(chain_heads)
                         .where(chain_heads.c.agreement_id == head.agreement_id)
                         .values(entry_count=head.entry_count, hash=head.hash))
        return [JournalEntry.stored(i, link) for i, link in zip(ids, links, strict=True)]

    def _account_ids(self, agreement_id: int, names: set[str]) -> dict[str, int]:
        def known() -> dict[str, int]:
            return dict(self._db.execute(
                select(accounts.c.name, accounts.c.id)
                .where(accounts.c.agreement_id == agreement_id, accounts.c.name.in_(names))
            ).all())
        found = known()
        missing = sorted(names - found.keys())
        if missing:
            self._db.execute(insert(accounts),
                             [{"agreement_id": agreement_id, "name": n} for n in missing])
            found = known()
        return found

    def get(self, entry_id: int) -> JournalEntry:
        """Return one entry. Raises NotFound."""
        found = self._load(entries.c.id == entry_id)
        if not found:
            raise NotFound(f"entry {entry_id} does not exist", field="entry_id")
        return found[0]

    def reversal_ids(self, entry_ids: Sequence[int]) -> dict[int, int]:
        """Return, for each of `entry_ids` that was reversed, the id of its reversal."""
        query = select(entries.c.reverses_id, entries.c.id).where(
            entries.c.reverses_id.in_(list(entry_ids)))
        return dict(self._db.execute(query).all())

    def page(self, agreement_id: int, *, fiscal_year: int | None, after_seq: int,
             limit: int) -> list[JournalEntry]:
        """Return up to `limit` entries of one chain after `after_seq`, in chain order."""
        condition = (entries.c.agreement_id == agreement_id) & (entries.c.seq > after_seq)
        if fiscal_year is not None:
            condition &= entries.c.fiscal_year == fiscal_year
        return self._load(condition, limit=limit)

    def chain(self, agreement_id: int, batch: int = 2000) -> Iterator[JournalEntry]:
        """Yield every entry of one chain in order, reading `batch` entries at a time."""
        after = 0
        while True:
            found = self.page(agreement_id, fiscal_year=None, after_seq=after, limit=batch)
            yield from found
            if len(found) < batch:
                return
            after = found[-1].seq

    def balances(self, agreement_id: int, *, fiscal_year: int | None = None,
                 as_of_seq: int | None = None) -> Balances:
        """Return the balance of every account and commodity of one agreement.

        Restricted to one fiscal year's entries and to entries up to `as_of_seq` when given.
        """
        condition = entries.c.agreement_id == agreement_id
        if fiscal_year is not None:
            condition &= entries.c.fiscal_year == fiscal_year
        if as_of_seq is not None:
            condition &= entries.c.seq <= as_of_seq
        query = (select(accounts.c.name, postings.c.commodity, func.sum(postings.c.amount))
                 .select_from(entries.join(postings).join(accounts))
                 .where(condition)
                 .group_by(accounts.c.name, postings.c.commodity))
        return {(name, Commodity(commodity)): total
                for name, commodity, total in self._db.execute(query)}

    def _load(self, condition: Any, limit: int | None = None) -> list[JournalEntry]:
        query = (select(*_ENTRY_COLUMNS)
                 .select_from(entries.outerjoin(_reversed, entries.c.reverses_id == _reversed.c.id))
                 .where(condition).order_by(entries.c.agreement_id, entries.c.seq).limit(limit))
        rows = self._db.execute(query).all()
        lines = self._postings([row.id for row in rows])
        return [_journal_entry(row, lines[row.id]) for row in rows]

    def _postings(self, entry_ids: list[int]) -> dict[int, list[Posting]]:
        found: dict[int, list[Posting]] = defaultdict(list)
        if not entry_ids:
            return found
        query = (select(postings.c.entry_id, accounts.c.name, postings.c.commodity,
                        postings.c.amount)
                 .select_from(postings.join(accounts))
                 .where(postings.c.entry_id.in_(entry_ids))
                 .order_by(postings.c.entry_id, postings.c.line))
        for entry_id, account, commodity, amount in self._db.execute(query):
            found[entry_id].append(Posting(account, Commodity(commodity), amount))
        return found


def _entry_row(link: Link) -> dict[str, Any]:
    entry = link.entry
    return {
        "agreement_id": entry.agreement_id, "seq": link.seq, "fiscal_year": entry.fiscal_year,
        "kind": entry.kind.value, "effective_date": entry.effective_date,
        "recorded_at": link.recorded_at, "recorded_by": entry.recorded_by,
        "description": entry.description,
        "details": json.dumps(entry.details, sort_keys=True, ensure_ascii=False,
                              separators=(",", ":")),
        "reverses_id": None if entry.reverses is None else entry.reverses.entry_id,
        "reason": entry.reason, "prev_hash": link.prev_hash, "hash": link.hash,
    }


def _journal_entry(row: Row[Any], lines: list[Posting]) -> JournalEntry:
    reverses = None if row.reverses_id is None else Reference(row.reverses_id, row.reverses_hash)
    entry = Entry(
        agreement_id=row.agreement_id, fiscal_year=row.fiscal_year, kind=EntryKind(row.kind),
        effective_date=row.effective_date, description=row.description,
        postings=tuple(lines), details=json.loads(row.details), recorded_by=row.recorded_by,
        reverses=reverses, reason=row.reason,
    )
    return JournalEntry(row.id, row.seq, row.recorded_at, row.prev_hash, row.hash, entry)
