"""Resolver settings and the counts a resolution reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

# Library code reports long work as (stage, running count); the CLI draws the bars.
ProgressCallback = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class ResolverConfig:
    """Thresholds of the party resolver (similarities are rapidfuzz scores, 0 to 100).

    ``name_threshold``: names must be at least this similar (or one typo apart), on top
    of a shared phone, e-mail or address, for two mentions to merge; besides, every word
    of the shorter name must be within one typo of a word of the other (see
    ``scoring.typo_edits``), so one shared surname or city cannot carry two different
    first names or brands.
    ``chain_threshold``:
    a merge must also keep every pair of the two clusters' exemplar names (their
    ``chain_exemplars`` most-mentioned distinct names) this similar, with no word pair
    below ``chain_word_threshold``, so chains of small steps cannot walk one party into
    another.

    Blocking (see ``blocking``): identifier blocks up to ``exhaustive_block_size`` records
    are compared pair by pair; larger ones (a hotline phone, a consolidator's warehouse) by
    distinct name against their ``block_anchors`` most-mentioned names, keeping pairs whose
    ``token_sort_ratio`` reaches ``prefilter_score`` (or whose words nest); blocks beyond
    ``max_block_size`` records are skipped with a warning naming the key. An identifier shared by
    ``hub_names`` or more established names (each with ``hub_name_share`` of its mentions)
    is a hub: agreeing on it supports no merge.

    Scoring (see ``scoring`` and ``fs_model``): a shipper or consignee pair merges when the
    Fellegi-Sunter model's match probability reaches ``match_probability`` (and the safety
    rules allow it). The model is fitted per run by EM (at most ``em_max_iterations``, until
    no parameter moves by ``em_tolerance``) with the documented prior m and u counted as
    ``em_prior_pairs`` pseudo-pairs and ``em_prior_lambda`` as the starting match share;
    u is seeded from ``u_sample_pairs`` random record pairs drawn with ``seed``, and kept
    fixed during EM when ``em_fix_u`` (the default, as in Splink: on candidate pairs,
    which share an identifier by construction, a free u splits them by that identifier).
    ``scoring="rules"`` decides every pair by the fixed rules instead (the baseline the
    quality benchmark compares the model with).
    """

    name_threshold: float = 88.0
    chain_threshold: float = 80.0
    chain_word_threshold: float = 40.0
    chain_exemplars: int = 8
    exhaustive_block_size: int = 50
    max_block_size: int = 20_000
    block_anchors: int = 1_000
    prefilter_score: float = 80.0
    hub_names: int = 10
    hub_name_share: float = 0.002
    max_logged_blocks: int = 20
    scoring: str = "model"
    match_probability: float = 0.8
    em_max_iterations: int = 200
    em_tolerance: float = 1e-7
    em_prior_pairs: float = 20.0
    em_prior_lambda: float = 0.3
    em_fix_u: bool = True
    u_sample_pairs: int = 10_000
    seed: int = 42


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
    hub_identifiers: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __str__(self) -> str:
        return ", ".join(
            f"{name.replace('_', ' ')} {value:,}" for name, value in asdict(self).items()
        )
