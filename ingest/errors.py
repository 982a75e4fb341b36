"""Errors a user can act on. The edges (CLI, API, Streamlit) turn them into messages and exit codes."""


class ClausewiseError(Exception):
    """Something went wrong that the user can fix; the message says how."""


class LoadError(ClausewiseError):
    """A file could not be read as a document (not text, empty, wrong encoding or type)."""


class StoreError(ClausewiseError):
    """The index could not be opened or written."""
