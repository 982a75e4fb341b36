"""The errors qa/ raises; each message tells the user what to do next."""

from ingest.errors import ClausewiseError, LoadError, StoreError


class IndexEmpty(ClausewiseError):
    """No documents are indexed yet."""

    def __init__(self) -> None:
        super().__init__("no documents are indexed yet; run `python -m ingest corpus/` (or open the app once)")


class UnknownDocument(ClausewiseError):
    """A document name that matches nothing in the index."""


class BadQuestion(ClausewiseError):
    """An empty or oversized question."""


class NoVersions(ClausewiseError):
    """Changes asked of a document with one version, or of a version that does not exist."""


class NoFlags(ClausewiseError):
    """Flags asked for when the clause-type model cannot run (its weights are missing, or the index is
    too large to mirror its vectors in memory)."""


__all__ = [
    "BadQuestion",
    "ClausewiseError",
    "IndexEmpty",
    "LoadError",
    "NoFlags",
    "NoVersions",
    "StoreError",
    "UnknownDocument",
]
