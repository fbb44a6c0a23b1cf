"""The Japanese font of the reports: an installed TrueType font embedded, else a CID font.

A TrueType font (IPAexGothic, IPAGothic, ... or the file named by OFFSET_REPORT_FONT) is
embedded as a subset, so the PDF shows the same glyphs everywhere. Without one, ReportLab's
built-in CID font HeiseiKakuGo-W5 is used: it is not embedded, and every standard PDF viewer
supplies the glyphs of the Adobe-Japan1 collection itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

ENVIRONMENT = "OFFSET_REPORT_FONT"
CID_FONT = "HeiseiKakuGo-W5"
EMBEDDED = "OffsetJapanese"
SEARCH_DIRECTORIES = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts",
                      "/System/Library/Fonts", "C:/Windows/Fonts", "~/.fonts",
                      "~/.local/share/fonts")
# TrueType (glyf) Japanese fonts in order of preference; OpenType/CFF fonts such as Noto
# Sans CJK cannot be embedded by ReportLab.
CANDIDATES = ("ipaexg.ttf", "ipag.ttf", "ipagp.ttf", "ipaexm.ttf", "ipam.ttf",
              "fonts-japanese-gothic.ttf", "TakaoGothic.ttf", "TakaoPGothic.ttf",
              "VL-Gothic-Regular.ttf", "msgothic.ttc", "YuGothM.ttc")


@dataclass(frozen=True)
class ReportFont:
    name: str  # the name registered with ReportLab
    embedded: bool
    path: str | None  # the TrueType file, when embedded


def find_truetype() -> Path | None:
    """Return the TrueType Japanese font to embed: $OFFSET_REPORT_FONT, else the first found."""
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named:
        return Path(named).expanduser()
    for directory in SEARCH_DIRECTORIES:
        root = Path(directory).expanduser()
        if not root.is_dir():
            continue
        for candidate in CANDIDATES:
            found = next(root.rglob(candidate), None)
            if found is not None:
                return found
    return None


@cache
def report_font() -> ReportFont:
    """Register and return the font reports are drawn with (once per process)."""
    path = find_truetype()
    if path is not None:
        try:
            pdfmetrics.registerFont(TTFont(EMBEDDED, str(path), subfontIndex=0))
            return ReportFont(EMBEDDED, True, str(path))
        except (TTFError, OSError):
            pass  # not a usable TrueType font: fall back to the CID font below
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return ReportFont(CID_FONT, False, None)
