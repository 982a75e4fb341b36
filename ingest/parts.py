"""Each committed document's derived data on disk, beside the index: clause tree, chunk offsets,
vectors and terms. A process starting up loads these instead of re-reading every chunk from Chroma
and re-parsing and re-tokenising every document.

Chroma stays the source of truth: a part is keyed by the document's committed record (id, sha256,
commit time, parser), so it is used only for the exact version it was made from. Ingest writes the
part right after its commit; a reader that finds none makes it from Chroma and writes it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ingest.clauses import PARSER_VERSION
from ingest.store import ChunkRecord, DocRecord
from ingest.text import tokens
from ingest.types import Clause

log = logging.getLogger("clausewise.parts")

FORMAT = 3  # bump when what a part holds, or how its terms are made, changes


def part_key(meta: DocRecord) -> str:
    """A committed version of a document: a re-ingest of the same text rewrites `ingested_at` too."""
    return f"{meta.doc_id}\x00{meta.sha256}\x00{meta.ingested_at:.3f}\x00{PARSER_VERSION}\x00{FORMAT}"


@dataclass(frozen=True)
class LocalTerms:
    """A document's chunk terms by the document's own vocabulary: chunk i has terms
    ids[indptr[i]:indptr[i+1]], counted tf, and its own words (no title or headings) body_ids[...]."""

    words: list[str]
    indptr: np.ndarray
    ids: np.ndarray
    tf: np.ndarray
    lengths: np.ndarray
    body_indptr: np.ndarray
    body_ids: np.ndarray


@dataclass(frozen=True)
class SavedPart:
    meta: DocRecord
    text: str
    tree: dict[str, Clause]  # in document order
    chunks: list[ChunkRecord]  # in document order
    vectors: np.ndarray | None
    local: LocalTerms


def lexical_text(meta: DocRecord, tree: dict[str, Clause], c: ChunkRecord) -> str:
    """What BM25 indexes for a chunk: the document's title and the clause's headings come with its words."""
    clause = tree.get(c.clause_id)
    head = " ".join((*clause.path, clause.heading)) if clause else ""
    return f"{meta.title} {head} {c.text}"


def local_terms(meta: DocRecord, tree: dict[str, Clause], chunks: Sequence[ChunkRecord]) -> LocalTerms:
    index: dict[str, int] = {}
    indptr, ids, tf, lengths, body_indptr, body_ids = [0], [], [], [], [0], []
    for c in chunks:
        toks = tokens(lexical_text(meta, tree, c))
        for w, n in Counter(toks).items():
            ids.append(index.setdefault(w, len(index)))
            tf.append(n)
        indptr.append(len(ids))
        lengths.append(len(toks) or 1)  # bm25s gave an empty chunk one placeholder token
        body_ids.extend(index.setdefault(w, len(index)) for w in set(tokens(c.text)))
        body_indptr.append(len(body_ids))
    return LocalTerms(
        list(index),
        np.array(indptr, dtype=np.int64),
        np.array(ids, dtype=np.int32),
        np.array(tf, dtype=np.float32),
        np.array(lengths, dtype=np.int64),
        np.array(body_indptr, dtype=np.int64),
        np.array(body_ids, dtype=np.int32),
    )


def saved_part(
    meta: DocRecord, text: str, tree: dict[str, Clause], records: Sequence[ChunkRecord], vectors: np.ndarray | None
) -> SavedPart:
    """A part from a committed record, its text, clause tree and chunks (in any order)."""
    # A chunk whose clause the current parser does not know was made by an older version.
    order = sorted(
        (i for i, c in enumerate(records) if c.clause_id in tree), key=lambda i: (records[i].start, records[i].chunk_id)
    )
    chunks = [replace(records[i], source=text) for i in order]  # the document's text, shared
    if vectors is not None:
        vectors = vectors[order] if order else None
    return SavedPart(meta, text, tree, chunks, vectors, local_terms(meta, tree, chunks))


class PartCache:
    """Parts on disk, one file per document version; a missing or unreadable file is simply rebuilt."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.pkl"

    def load(self, meta: DocRecord) -> SavedPart | None:
        if self.folder is None:
            return None
        path = self._path(part_key(meta))
        try:
            with path.open("rb") as f:
                saved: dict[str, Any] = pickle.load(f)
            if saved.get("key") != part_key(meta):
                return None
            text = saved["text"]
            chunks = [
                ChunkRecord(cid, meta.doc_id, clause, s, e, text)
                for cid, clause, s, e in zip(
                    saved["ids"], saved["clauses"], saved["starts"], saved["ends"], strict=True
                )
            ]
            return SavedPart(meta, text, saved["tree"], chunks, saved["vectors"], saved["local"])
        except FileNotFoundError:
            return None
        except Exception as e:  # noqa: BLE001 - a damaged cache file costs a re-read, nothing else
            log.warning("ignoring the unreadable cached part %s: %s", path, e)
            return None

    def save(self, part: SavedPart) -> None:
        if self.folder is None:
            return
        saved = {
            "key": part_key(part.meta),
            "text": part.text,
            "tree": part.tree,
            "ids": [c.chunk_id for c in part.chunks],
            "clauses": [c.clause_id for c in part.chunks],
            "starts": [c.start for c in part.chunks],
            "ends": [c.end for c in part.chunks],
            "vectors": part.vectors,
            "local": part.local,
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written whole, then renamed: a reader never sees half a file, whichever process wrote it.
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(saved, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._path(saved["key"]))
        except OSError as e:
            log.warning("could not cache the part of %s: %s", part.meta.doc_id, e)
