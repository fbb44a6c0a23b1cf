"""Clean text: the one check every text a user gives passes, and the form identifiers take.

Refused anywhere: control characters (Unicode category Cc, NUL included: PostgreSQL cannot
store NUL), lone surrogates (Cs, which no database can encode), line and paragraph
separators (U+2028, U+2029) in single-line text, bidirectional embeddings, overrides,
isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), which make text
display in an order other than the one it is stored in, and zero-width characters
(U+200B–U+200D, U+2060, U+FEFF), which make two different texts look the same. Multi-line
text (notes, descriptions, reasons) may hold tab, line feed and carriage return; single-line
text (names, labels, codes) may not.

Identifiers a person types on either a Japanese or an ASCII keyboard (a stand's site,
compartment and stand number) are NFKC-normalised and trimmed, so "１" is "1" and "ＲＴ" is
"RT". They stay case-sensitive: see docs/import-format.md.
"""

from __future__ import annotations

import re
import unicodedata

from offset.errors import InvalidInput

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
LINE_BREAKS = frozenset("\t\n\r")  # allowed in multi-line text only
SEPARATORS = frozenset("\u2028\u2029")


def clean_text(value: str, field: str, *, multiline: bool = False) -> str:
    """Return `value` unchanged when it is clean text (see the module docstring).

    Raises InvalidInput naming `field` and the first offending character by its code point.
    """
    found = (_REFUSED_MULTILINE if multiline else _REFUSED_SINGLE_LINE).search(value)
    if found is not None:
        character = found.group()
        name = unicodedata.name(character, "control character")
        raise InvalidInput(f"must not contain U+{ord(character):04X} ({name})", field=field)
    return value


def _refused(character: str, multiline: bool) -> bool:
    """The rule, character by character; the patterns below are the same rule as one
    character class (tests/unit/test_text.py holds them to it over every code point)."""
    if character in LINE_BREAKS or character in SEPARATORS:
        return not multiline
    if character in BIDI_CONTROLS or character in ZERO_WIDTH:
        return True
    return unicodedata.category(character) in ("Cc", "Cs")


def identifier_form(value: str) -> str:
    """Return `value` NFKC-normalised and trimmed: how identifiers are stored and compared."""
    return unicodedata.normalize("NFKC", value).strip()


def identifier(value: str, field: str) -> str:
    """Return `value` NFKC-normalised and trimmed, after refusing unclean text.

    Raises InvalidInput naming `field` for unclean text or an identifier that is blank.
    """
    normal = identifier_form(clean_text(value, field))
    if not normal:
        raise InvalidInput("must not be blank", field=field)
    return normal



def _pattern(multiline: bool) -> re.Pattern[str]:
    """The refused characters as one class: Cc (U+0000–U+001F, U+007F–U+009F), Cs
    (U+D800–U+DFFF), bidirectional controls and zero-width characters, and in single-line
    text the line breaks and separators (multi-line text may hold them)."""
    allowed = LINE_BREAKS if multiline else frozenset()
    controls = "".join(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))
                       if chr(c) not in allowed)
    others = "".join(sorted(BIDI_CONTROLS | ZERO_WIDTH | (frozenset() if multiline
                                                         else SEPARATORS)))
    return re.compile(f"[{re.escape(controls + others)}\\ud800-\\udfff]")


_REFUSED_SINGLE_LINE, _REFUSED_MULTILINE = _pattern(False), _pattern(True)
