"""Named fault points, so crash tests kill a command at a chosen place instead of a time.

``GRAPHINTEL_FAULT`` (read once, when this module is imported) arms points by name, as a
comma list; ``name:N`` fires at the N-th time the point is reached (default the first).
When a command reaches an armed point it writes one line to stderr and kills its own
process with SIGKILL: nothing after it runs (no ``finally``, no rollback, no atexit), as if
the machine lost power there. Unarmed (the variable unset, as in any real use), ``hit`` is
one test of a module-level constant.

Only the names in ``POINTS`` exist; arming any other name fails at import, so a test can
never wait for a point that is not there.
"""

from __future__ import annotations

import os
import signal
import sys

ENVIRONMENT_VARIABLE = "GRAPHINTEL_FAULT"

POINTS: dict[str, str] = {
    "load.mid_file": "a batch of a file is written inside its load transaction",
    "load.before_commit": "a whole file is written, its transaction not yet committed",
    "resolve.after_normalization": "every mention is normalized, nothing written yet",
    "resolve.in_resolution": "the parties are resolved, in the second process when there is one",
    "resolve.between_parts": "the shipment half of the new graph is written, uncommitted",
    "resolve.before_commit": "the whole new graph is written, its transaction not committed",
    "resolve.before_state_save": "the new graph is committed, the resolver state not saved",
    "analyze.after_run_recorded": "the analysis run is recorded as running",
    "analyze.mid_analysis": "the graph is projected and the typologies detected",
    "analyze.before_commit": "the run's results are computed, not yet written",
}


def _parse(value: str) -> dict[str, int]:
    """``{point: the hit that fires it}`` from ``name[:N],...``; ValueError on a bad entry."""
    armed: dict[str, int] = {}
    for entry in filter(None, (part.strip() for part in value.split(","))):
        name, _, count = entry.partition(":")
        if name not in POINTS:
            raise ValueError(
                f"{ENVIRONMENT_VARIABLE}: unknown fault point {name!r}; known: {', '.join(POINTS)}"
            )
        if count and (not count.isdigit() or int(count) < 1):
            raise ValueError(f"{ENVIRONMENT_VARIABLE}: {entry!r}: the hit must be a number >= 1")
        armed[name] = int(count) if count else 1
    return armed


_ARMED = _parse(os.environ.get(ENVIRONMENT_VARIABLE, ""))
_hits: dict[str, int] = {}


def hit(point: str) -> None:
    """Kill this process here if ``point`` is armed for this hit; otherwise return."""
    if _ARMED:
        _count(point)


def _count(point: str) -> None:
    assert point in POINTS, point
    seen = _hits[point] = _hits.get(point, 0) + 1
    if _ARMED.get(point) == seen:
        sys.stderr.write(f"graphintel: fault point {point} (hit {seen}): killing process\n")
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)
