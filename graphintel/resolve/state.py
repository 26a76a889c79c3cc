"""What a resolution saves so that the next one can be incremental.

The normalized mention table (distinct records with their smallest mention id and mention
count, and each resolved shipment's record indices, ``shipment_records``), the hub
identifiers and the comparison vector of every candidate pair the model scored, the
identifier and party ledgers (``identifier_ledger``, ``party_ledger``) and the loads whose
shipments it resolved. A later resolution reads only the shipments of other loads,
reuses the records of shipments it has seen and the comparisons of pairs whose records and
hub status are unchanged, and redoes the rest. The parts are Arrow IPC streams and raw
little-endian arrays (never pickle: a store may be shared) and are stored with
``save_resolver_state``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from importlib import resources

import numpy as np
import pyarrow as pa

from graphintel.resolve.arrow_ipc import from_ipc, to_ipc
from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.identifier_aliases import IdentifierAliases
from graphintel.resolve.identifier_ledger import Ledger
from graphintel.resolve.merge_trail import MergeTrail
from graphintel.resolve.party_ledger import PartyLedger
from graphintel.resolve.shipment_records import ShipmentRecords

FORMAT = 1
# The part the pipeline adds to what ``encode`` makes: the identifier ledger, which the
# writing process builds (``identifier_ledger``) while the job encodes the rest.
LEDGER = "ledger"
# The part the resolution job adds: the party ledger (``party_ledger``).
PARTY_LEDGER = "party_ledger"
_FEATURE_FIELDS = tuple(f.name for f in fields(PartyFeatures))
# The code whose output the saved state holds: a change to any of it invalidates the state.
_CODE = ("features.py", "rules.py", "scoring.py", "blocking.py", "table.py", "state.py")
_NORMALIZE = ("address.py", "company.py", "country.py", "email.py", "party.py", "person.py",
              "phone.py", "text.py", "name_compare.py", "name_words.py", "nicknames.py",
              "country_names.py", "checks.py")  # fmt: skip


def fingerprint(config: ResolverConfig) -> str:
    """A digest of the resolver's settings and of the code that normalizes and compares."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(json.dumps(asdict(config), sort_keys=True, default=str).encode())
    for package, names in (("graphintel.resolve", _CODE), ("graphintel.normalize", _NORMALIZE)):
        root = resources.files(package)
        for name in names:
            path = root.joinpath(name)
            digest.update(path.read_bytes() if path.is_file() else name.encode())
    return digest.hexdigest()


@dataclass(slots=True)
class SavedResolution:
    """The state of the last resolution, in its canonical record order."""

    fingerprint: str
    features: list[PartyFeatures]
    first_mention: list[str]
    mention_count: list[int]
    shipments: ShipmentRecords  # each shipment's record index of each mention
    hubs: set[str] = field(default_factory=set)
    pair_left: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    pair_right: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    levels: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int8))
    # each record's entity id as the graph written with this state shows it (None in a
    # state saved before entity ids were kept: the next graph is then written whole)
    entity_of: list[str] | None = None
    aliases: IdentifierAliases | None = None  # the identifier aliases of that graph
    # where that graph's identifier labels and raw spellings came from (``LEDGER``)
    ledger: Ledger | None = None
    # the loads whose shipments this state resolved (None in a state saved before they
    # were kept: the next resolution is then a full one)
    loads: list[str] | None = None
    # where that graph's party names came from, and its party-identifier edge weights
    # (``PARTY_LEDGER``; None in a state saved before it was kept: the next resolution
    # is then a full one)
    party_ledger: PartyLedger | None = None
    # the merges behind that graph's evidence (None in a state saved before they were
    # kept: the next graph's evidence is then written whole)
    trail: MergeTrail | None = None


def _records(state: SavedResolution) -> pa.Table:
    columns = {name: [getattr(f, name) for f in state.features] for name in _FEATURE_FIELDS}
    return pa.table(
        {
            **columns,
            "first_mention": state.first_mention,
            "mention_count": pa.array(state.mention_count, pa.int64()),
            **({} if state.entity_of is None else {"entity_id": state.entity_of}),
        }
    )


def encode(state: SavedResolution) -> dict[str, bytes]:
    """The state as named parts for ``GraphStore.save_resolver_state``."""
    # each part's Arrow table lives only while it is written (``_records``' columns only
    # until the table is built)
    records = to_ipc(_records(state))
    aliases: dict[str, bytes] = {}
    if state.aliases is not None:
        found = [("address", k, c, w) for k, (c, w) in state.aliases.address.items()]
        found += [("phone", k, c, w) for k, (c, w) in state.aliases.phone.items()]
        names = ("kind", "key", "canonical", "why")
        schema = pa.schema([(n, pa.string()) for n in names])
        by_name = {n: [a[i] for a in found] for i, n in enumerate(names)}
        aliases["aliases"] = to_ipc(pa.table(by_name, schema=schema))
    levels = np.ascontiguousarray(state.levels, dtype=np.int8)
    meta = {
        "format": FORMAT,
        "fingerprint": state.fingerprint,
        "hubs": sorted(state.hubs),
        "pairs": int(len(state.pair_left)),
        "level_width": int(levels.shape[1]) if levels.ndim == 2 else 0,
        **({} if state.loads is None else {"loads": sorted(state.loads)}),
    }
    return {
        "meta": json.dumps(meta).encode(),
        "records": records,
        "shipments": to_ipc(state.shipments.table()),
        "pair_left": np.asarray(state.pair_left, "<i4").tobytes(),
        "pair_right": np.asarray(state.pair_right, "<i4").tobytes(),
        "levels": levels.tobytes(),
        **aliases,
        **({} if state.trail is None else state.trail.parts()),
    }


def decode(parts: dict[str, bytes]) -> SavedResolution | None:
    """The saved state, or ``None`` when there is none or it is unreadable."""
    try:
        meta = json.loads(parts["meta"])
        if meta.get("format") != FORMAT:
            return None
        records = from_ipc(parts["records"]).to_pydict()
        shipments = ShipmentRecords.from_table(from_ipc(parts["shipments"]))
        left = np.frombuffer(parts["pair_left"], "<i4").astype(np.int32)
        right = np.frombuffer(parts["pair_right"], "<i4").astype(np.int32)
        width = int(meta["level_width"])
        levels = np.frombuffer(parts["levels"], np.int8).reshape(len(left), width)
        aliases = _aliases(parts["aliases"]) if "aliases" in parts else None
        ledger = Ledger.decode(parts[LEDGER]) if LEDGER in parts else None
        party = PartyLedger.decode(parts[PARTY_LEDGER]) if PARTY_LEDGER in parts else None
    except (KeyError, ValueError, TypeError, pa.ArrowException):
        return None
    features = [
        PartyFeatures(*values)
        for values in zip(*(records[name] for name in _FEATURE_FIELDS), strict=True)
    ]
    return SavedResolution(
        fingerprint=str(meta["fingerprint"]),
        features=features,
        first_mention=list(records["first_mention"]),
        mention_count=[int(c) for c in records["mention_count"]],
        shipments=shipments,
        hubs=set(meta["hubs"]),
        pair_left=left,
        pair_right=right,
        levels=levels,
        entity_of=list(records["entity_id"]) if "entity_id" in records else None,
        aliases=aliases,
        ledger=ledger,
        loads=[str(load) for load in meta["loads"]] if "loads" in meta else None,
        party_ledger=party,
        trail=MergeTrail.from_parts(parts),
    )


def _aliases(data: bytes) -> IdentifierAliases:
    found = from_ipc(data).to_pydict()
    aliases = IdentifierAliases()
    for kind, key, canonical, why in zip(
        found["kind"], found["key"], found["canonical"], found["why"], strict=True
    ):
        (aliases.address if kind == "address" else aliases.phone)[key] = (canonical, why)
    return aliases
