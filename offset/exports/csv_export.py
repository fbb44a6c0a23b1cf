"""The journal as CSV: one row per posting, UTF-8 with a BOM so that Excel reads the Japanese.

Amounts are exact text: whole yen for JPY, three places (kilograms) for tCO2e and tCO2e-est.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from offset.exports.rows import COLUMNS, amount_text, journal_rows
from offset.ledger.model import JournalEntry

MEDIA_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
ROWS_PER_CHUNK = 1000


def csv_chunks(entries: Iterable[JournalEntry]) -> Iterator[bytes]:
    """Yield the CSV of `entries` in pieces: the BOM and header first, then rows in batches.

    Lines end in CRLF (RFC 4180); empty fields (no reversal, no reason) are empty strings.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(COLUMNS)
    for count, row in enumerate(journal_rows(entries), start=1):
        writer.writerow(["" if value is None else _text(value) for value in row])
        if count % ROWS_PER_CHUNK == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _text(value: object) -> str:
    return amount_text(value) if isinstance(value, Decimal) else str(value)


def _drain(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


def csv_bytes(entries: Iterable[JournalEntry]) -> bytes:
    """Return the whole CSV of `entries` at once (for files and tests)."""
    return b"".join(csv_chunks(entries))
