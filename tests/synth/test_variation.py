"""truth.csv names the variation classes (docs/variations.md) each mention carries, and
the manifest shows them."""

from __future__ import annotations

from collections.abc import Callable

from graphintel.synth.variation import CLASSES
from tests.synth.conftest import Generated

Check = Callable[[dict[str, str]], bool]
# class code -> what the manifest row must show when the mention carries it
SHOWS: dict[str, tuple[str, Check]] = {
    "per.order": ("consignee_variation", lambda m: "," in m["consignee_name"]),
    "tel.plus": ("consignee_variation", lambda m: m["consignee_phone"].startswith("+1 ")),
    "adr.blank_country": ("consignee_variation", lambda m: m["consignee_country"] == ""),
    "adr.blank_city": ("shipper_variation", lambda m: m["shipper_city"] == ""),
    "org.case": (
        "shipper_variation",
        lambda m: m["shipper_name"] in (m["shipper_name"].upper(), m["shipper_name"].lower()),
    ),
    "tel.00": ("shipper_variation", lambda m: m["shipper_phone"].startswith("00")),
}


def _codes(t: dict[str, str], column: str) -> set[str]:
    return set(t[column].split("|")) - {""}


def test_codes_are_catalogue_classes(gen: Generated) -> None:
    seen = set()
    for t in gen.truth:
        seen |= _codes(t, "shipper_variation") | _codes(t, "consignee_variation")
    assert seen <= set(CLASSES)
    assert {"org.legal", "org.geo_drop", "org.typo1", "per.initial", "adr.abbr"} <= seen


def test_each_code_shows_in_the_manifest(gen: Generated) -> None:
    for code, (column, shows) in SHOWS.items():
        rows = [
            m for m, t in zip(gen.manifest, gen.truth, strict=True) if code in _codes(t, column)
        ]
        assert rows, code
        assert all(shows(m) for m in rows), code


def test_unmarked_mentions_show_no_such_variation(gen: Generated) -> None:
    for m, t in zip(gen.manifest, gen.truth, strict=True):
        if "per.order" not in _codes(t, "consignee_variation"):
            assert "," not in m["consignee_name"]
        if not _codes(t, "shipper_variation") & {"adr.blank_city"} and m["shipper_address"]:
            assert m["shipper_city"]
