import pytest

from graphintel.normalize import normalize_ip


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("fe80::1%eth0", "fe80::1"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("256.1.1.1", None),
        ("203.0.113", None),
        ("not-an-ip", None),
        ("", None),
    ],
)
def test_normalize_ip(raw: str, expected: str | None) -> None:
    assert normalize_ip(raw) == expected
