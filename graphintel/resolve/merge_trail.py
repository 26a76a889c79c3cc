"""Which merges' evidence a day rewrites (``graph_delta``).

An entity's evidence rows follow from the merges that joined its records: each merge's
two records (their first mentions), its entity, its rule and comparison levels (or the
fields a fixed rule saw agree) and the counts of the values its term-frequency adjusted
fields agree on; the weights come from the run's model on read, and so does the order of
the merges (``evidence_weights``). A ``MergeTrail`` holds that for every merge of a
resolution and is saved with the resolver state, so that the next day writes the rows of
the merges that are new or changed (another rule or level, a value's count moved, another
entity or first mention) and removes those of the merges gone, keeping every other row as
stored: most merges of a party that grew are the ones it had.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np

from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.rules import ADDRESS, FIELD_WEIGHTS, FIELDS, NAME, RULE_MODEL, Decision

JUDGED = -1  # the code of a merge an investigator's judgement made
_A_FIELD, _N_FIELD = FIELDS.index(ADDRESS), FIELDS.index(NAME)
_AGREEMENT_BIT = {name: 1 << k for k, name in enumerate(sorted(FIELD_WEIGHTS))}
_PAYLOAD_BITS = 24  # a comparison vector's code or an agreement mask fits below


def merge_code(d: Decision) -> int:
    """A merge's rule and what it saw, as one integer (stable across processes)."""
    if d.rule == RULE_MODEL:
        payload = 0
        for spec, level in zip(FIELDS, d.levels, strict=True):  # as ``fs_model.encode``
            payload = payload * spec.radix + level
    else:
        payload = sum(_AGREEMENT_BIT[name] for name in d.agreements)
    return (zlib.crc32(d.rule.encode()) << _PAYLOAD_BITS) | payload


@dataclass(frozen=True, slots=True)
class MergeTrail:
    """Every merge of a resolution in the order its evidence was written: its records
    ``a`` and ``b``, ``code`` (``merge_code``, ``JUDGED``) and the counts of the name and
    address its TF-adjusted levels agree on (0 when none)."""

    a: np.ndarray
    b: np.ndarray
    code: np.ndarray
    name_count: np.ndarray
    address_count: np.ndarray

    @classmethod
    def of(cls, merges: Sequence[tuple[int, int, int, int, int]]) -> MergeTrail:
        columns = list(zip(*merges, strict=True)) if merges else [(), (), (), (), ()]
        a, b, code, name_count, address_count = columns
        return cls(
            np.asarray(a, np.int32),
            np.asarray(b, np.int32),
            np.asarray(code, np.int64),
            np.asarray(name_count, np.int64),
            np.asarray(address_count, np.int64),
        )

    def parts(self) -> dict[str, bytes]:
        """The trail as raw little-endian arrays, for the resolver state."""
        return {
            "trail_a": np.asarray(self.a, "<i4").tobytes(),
            "trail_b": np.asarray(self.b, "<i4").tobytes(),
            "trail_code": np.asarray(self.code, "<i8").tobytes(),
            "trail_name_count": np.asarray(self.name_count, "<i8").tobytes(),
            "trail_address_count": np.asarray(self.address_count, "<i8").tobytes(),
        }

    @classmethod
    def from_parts(cls, parts: dict[str, bytes]) -> MergeTrail | None:
        """The saved trail, or None in a state saved before trails were kept."""
        if "trail_a" not in parts:
            return None
        return cls(
            np.frombuffer(parts["trail_a"], "<i4").astype(np.int32),
            np.frombuffer(parts["trail_b"], "<i4").astype(np.int32),
            np.frombuffer(parts["trail_code"], "<i8").astype(np.int64),
            np.frombuffer(parts["trail_name_count"], "<i8").astype(np.int64),
            np.frombuffer(parts["trail_address_count"], "<i8").astype(np.int64),
        )

    def remapped(self, new_index: Sequence[int]) -> MergeTrail:
        """The trail with its records under the current canonical order."""
        remap = np.asarray(new_index, dtype=np.int64)
        if len(self.a) == 0:
            return self
        return MergeTrail(
            remap[self.a].astype(np.int32),
            remap[self.b].astype(np.int32),
            self.code,
            self.name_count,
            self.address_count,
        )

    def by_entity(
        self, entity_of: Sequence[str | None], wanted: Collection[str]
    ) -> dict[str, list[tuple[int, int, int, int, int]]]:
        """Each ``wanted`` entity's merges in order (an entity is its first record's)."""
        out: dict[str, list[tuple[int, int, int, int, int]]] = defaultdict(list)
        for merge in zip(self.a.tolist(), self.b.tolist(), self.code.tolist(),
                         self.name_count.tolist(), self.address_count.tolist(),
                         strict=True):  # fmt: skip
            entity = entity_of[merge[0]]
            if entity is not None and entity in wanted:
                out[entity].append(merge)
        return out


def merge_entry(
    d: Decision, records: Sequence[PartyFeatures], term_count: Callable[[str, str], int]
) -> tuple[int, int, int, int, int]:
    """A merge as a trail entry; ``term_count`` counts the parties carrying a value."""
    name_count = address_count = 0
    if d.rule == RULE_MODEL:
        a = records[d.a]
        if d.levels[_N_FIELD] == NAME.tf_level:
            name_count = term_count("name", a.name_key)
        if d.levels[_A_FIELD] == ADDRESS.tf_level:
            address_count = term_count("address", a.address)
    return d.a, d.b, merge_code(d), name_count, address_count


# where a merge's rows are stored: its entity id and its two records' first mentions
MergeKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class EvidenceChange:
    """What a day does to the stored evidence: the merges of this run whose rows it
    writes (their positions in the trail) and the stored merges whose rows it removes."""

    written: set[int]
    removed: list[MergeKey]


def evidence_change(
    old: MergeTrail,
    new: MergeTrail,
    before: tuple[Sequence[str | None], Sequence[str | None]],
    after: tuple[Sequence[str], Sequence[str]],
) -> EvidenceChange:
    """The merges whose rows change, from the last run's trail (in this run's record
    order) to this run's: ``before`` and ``after`` give each record's entity and first
    mention then and now (None for a record new to this run). A merge keeps its rows
    when the same two records were joined as before, under the same entity and first
    mentions, by the same rule seeing the same levels and value counts; a judged merge
    is always written again (its row names the judgement)."""
    old_entity, old_first = before
    entity_of, first = after
    stored: dict[tuple[int, int], tuple[int, int, int]] = {}
    for a, b, code, name_count, address_count in zip(
        old.a.tolist(), old.b.tolist(), old.code.tolist(), old.name_count.tolist(),
        old.address_count.tolist(), strict=True,
    ):  # fmt: skip
        stored[(a, b)] = (code, name_count, address_count)
    written: set[int] = set()
    removed: list[MergeKey] = []

    def key_before(a: int, b: int) -> MergeKey:
        return str(old_entity[a]), str(old_first[a]), str(old_first[b])

    for k, (a, b, code, name_count, address_count) in enumerate(zip(
        new.a.tolist(), new.b.tolist(), new.code.tolist(), new.name_count.tolist(),
        new.address_count.tolist(), strict=True,
    )):  # fmt: skip
        was = stored.pop((a, b), None)
        if (
            was is not None
            and code != JUDGED
            and was == (code, name_count, address_count)
            and key_before(a, b) == (entity_of[a], first[a], first[b])
        ):
            continue
        written.add(k)
        if was is not None:
            removed.append(key_before(a, b))
    removed.extend(key_before(a, b) for a, b in stored)
    return EvidenceChange(written, removed)
