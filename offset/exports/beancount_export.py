"""The journal as a beancount ledger that `bean-check` accepts, a transaction per entry.

Commodities get beancount names (upper case): JPY, TCO2E and TCO2E-EST, each declared with
the offset name it stands for. Accounts already follow beancount's grammar. Transactions keep
chain order; each account is opened on the date of its earliest entry, and those `open`
directives come last because they are only known once the chain has been read (beancount
orders directives by date, not by their place in the file).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from offset.exports.rows import amount_text, exact
from offset.exports.source import Source
from offset.ledger.chain import timestamp_text
from offset.ledger.model import Commodity, JournalEntry

MEDIA_TYPE = "text/plain; charset=utf-8"
CURRENCY = {Commodity.JPY: "JPY", Commodity.TCO2E: "TCO2E", Commodity.TCO2E_EST: "TCO2E-EST"}
MEANING = {
    Commodity.JPY: "Japanese yen, whole yen",
    Commodity.TCO2E: "certified tonnes of CO2 equivalent, to the kilogram",
    Commodity.TCO2E_EST: "estimated tonnes of CO2 equivalent, to the kilogram",
}
ENTRIES_PER_CHUNK = 500


def quoted(text: str) -> str:
    """Return `text` as a beancount string literal (backslash, quote and newline escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def beancount_chunks(source: Source) -> Iterator[bytes]:
    """Yield the ledger of `source` in UTF-8 pieces: header, transactions, then the opens."""
    yield "".join(_header(source)).encode("utf-8")
    first_use: dict[str, date] = {}
    batch: list[str] = []
    for stored in source.entries:
        day = stored.entry.effective_date
        for posting in stored.entry.postings:
            if posting.account not in first_use or day < first_use[posting.account]:
                first_use[posting.account] = day
        batch.append(transaction(stored))
        if len(batch) == ENTRIES_PER_CHUNK:
            yield "".join(batch).encode("utf-8")
            batch = []
    yield "".join(batch).encode("utf-8")
    yield "".join(_opens(first_use)).encode("utf-8")


def beancount_text(source: Source) -> str:
    """Return the whole ledger of `source` as text (for files and tests)."""
    return b"".join(beancount_chunks(source)).decode("utf-8")


def _header(source: Source) -> Iterable[str]:
    agreement = source.agreement
    yield (f"; offset journal of agreement {agreement.id}, exported at "
           f"{timestamp_text(source.exported_at)}\n"
           f"; chain head {source.head.hash} after {source.head.entry_count} entries\n"
           f"; urban party {source.urban.name_en} ({source.urban.code}), forest party "
           f"{source.forest.name_en} ({source.forest.code})\n\n")
    title = f"offset agreement {agreement.id}: {agreement.title_ja} / {agreement.title_en}"
    yield f"option \"title\" {quoted(title)}\n"
    yield 'option "operating_currency" "JPY"\n\n'
    for commodity, currency in CURRENCY.items():
        yield (f"{agreement.signed_on.isoformat()} commodity {currency}\n"
               f"  offset_commodity: {quoted(commodity.value)}\n"
               f"  name: {quoted(MEANING[commodity])}\n\n")


def transaction(stored: JournalEntry) -> str:
    """Return one entry as a beancount transaction, its chain fields as metadata."""
    entry = stored.entry
    links = f" ^entry-{stored.id}"
    meta = {"entry_id": str(stored.id), "seq": str(stored.seq),
            "fiscal_year": str(entry.fiscal_year), "kind": entry.kind.value,
            "recorded_at": timestamp_text(stored.recorded_at), "recorded_by": entry.recorded_by}
    if entry.reverses is not None:
        links += f" ^entry-{entry.reverses.entry_id}"
        meta["reverses"] = str(entry.reverses.entry_id)
    if entry.reason is not None:
        meta["reason"] = entry.reason
    meta |= {"hash": stored.hash, "prev_hash": stored.prev_hash}
    lines = [f"{entry.effective_date.isoformat()} * {quoted(entry.description)}{links}"]
    lines += [f"  {key}: {quoted(value)}" for key, value in meta.items()]
    lines += [f"  {p.account}  {amount_text(exact(p))} {CURRENCY[p.commodity]}"
              for p in entry.postings]
    return "\n".join(lines) + "\n\n"


def _opens(first_use: dict[str, date]) -> Iterable[str]:
    if not first_use:
        return
    yield "; Accounts, each opened on the date of its earliest entry.\n"
    for account, day in sorted(first_use.items()):
        yield f"{day.isoformat()} open {account}\n"
