"""Whether several shipper names over one identifier took turns or shipped side by side.

Shared by identity churn (a ring's rotated shells take turns) and the hub judgement of
identifiers several merchants use at once (a pick-up agent's phone, ``hub_usage``).
"""

from __future__ import annotations

import numpy as np

from graphintel.analytics.arrays import IntArray

# At or above this, the names count as used one after another.
TAKING_TURNS = 0.5


def rotation(dates: IntArray, shippers: IntArray) -> float:
    """How much the shippers take turns (1.0) rather than ship side by side (0.0).

    In date order, a clean rotation switches shipper ``n - 1`` times; shippers working
    concurrently switch as often as a random interleaving of their shipment counts would.
    A marketplace's sellers sharing its hotline do the latter, a ring's shell names the former.
    """
    known = dates >= 0
    dates, shippers = dates[known], shippers[known]
    _, counts = np.unique(shippers, return_counts=True)
    n, m = len(counts), len(shippers)
    if n < 2:
        return 0.0
    same = float((counts * (counts - 1)).sum()) / (m * (m - 1))
    concurrent = (m - 1) * (1.0 - same)
    if concurrent <= n - 1:
        return 0.0
    ordered = shippers[np.argsort(dates, kind="stable")]  # same-day ties keep input order
    switches = int((ordered[1:] != ordered[:-1]).sum())
    return float(np.clip(1.0 - (switches - (n - 1)) / (concurrent - (n - 1)), 0.0, 1.0))
