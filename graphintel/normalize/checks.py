"""Values too broken to compare become unknown, with a reason that callers count.

A manifest may name a party "", "X", "😀😀", ten thousand characters of pasted text, or a
word that mixes alphabets ("Jоhn" with a Cyrillic "о", a homoglyph trick). None of these
identifies anybody, and a normalizer that reduced them to "" or "x" would hand the
resolver a key that thousands of unrelated mentions share. So they are refused here, and
the reason is reported (see ``graphintel.resolve.features.FeatureExtractor.warnings``).
"""

from __future__ import annotations

import re
import unicodedata

from graphintel.normalize.text import is_symbol

MAX_NAME_CHARS = 200  # longer "names" are pasted text, not a party's name
MAX_ADDRESS_CHARS = 300

# Scripts that legitimately share one word: Japanese mixes kanji and kana.
_SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "KATAKANA-HIRAGANA": "CJK"}


def _script(ch: str) -> str:
    if ch.isascii():
        return "LATIN"
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0] if name else "UNKNOWN"
    return _SCRIPT_GROUPS.get(first, first)


def mixed_scripts(text: str) -> bool:
    """Whether a word of ``text`` spells its letters in more than one script."""
    for word in unicodedata.normalize("NFKC", text).split():
        if word.isascii():
            continue
        scripts = {_script(ch) for ch in word if ch.isalpha()}
        if len(scripts) > 1:
            return True
    return False


_ASCII_ALNUM = re.compile("[A-Za-z0-9]")  # what str.isalnum accepts of ASCII


def _ascii_letters(text: str) -> int:
    """How many letters and digits ASCII ``text`` holds, counted to 2 (all that
    ``name_problem`` asks): two regex searches instead of a Python step per character,
    which was a fifth of normalizing a party mention."""
    first = _ASCII_ALNUM.search(text)
    if first is None:
        return 0
    return 1 if _ASCII_ALNUM.search(text, first.end()) is None else 2


def name_problem(raw: str) -> str | None:
    """Why ``raw`` cannot serve as a party name (``None`` when it can):
    ``empty``, ``too_long``, ``symbols_only`` (emoji, punctuation), ``one_letter`` or
    ``mixed_scripts``.

    >>> name_problem("Li Wei"), name_problem("J."), name_problem("😀"), name_problem("Jоhn")
    (None, 'one_letter', 'symbols_only', 'mixed_scripts')
    """
    text = raw.strip()
    if not text:
        return "empty"
    if len(text) > MAX_NAME_CHARS:
        return "too_long"
    if text.isascii():  # an ASCII letter or digit is never a symbol: no per-character lookup
        letters = _ascii_letters(text)
    else:
        letters = sum(1 for ch in text if ch.isalnum() and not is_symbol(ch))
    if letters == 0:
        return "symbols_only"
    if letters == 1:
        return "one_letter"
    if not text.isascii() and mixed_scripts(text):
        return "mixed_scripts"
    return None


def address_problem(raw: str) -> str | None:
    """Why a street line cannot be compared: ``too_long`` or ``symbols_only``."""
    text = raw.strip()
    if len(text) > MAX_ADDRESS_CHARS:
        return "too_long"
    if text and not any(ch.isalnum() for ch in text):
        return "symbols_only"
    return None
