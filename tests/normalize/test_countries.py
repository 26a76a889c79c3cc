import pytest

from graphintel.normalize import country_code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("CN", "CN"),
        ("cn", "CN"),
        (" us ", "US"),
        ("China", "CN"),
        ("P.R. China", "CN"),
        ("PRC", "CN"),
        ("People's Republic of China", "CN"),
        ("United States", "US"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("UK", "GB"),
        ("Hong Kong", "HK"),
        ("HONG KONG SAR", "HK"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Viet Nam", "VN"),
        ("Côte d'Ivoire", "CI"),
        ("Germany", "DE"),
        ("HKG", "HK"),
        ("CHN", "CN"),
        ("MEX", "MX"),
        ("CAN", "CA"),
        ("Can", None),  # a word, not a code: alpha-3 codes are read in capitals only
        ("", None),
        ("ZZ", None),
        ("Atlantis", None),
    ],
)
def test_country_code(raw: str, code: str | None) -> None:
    assert country_code(raw) == code
