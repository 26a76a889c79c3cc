import pytest

from graphintel.normalize import normalize_person_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("John Smith", "john smith"),
        ("  JOHN   SMITH ", "john smith"),
        ("Smith, John", "john smith"),
        ("SMITH,JOHN", "john smith"),
        ("García, María-José", "maria jose garcia"),
        ("Zoë Saldaña", "zoe saldana"),
        ("Søren Kierkegaard", "soren kierkegaard"),
        ("Łukasz Wróbel", "lukasz wrobel"),
        ("Seán O'Brien", "sean obrien"),
        ("J. R. Smith", "j r smith"),
        ("Mr. John Smith", "john smith"),
        ("Dr John Smith Jr.", "john smith jr"),
        ("Ｗｅｉ Ｌｉ", "wei li"),
        ("Smith, John, Jr", "smith john jr"),  # two commas: not read as "Last, First"
        ("Mr", "mr"),  # an honorific alone is kept rather than erased
        ("", ""),
        ("---", ""),
    ],
)
def test_normalize_person_name(raw: str, expected: str) -> None:
    assert normalize_person_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [  # other scripts are transliterated with anyascii
        ("Иван Петров", "ivan petrov"),
        ("ПЕТРОВ, Иван", "ivan petrov"),
        ("李伟", "li wei"),
        ("Ｌｉ Ｗｅｉ", "li wei"),
        ("ΑΛΕΞΑΝΔΡΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ", "alexandros papadopoylos"),  # anyascii: ου -> oy
        ("Zoë 😀 Saldaña", "zoe saldana"),  # emoji are no part of a name
        ("Jürgen Müller ✓", "jurgen muller"),
    ],
)
def test_transliteration(raw: str, expected: str) -> None:
    assert normalize_person_name(raw) == expected
