"""Company names: the core name without its legal form, plus an order-free key.

"Shenzhen Huaxin Trading Co.,Ltd", "SHENZHEN HUAXIN TRADING COMPANY LIMITED" and
"Shenzhen Huaxin Trading Youxian Gongsi" are one written company; the legal-form suffix
is the part manifests vary most.

Legal forms come from two tables: this module's own (English, romanized Chinese and the
forms of the main trading countries, with mistyped spellings) and the world-wide list that
the ``cleanco`` library maintains ("BVBA", "S.à r.l.", "ApS", "OOO" ...). cleanco's forms are
stripped only from names already known to be companies (``strip_more_legal_forms``),
because many are also ordinary words or surname particles ("da", "as", "uk").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from cleanco.clean import prepare_default_terms
from rapidfuzz.distance import OSA

from graphintel.normalize.name_words import PLACE_WORDS
from graphintel.normalize.text import name_key, tokens

# Legal forms as token sequences (after punctuation became spaces, so "Co.,Ltd" is
# ("co", "ltd") and "L.L.C." is ("l", "l", "c")). English, romanized Chinese and the
# common forms of other trading countries.
_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.split())
    for form in (
        # English
        "limited liability company",
        "limited liability co",
        "limited company",
        "company limited",
        "company ltd",
        "co limited",
        "co ltd",
        "co llc",
        "co inc",
        "pte ltd",
        "pty ltd",
        "pvt ltd",
        "private limited",
        "public limited company",
        "l l c",
        "l l p",
        "l p",
        "p l c",
        "i n c",
        "ltd",
        "limited",
        "llc",
        "llp",
        "lp",
        "plc",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "pte",
        "pty",
        "pvt",
        # romanized Chinese
        "gufen youxian gongsi",
        "you xian gong si",
        "youxian gongsi",
        "youxiangongsi",
        "gong si",
        "gongsi",
        # German, Dutch, Nordic
        "g m b h",
        "gmbh and co kg",
        "gmbh co kg",
        "and co kg",
        "gmbh",
        "co kg",
        "ag",
        "kg",
        "b v",
        "bv",
        "n v",
        "nv",
        "oy",
        "ab",
        # Romance languages
        "s a de c v",
        "sa de cv",
        "s a",
        "sa",
        "s r l",
        "srl",
        "s p a",
        "spa",
        "sarl",
        "sas",
        "s l",
        "sl",
        "ltda",
        # Turkish
        "limited sirketi",
        "ltd sti",
        "anonim sirketi",
        "sti",
        "a s",
        # Asia and elsewhere
        "sdn bhd",
        "bhd",
        "kabushiki kaisha",
        "k k",
        "kk",
        "jsc",
        "ooo",
        "sro",
    )
)
# Forms by their last word, longest first, so stripping looks at a handful of candidates.
_FORMS_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _form in sorted(_LEGAL_FORMS, key=len, reverse=True):
    _FORMS_BY_LAST.setdefault(_form[-1], []).append(_form)
_LEGAL_TOKENS = frozenset(token for form in _LEGAL_FORMS for token in form)

# Mistyped legal forms ("Limted", "LIMITTED", "Co., Lsd.", "CT LTD"): long words are
# recognised within one edit anywhere at the end; short ones only next to another
# legal-form word, because "Bo" or "Ind" one edit from "Co" or "Inc" are ordinary name
# words. A mistyped "Co" must keep its "c" or only drop, double or swap letters.
_FUZZY_LONG = ("limited", "company", "incorporated", "corporation", "private", "gongsi",
               "youxian", "sirketi")  # fmt: skip
_FUZZY_SHORT = ("ltd", "inc", "llc", "plc", "corp", "gmbh", "co")
# The long forms within one edit of a word, by the word's length (an edit changes the
# length by one at most), so a surname is compared with one or two forms, not eight.
_FUZZY_LONG_BY_LENGTH = {
    n: tuple(t for t in _FUZZY_LONG if abs(len(t) - n) <= 1)
    for n in range(4, max(map(len, _FUZZY_LONG)) + 2)
}


@dataclass(frozen=True, slots=True)
class CompanyName:
    """A company name split into its core and its legal form ("" when there was none)."""

    core: str
    key: str
    legal_form: str


def _strip_one(words: list[str]) -> tuple[str, ...] | None:
    if not words:
        return None
    for form in _FORMS_BY_LAST.get(words[-1], ()):
        n = len(form)
        if len(words) > n and tuple(words[-n:]) == form:
            return form
    return None


def _fuzzy_legal(words: list[str], after_legal: bool) -> str | None:
    """The legal-form word the last of ``words`` mistypes, if it plausibly does."""
    if len(words) < 2:
        return None
    last = words[-1]
    if len(last) >= 4:
        for target in _FUZZY_LONG_BY_LENGTH.get(len(last), ()):
            if OSA.distance(last, target, score_cutoff=1) <= 1:
                return target
    beside_legal = after_legal or (len(words[-2]) > 1 and words[-2] in _LEGAL_TOKENS)
    if beside_legal:
        for target in _FUZZY_SHORT:
            if OSA.distance(last, target, score_cutoff=1) > 1:
                continue
            if (
                len(target) >= 3
                or set(last) <= set(target)
                or (len(last) == len(target) and last[0] == target[0])
            ):
                return target
    return None


def _trailing_places(words: list[str]) -> int:
    """How many of the last ``words`` name places or countries ("china", "hong kong")."""
    k = len(words)
    while k > 1:
        if words[k - 1] in PLACE_WORDS:
            k -= 1
        elif k > 2 and words[k - 2] + words[k - 1] in PLACE_WORDS:
            k -= 2
        else:
            break
    return len(words) - k


def company_tokens(raw: str) -> tuple[list[str], list[str]]:
    """Split ``raw`` into (core tokens, legal-form tokens); the core keeps one token at least.

    Mistyped legal-form words are stripped too and reported in their correct spelling. A
    legal form followed only by a place ("Gaofeng Outdoor Co., Ltd. (Guangzhou)", "... Pvt
    Ltd India") is stripped as well, and the place stays at the end of the core.
    """
    words = tokens(raw.replace("&", " and "))
    while words and words[0] == "the" and len(words) > 1:  # "The The X": a core is a fixed point
        words = words[1:]
    core, legal = _strip_legal(words)
    while places := _trailing_places(core):
        inner, more = _strip_legal(core[:-places])
        if not more:
            break
        core, legal = inner + core[-places:], more + legal
    return core, legal


def _strip_legal(words: list[str]) -> tuple[list[str], list[str]]:
    """``words`` without their trailing legal forms, and those forms."""
    stripped: list[str] = []
    while True:
        form = _strip_one(words)
        if form is None:
            fuzzy = _fuzzy_legal(words, bool(stripped))
            if fuzzy is None:
                break
            form = (fuzzy,)
            words = words[:-1]
        else:
            words = words[: -len(form)]
        stripped[:0] = form
    return words, stripped


@lru_cache(maxsize=1)
def _cleanco_forms() -> dict[str, list[tuple[str, ...]]]:
    """cleanco's legal forms as token tuples (our tokenizer), by last token, longest first."""
    forms = {tuple(tokens(" ".join(term))) for _, term in prepare_default_terms()}
    forms.discard(())
    by_last: dict[str, list[tuple[str, ...]]] = {}
    for form in sorted(forms, key=len, reverse=True):
        by_last.setdefault(form[-1], []).append(form)
    return by_last


def strip_more_legal_forms(core: list[str]) -> list[str]:
    """``core`` of a known company without trailing legal forms from cleanco's list
    (one core word always stays)."""
    words = list(core)
    forms = _cleanco_forms()
    while True:
        for form in forms.get(words[-1], ()) if words else ():
            n = len(form)
            if len(words) > n and tuple(words[-n:]) == form:
                words = words[:-n]
                break
        else:
            return words


def normalize_company_name(raw: str) -> CompanyName:
    """The core name (legal form removed), its order-free key and the removed legal form.

    >>> normalize_company_name("Shenzhen Huaxin Trading Co.,Ltd")
    CompanyName(core='shenzhen huaxin trading', key='huaxin shenzhen trading', legal_form='co ltd')
    """
    core, legal = company_tokens(raw)
    kept = strip_more_legal_forms(core)
    legal = core[len(kept) :] + legal
    core_text = " ".join(kept)
    return CompanyName(core=core_text, key=name_key(core_text), legal_form=" ".join(legal))


def has_legal_form(raw: str) -> bool:
    """Whether ``raw`` ends in a recognised legal-form suffix."""
    return bool(company_tokens(raw)[1])
