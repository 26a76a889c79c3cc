"""``FeatureExtractor.features`` gives the features and warnings of its earlier, plainer form.

``features`` runs once per distinct raw mention, so it reads each field with one cache
lookup instead of going through the accessor methods. ``_features_baseline`` below is the
earlier body, written with those methods and the plain normalizers: the named baseline.
"""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from graphintel.model import Role
from graphintel.normalize import country_code
from graphintel.normalize.checks import address_problem, name_problem
from graphintel.normalize.company import _FUZZY_LONG, _fuzzy_legal
from graphintel.normalize.party import PartyName, normalize_party_name
from graphintel.normalize.phone import phone_region
from graphintel.normalize.text import fold
from graphintel.records import Mention, Provenance, ShipmentRecord
from graphintel.resolve.features import (
    FeatureExtractor,
    PartyFeatures,
    PartyMention,
    shipment_mentions,
)
from graphintel.synth import generate

_NOT_TEXT = {"arrival_date", "declared_value_usd", "provenance", "quantity", "weight_kg", "extra"}
_TEXT_FIELDS = [f.name for f in dataclasses.fields(ShipmentRecord) if f.name not in _NOT_TEXT]


def _features_baseline(
    fx: FeatureExtractor, pm: PartyMention, warnings: Counter[str]
) -> PartyFeatures:
    m = pm.mention
    problem = name_problem(m.name)
    if problem is not None:
        warnings[f"name:{problem}"] += 1
        name = PartyName("", "", False)
    else:
        name = normalize_party_name(m.name)
    phone = (fx.phone(m) or "") if m.phone.strip() else ""
    if m.phone.strip() and not phone:
        warnings["phone:malformed"] += 1
    email = (fx.email(m.email) or "") if m.email.strip() else ""
    if m.email.strip() and not email:
        warnings["email:malformed"] += 1
    country = fx.country(m.country)
    if not country and m.role is Role.SHIPPER:
        country = country_code(m.city) or phone_region(phone) or ""
    bad_address = address_problem(m.address)
    if bad_address is not None:
        warnings[f"address:{bad_address}"] += 1
    place = fx.address(m, country) if m.address.strip() and not bad_address else None
    address = (place.key or "") if place else ""
    street = (place.street_key or "") if place else ""
    market = " ".join(fold(pm.marketplace).split())
    bare = not (phone or email or address or pm.seller_id or market)
    lone = m.mention_id if bare and not name.is_company and m.role is not Role.SELLER else ""
    if not name.normalized and m.role is not Role.SELLER:
        lone = m.mention_id
    return PartyFeatures(
        name.normalized, name.key, name.is_company, country, phone, email, address, street,
        pm.seller_id, market, lone,
    )  # fmt: skip


def _odd_mentions() -> list[PartyMention]:
    rows = [
        (Role.SHIPPER, "😀", "", "", "", "", "ext 12", "bad@"),
        (Role.SHIPPER, "Huaxin Trading Co., Ltd.", "Rm 1203, No. 88 Jianshe Lu", "Hong Kong",
         "", "", "852-8502-6329", ""),
        (Role.SHIPPER, "Li Wei", "", "Shenzhen", "", "", "+86 138 0013 8000", ""),
        (Role.SHIPPER, "Atlantis Ltd", "1 Sea Rd", "", "", "Atlantis", "", ""),
        (Role.CONSIGNEE, "J.", "###", "Austin", "78701", "", "000", "x@y.com"),
        (Role.CONSIGNEE, "John Smith", "", "", "", "", "   ", "  "),
        (Role.CONSIGNEE, "John Smith", "x" * 400, "", "", "US", "", ""),
        (Role.SELLER, "Best Shop", "", "", "", "", "", ""),
        (Role.SELLER, "", "", "", "", "", "", ""),
    ]  # fmt: skip
    out = []
    for i, (role, name, street, city, zip5, country, phone, email) in enumerate(rows):
        m = Mention(
            name, street, city, "", zip5, country, phone, email, shipment_id=f"odd{i}", role=role
        )
        out.append(PartyMention(m, "S1" if role is Role.SELLER and name else "", " Ama zon "))
    return out


@pytest.fixture(scope="module")
def synth_mentions(tmp_path_factory: pytest.TempPathFactory) -> list[PartyMention]:
    out_dir = tmp_path_factory.mktemp("synth")
    manifest = generate(out_dir, shipments=3_000, seed=21).manifest
    mentions = []
    with Path(manifest).open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            fields = {k: row[k] for k in _TEXT_FIELDS if k in row}
            record = ShipmentRecord(
                arrival_date="2025-01-01", declared_value_usd=0.0,
                provenance=Provenance("f", 0, "l"), **fields,
            )  # fmt: skip
            mentions.extend(shipment_mentions(record))
    return mentions


def test_features_match_the_baseline_on_synth_and_odd_mentions(
    synth_mentions: list[PartyMention],
) -> None:
    mentions = synth_mentions + _odd_mentions()
    assert len(mentions) > 6_000
    fx, baseline_fx, expected_warnings = FeatureExtractor(), FeatureExtractor(), Counter[str]()
    got = [fx.features(pm) for pm in mentions]
    expected = [_features_baseline(baseline_fx, pm, expected_warnings) for pm in mentions]
    assert got == expected
    assert fx.warnings == expected_warnings
    assert {"name:symbols_only", "name:one_letter", "address:too_long"} <= set(fx.warnings)


def _fuzzy_long_baseline(last: str) -> str | None:
    return next((t for t in _FUZZY_LONG if OSA.distance(last, t, score_cutoff=1) <= 1), None)


@given(st.sampled_from(_FUZZY_LONG + ("gongsi", "limted", "compny", "lee", "li")), st.data())
def test_fuzzy_legal_by_length_matches_every_form(base: str, data: st.DataObject) -> None:
    """Comparing a word only with the forms of a nearby length finds what trying all did."""
    edit = data.draw(st.text("abcdeilmnoprstuy", max_size=2))
    cut = data.draw(st.integers(0, len(base)))
    word = base[:cut] + edit + base[cut + data.draw(st.integers(0, 2)) :]
    if len(word) >= 4 and word.isalpha():
        expected = _fuzzy_long_baseline(word)
        assert _fuzzy_legal(["acme", word], after_legal=False) == expected
