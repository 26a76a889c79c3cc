"""``compare_names`` answers exactly as the plain word-by-word alignment it replaced.

The resolver compares hundreds of thousands of name pairs per run, so ``compare_names``
takes shortcuts: memoized word splits, a word found as is taken without scoring, OSA
similarities derived from one distance call, and shared result objects. The oracle below is
the previous implementation, kept verbatim: one rapidfuzz similarity call per word pair, then
``fuzz.ratio`` and ``OSA.distance`` on the aligned texts. Every shortcut must give the same
``NameComparison``, including the greedy alignment's tie-break (the first of equally similar
words wins), which decides which words are left over. For two companies the oracle aligns the words
``_company_views`` keeps (its reductions are tested case by case in test_name_compare.py).
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from graphintel.normalize.name_compare import DIFFERENT as _DIFFERENT
from graphintel.normalize.name_compare import (
    NameComparison,
    _company_views,
    compare_names,
    typo_edits,
    wide_edits,
)
from graphintel.normalize.nicknames import mistyped_given_name, same_given_name


def _reference_split(name: str) -> tuple[list[str], list[str]]:
    tokens = name.split()
    return [t for t in tokens if len(t) > 1], [t for t in tokens if len(t) == 1]


def reference_compare_names(a: str, b: str, companies: bool = False) -> NameComparison:
    """The previous implementation (the oracle), with the two-typo flag, differing middle
    initials and mistyped nicknames written the plain way."""
    if a == b:
        return NameComparison(100.0, 100.0)
    dropped: tuple[str, ...] = ()
    joined = False
    if companies:
        view_a, view_b, dropped, joined = _company_views(a, b)
        a, b = " ".join(view_a), " ".join(view_b)
    words_a, initials_a = _reference_split(a)
    words_b, initials_b = _reference_split(b)
    swap = len(words_a) > len(words_b)
    short, long_ = (words_b, words_a) if swap else (words_a, words_b)
    init_short, init_long = (initials_b, initials_a) if swap else (initials_a, initials_b)

    left: list[str] = []
    right: list[str] = []
    weakest = 100.0
    typo_words = wide = True
    unused = list(long_)
    by_nickname = False
    for word in short:
        if not unused:
            break
        nicknames = [k for k, other in enumerate(unused) if same_given_name(word, other)]
        if not companies and word not in unused and nicknames:
            unused.pop(nicknames[0])  # a nickname is its full name: matched before typos
            left.append(word)
            right.append(word)
            by_nickname = True
            continue
        scores = [OSA.normalized_similarity(word, other) for other in unused]
        best = max(range(len(unused)), key=scores.__getitem__)
        distance = OSA.distance(word, unused[best])
        longer = max(len(word), len(unused[best]))
        forms = [
            (word, mistyped_given_name(word, other))
            if mistyped_given_name(word, other)
            else (mistyped_given_name(other, word), other)
            for other in unused
        ]
        if not companies and distance > typo_edits(longer) and any(all(f) for f in forms):
            k = next(k for k, pair in enumerate(forms) if all(pair))
            unused.pop(k)
            left.append(forms[k][0])
            right.append(forms[k][1])
            by_nickname = True
            continue
        match = unused.pop(best)
        weakest = min(weakest, scores[best] * 100)
        if distance > typo_edits(longer):
            typo_words = False
        if distance > wide_edits(longer):
            wide = False
        left.append(word)
        right.append(match)
    if not left:
        return _DIFFERENT
    by_initial = False
    spare_initials = list(init_short)
    extra: list[str] = []
    for word in unused:
        if word[0] in spare_initials:
            spare_initials.remove(word[0])
            left.append(word[0])
            right.append(word[0])
            by_initial = True
        else:
            extra.append(word)
    conflicting = spare_initials and init_long and sorted(spare_initials) != sorted(init_long)
    differ = bool(conflicting) and not companies
    right.extend(extra)
    left_text, right_text = " ".join(left), " ".join(right)
    similarity = float(fuzz.ratio(left_text, right_text))
    edits = OSA.distance(left_text, right_text)
    return NameComparison(similarity, weakest, typo_words and not differ, by_initial, edits,
                          dropped, by_nickname, wide, differ, joined)  # fmt: skip


FIRST = ("john", "jon", "joan", "jane", "jean", "thomas", "linda", "lynda", "mary", "maria",
         "tom", "johnny", "william", "bill", "pat")  # fmt: skip
LAST = ("smith", "smyth", "nelson", "young", "yang", "wang", "wong", "cox", "cxo", "li", "lu")
COMPANY = (
    "shenzhen", "yiwu", "huayu", "huaxin", "trading", "import", "and", "export",
    "international", "logistics", "freight", "forwarding", "co", "ltd", "e", "commerce",
)  # fmt: skip
INITIALS = tuple("abcdejlmt")


@st.composite
def typo(draw: st.DrawFn, word: str) -> str:
    """A word with one keyboard slip: a transposition, substitution, insertion or deletion."""
    kind = draw(st.sampled_from(("swap", "sub", "ins", "del")))
    at = draw(st.integers(0, max(len(word) - 1, 0)))
    letter = draw(st.sampled_from("aeinorsty"))
    if kind == "swap" and len(word) >= 2:
        at = min(at, len(word) - 2)
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == "sub":
        return word[:at] + letter + word[at + 1 :]
    if kind == "ins":
        return word[:at] + letter + word[at:]
    return word[:at] + word[at + 1 :] or word


@st.composite
def variant(draw: st.DrawFn, words: list[str]) -> list[str]:
    """Another spelling of a name: typos, a word dropped, added, repeated, moved or cut to
    its initial, an initial added."""
    out = list(words)
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(("typo", "drop", "add", "repeat", "move", "initial", "init+")))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if op == "typo" and out:
            out[at] = draw(typo(out[at]))
        elif op == "drop" and len(out) > 1:
            del out[at]
        elif op == "add":
            out.insert(at, draw(st.sampled_from(COMPANY + LAST)))
        elif op == "repeat" and out:
            out.insert(at, out[at])
        elif op == "move" and out:
            out.append(out.pop(at))
        elif op == "initial" and out:
            out[at] = out[at][0]
        elif op == "init+":
            out.insert(at, draw(st.sampled_from(INITIALS)))
    return out


PERSON = st.builds(
    lambda first, middle, last: [first, *middle, last],
    st.sampled_from(FIRST),
    st.lists(st.sampled_from(INITIALS), max_size=2),
    st.sampled_from(LAST),
)
FIRM = st.lists(st.sampled_from(COMPANY), min_size=1, max_size=6)
# Short words from three letters: many equally similar words, repeats and stray initials.
TIES = st.lists(st.text("abc", min_size=1, max_size=4), max_size=5)


@st.composite
def name_pairs(draw: st.DrawFn) -> tuple[str, str]:
    base = draw(st.one_of(PERSON, FIRM, TIES))
    other = draw(st.one_of(variant(base), TIES)) if draw(st.booleans()) else draw(variant(base))
    sep = draw(st.sampled_from((" ", " ", "  ")))
    return " ".join(base), sep.join(other)


@settings(max_examples=1_500, deadline=None)
@given(name_pairs(), st.booleans())
@example(("jon smith", "jan smith"), False)
@example(("john a smith", "john b smith"), False)
@example(("t nelson", "thomas nelson"), False)
@example(("huayu trading", "shenzhen huayu trading"), True)
@example(("ab ab", "ab ba ab"), False)
@example(("abc", "abd abe"), False)  # a tie: the first equally similar word is taken
@example(("jon jane", "john jonn"), False)  # the greedy order decides which word is left
@example(("j", "j smith"), False)
@example(("", "smith"), False)
def test_compare_names_matches_the_word_by_word_oracle(pair: tuple[str, str], firms: bool) -> None:
    a, b = pair
    assert compare_names(a, b, firms) == reference_compare_names(a, b, firms)
    assert compare_names(b, a, firms) == reference_compare_names(b, a, firms)


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=12), st.text(max_size=12))
def test_compare_names_matches_the_oracle_on_any_text(a: str, b: str) -> None:
    """Unicode words and whitespace split the same way in both."""
    assert compare_names(a, b) == reference_compare_names(a, b)
    assert compare_names(a, b, True) == reference_compare_names(a, b, True)
