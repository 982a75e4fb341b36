"""One indexed document as the read view holds it: text, clause tree, chunks, vectors and term ids.

Snapshots are assembled from these parts, so a change to the set of documents re-reads and re-parses
only the documents that changed (qa/corpus.py). What is kept on disk is ingest/parts.py's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ingest.parts import SavedPart, part_key
from ingest.store import ChunkRecord, DocRecord
from ingest.types import Clause
from qa.segments import TermRows


@dataclass(frozen=True)
class DocPart:
    meta: DocRecord
    text: str
    tree: dict[str, Clause]  # in document order
    chunks: list[ChunkRecord]
    vectors: np.ndarray | None
    terms: TermRows  # ids of the process's Vocabulary
    body: TermRows  # each chunk's own words, once each (for the quote's idf)

    @property
    def key(self) -> str:
        return part_key(self.meta)


class Vocabulary:
    """Term -> id, shared by every snapshot of one process; it only grows, so old ids stay valid."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def map(self, words: Sequence[str]) -> np.ndarray:
        ids = self.ids
        return np.array([ids.setdefault(w, len(ids)) for w in words], dtype=np.int32)


def doc_part(saved: SavedPart, vocab: Vocabulary, vectors: bool = True) -> DocPart:
    local = saved.local
    gids = vocab.map(local.words)
    key = part_key(saved.meta)
    n = len(saved.chunks)
    terms = TermRows(key, local.indptr, gids[local.ids], local.tf, local.lengths)
    # Only counted (Stats), never scored: no frequencies, and a length of one per chunk.
    body = TermRows(key, local.body_indptr, gids[local.body_ids], np.zeros(0, np.float32), np.ones(n, np.int8))
    return DocPart(saved.meta, saved.text, saved.tree, saved.chunks, saved.vectors if vectors else None, terms, body)
