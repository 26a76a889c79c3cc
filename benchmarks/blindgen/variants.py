"""Writing one party or identifier the ways real manifests do (docs/variations.md).

Every function takes the canonical parts of a value and a ``random.Random``, and returns
the written text with the catalogue codes of the variations it applied, so the truth file
can say which classes each mention carries.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from benchmarks.blindgen.vocab import LEGAL_FORMS, ORG_ABBREVIATIONS, PLUS_TAGS

_QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_QWERTY):
    for _c, _ch in enumerate(_row):
        near = [_row[_c - 1] if _c else "", _row[_c + 1] if _c + 1 < len(_row) else ""]
        for _other in (_r - 1, _r + 1):
            if 0 <= _other < 3 and _c < len(_QWERTY[_other]):
                near.append(_QWERTY[_other][_c])
        _NEIGHBOURS[_ch] = "".join(near)


def typo(word: str, rng: random.Random) -> str:
    """One slip: a neighbouring key, a dropped or doubled letter, or two letters swapped.
    Never the first letter and never a digit (a changed number is another place)."""
    pos = [i for i in range(1, len(word)) if word[i].isalpha()]
    if len(word) < 4 or not pos:
        return word
    i = rng.choice(pos)
    op = rng.randrange(4)
    ch = word[i]
    if op == 0 and i + 1 < len(word) and word[i + 1].isalpha() and word[i + 1] != ch:
        return word[:i] + word[i + 1] + ch + word[i + 2 :]
    if op == 1:
        rep = rng.choice(_NEIGHBOURS.get(ch.lower(), "e") or "e")
        return word[:i] + (rep.upper() if ch.isupper() else rep) + word[i + 1 :]
    if op == 2:
        return word[:i] + ch + word[i:]
    return word[:i] + word[i + 1 :]


def recase(text: str, rng: random.Random) -> str:
    u = rng.random()
    if u < 0.7:
        return text.upper()
    if u < 0.9:
        return text.lower()
    return text[:1].upper() + text[1:].lower()


def pick_classes(
    rng: random.Random, weights: dict[str, float], p_any: float, max_k: int = 3
) -> set[str]:
    """None with probability 1 - p_any, else one to ``max_k`` distinct classes."""
    if rng.random() >= p_any or not weights:
        return set()
    k = min(len(weights), 1 + (rng.random() < 0.35) + (rng.random() < 0.1), max_k)
    names, w = list(weights), list(weights.values())
    out: set[str] = set()
    while len(out) < k:
        out.add(rng.choices(names, w)[0])
    return out


# -- organisations -----------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    """A company's registered name in parts."""

    place: str  # leading city ("Shenzhen") or ""
    province: str  # province of that city or ""
    core: tuple[tuple[str, ...], ...]  # distinctive words, each as its syllables
    industry: tuple[str, ...]
    legal: str  # key of LEGAL_FORMS
    country_word: str  # "China", "Hong Kong", ...
    pinyin: bool  # core and place are Pinyin (can be split or joined)

    def canonical(self) -> str:
        words = [self.place] if self.place else []
        words += [_join(s) for s in self.core] + list(self.industry)
        return " ".join([*words, LEGAL_FORMS[self.legal][0]])


def _join(syllables: tuple[str, ...]) -> str:
    return "".join(syllables).capitalize()


def _split_place(place: str) -> str:
    """ "Shenzhen" -> "Shen Zhen" (Pinyin syllables of a city name, split at the vowel run)."""
    for i in range(2, len(place) - 1):
        if place[i - 1] in "aeiouy" and place[i] not in "aeiouy'g" and place[i + 1] in "aeiou":
            return f"{place[:i]} {place[i].upper()}{place[i + 1 :]}"
        if place[i - 1 : i + 1] == "ng" and place[i + 1] not in "aeiou" and i + 1 < len(place):
            return f"{place[: i + 1]} {place[i + 1].upper()}{place[i + 2 :]}"
    return place


ORG_WEIGHTS = {
    "org.legal": 3.0,
    "org.geo_drop": 2.5,
    "org.geo_move": 1.0,
    "org.geo_add": 0.8,
    "org.order": 0.6,
    "org.pinyin": 1.2,
    "org.abbr": 1.6,
    "org.typo1": 2.2,
    "org.typo2": 0.7,
    "org.generic_drop": 1.0,
    "org.punct": 1.5,
}


def org_name(org: Org, rng: random.Random, p_any: float, p_case: float) -> tuple[str, set[str]]:
    """One written form of ``org`` and the classes it carries."""
    weights = dict(ORG_WEIGHTS)
    if not org.place:
        for code in ("org.geo_drop", "org.geo_move"):
            weights.pop(code)
    if not org.pinyin:
        weights.pop("org.pinyin")
    if len(org.industry) < 2:
        weights.pop("org.order")
    if not any(w in ("Trading", "Technology", "Electronic", "Products") for w in org.industry):
        weights.pop("org.generic_drop")
    want = pick_classes(rng, weights, p_any)
    done: set[str] = set()

    place = org.place
    core = [_join(s) for s in org.core]
    ind = list(org.industry)
    legal = LEGAL_FORMS[org.legal][0]
    lead, mid, tail = [place] if place else [], [], []
    if "org.pinyin" in want:
        u = rng.random()
        if u < 0.6:
            k = rng.randrange(len(org.core))
            core[k] = " ".join(s.capitalize() for s in org.core[k])
        elif u < 0.8 and len(core) > 1:
            core = ["".join(core)]
        elif place:
            lead = [_split_place(place)]
        else:
            core = [" ".join(s.capitalize() for s in org.core[0]), *core[1:]]
        done.add("org.pinyin")
    if "org.geo_drop" in want:
        lead = []
        done.add("org.geo_drop")
    elif "org.geo_move" in want:
        where = rng.randrange(3)
        if where == 0:
            mid = [f"({lead[0]})"]
        else:
            tail = [f"({lead[0]})" if where == 1 else lead[0]]
        lead = []
        done.add("org.geo_move")
    if "org.geo_add" in want:
        if lead and org.province and rng.random() < 0.6:
            lead = [org.province, *lead]
        else:
            tail = [*tail, org.country_word]
        done.add("org.geo_add")
    if "org.order" in want:
        ind = ind[-1:] + ind[:-1]
        done.add("org.order")
    if "org.generic_drop" in want:
        generic = [i for i, w in enumerate(ind) if w in ("Trading", "Technology", "Electronic")]
        generic = generic or [i for i, w in enumerate(ind) if w == "Products"]
        if generic and len(ind) > 1:
            del ind[rng.choice(generic)]
            done.add("org.generic_drop")
    if "org.abbr" in want:
        text = " ".join(ind)
        hits = [(full, short) for full, short in ORG_ABBREVIATIONS if f" {full} " in f" {text} "]
        if hits:
            full, shorts = rng.choice(hits)
            ind = f" {text} ".replace(f" {full} ", f" {rng.choice(shorts)} ", 1).split()
            done.add("org.abbr")
    if "org.typo1" in want or "org.typo2" in want:
        n = 2 if "org.typo2" in want else 1
        for _ in range(n):
            k = rng.randrange(len(core) + len(ind)) if rng.random() < 0.3 else -1
            if 0 <= k - len(core) < len(ind) and len(ind[k - len(core)]) >= 4:
                ind[k - len(core)] = typo(ind[k - len(core)], rng)
            else:
                k = rng.randrange(len(core))
                core[k] = typo(core[k], rng)
        done.add("org.typo2" if n == 2 else "org.typo1")
    if "org.legal" in want:
        forms = LEGAL_FORMS[org.legal]
        legal = "" if rng.random() < 0.15 else rng.choice(forms[1:])
        done.add("org.legal")
    words = [*lead, *core, *mid, *ind, *([legal] if legal else []), *tail]
    text = " ".join(words)
    if "org.punct" in want:
        u = rng.random()
        if u < 0.4:
            text = text.replace(".", "").replace(",", "")
        elif u < 0.7:
            text = text.replace(" Co", ",Co", 1) if " Co" in text else text + "."
        else:
            text = text.replace(" ", "  ", 1)
        done.add("org.punct")
    if rng.random() < p_case:
        text = recase(text, rng)
        done.add("org.case")
    return text, done


# -- persons -----------------------------------------------------------------------------

PER_WEIGHTS = {
    "per.initial": 1.0,
    "per.middle": 1.5,
    "per.nickname": 1.5,
    "per.order": 2.0,
    "per.typo": 2.0,
}


def person_name(
    first: str,
    middle: str,
    last: str,
    nicks: tuple[str, ...],
    rng: random.Random,
    p_any: float,
    p_case: float,
) -> tuple[str, set[str]]:
    weights = dict(PER_WEIGHTS)
    if not nicks:
        weights.pop("per.nickname")
    want = pick_classes(rng, weights, p_any, max_k=2)
    done: set[str] = set()
    given, mid = first, middle
    if "per.nickname" in want:
        given = rng.choice(nicks)
        done.add("per.nickname")
    elif "per.initial" in want:
        given = first[0] + ("." if rng.random() < 0.6 else "")
        done.add("per.initial")
    if "per.middle" in want:
        mid = "" if middle else rng.choice("ABCDEJKLMRST")
        done.add("per.middle")
    family = last
    if "per.typo" in want:
        if rng.random() < 0.5 and len(given) >= 4:
            given = typo(given, rng)
        else:
            family = typo(family, rng)
        done.add("per.typo")
    mid_text = (mid + ("." if rng.random() < 0.5 else "")) if mid else ""
    if "per.order" in want:
        sep = ", " if rng.random() < 0.7 else " "
        text = f"{family}{sep}{' '.join(x for x in (given, mid_text) if x)}"
        done.add("per.order")
    else:
        text = " ".join(x for x in (given, mid_text, family) if x)
    if rng.random() < p_case:
        text = recase(text, rng)
        done.add("per.case")
    return text, done


# -- phones ------------------------------------------------------------------------------


def _group(digits: str, sizes: tuple[int, ...], sep: str) -> str:
    out, i = [], 0
    for s in sizes:
        if i < len(digits):
            out.append(digits[i : i + s])
            i += s
    if i < len(digits):
        out[-1] += digits[i:]
    return sep.join(out)


def phone(cc: str, national: str, trunk: bool, form: str, rng: random.Random) -> tuple[str, str]:
    """``national`` is the number without country code or trunk 0; ``trunk``: written
    nationally with a leading 0 (Chinese landlines). Forms: e164, plus, 00, cc, national."""
    sizes: tuple[int, ...]
    if cc == "1":
        sizes = (3, 3, 4)
    elif cc == "86" and len(national) == 11:
        sizes = (3, 4, 4)
    elif cc == "86":
        sizes = (len(national) - 8, 4, 4)
    else:
        sizes = (4, 4) if len(national) == 8 else (3, 3, 4)
    sep = rng.choice(" -.") if rng.random() < 0.85 else ""
    if form == "e164":
        return f"+{cc}{national}", ""
    if form == "plus":
        return f"+{cc}{' ' if sep == '.' else sep}{_group(national, sizes, sep)}", "tel.plus"
    if form == "00":
        return f"00{cc} {national}" if rng.random() < 0.6 else f"00{cc}{national}", "tel.00"
    if form == "cc":
        return f"{cc}{national}", "tel.cc_noplus"
    if cc == "1":
        u = rng.random()
        if u < 0.4:
            return f"({national[:3]}) {national[3:6]}-{national[6:]}", "tel.national"
        if u < 0.8:
            return _group(national, sizes, sep or "-"), "tel.national"
        return national, "tel.national"
    if trunk:
        area = national[: sizes[0]]
        rest = national[sizes[0] :]
        return (f"0{area}-{rest}" if sep else f"0{area}{rest}"), "tel.national"
    return (_group(national, sizes, sep) if sep else national), "tel.national"


PHONE_FORMS = ("e164", "plus", "00", "cc", "national")


# -- e-mails -----------------------------------------------------------------------------


def email(address: str, rng: random.Random, p_any: float) -> tuple[str, set[str]]:
    if not address or rng.random() >= p_any:
        return address, set()
    local, domain = address.split("@")
    u = rng.random()
    if u < 0.45:
        return address.upper() if rng.random() < 0.8 else address.capitalize(), {"eml.case"}
    if u < 0.75 or domain != "gmail.com":
        return f"{local}+{rng.choice(PLUS_TAGS)}@{domain}", {"eml.plus"}
    bare = local.replace(".", "")
    if rng.random() < 0.3:
        return f"{bare}@googlemail.com", {"eml.dots"}
    if "." in local:
        return f"{bare}@{domain}", {"eml.dots"}
    i = rng.randrange(1, len(bare)) if len(bare) > 1 else 1
    return f"{bare[:i]}.{bare[i:]}@{domain}", {"eml.dots"}
