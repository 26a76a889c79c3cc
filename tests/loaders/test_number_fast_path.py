"""Plain numbers (unsigned digits, no exponent) skip the Decimal checks; the value is the
one the Decimal path (the oracle: ``_number`` then float or int) gives, and anything else
still takes that path with its problems."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.mapping import canonical_mapping
from loaders.validate import Rules, _Checker

_DIGITS = st.text(st.sampled_from("0123456789"), min_size=1, max_size=20)
_NUMBER_TEXT = st.one_of(
    _DIGITS,
    st.builds(lambda a, b: f"{a}.{b}", _DIGITS, _DIGITS),
    st.builds(lambda a: f"{a}.", _DIGITS),
    st.sampled_from(["-1", "+2", "1e3", "0.0", "-0", ".5", "1e999", "٣", "12 ", ""]),
)


def _checker(text: str) -> _Checker:
    row = canonical_mapping().apply({"weight_kg": text, "quantity": text})
    row.values["weight_kg"] = row.values["quantity"] = text  # unstripped, as given
    return _Checker(row, Rules())


@settings(max_examples=600, deadline=None)
@given(_NUMBER_TEXT)
def test_decimal_matches_the_decimal_path(text: str) -> None:
    fast, oracle = _checker(text), _checker(text)
    number = oracle._number("weight_kg")
    expected = None if number is None else float(number) + 0.0
    assert fast.decimal("weight_kg") == expected
    assert [p.reason for p in fast.problems] == [p.reason for p in oracle.problems]


@settings(max_examples=600, deadline=None)
@given(_NUMBER_TEXT)
def test_integer_matches_the_decimal_path(text: str) -> None:
    fast, oracle = _checker(text), _checker(text)
    number = oracle._number("quantity")
    whole = number is not None and number <= 2**63 - 1 and number == number.to_integral_value()
    assert fast.integer("quantity") == (int(number) if whole and number is not None else None)
    if not whole:
        assert fast.problems or number is None
