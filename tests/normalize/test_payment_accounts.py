import pytest

from graphintel.normalize import normalize_payment_account


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("card_fp:9f8A77c1", "card_fp:9f8A77c1"),
        ("  CARD_FP:9f8A77c1\t", "card_fp:9f8A77c1"),
        # an account named by an e-mail address is that mailbox (was kept as written)
        ("Wallet:Buyer.One+shop@Example.com", "wallet:buyer.one@example.com"),
        ("wallet:J.Smith@GMail.com", "wallet:jsmith@gmail.com"),
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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("crypto:0xAbC0000000000000000000000000000000000dEf",
         "crypto:0xabc0000000000000000000000000000000000def"),
        ("btc:BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ",
         "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
        ("bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq?amount=0.1",
         "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
        ("btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT"),
        ("usdt:TQ4nAbcDefGhiJkLmNoPqRsTuVwXyZ1234", "usdt:TQ4nAbcDefGhiJkLmNoPqRsTuVwXyZ1234"),
    ],
)  # fmt: skip
def test_crypto_addresses_per_scheme(raw: str, expected: str) -> None:
    """Hex and bech32 addresses are case-insensitive; base58 ones are not."""
    assert normalize_payment_account(raw) == expected
