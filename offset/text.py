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
    for character in value:
        if _refused(character, multiline):
            name = unicodedata.name(character, "control character")
            raise InvalidInput(f"must not contain U+{ord(character):04X} ({name})",
                               field=field)
    return value


def _refused(character: str, multiline: bool) -> bool:
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
