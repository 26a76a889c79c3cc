"""A value passed from the process that makes it to the resolution job, through a file.

The pipeline starts the resolution job (maybe in a forked process) before it has found
the identifier aliases and, incrementally, the delta basis: the job needs them only after
resolving, so finding them runs beside the resolution instead of before it. The value is
written whole under a temporary name, then renamed, so a reader never sees half of it;
``get`` waits for it. Pickle is safe here: the file is this run's own, in its private
temporary directory, written and read by the same code.
"""

from __future__ import annotations

import os
import pickle
import time
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from graphintel.errors import ResolveError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Handoff(Generic[T]):
    """One value handed from the process that made this object (``writer``) to a job."""

    path: str
    what: str = "the value"  # named in the error when it never comes
    writer: int = field(default_factory=os.getpid)
    poll_seconds: float = 0.01

    def put(self, value: T) -> None:
        partial = self.path + ".partial"
        with open(partial, "wb") as handle:
            pickle.dump(value, handle, pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.path)

    def get(self) -> T:
        while not os.path.exists(self.path):
            # Nobody else will write it: the writer is this process, or it is gone.
            if os.getpid() == self.writer or os.getppid() != self.writer:
                raise ResolveError(f"{self.what} were never written")
            time.sleep(self.poll_seconds)
        with open(self.path, "rb") as handle:
            value: T = pickle.load(handle)
        return value
