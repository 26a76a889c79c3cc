"""Blocking: only records that share an exact key are ever compared.

Keys are the normalized phone, e-mail, address (unit included) and street line (unit
included, city and postal code left out), the marketplace seller id, a seller's exact name
on its marketplace, for companies the exact name key within a country and, for persons,
the name key and the house number within the address's ZIP (or city).

Name keys and seller ids merge transitively, so their blocks are linked as a star (each
record to the block's first). Identifier blocks are compared pair by pair while small. A
large one (a consolidator's phone, a marketplace hotline, a warehouse address) is compared
by distinct name instead: records with one name are linked as a star, and each distinct
name is paired with the block's most-mentioned names when rapidfuzz's C-speed scorers
say they could match (``token_sort_ratio`` at least ``prefilter_score``, or one name's
words all found in the other's). A block beyond ``max_block_size`` is skipped
with a warning naming its key.

A hub is an identifier block shared by at least ``hub_names`` established names (distinctive
name cores, initials, places and generic trade words left out, holding at least
``hub_name_share`` of the block's mentions and two mentions): a marketplace hotline printed
by hundreds of sellers. A household's few members do not make one, nor do one party's own
spellings: cores within a typo of each other, or nested, count as one name, so a shipper
written with and without its city and with a dozen typos keeps its phone (see
``_distinct_names``).
"""

from __future__ import annotations

import logging
from array import array
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from itertools import islice, repeat

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from graphintel.normalize.name_compare import compare_names_cached, name_core
from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.fs_model import sorted_unique

logger = logging.getLogger(__name__)

# A block key is (kind, value); its text form, as logged and as held in ``hubs``, is
# "kind:value" ("phone:+15551234567").
BlockKey = tuple[str, str]
_STAR_KINDS = frozenset(("name", "shop", "seller"))
_IDENTIFIER_KINDS = frozenset(("phone", "email", "address", "street"))


def key_text(key: BlockKey) -> str:
    """A block key as text: "phone:+15551234567"."""
    return f"{key[0]}:{key[1]}"


def _house_number(line: str) -> str:
    """The street line's first word that starts with a digit ("" when none)."""
    head = line.split(None, 1)
    if head and head[0][:1].isdigit():
        return head[0]  # the usual case: the line starts with its house number
    return next((word for word in line.split() if word[:1].isdigit()), "")


def _place_values(f: PartyFeatures) -> list[BlockKey]:
    if not f.address or f.is_company or f.seller_id or f.market:
        return []
    country, place, line = (f.address.split("|", 2) + ["", ""])[:3]
    if not place:
        return []
    keys = [("pname", f"{country}|{place}|{f.name_key}")] if f.name_key else []
    number = _house_number(line)
    if number:
        keys.append(("pnum", f"{country}|{place}|{number}"))
    return keys


def place_keys(f: PartyFeatures) -> list[str]:
    """A person's name, and its house number, within its ZIP (or city): the pairs whose
    street line was mistyped beyond an exact key ("110 DENNS ST" / "110 DENNIS ST")."""
    return [key_text(key) for key in _place_values(f)]


def block_keys(f: PartyFeatures) -> list[BlockKey]:
    """The exact keys under which a record is blocked, as (kind, value)."""
    keys: list[BlockKey] = []
    if f.phone:
        keys.append(("phone", f.phone))
    if f.email:
        keys.append(("email", f.email))
    if f.address:
        keys.append(("address", f.address))
    if f.street:
        keys.append(("street", f.street))
    if f.address and not (f.is_company or f.seller_id or f.market):
        keys.extend(_place_values(f))
    if f.seller_id:
        keys.append(("seller", f.seller_id))
    if f.market and f.name_key:
        keys.append(("shop", f"{f.market}|{f.name_key}"))
    elif f.is_company and f.name_key:
        keys.append(("name", f"{f.country}|{f.name_key}"))
    return keys


def blocking_keys(f: PartyFeatures) -> list[str]:
    """The exact keys under which a record is blocked ("phone:+15551234567", ...)."""
    return [key_text(key) for key in block_keys(f)]


def _star(members: list[int]) -> Iterator[tuple[int, int]]:
    first = members[0]
    for other in members[1:]:
        yield first, other


# ``token_set_ratio`` from this score: one name's words (nearly) all inside the other's.
_NESTED_SCORE = 95
_SCREEN_ROWS = 2048  # names screened against a large block's anchors at a time


def _letters(name: str) -> str:
    """The letters (and spaces) of a name's distinct words joined, sorted (see ``_nested``)."""
    return "".join(sorted(" ".join(set(name.split()))))


def _nested(
    names: Sequence[str],
    anchors: Sequence[str],
    name_letters: Sequence[str],
    anchor_letters: Sequence[str],
    known: np.ndarray,
) -> np.ndarray:
    """Where ``fuzz.token_set_ratio(name, anchor) >= _NESTED_SCORE``, among the cells
    (names x anchors) not already ``known``; the others are False.

    token_set_ratio scores the distinct words A and B of two names, with common words S, by
    the best of: 100 when S is A or B; the Indel ratio of "S A-S" and "S B-S"; 2s/(s+a) and
    2s/(s+b), where s, a, b are the lengths of S, A and B joined. S's letters are in both, so
    s <= L, the letters the two share (as a multiset); and the Indel distance of "S A-S" and
    "S B-S" is at least d = a + b - 2L, the Indel distance of A's and B's sorted letters. So
    the score is at most 100 * max(1 - d/(a+b), 2L/(a+L), 2L/(b+L)) (100 when S is A or B):
    one C-speed distance per cell, and only cells whose bound reaches the score are scored.
    The bound is compared in integers; a true score below the threshold is at least
    100/(a+b) below it, far beyond float error, so no cell that reaches it is missed.
    """
    t = _NESTED_SCORE
    dist = process.cdist(
        name_letters, anchor_letters, scorer=Indel.distance, dtype=np.int32, workers=1
    )
    a = np.array([len(x) for x in name_letters], dtype=np.int32)[:, None]
    b = np.array([len(x) for x in anchor_letters], dtype=np.int32)[None, :]
    total = a + b
    shared2 = total - dist  # 2L
    bound = ((100 - t) * total >= 100 * dist) | ((200 - t) * shared2 >= 2 * t * np.minimum(a, b))
    row, col = np.nonzero(bound & ~known)
    nested = np.zeros(known.shape, dtype=bool)
    if len(row):
        scores = process.cpdist(
            [names[r] for r in row.tolist()],
            [anchors[c] for c in col.tolist()],
            scorer=fuzz.token_set_ratio,
            score_cutoff=t,
            dtype=np.uint8,
            workers=1,
        )
        hit = scores > 0
        nested[row[hit], col[hit]] = True
    return nested


def _distinct_names(signatures: Sequence[str], enough: int) -> int:
    """How many names ``signatures`` (distinctive cores, most-mentioned first) hold when a
    core within a typo of a name already counted (word by word, or one's words inside the
    other's) is that name: one shipper's "fuda" / "fdua" / "fuuda" is one name, a ring's
    rotating "huayu" / "haoyu" / "jiaxin" are three. Counting stops at ``enough``."""
    names: list[str] = []
    for signature in signatures:
        for name in names:
            found = compare_names_cached(signature, name)
            if found.typo_words and (found.edits <= 2 or found.similarity >= 90):
                break
            if fuzz.token_set_ratio(signature, name) == 100:
                break
        else:
            names.append(signature)
            if len(names) >= enough:
                break
    return len(names)


class Blocks:
    """Every block key's records, as columns: the record table's blocks number in the
    millions, most of them one record, and as a dict of key tuples to lists they took
    ~190 B a key beside the records (the resolution process's largest structure at 1M
    shipments). Here a key costs its value's pointer, its kind's byte and an offset; the
    members of every block sit in one int32 array, each block's in record order, and
    blocks come in the order their keys were first met (records in order, each record's
    keys in ``block_keys`` order), the order a dict of them iterated in."""

    def __init__(self, records: Sequence[PartyFeatures]) -> None:
        kinds: dict[str, int] = {}  # kind -> its code
        numbers: list[dict[str, int]] = []  # per kind code: value -> block number
        self._kinds: list[str] = []  # kind per code
        self._kind = bytearray()  # kind code per block
        self._value: list[str] = []  # value per block
        block_of, record_of = array("i"), array("i")
        for index, features in enumerate(records):
            for kind, value in block_keys(features):
                code = kinds.get(kind)
                if code is None:
                    code = kinds[kind] = len(self._kinds)
                    self._kinds.append(kind)
                    numbers.append({})
                number = numbers[code].setdefault(value, len(self._value))
                if number == len(self._value):
                    self._kind.append(code)
                    self._value.append(value)
                block_of.append(number)
                record_of.append(index)
        del numbers
        blocks = np.frombuffer(block_of, dtype=np.int32)
        order = np.argsort(blocks, kind="stable")  # stable: each block in record order
        self._members = np.frombuffer(record_of, dtype=np.int32)[order]
        self._start = np.zeros(len(self._value) + 1, dtype=np.int64)
        np.cumsum(np.bincount(blocks, minlength=len(self._value)), out=self._start[1:])

    def sized(self, least: int) -> Iterator[tuple[BlockKey, list[int]]]:
        """Each block of at least ``least`` records with its key and members, in key
        order."""
        start, kinds = self._start, self._kinds
        sizes = np.diff(start)
        for number in np.flatnonzero(sizes >= least).tolist():
            key = (kinds[self._kind[number]], self._value[number])
            yield key, self._members[start[number] : start[number + 1]].tolist()

    def members(self, keys: Collection[BlockKey]) -> set[int]:
        """Every record blocked under any of ``keys``: one scan of every key, asked only
        for the few identifiers whose hub status changed."""
        wanted, values = set(keys), {value for _, value in keys}
        kinds, kind, start = self._kinds, self._kind, self._start
        found: set[int] = set()
        for number, value in enumerate(self._value):
            if value in values and (kinds[kind[number]], value) in wanted:
                found.update(self._members[start[number] : start[number + 1]].tolist())
        return found


class Blocker:
    """Generates each candidate pair once (smaller index first); counts what it skipped."""

    def __init__(
        self,
        records: Sequence[PartyFeatures],
        mention_count: Sequence[int],
        config: ResolverConfig,
    ) -> None:
        self.records = records
        self.mention_count = mention_count
        self.config = config
        self.oversized_blocks = 0
        self.candidate_pairs = 0
        self.hubs: set[str] = set()  # complete once ``pairs`` or ``find_hubs`` has run
        self._block_map: Blocks | None = None
        self._hubs_found = False

    def _blocks(self) -> Blocks:
        if self._block_map is None:
            self._block_map = Blocks(self.records)
        return self._block_map

    def find_hubs(self) -> set[str]:
        """The hub identifiers (computed once)."""
        if not self._hubs_found:
            self._hubs_found = True
            # A block with fewer records than ``hub_names`` cannot hold that many names.
            least = self.config.hub_names
            self.hubs = {
                key_text(key)
                for key, members in self._blocks().sized(least)
                if key[0] in _IDENTIFIER_KINDS and self._is_hub(members)
            }
            if self.hubs:
                logger.info("%d identifiers are hubs (shared by many names)", len(self.hubs))
        return self.hubs

    def members(self, keys: set[str]) -> set[int]:
        """Every record blocked under any of ``keys`` (in their text form)."""
        wanted = [(kind, value) for kind, _, value in (text.partition(":") for text in keys)]
        return self._blocks().members(wanted)

    def _is_hub(self, members: list[int]) -> bool:
        mentions: dict[str, int] = defaultdict(int)
        for index in members:
            record = self.records[index]
            words = name_core(record.name, record.is_company).split()
            # Initials dropped: "L. Young" and "Linda G. Young" are not two more names.
            signature = " ".join(sorted(w for w in words if len(w) > 1)) or " ".join(words)
            mentions[signature] += self.mention_count[index]
        if len(mentions) < self.config.hub_names:
            return False
        floor = max(2.0, self.config.hub_name_share * sum(mentions.values()))
        established = [s for s, count in sorted(mentions.items(), key=lambda x: -x[1])
                       if count >= floor]  # fmt: skip
        if len(established) < self.config.hub_names:
            return False
        return _distinct_names(established, self.config.hub_names) >= self.config.hub_names

    def _large_block_pairs(self, members: list[int]) -> Iterator[tuple[int, int]]:
        """Pairs in a large identifier block, compared by distinct name."""
        by_name: dict[str, list[int]] = defaultdict(list)
        mentions: dict[str, int] = defaultdict(int)
        for index in members:
            name = self.records[index].name
            by_name[name].append(index)
            mentions[name] += self.mention_count[index]
        for group in by_name.values():
            yield from _star(group)
        names = list(by_name)
        first = np.array([group[0] for group in by_name.values()], dtype=np.int64)
        # the most-mentioned names (a stable sort: ties keep their order in the block)
        at = sorted(range(len(names)), key=lambda k: -mentions[names[k]])
        at = at[: self.config.block_anchors]
        anchor_at = np.array(at, dtype=np.intp)
        anchors = [names[k] for k in at]
        letters = [_letters(name) for name in names]
        anchor_letters = [letters[k] for k in at]
        for start in range(0, len(names), _SCREEN_ROWS):
            rows = slice(start, start + _SCREEN_ROWS)
            # Two C-speed screens: whole names alike in any word order, or one name's words
            # all inside the other's (a company name without its place prefix).
            alike = (
                process.cdist(
                    names[rows],
                    anchors,
                    scorer=fuzz.token_sort_ratio,
                    score_cutoff=self.config.prefilter_score,
                    dtype=np.uint8,
                    workers=1,
                )
                > 0
            )
            alike |= _nested(names[rows], anchors, letters[rows], anchor_letters, alike)
            row, col = np.nonzero(alike)
            row += start
            other = row != anchor_at[col]  # a name is not paired with itself
            left, right = first[row[other]].tolist(), first[anchor_at[col[other]]].tolist()
            yield from zip(left, right, strict=True)

    def pairs(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """Each candidate pair exactly once, as left and right record indices (left <
        right), ordered by (left, right). Built as arrays: a day's resolution blocks the
        whole history again, and a Python step per pair was a large part of its time."""
        n = len(self.records)
        cap = self.config.max_block_size
        self.find_hubs()
        stars: tuple[array[int], array[int]] = (array("i"), array("i"))
        small: dict[int, list[list[int]]] = defaultdict(list)  # exhaustive blocks by size
        large: tuple[array[int], array[int]] = (array("i"), array("i"))
        for key, members in self._blocks().sized(2):
            if key[0] in _STAR_KINDS:
                stars[0].extend(repeat(members[0], len(members) - 1))
                stars[1].extend(islice(members, 1, None))
            elif len(members) > cap:
                self.oversized_blocks += 1
                if self.oversized_blocks <= self.config.max_logged_blocks:
                    logger.warning(
                        "blocking key %r is shared by %d distinct records (cap %d); "
                        "its records are not compared through it",
                        key_text(key), len(members), cap,
                    )  # fmt: skip
            elif len(members) <= self.config.exhaustive_block_size:
                small[len(members)].append(members)
            else:
                for i, j in self._large_block_pairs(members):
                    large[0].append(i)
                    large[1].append(j)
        # Every pair is listed: clustering, which follows, needs no block.
        self._block_map = None
        if self.oversized_blocks > self.config.max_logged_blocks:
            logger.warning(
                "%d blocking keys exceeded the block cap of %d",
                self.oversized_blocks, cap,
            )  # fmt: skip
        lefts = [np.frombuffer(stars[0], np.int32), np.frombuffer(large[0], np.int32)]
        rights = [np.frombuffer(stars[1], np.int32), np.frombuffer(large[1], np.int32)]
        for size, blocks in small.items():
            first, second = np.triu_indices(size, 1)  # combinations(members, 2)
            grid = np.array(blocks, dtype=np.int32)
            lefts.append(grid[:, first].ravel())
            rights.append(grid[:, second].ravel())
        left, right = np.concatenate(lefts), np.concatenate(rights)
        keys = sorted_unique(np.minimum(left, right).astype(np.int64) * n + np.maximum(left, right))
        self.candidate_pairs = len(keys)
        return (keys // n).astype(np.int32), (keys % n).astype(np.int32)
