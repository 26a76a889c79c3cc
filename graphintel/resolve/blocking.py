"""Blocking: only records that share an exact key are ever compared.

Keys are the normalized phone, e-mail, address (unit included), seller account and, for
companies, the exact name key within a country. A key shared by too many records (a
marketplace hotline, a consolidator's warehouse) is compared only among records that also
share a name token, and is skipped with a warning when even those groups are too large.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import combinations

from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures

logger = logging.getLogger(__name__)


def blocking_keys(f: PartyFeatures) -> list[str]:
    """The exact keys under which a record is blocked."""
    keys = []
    if f.phone:
        keys.append(f"phone:{f.phone}")
    if f.email:
        keys.append(f"email:{f.email}")
    if f.address:
        keys.append(f"address:{f.address}")
    if f.seller:
        keys.append(f"seller:{f.seller}")
    if f.is_company and f.name_key:
        keys.append(f"name:{f.country}|{f.name_key}")
    return keys


class Blocker:
    """Generates each candidate pair once; counts what it skipped."""

    def __init__(self, records: Sequence[PartyFeatures], config: ResolverConfig) -> None:
        self.records = records
        self.config = config
        self.oversized_blocks = 0
        self.skipped_groups = 0
        self.candidate_pairs = 0

    def _blocks(self) -> dict[str, list[int]]:
        blocks: dict[str, list[int]] = defaultdict(list)
        for index, features in enumerate(self.records):
            for key in blocking_keys(features):
                blocks[key].append(index)
        return blocks

    def _warn(self, message: str, *args: object) -> None:
        if self.oversized_blocks + self.skipped_groups <= self.config.max_logged_blocks:
            logger.warning(message, *args)

    def _groups(self, key: str, members: list[int]) -> Iterator[list[int]]:
        """``members`` itself, or its name-token sub-groups when it is too large."""
        cap = self.config.max_block_size
        if len(members) <= cap:
            yield members
            return
        self.oversized_blocks += 1
        self._warn(
            "blocking key %r is shared by %d distinct records (cap %d); comparing only "
            "records that also share a name token",
            key, len(members), cap,
        )  # fmt: skip
        by_token: dict[str, list[int]] = defaultdict(list)
        for index in members:
            for token in set(self.records[index].name_key.split()):
                by_token[token].append(index)
        for token, group in by_token.items():
            if len(group) > cap:
                self.skipped_groups += 1
                self._warn(
                    "skipping %d records under key %r sharing name token %r (cap %d)",
                    len(group), key, token, cap,
                )  # fmt: skip
            elif len(group) > 1:
                yield group

    def pairs(self) -> Iterator[tuple[int, int]]:
        """Each candidate pair (i < j) exactly once."""
        seen: set[int] = set()
        n = len(self.records)
        for key, members in self._blocks().items():
            if len(members) < 2:
                continue
            for group in self._groups(key, members):
                for i, j in combinations(group, 2):
                    code = i * n + j
                    if code not in seen:
                        seen.add(code)
                        self.candidate_pairs += 1
                        yield i, j
        if self.oversized_blocks:
            logger.warning(
                "%d blocking keys exceeded the block cap of %d; %d name-token groups skipped",
                self.oversized_blocks, self.config.max_block_size, self.skipped_groups,
            )  # fmt: skip
