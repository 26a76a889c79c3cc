import pytest

from graphintel.normalize import (
    normalize_address,
    normalize_foreign_address,
    normalize_us_address,
)
from graphintel.normalize.address import parse_us_street, us_street_line
from graphintel.normalize.text import fold

NYC = ("New York", "NY", "10001")
JIANSHE = "NO 88 JIANSHE RD UNIT 1203"
HK_TOWER = "HK|KOWLOON|12 F EAGLE IND BLDG 8 NATHAN RD UNIT A"
KEYUAN = "CN|SHENZHEN|BLDG 5 NO 8 KEYUAN RD NANSHAN DIST UNIT 12"


@pytest.mark.parametrize(
    ("street", "line"),
    [
        ("123 Main Street", "123 MAIN ST"),
        ("123 Main St.", "123 MAIN ST"),
        ("123 main st", "123 MAIN ST"),
        ("123 Main Avenue", "123 MAIN AVE"),
        ("123 Main Ave.", "123 MAIN AVE"),
        ("123 Main Boulevard", "123 MAIN BLVD"),
        ("500 West 42nd Street", "500 W 42ND ST"),
        ("1 Fifth Avenue", "1 5TH AVE"),
        ("123 Main St Apt 4B", "123 MAIN ST UNIT 4B"),
        ("123 Main St Apt. 4B", "123 MAIN ST UNIT 4B"),
        ("123 Main St, #4B", "123 MAIN ST UNIT 4B"),
        ("123 Main St # 4B", "123 MAIN ST UNIT 4B"),
        ("123 Main St Unit 4B", "123 MAIN ST UNIT 4B"),
        ("123 Main Street, Apartment 4B", "123 MAIN ST UNIT 4B"),
        ("123 MAIN ST APT4B", "123 MAIN ST UNIT 4B"),
        ("123 Main St Apt 4-B", "123 MAIN ST UNIT 4B"),
        ("123 Main St Suite 200", "123 MAIN ST UNIT 200"),
        ("12 St. Marks Pl Apt C", "12 ST MARKS PL UNIT C"),
        ("45 Flat Rock Road", "45 FLAT ROCK RD"),  # "Flat Rock" is a name, not a unit
        ("12 Stevens Ave", "12 STEVENS AVE"),
        ("P.O. Box 77", "PO BOX 77"),
        ("Post Office Box 77", "PO BOX 77"),
        ("123 Rue Côté", "123 RUE COTE"),
    ],
)
def test_us_street_and_unit(street: str, line: str) -> None:
    address = normalize_us_address(street, *NYC)
    assert address.key == f"US|10001|{line}"
    assert address.label.startswith(line + ", NEW YORK, NY 10001")


@pytest.mark.parametrize(
    ("postal", "zip5"),
    [("10001", "10001"), ("10001-2345", "10001"), ("100012345", "10001"), ("2108", "02108"),
     ("02108-1234", "02108"), ("", ""), ("ABC", "")],
)  # fmt: skip
def test_zip5(postal: str, zip5: str) -> None:
    assert normalize_us_address("1 Main St", postal_code=postal).postal_code == zip5


@pytest.mark.parametrize(("state", "code"), [("NY", "NY"), ("ny", "NY"), ("New York", "NY"),
                                             ("new  york", "NY"), ("Atlantis", "")])  # fmt: skip
def test_us_state(state: str, code: str) -> None:
    assert normalize_us_address("1 Main St", state=state).state == code


def test_different_units_in_one_tower_have_different_keys() -> None:
    a = normalize_us_address("100 River Tower Dr Apt 4B", *NYC)
    b = normalize_us_address("100 River Tower Drive, Unit 12F", *NYC)
    same_as_a = normalize_us_address("100 RIVER TOWER DR #4B", "NYC", "New York", "10001-0001")
    assert a.key != b.key
    assert a.key == same_as_a.key


def test_key_uses_city_and_state_without_zip() -> None:
    assert normalize_us_address("1 Main St", "Austin", "Texas").key == "US|AUSTIN TX|1 MAIN ST"


def test_no_street_means_no_key() -> None:
    assert normalize_us_address("", *NYC).key is None
    assert normalize_foreign_address("  ", "Shenzhen", "CN").key is None


@pytest.mark.parametrize(
    ("street", "city", "country", "key"),
    [
        ("Rm 1203, No. 88 Jianshe Lu", "Shenzhen", "China", f"CN|SHENZHEN|{JIANSHE}"),
        ("Room 1203 No.88 Jianshe Road", "SHENZHEN", "CN", f"CN|SHENZHEN|{JIANSHE}"),
        ("Flat 5, 8 Nathan Road", "Kowloon", "Hong Kong", "HK|KOWLOON|8 NATHAN RD UNIT 5"),
        ("Flat A, 12/F, Eagle Industrial Building, 8 Nathan Road", "Kowloon", "HK", HK_TOWER),
        ("Flt A, 12/F, Eagle Ind. Bldg, 8 Nathan Rd", "KOWLOON", "Hong Kong", HK_TOWER),
        ("Room 12, Building 5, No. 8 Keyuan Road, Nanshan District", "Shenzhen", "CN", KEYUAN),
        ("Rm 12, Bldg 5, No.8 Keyuan Rd, Nanshan Dist.", "Shenzhen", "China", KEYUAN),
        ("Königstraße 5", "Stuttgart", "Germany", "DE|STUTTGART|KONIGSTRASSE 5"),
        ("1 Long Lane", "Lagos", "Atlantis", "ATLANTIS|LAGOS|1 LONG LN"),
    ],
)
def test_foreign_address_key(street: str, city: str, country: str, key: str) -> None:
    assert normalize_foreign_address(street, city, country).key == key


def test_normalize_address_dispatches_on_country() -> None:
    assert normalize_address("1 Main St", "Austin", "TX", "78701", "").key == "US|78701|1 MAIN ST"
    assert normalize_address("1 Main St", "Austin", "TX", "78701", "USA").country == "US"
    foreign = normalize_address("8 Nathan Road", "Kowloon", "", "", "HK")
    assert foreign.key == "HK|KOWLOON|8 NATHAN RD"


def test_street_key_survives_a_missing_zip_or_city() -> None:
    with_zip = normalize_us_address("4621 Canal Avenue", "Cleveland", "Ohio", "44106")
    without_zip = normalize_us_address("4621 Canal Ave", "Cleveland", "OH", "")
    without_city = normalize_us_address("4621 CANAL AVE", "", "OH", "44106")
    assert with_zip.key != without_zip.key
    assert with_zip.street_key == without_zip.street_key == without_city.street_key
    assert with_zip.street_key == "US|OH|4621 CANAL AVE"
    other_unit = normalize_us_address("4621 Canal Ave Apt 2", "Cleveland", "OH", "44106")
    assert other_unit.street_key != with_zip.street_key
    foreign = normalize_foreign_address("8 Nathan Road", "", "HK")
    assert foreign.street_key == "HK||8 NATHAN RD"


@pytest.mark.parametrize(
    ("street", "line"),
    [  # lines the token rules cannot read alone: parsed into components by usaddress
        ("123 Main St 4B", "123 MAIN ST UNIT 4B"),  # a unit without a designator
        ("1600 Pennsylvania Ave NW Ste 300", "1600 PENNSYLVANIA AVE NW UNIT 300"),
        ("77 W 42nd St Fl 3", "77 W 42ND ST UNIT 3"),
        ("4 Privet Drive, Little Whinging", "4 PRIVET DR"),  # a place left in the line
        ("PO Box 55", "PO BOX 55"),
        ("P.O. Box 55", "PO BOX 55"),
    ],
)
def test_us_street_lines_parsed_by_usaddress(street: str, line: str) -> None:
    assert normalize_us_address(street, *NYC).key == f"US|10001|{line}"


@pytest.mark.parametrize(
    "street",
    ["123 Main Street", "500 West 42nd Street", "12 Oak Street Apt 3", "894 Vine Lane",
     "2478 Rose St. #33H", "45 Flat Rock Road", "100 River Tower Dr Apt 4B",
     "1600 Pennsylvania Ave NW"],
)  # fmt: skip
def test_plain_lines_read_the_same_by_token_rules_and_usaddress(street: str) -> None:
    """The fast path for plain lines agrees with the parser it stands in for."""
    fast = us_street_line(street)
    parsed = parse_us_street(fold(street).upper())
    assert parsed is not None
    assert fast == parsed
