"""Company names compared on their distinctive core: what is set aside, and what is not."""

from __future__ import annotations

import pytest

from graphintel.normalize import normalize_party_name
from graphintel.normalize.name_compare import company_words, compare_names, name_core


def _company(raw: str) -> str:
    return normalize_party_name(raw).normalized


def test_a_dropped_city_prefix_is_reported_as_dropped_not_as_a_typo() -> None:
    """Issue 14: "hong kong xinyao mold" vs "xinyao mold" read as one_typo at 1.00."""
    found = compare_names("hong kong xinyao mold", "xinyao mold", True)
    assert found.dropped == ("hongkong",)
    assert found.similarity == 100.0 and found.edits == 0
    found = compare_names(
        _company("Dongguan Jiuzhou Jinfeng Biotechnology Co Ltd"),
        _company("Jiuzhou Jinfeng Biotechnology Co Ltd"),
        True,
    )
    assert found.dropped == ("dongguan",) and found.typo_words


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Dongguan Jiuhzou Jinfeng Biotechnology", "Dongguan Jiuzhou Jinfeng Biotechnology"),
        ("Jinfekg Trading", "Jinfeng Trading"),
        ("Wuhan Tianyi Sanhee Trading", "Wuhan Tianyi Sanhe Trading"),
    ],
)
def test_one_letter_typos_and_transpositions_stay_within_the_typo_budget(a: str, b: str) -> None:
    found = compare_names(_company(a), _company(b), True)
    assert found.typo_words and found.edits == 1 and not found.dropped


def test_two_places_or_two_trades_are_two_companies() -> None:
    """A place (or trade word) is set aside only when the other name has none."""
    assert not compare_names("wuhan huamei commerce", "dongguan huamei commerce", True).typo_words
    assert not compare_names("mingtai trading", "mingtai technology", True).typo_words


def test_abbreviations_pinyin_spacing_and_word_order() -> None:
    same = compare_names("shen zhen huayu intl tech", "huayu technology international", True)
    assert same.typo_words and same.similarity == 100.0 and same.dropped == ("shenzhen",)
    assert compare_names("huayu imp and exp", "huayu import and export", True).similarity == 100
    joined = compare_names("jiu zhou jinfeng", "jiuzhou jinfeng", True)
    assert joined.similarity == 100.0 and joined.typo_words


def test_a_distinctive_extra_word_counts_against_the_match() -> None:
    found = compare_names("huayu trading", "huayu mold trading", True)
    assert found.similarity < 88 and not found.dropped


def test_persons_are_compared_as_written() -> None:
    """Set-aside words are a company matter: "Hubei" may be a person's name."""
    assert compare_names("li hubei", "li", False).similarity < 88
    assert name_core("li hubei", False) == "li hubei"


def test_name_core_sets_places_and_generic_words_aside() -> None:
    assert name_core("dongguan fuda chemical", True) == "fuda chemical"
    assert name_core("yiwu huayu import and export", True) == "huayu"
    assert name_core("global trading", True) == "global trading"  # nothing else left
    assert name_core("hong kong trading", True) == "hongkong trading"  # nothing else left
    assert company_words("hk tech intl") == ("hongkong", "technology", "international")
