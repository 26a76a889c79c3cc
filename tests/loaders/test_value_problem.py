"""The one-search check of a whole row names exactly the problem the column-by-column walk
(the oracle) names, for any row: clean, with control characters, lone surrogates, or
oversized values, in names or values."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.readers import MAX_FIELD_CHARS, _first_problem, value_problem

_HOSTILE = ["\x00", "\x1b", "\x7f", "\x85", "\x9f", "\ud800", "\udfff", "\t", "\n", "\r", "é"]
_TEXT = st.text(
    st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(_HOSTILE)),
    max_size=10,
)
_LONG = st.sampled_from(["x" * MAX_FIELD_CHARS, "y" * (MAX_FIELD_CHARS + 1)])


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_TEXT, st.one_of(_TEXT, _LONG), max_size=8))
def test_row_check_matches_column_walk(values: dict[str, str]) -> None:
    assert value_problem(values) == _first_problem(values)


def test_clean_row_and_each_kind_of_problem() -> None:
    clean = {"shipper_name": "Huayu Trading\tLtd", "note": "line\r\nbreak"}
    assert value_problem(clean) is None
    assert value_problem({}) is None
    assert value_problem({**clean, "b": "ok\x1bmore"}) == (
        "b",
        "b: control character U+001B at position 3",
    )
    long_row = {**clean, "c": "z" * (MAX_FIELD_CHARS + 1)}
    found = value_problem(long_row)
    assert found is not None and found[0] == "c" and "longer than" in found[1]
    found = value_problem({"a\ud800": "fine"})
    assert found is not None and "column name holds an unpaired surrogate U+D800" in found[1]
