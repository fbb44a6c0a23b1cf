"""The journal's repository: chain heads, accounts, entries and postings in SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Connection,
    Row,
    String,
    bindparam,
    case,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from offset.db.bulk import allocate_ids, insert_rows
from offset.db.tables import accounts, chain_heads, entries, postings, year_totals
from offset.db.types import Fixed
from offset.errors import NotFound
from offset.ledger.chain import GENESIS, ChainHead, Sealed, canonical_fields, thousandths_text
from offset.ledger.model import (
    Balances,
    Commodity,
    Entry,
    EntryKind,
    JournalEntry,
    Link,
    Posting,
    Reference,
)
from offset.ledger.trial_balance import Turnover, Turnovers
from offset.numbers import fixed

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
        return self.lock_heads([agreement_id])[0]

    def lock_heads(self, agreement_ids: Iterable[int]) -> list[ChainHead]:
        """Return the chain heads of `agreement_ids` in id order, locked in that order
        (so that concurrent batches never deadlock) until the transaction ends.

        Raises NotFound naming the first agreement that has no chain.
        """
        wanted = sorted(set(agreement_ids))
        query = (select(chain_heads).where(chain_heads.c.agreement_id.in_(wanted))
                 .order_by(chain_heads.c.agreement_id))
        if self._db.dialect.name == "postgresql":
            query = query.with_for_update()
        found = {r.agreement_id: _head(r)
                 for r in self._db.execute(query)}
        for agreement_id in wanted:
            if agreement_id not in found:
                raise NotFound(f"agreement {agreement_id} does not exist", field="agreement_id")
        return [found[agreement_id] for agreement_id in wanted]

    def heads(self, agreement_ids: Iterable[int] | None = None) -> list[ChainHead]:
        query = select(chain_heads).order_by(chain_heads.c.agreement_id)
        if agreement_ids is not None:
            query = query.where(chain_heads.c.agreement_id.in_(list(agreement_ids)))
        return [_head(r) for r in self._db.execute(query)]

    def append(self, links: Sequence[Link], head: ChainHead) -> list[JournalEntry]:
        """Store sealed `links` of one chain and move its head; return them with their ids."""
        return self.append_chains([(links, head)])[0]

    def append_chains(self, chains: Sequence[tuple[Sequence[Link], ChainHead]],
                      ) -> list[list[JournalEntry]]:
        """Store the sealed links of several chains, each with its new head, in one round of
        statements; return each chain's entries with their ids. The heads must be locked."""
        written = [(links, head) for links, head in chains if links]
        if not written:
            return [[] for _ in chains]
        account_ids = self._account_ids({(head.agreement_id, p.account)
                                         for links, head in written
                                         for link in links for p in link.entry.postings})
        self._db.execute(
            update(chain_heads).where(chain_heads.c.agreement_id == bindparam("head_id"))
            .values(entry_count=bindparam("head_count"), hash=bindparam("head_hash"),
                    closed_through=bindparam("head_closed")),
            [{"head_id": h.agreement_id, "head_count": h.entry_count, "head_hash": h.hash,
              "head_closed": h.closed_through} for _, h in written])
        # The entries, then their postings, last: on PostgreSQL the server checks each COPY's
        # foreign keys while the client builds the next rows (offset.db.bulk).
        ids = self._insert_entries(written)
        insert_rows(self._db, postings, _POSTING_COLUMNS, [
            (ids[head.agreement_id, link.seq], line,
             account_ids[head.agreement_id, p.account], p.commodity.value, p.amount)
            for links, head in written for link in links
            for line, p in enumerate(link.entry.postings)
        ])
        self._add_to_year_totals(written, account_ids)
        return [[JournalEntry.stored(ids[head.agreement_id, link.seq], link) for link in links]
                for links, head in chains]

    def _add_to_year_totals(self, chains: Sequence[tuple[Sequence[Link], ChainHead]],
                            account_ids: dict[tuple[int, str], int]) -> None:
        """Add the postings of `chains` to each account's balance of their fiscal year, one
        row per (agreement, year, account, commodity) touched, in key order (two writers
        of different agreements never touch the same row; of the same one, the chain
        head's lock orders them)."""
        added: dict[tuple[int, int, int, str], Decimal] = defaultdict(Decimal)
        for links, head in chains:
            for link in links:
                for p in link.entry.postings:
                    added[head.agreement_id, link.entry.fiscal_year,
                          account_ids[head.agreement_id, p.account], p.commodity.value] += (
                        p.amount)
        rows = [{"agreement_id": a, "fiscal_year": y, "account_id": account, "commodity": c,
                 "amount": amount} for (a, y, account, c), amount in sorted(added.items())]
        if not rows:  # a period close posts nothing
            return
        upsert = (sqlite_insert if self._db.dialect.name == "sqlite" else pg_insert)(year_totals)
        self._db.execute(upsert.on_conflict_do_update(
            index_elements=["agreement_id", "fiscal_year", "account_id", "commodity"],
            set_={"amount": year_totals.c.amount + upsert.excluded.amount}), rows)

    def _insert_entries(self, chains: Sequence[tuple[Sequence[Link], ChainHead]],
                        ) -> dict[tuple[int, int], int]:
        """Insert the entries of `chains`; return their ids by (agreement, seq).

        The ids are drawn first (offset.db.bulk.allocate_ids) and the rows go in with a
        plain executemany or COPY, several times faster than INSERT .. RETURNING in
        parameter order (row by row on SQLite, a slow INSERT .. SELECT on PostgreSQL).
        """
        links = [link for chain, _ in chains for link in chain]
        ids = allocate_ids(self._db, entries, len(links))
        insert_rows(self._db, entries, _ENTRY_ROW,
                    [(entry_id, *_entry_row(link)) for entry_id, link in zip(ids, links,
                                                                              strict=True)])
        return {(link.entry.agreement_id, link.seq): entry_id
                for entry_id, link in zip(ids, links, strict=True)}

    def _account_ids(self, wanted: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
        """Return the ids of the (agreement, account name) pairs, creating missing accounts."""
        def known() -> dict[tuple[int, str], int]:
            query = select(accounts.c.agreement_id, accounts.c.name, accounts.c.id).where(
                accounts.c.agreement_id.in_({a for a, _ in wanted}),
                accounts.c.name.in_({name for _, name in wanted}))
            return {(a, name): i for a, name, i in self._db.execute(query) if (a, name) in wanted}
        found = known()
        missing = sorted(wanted - found.keys())
        if missing:
            self._db.execute(insert(accounts),
                             [{"agreement_id": a, "name": name} for a, name in missing])
            found = known()
        return found

    def get(self, entry_id: int) -> JournalEntry:
        """Return one entry. Raises NotFound."""
        found = self._load(entries.c.id == entry_id)
        if not found:
            raise NotFound(f"entry {entry_id} does not exist", field="entry_id")
        return found[0]

    def entry_at(self, agreement_id: int, seq: int) -> JournalEntry:
        """Return entry `seq` of one chain. Raises NotFound."""
        found = self._load((entries.c.agreement_id == agreement_id) & (entries.c.seq == seq))
        if not found:
            raise NotFound(f"agreement {agreement_id} has no entry {seq}", field="as_of")
        return found[0]

    def closed_through_at(self, agreement_id: int, seq: int) -> int | None:
        """Return the last fiscal year closed by a period-close entry up to `seq`, or None."""
        query = (select(entries.c.fiscal_year)
                 .where(entries.c.agreement_id == agreement_id,
                        entries.c.kind == EntryKind.PERIOD_CLOSE.value, entries.c.seq <= seq)
                 .order_by(entries.c.seq.desc()).limit(1))
        found = self._db.execute(query).scalar()
        return None if found is None else int(found)

    def seq_at(self, agreement_id: int, moment: datetime) -> int:
        """Return the length of the run of entries from the chain's start that were all
        recorded at or before `moment` (offset.ledger.as_of says why a run)."""
        later = self._db.execute(select(func.min(entries.c.seq)).where(
            entries.c.agreement_id == agreement_id, entries.c.recorded_at > moment)).scalar()
        if later is not None:
            return int(later) - 1
        last = self._db.execute(select(func.max(entries.c.seq)).where(
            entries.c.agreement_id == agreement_id)).scalar()
        return 0 if last is None else int(last)

    def reversal_ids(self, entry_ids: Sequence[int],
                     up_to_seq: int | None = None) -> dict[int, int]:
        """Return, for each of `entry_ids` that was reversed (by an entry up to `up_to_seq`
        when given), the id of its reversal."""
        condition: Any = entries.c.reverses_id.in_(list(entry_ids))
        if up_to_seq is not None:
            condition &= entries.c.seq <= up_to_seq
        query = select(entries.c.reverses_id, entries.c.id).where(condition)
        return dict(self._db.execute(query).all())

    def live(self, agreement_id: int, fiscal_year: int,
             kinds: Sequence[EntryKind]) -> list[JournalEntry]:
        """Return the entries of `kinds` in one agreement-year that have not been reversed."""
        return self._load(self._live(agreement_id, kinds) & (entries.c.fiscal_year == fiscal_year))

    def live_of_kind(self, agreement_id: int, kinds: Sequence[EntryKind]) -> list[JournalEntry]:
        """Return the agreement's entries of `kinds`, in every year, not reversed."""
        return self._load(self._live(agreement_id, kinds))

    @staticmethod
    def _live(agreement_id: int, kinds: Sequence[EntryKind]) -> Any:
        reversal = entries.alias("reversal")
        unreversed = ~select(reversal.c.id).where(reversal.c.reverses_id == entries.c.id).exists()
        return ((entries.c.agreement_id == agreement_id)
                & entries.c.kind.in_([k.value for k in kinds]) & unreversed)

    def page(self, agreement_id: int, *, fiscal_year: int | None, after_seq: int,
             limit: int, up_to_seq: int | None = None,
             kind: EntryKind | None = None) -> list[JournalEntry]:
        """Return up to `limit` entries of one chain after `after_seq` (and up to `up_to_seq`
        when given, and of `kind` when given), in chain order."""
        condition = (entries.c.agreement_id == agreement_id) & (entries.c.seq > after_seq)
        if kind is not None:
            condition &= entries.c.kind == kind.value
        if up_to_seq is not None:
            condition &= entries.c.seq <= up_to_seq
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

    def sealed(self, agreement_id: int, batch: int = 5000) -> Iterator[Sealed]:
        """Yield the chain as verifying reads it, `batch` entries at a time: rows straight
        into chain.Sealed, the amounts as their stored integers, no entry objects made."""
        # The dates as the driver gives them (no conversion per value): text on SQLite,
        # date and datetime on PostgreSQL; _moment and _day read either.
        query = (select(entries.c.id, entries.c.seq, entries.c.fiscal_year, entries.c.kind,
                        type_coerce(entries.c.effective_date, String),
                        type_coerce(entries.c.recorded_at, String), entries.c.recorded_by,
                        entries.c.description, entries.c.details, entries.c.reverses_id,
                        _reversed.c.hash, entries.c.reason, entries.c.prev_hash, entries.c.hash)
                 .select_from(entries.outerjoin(_reversed,
                                                entries.c.reverses_id == _reversed.c.id))
                 .where((entries.c.agreement_id == agreement_id)
                        & (entries.c.seq > bindparam("after")))
                 .order_by(entries.c.seq).limit(batch))
        # The postings of the same page by its range of seq (an index range), not by a list
        # of ids, as plain (account, commodity, amount) triples.
        lines_query = (select(postings.c.entry_id, accounts.c.name, postings.c.commodity,
                              type_coerce(postings.c.amount, BigInteger))
                       .select_from(postings.join(accounts).join(entries))
                       .where((entries.c.agreement_id == agreement_id)
                              & entries.c.seq.between(bindparam("first"), bindparam("last")))
                       .order_by(entries.c.seq, postings.c.line))
        kinds, commodities, after = _KINDS, _COMMODITIES, 0
        while True:
            rows = self._db.execute(query, {"after": after}).all()
            if not rows:
                return
            lines: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
            for entry_id, account, commodity, amount in self._db.execute(
                    lines_query, {"first": rows[0][1], "last": rows[-1][1]}).all():
                lines[entry_id].append((account, commodity,
                                        thousandths_text(commodities[commodity], amount)))
            for (entry_id, seq, year, kind, effective, recorded_at, by, description, details,
                 reverses_id, reverses_hash, reason, prev_hash, digest) in rows:
                content = canonical_fields(
                    agreement_id, seq, year, kind, _day(effective), _moment(recorded_at), by,
                    description, details, reverses_hash, reason, lines[entry_id], prev_hash)
                yield Sealed(entry_id, seq, kinds.get(kind), year, reverses_id, prev_hash, digest,
                             content)
            if len(rows) < batch:
                return
            after = rows[-1][1]

    def of_kinds(self, agreement_id: int, kinds: Sequence[EntryKind]) -> list[JournalEntry]:
        return self._load((entries.c.agreement_id == agreement_id)
                          & entries.c.kind.in_([k.value for k in kinds]))

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
        return {(name, Commodity(commodity)): fixed(total, Commodity(commodity).places)
                for name, commodity, total in self._db.execute(query)}

    def balances_by_year(self, agreement_id: int, first_year: int, last_year: int, *,
                         as_of_seq: int | None = None) -> dict[int, Balances]:
        # One grouped query over the (agreement_id, fiscal_year, seq) index range, where a
        # report read a query per year of the agreement.
        condition = ((entries.c.agreement_id == agreement_id)
                     & entries.c.fiscal_year.between(first_year, last_year))
        if as_of_seq is not None:
            condition &= entries.c.seq <= as_of_seq
        query = (select(entries.c.fiscal_year, accounts.c.name, postings.c.commodity,
                        func.sum(postings.c.amount))
                 .select_from(entries.join(postings).join(accounts))
                 .where(condition)
                 .group_by(entries.c.fiscal_year, accounts.c.name, postings.c.commodity))
        found: dict[int, Balances] = {year: {} for year in range(first_year, last_year + 1)}
        for year, name, commodity, total in self._db.execute(query):
            kind = _COMMODITIES[commodity]
            found[year][(name, kind)] = fixed(total, kind.places)
        return found

    def year_balances(self, agreement_ids: Sequence[int] | None, fiscal_year: int
                      ) -> dict[int, Balances]:
        """Return the balances of one fiscal year of each of the agreements, read from the
        totals the write path keeps (year_totals), not summed over the postings: a few rows
        per agreement, however long its journal. With `agreement_ids` None, every agreement
        with entries that year; an agreement without any has empty balances (an account
        whose postings cancel out shows 0)."""
        found: dict[int, Balances] = defaultdict(dict)
        query = (select(year_totals.c.agreement_id, accounts.c.name, year_totals.c.commodity,
                        year_totals.c.amount)
                 .select_from(year_totals.join(accounts))
                 .where(year_totals.c.fiscal_year == fiscal_year))
        if agreement_ids is not None:
            wanted = sorted(set(agreement_ids))
            if not wanted:
                return {}
            found.update({a: {} for a in wanted})
            query = query.where(year_totals.c.agreement_id.in_(wanted))
        for agreement_id, name, commodity, total in self._db.execute(query):
            kind = Commodity(commodity)
            found[agreement_id][(name, kind)] = fixed(total, kind.places)
        return found

    def turnovers(self, agreement_id: int, *, first_year: int | None = None,
                  last_year: int | None = None, as_of_seq: int | None = None) -> Turnovers:
        """Return the debits and credits of every account and commodity of one agreement
        over the entries of fiscal years `first_year`..`last_year`, up to `as_of_seq`.

        One grouped query; the years and the sequence bound are a range of the entries'
        (agreement_id, fiscal_year, seq) index, so the rest of the ledger is never read.
        """
        condition = entries.c.agreement_id == agreement_id
        if first_year is not None:
            condition &= entries.c.fiscal_year >= first_year
        if last_year is not None:
            condition &= entries.c.fiscal_year <= last_year
        if as_of_seq is not None:
            condition &= entries.c.seq <= as_of_seq
        amount = postings.c.amount
        query = (select(accounts.c.name, postings.c.commodity,
                        func.sum(case((amount > 0, amount), else_=0)),
                        func.sum(case((amount < 0, -amount), else_=0)))
                 .select_from(entries.join(postings).join(accounts))
                 .where(condition)
                 .group_by(accounts.c.name, postings.c.commodity))
        found: Turnovers = {}
        for name, code, debit, credit in self._db.execute(query):
            commodity = Commodity(code)
            found[name, commodity] = Turnover(fixed(debit, commodity.places),
                                              fixed(credit, commodity.places))
        return found

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
        # The amount as its stored integer of thousandths, made a Decimal here: the same
        # value and exponent as the Fixed(3) column gives, without a type conversion call
        # per value (verifying a chain reads three postings an entry).
        query = (select(postings.c.entry_id, accounts.c.name, postings.c.commodity,
                        type_coerce(postings.c.amount, BigInteger))
                 .select_from(postings.join(accounts))
                 .where(postings.c.entry_id.in_(entry_ids))
                 .order_by(postings.c.entry_id, postings.c.line))
        commodities = _COMMODITIES
        for entry_id, account, commodity, amount in self._db.execute(query).all():
            found[entry_id].append(Posting(account, commodities[commodity],
                                           Decimal(amount).scaleb(_AMOUNT_EXPONENT)))
        return found


# Members by stored value: a dictionary lookup, where calling the enum per row was a tenth
# of reading a chain.
_COMMODITIES = {c.value: c for c in Commodity}
_KINDS = {k.value: k for k in EntryKind}
_AMOUNT_EXPONENT = -cast(Fixed, postings.c.amount.type).places


def _day(stored: date | str) -> date:
    return stored if isinstance(stored, date) else date.fromisoformat(stored)


def _moment(stored: datetime | str) -> datetime:
    """A stored timestamp as the UTC moment it is: SQLite keeps naive UTC text."""
    if isinstance(stored, str):
        return datetime.fromisoformat(stored).replace(tzinfo=UTC)
    return stored if stored.tzinfo is not None else stored.replace(tzinfo=UTC)


def _head(row: Row[Any]) -> ChainHead:
    return ChainHead(row.agreement_id, row.entry_count, row.hash, row.closed_through)


_ENTRY_ROW = ("id", "agreement_id", "seq", "fiscal_year", "kind", "effective_date",
              "recorded_at", "recorded_by", "description", "details", "reverses_id", "reason",
              "prev_hash", "hash")
_POSTING_COLUMNS = ("entry_id", "line", "account_id", "commodity", "amount")


def _entry_row(link: Link) -> tuple[Any, ...]:
    entry = link.entry
    return (entry.agreement_id, link.seq, entry.fiscal_year, entry.kind.value,
            entry.effective_date, link.recorded_at, entry.recorded_by, entry.description,
            entry.details_json, None if entry.reverses is None else entry.reverses.entry_id,
            entry.reason, link.prev_hash, link.hash)


def _journal_entry(row: Row[Any], lines: list[Posting]) -> JournalEntry:
    reverses = None if row.reverses_id is None else Reference(row.reverses_id, row.reverses_hash)
    entry = Entry(
        agreement_id=row.agreement_id, fiscal_year=row.fiscal_year, kind=_KINDS[row.kind],
        effective_date=row.effective_date, description=row.description,
        postings=tuple(lines), details_json=row.details, recorded_by=row.recorded_by,
        reverses=reverses, reason=row.reason,
    )
    return JournalEntry(row.id, row.seq, row.recorded_at, row.prev_hash, row.hash, entry)
