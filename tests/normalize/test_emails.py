import pytest

from graphintel.normalize import normalize_email


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jsmith@gmail.com", "jsmith@gmail.com"),
        ("  J.Smith@Gmail.com ", "jsmith@gmail.com"),
        ("j.s.m.i.t.h+orders@gmail.com", "jsmith@gmail.com"),
        ("jsmith@googlemail.com", "jsmith@gmail.com"),
        ("J.Smith+x@GoogleMail.COM", "jsmith@gmail.com"),
        ("sales+cn@huaxin-trade.cn", "sales@huaxin-trade.cn"),
        ("First.Last@Example.com", "first.last@example.com"),  # dots matter off Gmail
        ("mailto:info@example.com", "info@example.com"),
        ("info@example.com.", "info@example.com"),
        ("", None),
        ("not an email", None),
        ("user@localhost", None),
        ("@example.com", None),
        ("a@b@example.com", None),
        ("+tag@example.com", None),
        ("john doe@example.com", None),
    ],
)
def test_normalize_email(raw: str, expected: str | None) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["@", "@@", "a@b", "x y@example.com", "mailto:", "user@.", ".@gmail.com"],
)
def test_malformed_emails_are_unknown(raw: str) -> None:
    assert normalize_email(raw) is None
