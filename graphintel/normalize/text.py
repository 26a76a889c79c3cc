"""Text folding shared by the name and address normalizers.

Manifests spell one name many ways (case, accents, full-width CJK punctuation, stray dots),
so every comparison starts from the same folded, punctuation-free token list.
"""

from __future__ import annotations

import re
import unicodedata

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


def fold(text: str) -> str:
    """Lower-case ``text`` and strip diacritics and compatibility forms ("Ｓｈｅｎ" -> "shen")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def collapse_spaces(text: str) -> str:
    """Trim and squeeze runs of whitespace to single spaces."""
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Folded alphanumeric tokens of ``text``; all punctuation separates tokens."""
    return _WORD.findall(fold(text).translate(_JOINERS))


def name_key(normalized_name: str) -> str:
    """Order-free key of a normalized name: its tokens sorted ("li wei" == "wei li").

    Used for blocking and exact comparison; word order of names varies between
    Western and Chinese conventions and between "Last, First" and "First Last".
    """
    return " ".join(sorted(normalized_name.split()))
