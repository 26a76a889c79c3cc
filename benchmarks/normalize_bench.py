"""Party-mention normalization speed: FeatureExtractor over every mention of a manifest.

Prints, for every party mention of a ``graphintel synth`` manifest (``--manifest``; by
default 50,000 shipments generated in a temporary directory), the mentions, the distinct
raw mentions and the CPU seconds and mentions per second of ``FeatureExtractor.features``,
then the same per field group over distinct raw values (phones, names, e-mails, addresses).

The named baseline, run in the same process on the same data, is "phonenumbers-only
phones": every phone read by ``read_phone`` (phonenumbers' parse) as before the shape fast
path (``e164_by_shape``) existed, both for the phone group alone and inside a whole
``features`` pass. Both passes must give identical features (checked). CPU time
(``time.process_time``) is measured, with the load average beside it, because the machine
may be shared.

Usage::

    nice .venv/bin/python benchmarks/normalize_bench.py [--manifest manifest.csv]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphintel.model import Role
from graphintel.normalize import country_code, normalize_address, normalize_email
from graphintel.normalize import phone as phone_module
from graphintel.normalize.address import parse_us_street, place_name, us_state
from graphintel.normalize.checks import name_problem
from graphintel.normalize.party import normalize_party_name
from graphintel.records import Provenance, ShipmentRecord
from graphintel.resolve.features import FeatureExtractor, PartyFeatures, PartyMention
from graphintel.resolve.features import shipment_mentions as mentions_of
from graphintel.synth import generate

_NOT_TEXT = {"arrival_date", "declared_value_usd", "provenance", "quantity", "weight_kg", "extra"}
_TEXT = [f.name for f in dataclasses.fields(ShipmentRecord) if f.name not in _NOT_TEXT]
_NON_DIGITS = re.compile(r"[^0-9]+")


def read_mentions(manifest: Path) -> list[PartyMention]:
    """Every party mention of a manifest in the canonical layout, as ``resolve`` takes them."""
    out: list[PartyMention] = []
    with manifest.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text: dict[str, Any] = {k: row[k] for k in _TEXT if k in row}
            record = ShipmentRecord(
                arrival_date=row.get("arrival_date", ""), declared_value_usd=0.0,
                provenance=Provenance("bench", 0, "bench"), **text,
            )  # fmt: skip
            out.extend(mentions_of(record))
    return out


def phonenumbers_only(raw: str, country: str = "", default_region: str = "US") -> str | None:
    """Baseline ``normalize_phone``: every spelling read by phonenumbers (``read_phone``)."""
    text = raw.strip()
    if not text:
        return None
    region = country_code(country) or default_region
    if phone_module._PLAIN.fullmatch(text):
        canonical = ("+" if text[0] == "+" else "") + _NON_DIGITS.sub("", text)
        return _baseline_plain(canonical, region)
    return phone_module.read_phone(text, region)


@lru_cache(maxsize=1 << 16)
def _baseline_plain(canonical: str, region: str) -> str | None:
    return phone_module.read_phone(canonical, region)


def _clear_module_caches() -> None:
    """Each timed pass starts from the same cold module-level caches."""
    for cached in (phone_module._plain_phone, _baseline_plain, phone_module.phone_region,
                   country_code, parse_us_street, place_name, us_state):  # fmt: skip
        cached.cache_clear()


def _cpu(run: Callable[[], Any]) -> tuple[float, Any]:
    _clear_module_caches()
    started = time.process_time()
    result = run()
    return time.process_time() - started, result


def _features(mentions: list[PartyMention], baseline: bool) -> list[PartyFeatures]:
    extractor = FeatureExtractor()
    if baseline:
        extractor._phone = lru_cache(maxsize=1 << 18)(phonenumbers_only)
    return [extractor.features(pm) for pm in mentions]


def _line(label: str, items: int, seconds: float, extra: str = "") -> str:
    rate = items / seconds if seconds else float("inf")
    return f"  {label:<44} {items:>10,} {seconds:8.2f} s {rate:>12,.0f}/s{extra}"


def _apply(fn: Callable[..., object], items: Iterable[tuple[str, ...]]) -> Callable[[], None]:
    def run() -> None:
        for args in items:
            fn(*args)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--manifest", type=Path, help="manifest CSV (default: synth 50k)")
    parser.add_argument("--shipments", type=int, default=50_000, help="synth size without it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        manifest = args.manifest or generate(Path(tmp), args.shipments, seed=7).manifest
        mentions = read_mentions(Path(manifest))
    distinct = {(pm.mention.role, pm.mention.name, pm.mention.address, pm.mention.city,
                 pm.mention.state, pm.mention.postal_code, pm.mention.country,
                 pm.mention.phone, pm.mention.email, pm.seller_id, pm.marketplace)
                for pm in mentions}  # fmt: skip
    print(f"{len(mentions):,} party mentions, {len(distinct):,} distinct raw mentions"
          f" (load average {os.getloadavg()[0]:.1f}, CPU seconds)")  # fmt: skip

    _features(mentions[:2_000], baseline=True)  # load lazy tables before either timed pass
    new_s, new = _cpu(lambda: _features(mentions, baseline=False))
    old_s, old = _cpu(lambda: _features(mentions, baseline=True))
    if new != old:
        raise SystemExit("features differ from the baseline's: the fast path is wrong")
    print(_line("FeatureExtractor.features, all mentions", len(mentions), new_s))
    print(_line("  baseline: phonenumbers-only phones", len(mentions), old_s,
                f"   ratio {old_s / new_s:.2f}x"))  # fmt: skip

    ms = [pm.mention for pm in mentions]
    phones = {
        (m.phone, m.country, "US" if m.role is Role.CONSIGNEE else "ZZ")
        for m in ms
        if m.phone.strip()
    }
    shaped_s, _ = _cpu(_apply(phone_module.normalize_phone, phones))
    parsed_s, _ = _cpu(_apply(phonenumbers_only, phones))
    print("per field group, distinct raw values:")
    print(_line("phones (shape fast path, else phonenumbers)", len(phones), shaped_s))
    print(_line("  baseline: phonenumbers-only phones", len(phones), parsed_s,
                f"   ratio {parsed_s / shaped_s:.2f}x"))  # fmt: skip
    names = {(m.name,) for m in ms}
    name_s, _ = _cpu(_apply(lambda n: name_problem(n) or normalize_party_name(n), names))
    print(_line("names (checks + person/company)", len(names), name_s))
    emails = {(m.email,) for m in ms if m.email.strip()}
    print(_line("e-mails", len(emails), _cpu(_apply(normalize_email, emails))[0]))
    places = {
        (m.address, m.city, m.state, m.postal_code, m.country, "US" * (m.role is Role.CONSIGNEE))
        for m in ms
        if m.address.strip()
    }
    print(_line("addresses", len(places), _cpu(_apply(normalize_address, places))[0]))


if __name__ == "__main__":
    main()
