"""Person names: "SMITH, John" and "john  smith" are the same written name."""

from __future__ import annotations

from graphintel.normalize.text import tokens

# Honorifics carry no identity and are written inconsistently; generational suffixes
# ("jr", "iii") do distinguish people and are kept.
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "mme"})


def normalize_person_name(raw: str) -> str:
    """Lower-case, accent-free, punctuation-free "first last" form of a person's name.

    A single comma is read as "Last, First" and the halves are swapped; leading
    honorifics are dropped. Returns "" for a name with no letters or digits.

    >>> normalize_person_name("GARCÍA,  María-José")
    'maria jose garcia'
    """
    text = raw.strip()
    head, sep, tail = text.partition(",")
    if sep and "," not in tail and head.strip() and tail.strip():
        text = f"{tail} {head}"
    words = tokens(text)
    while len(words) > 1 and words[0] in _HONORIFICS:
        words = words[1:]
    return " ".join(words)
