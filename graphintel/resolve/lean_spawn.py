"""A spawn start method whose children skip the parent's ``__main__``.

A spawned child first runs the parent's main script again (as ``__mp_main__``), so that
functions defined there can be unpickled. Under the ``graphintel`` command that script
imports the whole CLI (pandas, scipy, plotly, igraph, networkx): ~105 MiB of private
memory in every spawned process (measured: a bare child holds 33 MiB, one that runs the
script 137 MiB), for nothing, since what the resolution's children run (the normalizing
workers, the resolution job) lives in ``graphintel`` modules that they import by name.
``LEAN_SPAWN`` hides the main script from multiprocessing while it starts a child.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import popen_spawn_posix
from multiprocessing.context import SpawnContext, SpawnProcess
from multiprocessing.process import BaseProcess


@contextmanager
def _main_hidden() -> Iterator[None]:
    """``__main__`` without the name or path by which a child would run it again."""
    main = sys.modules["__main__"]
    spec = getattr(main, "__spec__", None)
    hidden = {"__file__": main.__dict__.pop("__file__")} if "__file__" in main.__dict__ else {}
    main.__spec__ = None
    try:
        yield
    finally:
        main.__spec__ = spec
        main.__dict__.update(hidden)


class LeanSpawnProcess(SpawnProcess):
    """A spawned process started without the parent's main script."""

    @staticmethod
    def _Popen(process_obj: BaseProcess) -> popen_spawn_posix.Popen:
        with _main_hidden():
            return SpawnProcess._Popen(process_obj)


class LeanSpawnContext(SpawnContext):
    """The spawn start method with ``LeanSpawnProcess``: for ``Process`` and for
    ``ProcessPoolExecutor(mp_context=...)`` alike."""

    Process = LeanSpawnProcess


LEAN_SPAWN = LeanSpawnContext()
