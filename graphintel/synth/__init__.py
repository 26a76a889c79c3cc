"""Synthetic low-value shipment manifests with planted rings and their ground truth.

>>> from pathlib import Path; import tempfile
>>> s = generate(Path(tempfile.mkdtemp()), shipments=2_000, seed=1)
>>> s.shipments, s.n_rings >= 8, s.manifest.name
(2000, True, 'manifest.csv')
"""

from __future__ import annotations

from graphintel.synth.generator import MIN_SHIPMENTS, SynthSummary, generate
from graphintel.synth.kinds import GENERATOR_VERSION, HUB_KINDS, TYPOLOGIES
from graphintel.synth.render import TRUTH_COLUMNS

__all__ = [
    "GENERATOR_VERSION",
    "HUB_KINDS",
    "MIN_SHIPMENTS",
    "TRUTH_COLUMNS",
    "TYPOLOGIES",
    "SynthSummary",
    "generate",
]
