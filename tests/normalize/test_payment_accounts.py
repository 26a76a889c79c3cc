import pytest

from graphintel.normalize import normalize_payment_account


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("card_fp:9f8A77c1", "card_fp:9f8A77c1"),
        ("  CARD_FP:9f8A77c1\t", "card_fp:9f8A77c1"),
        ("Wallet:Buyer.One@Example.com", "wallet:Buyer.One@Example.com"),
        ("iban:DE89 3704 0044", "iban:DE89 3704 0044"),  # inner text is kept exactly
        ("tok_ABCdef", "tok_ABCdef"),
        ("", None),
        ("   ", None),
    ],
)
def test_normalize_payment_account(raw: str, expected: str | None) -> None:
    assert normalize_payment_account(raw) == expected


def test_token_case_is_significant() -> None:
    assert normalize_payment_account("card_fp:ABC") != normalize_payment_account("card_fp:abc")
