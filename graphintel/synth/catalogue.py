"""The rest of the variation catalogue (docs/variations.md), for ``--variations full``.

The basic renderers already vary legal forms, case, one-letter typos, dropped place
prefixes, name layouts, street suffixes, units and phone layouts. This layer adds, on a
share of the rows, what real manifests also do: place words moved or added, Pinyin split,
trade-word abbreviations, reordered or dropped generic words, two typos, punctuation;
nicknames; Room/Unit/# forms and reordered shipper addresses, ZIP shapes; ``86...`` and
``0086...`` phones; plus-tags and Gmail dots; token label case, Ethereum and bech32 case.
Each changed row's bits say which classes it now carries. Rows are edited in Python, but
only the chosen share of each chunk.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pyarrow.compute as pc

from graphintel.synth.arrowkit import Str, patch, take
from graphintel.synth.companies import Companies
from graphintel.synth.noise import typo
from graphintel.synth.variation import CLASSES, bit
from graphintel.synth.vocab_trade import COUNTRIES, LEGAL_FORMS, SYLLABLES

PROVINCES = {
    "Shenzhen": "Guangdong", "Guangzhou": "Guangdong", "Dongguan": "Guangdong",
    "Foshan": "Guangdong", "Yiwu": "Zhejiang", "Ningbo": "Zhejiang", "Hangzhou": "Zhejiang",
    "Xiamen": "Fujian", "Quanzhou": "Fujian", "Suzhou": "Jiangsu", "Wuhan": "Hubei",
    "Shijiazhuang": "Hebei", "Zhengzhou": "Henan", "Jinan": "Shandong", "Hefei": "Anhui",
    "Changsha": "Hunan",
}  # fmt: skip
ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Import and Export", ("Imp & Exp", "Imp. & Exp.", "I/E", "Import & Export")),
    ("Technology", ("Tech", "Tech.")),
    ("Biotechnology", ("Biotech",)),
    ("Electronics", ("Elec", "Electron")),
    ("Trading", ("Trade", "Trdg")),
    ("Industrial", ("Ind", "Indl")),
    ("Pharmaceutical", ("Pharm", "Pharma")),
    ("Products", ("Prods", "Prod")),
    ("Household", ("HH", "Hsehold")),
    ("International", ("Intl", "Int'l")),
)
GENERIC = ("Trading", "Technology", "Products", "Goods", "Industrial", "E-commerce")
NICKNAMES = {
    "Robert": ("Bob", "Rob"), "William": ("Bill", "Will"), "Richard": ("Rick", "Rich"),
    "James": ("Jim", "Jimmy"), "John": ("Jack", "Johnny"), "Michael": ("Mike",),
    "Elizabeth": ("Liz", "Beth"), "Margaret": ("Maggie", "Peggy"), "Joseph": ("Joe",),
    "Thomas": ("Tom",), "Christopher": ("Chris",), "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",), "Anthony": ("Tony",), "Steven": ("Steve",), "Andrew": ("Andy",),
    "Kenneth": ("Ken",), "Edward": ("Ed", "Ted"), "Patricia": ("Pat", "Patty"),
    "Jennifer": ("Jen", "Jenny"), "Katherine": ("Kate", "Kathy"), "Rebecca": ("Becky",),
    "Samantha": ("Sam",), "Benjamin": ("Ben",), "Nicholas": ("Nick",), "Jessica": ("Jess",),
    "Deborah": ("Debbie",), "Alexander": ("Alex",), "Timothy": ("Tim",), "Samuel": ("Sam",),
    "Victoria": ("Vicky",), "Christine": ("Chris", "Tina"), "Susan": ("Sue",),
}  # fmt: skip
_SYL = {s.lower() for s in SYLLABLES}
ORG_EXTRA = (
    "org.geo_move", "org.geo_add", "org.order", "org.pinyin", "org.abbr", "org.typo2",
    "org.generic_drop", "org.punct",
)  # fmt: skip
_ORG_BITS = np.uint64(sum(int(bit(c)) for c in CLASSES if c.startswith("org.")))
_PER_BITS = np.uint64(sum(int(bit(c)) for c in CLASSES if c.startswith("per.")))
_NONE = np.uint64(0)
_TEL_BITS = np.uint64(sum(int(bit(c)) for c in CLASSES if c.startswith("tel.")))


def _rows(n: int, rng: np.random.Generator, p: float) -> np.ndarray:
    return np.asarray(rng.random(n) < p)


def _edit(
    values: Str,
    mask: np.ndarray,
    one: Callable[[str, np.random.Generator], tuple[str, int]],
    rng: np.random.Generator,
) -> tuple[Str, np.ndarray]:
    """Apply ``one`` (text -> new text, bits) to the masked rows; returns the column and
    per-row new bits (0 where not edited or where ``one`` left the text as it was)."""
    out_bits = np.zeros(len(mask), dtype=np.uint64)
    got: list[int] = []

    def fix(texts: list[str]) -> list[str]:
        res = [one(t, rng) if t else (t, 0) for t in texts]
        got.extend(b for _, b in res)
        return [t for t, _ in res]

    values = patch(values, mask, fix)
    out_bits[np.flatnonzero(mask)] = np.asarray(got, dtype=np.uint64)
    return values, out_bits


def _split_pinyin(word: str) -> str | None:
    low = word.lower()
    for i in range(1, len(low)):
        if low[:i] in _SYL and low[i:] in _SYL:
            return f"{word[:i]} {word[i].upper()}{word[i + 1 :]}"
    return None


def org_name(base: str, short: str, legal: int, country: int, rng: np.random.Generator) -> tuple[
    str, int
]:  # fmt: skip
    """One written name of a company (base, short, legal family), with one or two of the
    classes the basic renderer never applies."""
    place = base[: len(base) - len(short)].strip()
    words = short.split()
    n_brand = 1 if COUNTRIES[country][0] in ("CN", "HK") else 2
    brand, ind = words[:n_brand], words[n_brand:]
    want = {ORG_EXTRA[i] for i in rng.choice(len(ORG_EXTRA), 1 + (rng.random() < 0.3))}
    done = 0
    lead, mid, tail = ([place] if place else []), [], []
    form = LEGAL_FORMS[legal][0]
    if "org.pinyin" in want and n_brand == 1:
        split = _split_pinyin(brand[0])
        if split:
            brand, done = [split], done | int(bit("org.pinyin"))
    if "org.geo_move" in want and lead:
        where = int(rng.integers(3))
        if where == 0:
            mid = [f"({place})"]
        else:
            tail = [f"({place})" if where == 1 else place]
        lead, done = [], done | int(bit("org.geo_move"))
    if "org.geo_add" in want:
        if lead and lead[0] in PROVINCES and rng.random() < 0.6:
            lead = [PROVINCES[lead[0]], *lead]
        elif COUNTRIES[country][0] == "HK" and not place:
            lead = ["Hong Kong"]
        else:
            tail = [*tail, COUNTRIES[country][1][0]]
        done |= int(bit("org.geo_add"))
    if "org.order" in want and len(ind) > 1:
        ind = ind[::-1] if "and" in ind else ind[-1:] + ind[:-1]
        done |= int(bit("org.order"))
    if "org.generic_drop" in want and ind:
        generic = [i for i, w in enumerate(ind) if w in GENERIC]
        if generic:
            del ind[generic[int(rng.integers(len(generic)))]]
            done |= int(bit("org.generic_drop"))
    if "org.abbr" in want:
        text = f" {' '.join(ind)} "
        hits = [(f, s) for f, s in ABBREVIATIONS if f" {f} " in text]
        if hits:
            full, shorts = hits[int(rng.integers(len(hits)))]
            short_form = shorts[int(rng.integers(len(shorts)))]
            ind = text.replace(f" {full} ", f" {short_form} ", 1).split()
            done |= int(bit("org.abbr"))
    if "org.typo2" in want:
        for _ in range(2):
            pool = [w for w in (brand + ind) if len(w) >= 4]
            if pool:
                k = int(rng.integers(len(brand) + len(ind)))
                target = brand if k < len(brand) else ind
                j = k if k < len(brand) else k - len(brand)
                target[j] = typo(target[j], *rng.random(3))
        done |= int(bit("org.typo2"))
    text = " ".join([*lead, *brand, *mid, *ind, form, *tail])
    if "org.punct" in want:
        u = rng.random()
        if u < 0.4:
            text = text.replace(".", "").replace(",", "")
        elif u < 0.7:
            text = text.replace(" ", "  ", 1)
        else:
            text = text.replace(" Co.", ",Co.", 1) if " Co." in text else text + "."
        done |= int(bit("org.punct"))
    return text, done


def shipper_names(
    names: Str, bits: np.ndarray, co: Companies, idx: np.ndarray, rng: np.random.Generator,
    p: float,
) -> tuple[Str, np.ndarray]:  # fmt: skip
    mask = _rows(len(idx), rng, p)
    rows = idx[mask]
    base, short = take(co.base, rows).to_pylist(), take(co.short, rows).to_pylist()
    built = [org_name(b, s, int(co.legal[r]), int(co.country[r]), rng)
             for b, s, r in zip(base, short, rows.tolist(), strict=True)]  # fmt: skip
    new_bits = bits.copy()
    new_bits[mask] = (bits[mask] & ~_ORG_BITS) | np.asarray([b for _, b in built], np.uint64)
    it = iter(t for t, _ in built)
    return patch(names, mask, lambda texts: [next(it) for _ in texts]), new_bits


def _nickname(text: str, rng: np.random.Generator) -> tuple[str, int]:
    first, _, rest = text.partition(" ")
    nicks = NICKNAMES.get(first)
    if not nicks or not rest:
        return text, 0
    return f"{nicks[int(rng.integers(len(nicks)))]} {rest}", int(bit("per.nickname"))


def person_names(names: Str, bits: np.ndarray, rng: np.random.Generator) -> tuple[Str, np.ndarray]:
    out, got = _edit(names, _rows(len(names), rng, 0.05), _nickname, rng)
    return out, np.where(got > 0, (bits & ~_PER_BITS) | got, bits)


_ROOM = re.compile(r"\b(Room|Rm|Flat|Flt) ")
_UNIT_WORDS = ("Unit ", "Suite ", "#", "Rm. ", "Room No. ")


def _shipper_unit(text: str, rng: np.random.Generator) -> tuple[str, int]:
    if not _ROOM.search(text):
        return text, 0
    word = _UNIT_WORDS[int(rng.integers(len(_UNIT_WORDS)))]
    return _ROOM.sub(word, text, count=1), int(bit("adr.unit"))


def _shipper_order(text: str, rng: np.random.Generator) -> tuple[str, int]:
    parts = text.split(", ")
    if len(parts) < 3:
        return text, 0
    cut = 2 if parts[1].startswith(("Building", "Bldg", "12/F")) or "/F" in parts[1] else 1
    return ", ".join(parts[cut:] + parts[:cut]), int(bit("adr.order"))


def _zip(text: str, rng: np.random.Generator) -> tuple[str, int]:
    digits = text.replace("-", "")
    if rng.random() < 0.5 and len(digits) == 9:
        return digits, int(bit("adr.postal"))
    if text.startswith("0"):
        return text.lstrip("0"), int(bit("adr.postal"))
    return text, 0


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _phone_cc(text: str, rng: np.random.Generator) -> tuple[str, int]:
    """A phone written with its country code but without "+" or as "00CC"."""
    d = _digits(text)
    if text.startswith("+") and len(d) >= 10:
        full = d
    elif len(d) == 10 and not text.startswith("0"):
        full = "1" + d  # a US national number
    else:
        return text, 0
    if rng.random() < 0.5:
        return full, int(bit("tel.cc_noplus"))
    return f"00{full}" if rng.random() < 0.5 else f"00{full[:-10]} {full[-10:]}", int(bit("tel.00"))


def _plus_tag(text: str, rng: np.random.Generator) -> tuple[str, int]:
    local, at, domain = text.partition("@")
    if not at or "+" in local:
        return text, 0
    tag = ("orders", "shop", "us", "deals")[int(rng.integers(4))]
    return f"{local}+{tag}@{domain}", int(bit("eml.plus"))


def _gmail_dots(text: str, rng: np.random.Generator) -> tuple[str, int]:
    local, at, domain = text.partition("@")
    if domain.lower() != "gmail.com":
        return text, 0
    bare = local.replace(".", "")
    if bare != local:
        return f"{bare}@{domain}", int(bit("eml.dots"))
    i = 1 + int(rng.integers(max(1, len(bare) - 1)))
    return f"{bare[:i]}.{bare[i:]}@{domain}", int(bit("eml.dots"))


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _scheme(text: str, rng: np.random.Generator) -> tuple[str, int]:
    """Crypto tokens as real address schemes (the same token always gives the same
    address); Ethereum hex in mixed case and bech32 in upper case on some rows."""
    if text.startswith("crypto:addr_"):
        h = text[len("crypto:addr_") :]
        if int(h[-1], 16) % 2:
            addr = "0x" + (h * 3)[:40]
            if rng.random() < 0.3:
                mixed = "".join(c.upper() if c.isalpha() and rng.random() < 0.5 else c
                                for c in addr[2:])  # fmt: skip
                return f"crypto:0x{mixed}", int(bit("pay.eth_case"))
            return f"crypto:{addr}", 0
        body = "bc1q" + "".join(_BECH32[int(c, 16) * 2 % 32] for c in (h * 3)[:38])
        if rng.random() < 0.25:
            return f"crypto:{body.upper()}", int(bit("pay.bech32_case"))
        return f"crypto:{body}", 0
    if text.startswith("card:"):
        return "CARD:" + text[5:], int(bit("pay.token_case"))
    return text, 0


def gmail(emails: Str) -> Str:
    """One of the reserved mail domains stands for Gmail, whose dots do not count."""
    return pc.replace_substring(emails, "@mail.example", "@gmail.com")


def extend(
    cols: dict[str, Str],
    s_bits: np.ndarray,
    c_bits: np.ndarray,
    co: Companies,
    shipper: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Apply the extra classes to ``cols`` in place; returns the updated bits."""
    n = len(shipper)
    cols["shipper_name"], s_bits = shipper_names(cols["shipper_name"], s_bits, co, shipper, rng,
                                                 0.22)  # fmt: skip
    cols["consignee_name"], c_bits = person_names(cols["consignee_name"], c_bits, rng)

    def add(col: str, p: float, one: Callable[[str, np.random.Generator], tuple[str, int]],
            side: np.ndarray, clear: np.uint64 = _NONE) -> np.ndarray:  # fmt: skip
        cols[col], got = _edit(cols[col], _rows(n, rng, p), one, rng)
        return np.asarray(np.where(got > 0, (side & ~clear) | got, side), dtype=np.uint64)

    s_bits = add("shipper_address", 0.06, _shipper_unit, s_bits)
    s_bits = add("shipper_address", 0.04, _shipper_order, s_bits)
    s_bits = add("shipper_phone", 0.08, _phone_cc, s_bits, _TEL_BITS)
    s_bits = add("shipper_email", 0.03, _plus_tag, s_bits)
    c_bits = add("consignee_postal_code", 0.04, _zip, c_bits)
    c_bits = add("consignee_phone", 0.06, _phone_cc, c_bits, _TEL_BITS)
    cols["consignee_email"] = gmail(cols["consignee_email"])
    c_bits = add("consignee_email", 0.04, _plus_tag, c_bits)
    c_bits = add("consignee_email", 0.08, _gmail_dots, c_bits)
    account = cols["payment_account"]
    crypto = pc.starts_with(account, "crypto:").to_numpy(zero_copy_only=False)
    card = pc.starts_with(account, "card:").to_numpy(zero_copy_only=False)
    pay_rows = np.asarray(crypto | (card & _rows(n, rng, 0.03)))
    cols["payment_account"], got = _edit(account, pay_rows, _scheme, rng)
    return s_bits, np.asarray(c_bits | got, dtype=np.uint64)
