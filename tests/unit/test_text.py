"""Text a user gives is clean, and identifiers typed two ways are one identifier."""

import sys

import pytest

from offset.errors import InvalidInput
from offset.forestry.errors import InvalidWork
from offset.forestry.stands import stand_key
from offset.text import clean_text, identifier

REFUSED_EVERYWHERE = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\u202a", "\u202b",
                      "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
                      "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060",
                      "\ufeff"]


@pytest.mark.parametrize("character", REFUSED_EVERYWHERE)
@pytest.mark.parametrize("multiline", [False, True])
def test_control_bidi_and_zero_width_characters_are_refused_naming_the_field(
        character: str, multiline: bool):
    with pytest.raises(InvalidInput) as raised:
        clean_text(f"鹿嶺{character}高原", "site", multiline=multiline)
    assert raised.value.field == "site"
    assert f"U+{ord(character):04X}" in raised.value.detail


@pytest.mark.parametrize("character", ["\n", "\r", "\t", "\u2028", "\u2029"])
def test_line_breaks_and_tabs_belong_to_multi_line_text_only(character: str):
    assert clean_text(f"行1{character}行2", "note", multiline=True) == f"行1{character}行2"
    with pytest.raises(InvalidInput):
        clean_text(f"行1{character}行2", "site")


def test_ordinary_japanese_and_full_width_text_is_clean():
    text = "上伊那森林組合 ＲＴ（１２） ＃ ｶﾀｶﾅ 🌲 é"
    assert clean_text(text, "contractor") == text


@pytest.mark.parametrize(("typed", "normal"), [
    ("１２", "12"), ("ＲＴ", "RT"), (" ろ ", "ろ"), ("ｲ", "イ"), ("鹿嶺高原\u3000", "鹿嶺高原"),
])
def test_identifiers_are_nfkc_normal_and_trimmed(typed: str, normal: str):
    assert identifier(typed, "compartment") == normal


def test_identifiers_stay_case_sensitive():
    assert identifier("rt", "site") != identifier("RT", "site")


def test_a_stand_key_names_the_blank_or_unclean_part():
    assert stand_key("鹿嶺高原", "１２", "ろ") == ("鹿嶺高原", "12", "ろ")
    with pytest.raises(InvalidWork) as blank:
        stand_key("鹿嶺高原", "\u3000", "ろ")
    with pytest.raises(InvalidInput) as unclean:
        stand_key("鹿嶺高原", "12", "ろ\u200b")
    assert (blank.value.field, unclean.value.field) == ("compartment", "stand_number")


@pytest.mark.parametrize("multiline", [False, True])
def test_the_compiled_check_refuses_exactly_what_the_rule_refuses(multiline: bool):
    from offset.text import _refused  # the rule, character by character

    differ = []
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        try:
            clean_text(character, "f", multiline=multiline)
            compiled = False
        except InvalidInput:
            compiled = True
        if compiled != _refused(character, multiline):
            differ.append(f"U+{code:04X}")
    assert differ == []
