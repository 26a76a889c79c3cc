"""Which entities a graph delta writes again and which it removes (``graph_delta``).

Kept apart from ``graph_delta`` because the resolution job, which ``graph_delta`` reads
messages from, builds the party half of the changed entities only. The pipeline finds the
basis while the job resolves and hands it over (``handoff``): it needs the identifier
aliases, which take a pass over every record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphintel.model import NodeKind, node_id
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.identifier_aliases import IdentifierAliases

_ADDRESS = node_id(NodeKind.ADDRESS, "")
_PHONE = node_id(NodeKind.PHONE, "")


@dataclass(frozen=True, slots=True)
class ChangedKeys:
    """Address and phone keys whose alias (canonical key or reason) changed."""

    address: set[str] = field(default_factory=set)
    phone: set[str] = field(default_factory=set)

    def nodes(self, old: IdentifierAliases, new: IdentifierAliases) -> set[str]:
        """The identifier node ids these keys belonged to or belong to now."""
        found = set()
        for prefix, keys, before, after in (
            (_ADDRESS, self.address, old.address_key, new.address_key),
            (_PHONE, self.phone, old.phone_key, new.phone_key),
        ):
            for key in keys:
                found.add(prefix + before(key))
                found.add(prefix + after(key))
        return found


def changed_keys(old: IdentifierAliases, new: IdentifierAliases) -> ChangedKeys:
    def changed(a: dict[str, tuple[str, str]], b: dict[str, tuple[str, str]]) -> set[str]:
        return {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}

    return ChangedKeys(changed(old.address, new.address), changed(old.phone, new.phone))


@dataclass(frozen=True, slots=True)
class EntityChange:
    """The entities a delta writes again (party node and identifier edges; shipment edges
    and mention assignments as ``DeltaBasis.writes`` says), those of the last graph it
    removes whole first (node, every edge, assignments), and the written ones that only
    grew (kept every record they had: their node and identifier edges are replaced, the
    shipment edges and assignments of the mentions they had stay). Of those, the ones
    ``extended`` took no record from another entity: their party rows are their ledger
    entry (``party_ledger``) plus the new shipments' mentions, so their old shipments are
    not read back (only those holding a record whose identifier key changed alias, to move
    its identifier edge counts). So are those ``renamed`` (new id -> old id): an entity of
    a new id that has every record of one entity of the last graph and otherwise only
    records new to this run (a new mention became its smallest, which its id is the hash
    of); the old id's node and identifier edges go, its shipment edges and assignments
    move to the new id."""

    written: set[str]
    removed: set[str]
    grown: set[str]
    extended: set[str] = field(default_factory=set)
    renamed: dict[str, str] = field(default_factory=dict)

    def source(self, entity: str) -> str:
        """The entity of the last graph whose rows an extended one keeps."""
        return self.renamed.get(entity, entity)

    def counted(self, entity_of: Sequence[str]) -> tuple[list[bool], list[bool]]:
        """Per record, whether its mentions in a new shipment and in an old one count
        towards the party rows built in this run: a written entity's, except an extended
        one's old mentions (its ledger entry holds them)."""
        written, rebuilt = self.written, self.written - self.extended
        return [e in written for e in entity_of], [e in rebuilt for e in entity_of]

    def recounted(self, entity_of: Sequence[str], moved: set[int]) -> list[bool]:
        """Per record, whether its old shipments are read back to move an extended
        entity's identifier edge counts: it is ``moved`` (its address or phone key
        changed alias, so its identifier node may have)."""
        extended = self.extended
        flags = [False] * len(entity_of)
        for r in moved:
            flags[r] = entity_of[r] in extended
        return flags


@dataclass(frozen=True, slots=True)
class DeltaBasis:
    """What a delta needs from before the resolution: each record's entity in the last
    graph (``None`` for a record new to this run), the records whose party rows change
    whatever their entity (a new mention, an identifier key that changed alias) and those
    keys (found once: the shipment half of the delta needs them too), and of the touched
    records those touched by such a key (``moved``)."""

    old_entity: Sequence[str | None]
    touched: set[int]
    keys: ChangedKeys = field(default_factory=ChangedKeys)
    moved: set[int] = field(default_factory=set)

    def sighted_keys(self, features: Sequence[PartyFeatures]) -> ChangedKeys:
        """The changed keys that a record of the last graph holds: a key first seen in
        this run was sighted by no old shipment, so the identifier it joined is merged
        like any other (``identifier_ledger``); only these move old sightings and make
        their identifiers count again over every shipment. The records holding a changed
        key are the ``moved`` ones, so only those are looked at, not every record."""
        address, phone, old_entity = self.keys.address, self.keys.phone, self.old_entity
        found_address: set[str] = set()
        found_phone: set[str] = set()
        for r in self.moved:
            if old_entity[r] is not None:
                f = features[r]
                if f.address in address:
                    found_address.add(f.address)
                if f.phone in phone:
                    found_phone.add(f.phone)
        return ChangedKeys(found_address, found_phone)

    def entities(self, entity_of: Sequence[str]) -> EntityChange:
        """An entity is unchanged when its records are those of the last graph's entity
        of that id, none touched; every other one is written. A written one that kept all
        the records it had grew; every other entity of the last graph that is not
        unchanged is removed. A grown one is extended unless one of its records came
        from another entity; a new id that continues one old entity so is renamed, and
        that old entity is not removed."""
        written = {entity_of[r] for r in self.touched}
        left: set[str] = set()  # entities of the last graph that a record left
        joined: set[str] = set()  # not extended: took records from another entity
        origin: dict[str, str] = {}  # new entity -> the old entity of one of its records
        mixed: set[str] = set()  # not renamed: records of two old entities
        kept: Counter[str] = Counter()  # new entity -> its records that had an entity
        for old, new in zip(self.old_entity, entity_of, strict=True):
            if old is not None:
                kept[new] += 1
                if origin.setdefault(new, old) != old:
                    mixed.add(new)
            if old != new:
                written.add(new)
                if old is not None:
                    left.add(old)
                    joined.add(new)
        new_count = Counter(entity_of)
        old_count = Counter(e for e in self.old_entity if e is not None)
        written.update(e for e, n in new_count.items() if old_count.get(e, 0) != n)
        grown = {e for e in written if e in old_count and e not in left}
        # new ids whose records that had an entity are all those of one old entity
        renamed = {
            e: origin[e]
            for e in written - old_count.keys()
            if e in origin
            and e not in mixed
            and kept[e] == old_count[origin[e]]
            and origin[e] not in new_count  # (ids are hashes of mentions: never otherwise)
        }
        removed = (written - grown - renamed.keys()) | {
            e for e in old_count if e not in new_count and e not in renamed.values()
        }
        extended = (grown - joined) | renamed.keys()
        return EntityChange(written, removed, grown, extended, renamed)

    def writes(self, record: int, entity: str, new_shipment: bool, change: EntityChange) -> bool:
        """Whether a mention's shipment edge and assignment are written: those of a new
        shipment or of a written entity, except what a grown entity had already."""
        if new_shipment:
            return entity in change.written
        if entity in change.grown or entity in change.renamed:
            return self.old_entity[record] != change.source(entity)
        return entity in change.written
