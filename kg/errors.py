"""Errors that the CLI turns into one-line messages (exit code 2)."""
from __future__ import annotations


class KGError(Exception):
    """A problem with the user's input: a file, a record, a store, a parameter.

    The message names the file (when there is one) and the problem, so the
    CLI can print it on one line without a traceback.
    """

    def __init__(self, message: str, path: object | None = None):
        self.path = str(path) if path is not None else None
        super().__init__(f"{self.path}: {message}" if self.path else message)
        self.problem = message


class RecordError(KGError):
    """A malformed annotation record."""


class RegistryError(KGError):
    """A registry entry that cannot be loaded (unknown kind, dangling parent, ...)."""


class StoreError(KGError):
    """A store that cannot be opened or written."""


class QueryError(KGError):
    """A query that cannot be found, bound or run."""
