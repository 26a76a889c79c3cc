"""One exception hierarchy: the CLI turns any ``GraphIntelError`` into a clear message and a
non-zero exit, never a traceback."""

from __future__ import annotations


class GraphIntelError(Exception):
    """Base of every error GraphIntel raises on purpose."""


class InputFileError(GraphIntelError):
    """A whole input file cannot be read: wrong encoding, binary, empty, missing columns."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class MappingError(GraphIntelError):
    """A column-mapping file is malformed or names columns the input does not have."""


class StoreError(GraphIntelError):
    """The store cannot be opened or written."""


class UnknownStoreURL(StoreError):
    """The store URL names a scheme GraphIntel does not support."""


class NotFoundError(GraphIntelError):
    """A run, network, entity or case that was asked for does not exist."""


class ResolveError(GraphIntelError):
    """Entity resolution could not finish (its process failed); the graph stays as it was."""
