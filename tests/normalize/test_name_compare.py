"""Names compared on their distinctive core: what is set aside, joined or let through."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from graphintel.normalize import normalize_party_name
from graphintel.normalize.name_compare import (
    _has_counterpart,
    company_words,
    compare_names,
    name_core,
    typo_edits,
    wide_edits,
)
from graphintel.normalize.nicknames import mistyped_given_name


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


def test_two_words_typed_as_one_with_a_letter_for_the_space_are_joined() -> None:
    found = compare_names("yida dingixn e commerce", "hangzhou yidajdingxin e commerce", True)
    assert found.joined and found.typo_words and found.dropped == ("hangzhou",)
    assert not compare_names("yida dingxin", "yida dingxin trading", True).joined
    # two words that do not spell the other name's word stay two words
    assert not compare_names("hua yu trading", "huaxin trading", True).typo_words


def test_a_place_name_by_one_typo_is_the_other_names_word_mistyped() -> None:
    # "juizhou" is one edit from the city Huizhou, but two from the other name's "jiuhzou"
    found = compare_names("tianjin juizhou commerce", "jiuhzou commerce", True)
    assert found.dropped == ("tianjin",) and found.wide_typos and not found.typo_words
    # a real place the other name lacks is still set aside
    assert compare_names("huizhou fuda chemical", "fuda chemical", True).dropped == ("huizhou",)


def test_two_typos_per_word_only_in_long_words() -> None:
    assert [wide_edits(n) for n in (2, 4, 6, 7, 9, 10)] == [0, 1, 1, 2, 2, 3]
    assert compare_names("jiuhzou commerce", "juizhou commerce", True).wide_typos
    # two edits make another name of a short one: a ring's rotated "huayu" / "haoyu"
    assert not compare_names("huayu trading", "haoyu trading", True).wide_typos


def test_middle_initials_that_differ_are_flagged_not_read_as_one_person() -> None:
    found = compare_names("susan l long", "susan r long")
    assert found.initials_differ and not found.typo_words and found.similarity == 100
    assert not compare_names("susan l long", "susan long").initials_differ


def test_a_nickname_with_a_typo_matches_its_full_name() -> None:
    assert mistyped_given_name("beecky", "rebecca") == "becky"
    assert mistyped_given_name("rebeca", "becky") == "rebecca"
    assert mistyped_given_name("jon", "john") == ""  # under four letters: too ambiguous
    found = compare_names("beecky long", "rebecca long")
    assert found.by_nickname and found.typo_words and found.edits == 1
    assert not compare_names("patrick kane", "patricia kane").by_nickname
    assert compare_names("rebecca long", "beecky long").by_nickname  # either side mistyped


def test_a_legal_form_before_a_trailing_place_is_stripped() -> None:
    assert _company("Gaofeng Outdoor Co., Ltd. (Guangzhou)") == "gaofeng outdoor guangzhou"
    assert _company("Lotus Oak Outfitters Pvt Ltd India") == "lotus oak outfitters india"
    assert normalize_party_name("Junbao Import and Export Co., Ltd. China").is_company
    assert _company("Huaxin Trading Co Ltd") == "huaxin trading"


def test_a_mistyped_trade_word_and_a_second_place_are_set_aside() -> None:
    found = compare_names("tongsai network", "tongsai network techhnology", True)
    assert found.dropped == ("techhnology",) and found.similarity == 100
    # both name Yiwu: the province on one side and the country on the other only qualify it
    found = compare_names("yiwu qingda industrial china", "zhejiang yiwu qingda industrial", True)
    assert found.similarity == 100 and found.dropped == ("china", "zhejiang")
    # without a shared place, two places are still two companies
    assert not compare_names("wuhan huamei", "dongguan huamei", True).typo_words


def test_common_abbreviations_and_two_word_countries() -> None:
    assert compare_names("yiwu keying biotech", "yiwu keying biotechnology", True).edits == 0
    assert compare_names("zenith green trade", "zenith green trdg", True).edits == 0
    lotus = _company("Prime Lotus Apparel Ltd United Kingdom")
    assert compare_names(lotus, "prime lotus apparel", True).dropped == ("unitedkingdom",)


@settings(max_examples=800, deadline=None)
@given(
    st.text(st.sampled_from("abcdeghnuy"), max_size=12),
    st.lists(st.text(st.sampled_from("abcdeghnuy"), max_size=13), max_size=5),
)
def test_counterpart_shortcuts_answer_as_every_distance_does(word: str, others: list[str]) -> None:
    """The oracle: one OSA distance per word of the other name, against the typo budget."""
    budget = typo_edits(len(word))
    expected = any(OSA.distance(word, o) <= budget for o in others)
    assert _has_counterpart(word, tuple(others)) == expected
