import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphintel.normalize.checks import (
    _ascii_letters,
    address_problem,
    mixed_scripts,
    name_problem,
)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("J", "one_letter"),
        ("J.", "one_letter"),
        (" x ", "one_letter"),
        ("李", "one_letter"),
        ("x" * 10_000, "too_long"),
        ("Huaxin " * 40, "too_long"),
        ("😀😀", "symbols_only"),
        ("---", "symbols_only"),
        ("🙂 ✓ ★", "symbols_only"),
        ("Jоhn Smith", "mixed_scripts"),  # Cyrillic "о" inside a Latin word
        ("Ηuaxin Trading", "mixed_scripts"),  # Greek capital eta
        ("John Smith", None),
        ("Li Wei 李伟", None),  # two scripts, but each word is one
        ("山田 太郎", None),
        ("東京カメラ", None),  # kanji and katakana share Japanese words
        ("Иван Петров", None),
        ("Müller", None),
        ("O'Brien", None),
        ("Ｗｅｉ Ｌｉ", None),  # full-width Latin is Latin
        ("AB", None),
        ("Zoë 😀 Saldaña", None),  # letters remain: the emoji is dropped, the name kept
    ],
)
def test_name_problem(raw: str, problem: str | None) -> None:
    assert name_problem(raw) == problem


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("x" * 10_000, "too_long"), ("###", "symbols_only"), ("😀", "symbols_only"),
     ("", None), ("12 Main St", None), ("Rm 1203, No. 88 Jianshe Lu", None)],
)  # fmt: skip
def test_address_problem(raw: str, problem: str | None) -> None:
    assert address_problem(raw) == problem


def test_mixed_scripts_is_per_word() -> None:
    assert not mixed_scripts("Smith Смит")
    assert mixed_scripts("Smitх")  # Cyrillic "х"


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(max_codepoint=127), max_size=12))
def test_ascii_letter_count_matches_per_character_count(text: str) -> None:
    """The capped regex count agrees with str.isalnum over each character (the oracle)."""
    assert _ascii_letters(text) == min(2, sum(1 for ch in text if ch.isalnum()))
