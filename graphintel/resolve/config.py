"""Resolver settings and the counts a resolution reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

# Library code reports long work as (stage, running count); the CLI draws the bars.
ProgressCallback = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class ResolverConfig:
    """Thresholds of the party resolver (similarities are rapidfuzz scores, 0 to 100).

    ``name_threshold``: names must be at least this similar, on top of a shared phone,
    e-mail or address, for two mentions to merge. ``word_threshold``: and every word of
    the shorter name must be at least this similar to a word of the other, so one shared
    surname or city cannot carry two different first names or brands. ``chain_threshold``:
    a merge must also keep the two clusters' representative names this similar (and their
    weakest word pair at least ``chain_word_threshold``), so chains of small steps cannot
    walk one party into another. ``max_block_size``: a blocking key shared by more
    distinct records than this (a hotline phone, a consolidator's warehouse) is compared
    only within groups that share a name token; larger groups are skipped with a warning.
    """

    name_threshold: float = 88.0
    word_threshold: float = 70.0
    chain_threshold: float = 80.0
    chain_word_threshold: float = 60.0
    max_block_size: int = 100
    max_logged_blocks: int = 20


@dataclass(frozen=True, slots=True)
class ResolveSummary:
    """What one resolution did, in counts."""

    shipments: int = 0
    mentions: int = 0
    distinct_records: int = 0
    candidate_pairs: int = 0
    merges: int = 0
    entities: int = 0
    nodes: int = 0
    edges: int = 0
    oversized_blocks: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __str__(self) -> str:
        return ", ".join(
            f"{name.replace('_', ' ')} {value:,}" for name, value in asdict(self).items()
        )
