"""What the pages say: Japanese first, English behind the language switch (?lang=en).

The glossary is the reports' own (reports.glossary), so a page and a report name a thing
alike; fiscal years are shown with their era-year label (平成25年度 / FY2013).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from offset.fiscal import FiscalYear


class Lang(StrEnum):
    JA = "ja"
    EN = "en"


@dataclass(frozen=True)
class Words:
    """The language of one page, and what it says things with."""

    lang: Lang

    def __call__(self, ja: str, en: str) -> str:
        """Return the text in this page's language."""
        return ja if self.lang is Lang.JA else en

    def fy(self, year: int) -> str:
        """Return a fiscal year as people read it: 平成25年度 (FY2013), or FY2013 (H25)."""
        fiscal = FiscalYear(year)
        if self.lang is Lang.JA:
            return f"{fiscal.era_label}（FY{year}）"
        return f"FY{year} ({fiscal.era_label_en})"

    def glossary(self, table: dict[str, str], code: object) -> str:
        """Return the label of `code` from a reports.glossary table in this language."""
        label = table.get(str(code), str(code))
        ja, _, en = label.partition(" / ")
        return (ja if self.lang is Lang.JA else en or ja).strip()


def parse_lang(value: str | None) -> Lang | None:
    """Return the language `value` names, or None for anything else."""
    try:
        return Lang(value) if value else None
    except ValueError:
        return None
