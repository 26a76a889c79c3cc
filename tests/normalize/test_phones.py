import pytest

from graphintel.normalize import normalize_phone
from graphintel.normalize.phone import phone_region


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("+86 138 0013 8000", "", "+8613800138000"),
        ("138 0013 8000", "CN", "+8613800138000"),
        ("(138) 0013-8000", "China", "+8613800138000"),
        ("0086-138-0013-8000", "CN", "+8613800138000"),
        ("+86 138 0013 8000", "US", "+8613800138000"),  # an explicit + wins over the region
        ("212-555-0147", "", "+12125550147"),  # consignees default to US
        ("(212) 555-0147", "US", "+12125550147"),
        ("1-212-555-0147", "United States", "+12125550147"),
        ("212.555.0147 ext. 9", "", "+12125550147"),
        ("2125550147", "Atlantis", "+12125550147"),  # unknown country -> default region
        ("2123 4567", "HK", "+85221234567"),
        ("+852 2123 4567", "", "+85221234567"),
        ("852-8502-6329", "Hong Kong", "+85285026329"),  # starts with its own country code
        ("86-755-3776-1968", "CN", "+8675537761968"),
        ("(0755) 3776 1968", "CN", "+8675537761968"),  # national trunk prefix
        ("0086-158-0043-3844", "", "+8615800433844"),  # 00 = international prefix
        ("0082-6825093190", "South Korea", "+826825093190"),
        ("12345", "", None),  # too short to identify anyone
        ("n/a", "", None),
        ("", "CN", None),
        ("   ", "", None),
    ],
)
def test_normalize_phone(raw: str, country: str, expected: str | None) -> None:
    assert normalize_phone(raw, country) == expected


def test_default_region_is_configurable() -> None:
    assert normalize_phone("138 0013 8000", "", default_region="CN") == "+8613800138000"


def test_unparseable_number_falls_back_to_digits() -> None:
    # A number phonenumbers cannot read as possible keeps a digits-only key without "+",
    # so it still links shipments that wrote it the same way but never poses as E.164.
    key = normalize_phone("999-999-999-999-999", "US")
    assert key == "999999999999999"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+852 6266 8320", "+85262668320"),
        ("0086 138 0013 8000", "+8613800138000"),
        ("13800138000", "13800138000"),  # no region: never guessed into +1 380...
        ("16578577495", "16578577495"),  # a Chinese mobile, or +1 657? no guess
        ("852-73537519", "85273537519"),
        ("0595-28564577", "059528564577"),  # a trunk prefix needs a region
    ],
)
def test_without_a_region_only_sure_readings_become_e164(raw: str, expected: str) -> None:
    assert normalize_phone(raw, "", default_region="ZZ") == expected


@pytest.mark.parametrize(
    ("number", "region"),
    [("+85262668320", "HK"), ("+8613800138000", "CN"), ("+12125550147", "US"),
     ("13800138000", None), ("", None)],
)  # fmt: skip
def test_phone_region(number: str, region: str | None) -> None:
    assert phone_region(number) == region


@pytest.mark.parametrize(
    "raw",
    [
        "++--",
        "12",
        "😀",
        "phone",
        "0" * 2,
        "+",
        "+1",
        "ext. 9",
        "☎ 555",
        "000000000",
        "(000) 000-0000",
        "+00 000 0000",
    ],  # fmt: skip
)
def test_malformed_phones_are_unknown(raw: str) -> None:
    assert normalize_phone(raw) is None


def test_leading_zero_runs_are_no_e164_key() -> None:
    """ "000000001" in China would become "+8600000001", which reads back as another
    number; it stays a digits-only fallback key instead."""
    assert normalize_phone("000000001", "CN") == "000000001"
    assert normalize_phone("+86 0000 0001") == "8600000001"


@pytest.mark.parametrize(
    ("raw", "country"),
    [
        ("+85249097945", "CN"),
        ("85249097945", "CN"),
        ("0085249097945", "CN"),
        ("00852 4909 7945", ""),
        ("+852 4909 7945", "HK"),
    ],
)
def test_a_country_code_written_without_plus_is_one_number(raw: str, country: str) -> None:
    """Issue 14: "+85249097945" and "85249097945" were two graph nodes."""
    assert normalize_phone(raw, country, "ZZ") == "+85249097945"


@pytest.mark.parametrize(
    "raw", ["+86-13211434544", "0086 13211434544", "8613211434544", "13211434544",
            "+86 132 1143 4544"],
)  # fmt: skip
def test_a_chinese_mobile_in_every_spelling_is_one_number(raw: str) -> None:
    assert normalize_phone(raw, "CN", "ZZ") == "+8613211434544"
