"""Text folding shared by the name and address normalizers.

Manifests spell one name many ways (case, accents, full-width CJK punctuation, stray dots),
so every comparison starts from the same folded, punctuation-free token list.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_EXTRA_FOLDS = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)

# Characters removed without leaving a gap, so "O'Brien" and "OBrien" agree.
_JOINERS = str.maketrans("", "", "'’`´")
# Runs of letters and digits in any script (\w without the underscore).
_WORD = re.compile(r"[^\W_]+")


# Ideographic scripts write one syllable per character: transliterated, each becomes a word
# ("李伟" -> "li wei"), as the romanized spelling on other labels writes it.
_SYLLABIC = ("CJK", "HANGUL", "HIRAGANA", "KATAKANA")


def is_symbol(ch: str) -> bool:
    """Emoji, pictographs, math and currency signs, controls and private-use characters:
    nothing a name or address is spelled with."""
    return unicodedata.category(ch)[0] in "SC" and not ch.isspace()


@lru_cache(maxsize=4096)
def _transliterate_char(ch: str) -> str:
    if is_symbol(ch) or unicodedata.category(ch)[0] in "PZ":
        return " "  # symbols go; punctuation and spaces of any script separate words
    out = anyascii(ch)
    if unicodedata.name(ch, "").startswith(_SYLLABIC):
        return f" {out} "
    return out


def fold(text: str) -> str:
    """Lower-case ``text``, strip diacritics and compatibility forms ("Ｓｈｅｎ" -> "shen") and
    transliterate other scripts to ASCII with ``anyascii`` ("Иван" -> "ivan", "李伟" ->
    "li wei"); symbols such as emoji become spaces."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if not stripped.isascii():
        stripped = "".join(ch if ch.isascii() else _transliterate_char(ch) for ch in stripped)
    return stripped.casefold()


def collapse_spaces(text: str) -> str:
    """Trim and squeeze runs of whitespace to single spaces."""
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Folded alphanumeric tokens of ``text``; all punctuation separates tokens."""
    return _WORD.findall(fold(text).translate(_JOINERS))


def upper_tokens(text: str) -> list[str]:
    """``tokens`` upper-cased; ASCII text skips the fold, which would only lower-case it."""
    if text.isascii():
        return _WORD.findall(text.upper().translate(_JOINERS))
    return [t.upper() for t in tokens(text)]


def name_key(normalized_name: str) -> str:
    """Order-free key of a normalized name: its tokens sorted ("li wei" == "wei li").

    Used for blocking and exact comparison; word order of names varies between
    Western and Chinese conventions and between "Last, First" and "First Last".
    """
    return " ".join(sorted(normalized_name.split()))
