"""The independent generator: same seed same bytes, and a truth file consistent with its
manifest (one row per shipment, stable entities, the rings asked for)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import pytest

from benchmarks.blindgen.generator import generate
from benchmarks.blindgen.rows import TRUTH_COLUMNS
from graphintel.manifest import COLUMN_NAMES, REQUIRED_COLUMNS

N, RINGS = 2_000, 8


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("blind")
    generate(d, N, seed=5, rings=RINGS, identifiers=True)
    return d


def test_same_seed_same_bytes_other_seed_other_bytes(out: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    generate(again, N, seed=5, rings=RINGS, identifiers=True)
    generate(other, N, seed=6, rings=RINGS)
    for name in ("manifest.csv", "truth.csv", "identifiers.csv"):
        assert (again / name).read_bytes() == (out / name).read_bytes()
    assert (other / "manifest.csv").read_bytes() != (out / "manifest.csv").read_bytes()


def test_manifest_is_canonical_and_parseable(out: Path) -> None:
    with (out / "manifest.csv").open(newline="", encoding="utf-8") as f:
        assert tuple(next(csv.reader(f))) == COLUMN_NAMES
    rows = _rows(out / "manifest.csv")
    assert len(rows) == N
    assert len({r["shipment_id"] for r in rows}) == N
    for r in rows:
        assert all(r[c] for c in REQUIRED_COLUMNS)
        dt.date.fromisoformat(r["arrival_date"])
        assert float(r["declared_value_usd"]) > 0


def test_truth_has_one_row_per_shipment_and_the_rings_asked(out: Path) -> None:
    manifest, truth = _rows(out / "manifest.csv"), _rows(out / "truth.csv")
    assert tuple(truth[0]) == TRUTH_COLUMNS
    assert [t["shipment_id"] for t in truth] == [m["shipment_id"] for m in manifest]
    ring_type = {t["ring_id"]: t["ring_type"] for t in truth if t["ring_id"]}
    assert len(ring_type) == RINGS
    kinds = sorted(ring_type.values())
    assert kinds == sorted(["drop_address", "payment_hub", "structuring", "identity_churn"] * 2)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["ring_shipments"] == sum(1 for t in truth if t["ring_id"])
    seized = {t["ring_id"] for t, m in zip(truth, manifest, strict=True)
              if t["ring_id"] and m["inspection_outcome"] == "seized"}  # fmt: skip
    assert RINGS - len(seized) == summary["rings_without_seizure"]
    assert all(t["via_consolidator"] in ("0", "1") for t in truth)


def test_entities_keep_their_identifiers_and_hubs_are_shared(out: Path) -> None:
    """A true party's identifiers are one identity whatever the spelling; the hard
    negatives exist: one address or phone under several true parties."""
    truth, ids = _rows(out / "truth.csv"), _rows(out / "identifiers.csv")
    shipper_addr: dict[str, set[str]] = defaultdict(set)
    home: dict[str, set[str]] = defaultdict(set)
    by_addr: dict[str, set[str]] = defaultdict(set)
    residents: dict[str, set[str]] = defaultdict(set)
    for t, i in zip(truth, ids, strict=True):
        if t["via_consolidator"] == "0":
            shipper_addr[t["shipper_entity"]].add(i["shipper_address"])
            by_addr[i["shipper_address"]].add(t["shipper_entity"])
        home[t["consignee_entity"]].add(i["consignee_address"])
        residents[i["consignee_address"].split(" Apt ")[0].split(" #")[0]].add(
            t["consignee_entity"]
        )
    assert all(len(a) == 1 for a in shipper_addr.values())
    assert all(len(a) == 1 for a in home.values())
    assert max(len(e) for e in by_addr.values()) >= 2  # churn fronts or a virtual office
    assert max(len(e) for e in residents.values()) >= 5  # an apartment tower


def test_mentions_carry_variation_classes(out: Path) -> None:
    codes: set[str] = set()
    for t in _rows(out / "truth.csv"):
        codes.update(f"{t['shipper_variation']}|{t['consignee_variation']}".split("|"))
    for expected in ("org.legal", "org.geo_drop", "org.typo1", "per.order", "adr.abbr",
                     "tel.00", "eml.case"):  # fmt: skip
        assert expected in codes
