"""The Japanese font of the reports: a TrueType font, always embedded as a subset.

offset ships IPAex Gothic (IPAexゴシック, version 003.01, reports/fonts/, under the IPA Font
License Agreement v1.0 beside it), so a report draws the same glyphs on every machine and in
every viewer, whether or not the machine or the viewer has a Japanese font: a non-embedded
font (ReportLab's CID fonts) shows every Japanese glyph blank in viewers without CJK data.
OFFSET_REPORT_FONT may name another TrueType (glyf-outline) font file to embed instead;
OpenType/CFF fonts such as Noto Sans CJK cannot be embedded by ReportLab, and a file that
cannot be used leaves the shipped font in place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

ENVIRONMENT = "OFFSET_REPORT_FONT"
EMBEDDED = "OffsetJapanese"
SHIPPED = Path(str(files("reports") / "fonts" / "ipaexg.ttf"))


@dataclass(frozen=True)
class ReportFont:
    name: str  # the name registered with ReportLab
    path: str  # the TrueType file embedded
    shipped: bool  # the font offset ships, not one named by OFFSET_REPORT_FONT


@cache
def report_font() -> ReportFont:
    """Register and return the font reports are drawn with (once per process)."""
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named:
        path = Path(named).expanduser()
        try:
            pdfmetrics.registerFont(TTFont(EMBEDDED, str(path), subfontIndex=0))
            return ReportFont(EMBEDDED, str(path), shipped=False)
        except (TTFError, OSError):
            pass  # not a usable TrueType font: the shipped one below
    pdfmetrics.registerFont(TTFont(EMBEDDED, str(SHIPPED)))
    return ReportFont(EMBEDDED, str(SHIPPED), shipped=True)
