"""Phone keys that are one number read under two country codes, told apart by the party.

A number written without "+" or "00" is read in the party's country (``normalize_phone``).
Exporters often register in one country and print a phone of another: a Hong Kong or
Mexican company whose staff give their mainland mobile "15596252630" without "86". Read
under +852 that is "+85215596252630" (not a valid number), read as "+1 559..." it is a
Californian one, while the same company writes "0086 15596252630" elsewhere. Alone, the
bare digits are ambiguous; with the party's other mentions they are not.

Two keys (E.164, or the digits-only fallback of a number no region could read) are taken
for one number when one key's digits after its country code (its national number, at least
``MIN_NATIONAL_DIGITS`` long) equal the other key's national number or all of its digits,
*and* some mention with one key and some mention with the other share an address, an
e-mail or a name: one party wrote both. A shared number alone is never evidence (marketplace
hotlines are printed by hundreds of sellers). The canonical key of such a group is the valid
number (``phonenumbers.is_valid_number``), then the most-mentioned.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from functools import lru_cache

import phonenumbers

MIN_NATIONAL_DIGITS = 9
_CODES = frozenset(str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)

# What a mention shows besides its phone: (phone key, address key, e-mail, name key).
PhoneContext = tuple[str, str, str, str]


def split_code(key: str) -> tuple[str, str] | None:
    """(country code, national number) of an E.164 key ("+8613800138000" -> "86", ...)."""
    if not key.startswith("+"):
        return None
    digits = key[1:]
    for size in (1, 2, 3):  # country codes are prefix-free
        if digits[:size] in _CODES:
            return digits[:size], digits[size:]
    return None


@lru_cache(maxsize=1 << 14)
def _valid(key: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(key, None))
    except phonenumbers.NumberParseException:
        return False


def _candidate_pairs(keys: Collection[str]) -> set[tuple[str, str]]:
    """Pairs of keys (sorted) one of which reads the other's national number, or (a key
    without "+", the digits-only fallback of a number no region could read) all of the
    other's digits, or its national number after a trunk "0".

    Every phone key of the store goes through here on every run (a daily one too), and
    few pair: the keys are filed by national number once, and only the few fallbacks
    look for the E.164 keys that write all of their digits."""
    national: dict[str, list[str]] = {}
    fallbacks: list[str] = []
    for key in keys:
        if key[:1] != "+":
            if len(key) >= MIN_NATIONAL_DIGITS:
                fallbacks.append(key)
            continue
        parts = split_code(key)
        if parts is not None and len(parts[1]) >= MIN_NATIONAL_DIGITS:
            found = national.get(parts[1])
            if found is None:
                national[parts[1]] = [key]
            else:
                found.append(key)
    pairs: set[tuple[str, str]] = set()
    for group in national.values():
        for key in group:
            # keys of the same national number, and those whose national number is all of
            # this key's digits
            for others in (group, national.get(key[1:], ())):
                for other in others:
                    if other != key:
                        pairs.add((min(key, other), max(key, other)))
    if fallbacks:
        written: dict[str, list[str]] = defaultdict(list)  # E.164 digits without the "+"
        wanted = set(fallbacks)
        for key in keys:
            digits = key[1:]
            readable = key[:1] == "+" and len(key) > MIN_NATIONAL_DIGITS
            if readable and digits in wanted and split_code(key) is not None:
                written[digits].append(key)
        for key in fallbacks:  # "0571-26345922": a trunk "0" before the national number
            trunk = key[1:] if key[:1] == "0" and key[1:2] != "0" else ""
            for other in (*national.get(key, ()), *written.get(key, ()), *national.get(trunk, ())):
                pairs.add((min(key, other), max(key, other)))
    return pairs


def paired_keys(keys: Collection[str]) -> set[str]:
    """The keys of ``keys`` that could be one number with another of them: only their
    mentions' contexts matter to ``phone_aliases`` (a key in no candidate pair stays)."""
    return {k for pair in _candidate_pairs(keys) for k in pair}


def _shared(a: set[str], b: set[str]) -> str | None:
    common = sorted(a & b)
    return common[0] if common else None


def phone_aliases(
    contexts: Iterable[tuple[PhoneContext, int]],
) -> dict[str, tuple[str, str]]:
    """{variant key: (canonical key, why)} from each distinct mention context and its
    mention count."""
    contexts = list(contexts)
    mentions: Counter[str] = Counter()
    for (phone, *_rest), count in contexts:
        if phone:
            mentions[phone] += count
    pairs = _candidate_pairs(mentions)
    if not pairs:
        return {}
    involved = {k for pair in pairs for k in pair}
    seen: dict[str, tuple[set[str], set[str], set[str]]] = {
        k: (set(), set(), set()) for k in involved
    }
    for (phone, address, email, name), _count in contexts:
        if phone in seen:
            for bag, value in zip(seen[phone], (address, email, name), strict=True):
                if value:
                    bag.add(value)
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.get(k, k) != k:
            k = parent[k]
        return k

    why: dict[str, str] = {}
    for a, b in sorted(pairs):
        for label, bag_a, bag_b in zip(("address", "e-mail", "name"), seen[a], seen[b],
                                       strict=True):  # fmt: skip
            common = _shared(bag_a, bag_b)
            if common is not None:
                parent.setdefault(a, a)
                parent.setdefault(b, b)
                parent[find(a)] = find(b)
                evidence = f"one party wrote both ({label} {common})"
                why.setdefault(a, evidence)
                why.setdefault(b, evidence)
                break
    groups: dict[str, list[str]] = defaultdict(list)
    for key in parent:
        groups[find(key)].append(key)
    out: dict[str, tuple[str, str]] = {}
    for members in groups.values():
        members = sorted(set(members))
        canonical = min(members, key=lambda k: (not _valid(k), -mentions[k], k))
        for key in members:
            if key != canonical:
                out[key] = (canonical, _phone_why(key, canonical, why[key]))
    return out


def _reading(key: str) -> str:
    parts = split_code(key)
    return f"+{parts[0]} {parts[1]}" if parts is not None else f"{key} (no country code)"


def _phone_why(key: str, canonical: str, evidence: str) -> str:
    return (
        f"{key} is {canonical}: the same digits read as {_reading(key)} and as "
        f"{_reading(canonical)}; {evidence}"
    )
