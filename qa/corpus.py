"""A read view of the index: documents, their clause trees and a BM25 index over committed chunks.

Chroma stays the source of truth. The view is rebuilt when the set of committed documents changes
(checked cheaply on every use), so several processes sharing one Chroma see each other's ingests.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np

from ingest.clauses import parse_clauses
from ingest.load import alias_matches
from ingest.store import ChunkRecord, DocRecord, Store
from ingest.text import tokens
from ingest.types import Clause
from qa.question import Question, kinds_of


@dataclass(frozen=True)
class DocView:
    meta: DocRecord
    text: str
    clauses: dict[str, Clause]  # in document order

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    def top_level(self) -> list[Clause]:
        return [c for c in self.clauses.values() if c.parent_id is None]


class Snapshot:
    """Everything one question needs, consistent with one set of committed documents."""

    def __init__(self, docs: dict[str, DocView], chunks: list[ChunkRecord], vectors: np.ndarray | None = None) -> None:
        self.docs = docs
        self.chunks = chunks
        self.vectors = vectors  # the chunks' embeddings, mirrored from Chroma (None for large indexes)
        self.chunk_index = {c.chunk_id: i for i, c in enumerate(chunks)}
        # Chunks of documents written in one language only (a bilingual document answers either).
        self.chunk_zh = np.array([docs[c.doc_id].meta.lang == "zh" for c in chunks], dtype=bool)
        self.chunk_en = np.array([docs[c.doc_id].meta.lang == "en" for c in chunks], dtype=bool)
        self.chunk_doc = np.array([c.doc_id for c in chunks], dtype=object)
        self.kinds = {d: kinds_of(v.meta.title) for d, v in docs.items()}
        self._bm25: bm25s.BM25 | None = None
        self._vocab: set[str] = set()
        self._df: Counter[str] | None = None
        self._vocabs: dict[str, set[str]] = {}
        self._span_tokens: dict[tuple[str, int, int], frozenset[str]] = {}
        self.memo: dict[tuple[str, Any], Any] = {}  # per-snapshot results of other modules (definitions, …)
        if chunks:
            corpus = [tokens(self._bm25_text(c)) or ["\x00"] for c in chunks]
            self._bm25 = bm25s.BM25()
            self._bm25.index(corpus, show_progress=False)
            self._vocab = {t for doc in corpus for t in doc}

    def _bm25_text(self, c: ChunkRecord) -> str:
        doc = self.docs[c.doc_id]
        clause = doc.clauses.get(c.clause_id)
        head = " ".join((*clause.path, clause.heading)) if clause else ""
        return f"{doc.meta.title} {head} {c.text}"

    def span_tokens(self, doc_id: str, start: int, end: int) -> frozenset[str]:
        """The distinct tokens of a slice of a document, memoised: answers score the same clauses often."""
        key = (doc_id, start, end)
        got = self._span_tokens.get(key)
        if got is None:
            got = frozenset(tokens(self.docs[doc_id].text[start:end]))
            if len(self._span_tokens) < 200_000:
                self._span_tokens[key] = got
        return got

    def vocab(self, doc_id: str) -> set[str]:
        if doc_id not in self._vocabs:
            self._vocabs[doc_id] = set(tokens(self.docs[doc_id].text))
        return self._vocabs[doc_id]

    def words_of(self, doc_ids: Sequence[str]) -> Container[str]:
        """Whether any of these documents uses a token, without building the union of their vocabularies."""
        return _AnyOf([self.vocab(d) for d in doc_ids])

    def doc_freq(self) -> Counter[str]:
        if self._df is None:
            df: Counter[str] = Counter()
            for c in self.chunks:
                df.update(set(tokens(c.text)))
            self._df = df
        return self._df

    def bm25_scores(self, q: Question, ignore: frozenset[str] = frozenset()) -> np.ndarray:
        """BM25 of every chunk: the question's words, plus its lexicon expansions at their weights."""
        out = np.zeros(len(self.chunks), dtype=np.float32)
        if self._bm25 is None:
            return out
        by_weight: dict[float, list[str]] = {}
        for t, w in q.weighted.items():
            if t in self._vocab and t not in ignore:
                by_weight.setdefault(w, []).append(t)
        for w, terms in by_weight.items():
            out += w * np.asarray(self._bm25.get_scores(terms), dtype=np.float32)
        return out

    def clause(self, clause_id: str) -> Clause:
        return self.docs[clause_id.split("#", 1)[0]].clauses[clause_id]

    def name_tokens(self, doc_ids: Iterable[str]) -> frozenset[str]:
        """The tokens of these documents' names: once a question is scoped to them, they rank nothing."""
        key = ("names", frozenset(doc_ids))
        if key not in self.memo:
            self.memo[key] = frozenset(t for d in key[1] for a in self.docs[d].meta.aliases for t in tokens(a))
        return self.memo[key]

    def in_docs(self, doc_ids: Iterable[str]) -> np.ndarray:
        """Which chunks belong to these documents."""
        return np.isin(self.chunk_doc, list(doc_ids)) if len(self.chunks) else np.zeros(0, dtype=bool)

    def docs_named_in(self, q: Question) -> list[str]:
        """The documents a question names: by name ("Smartproxy", "脉邦"), else by kind ("the NDA").

        A kind routes only when it picks out some of the documents, not all of them.
        """
        named = [d.doc_id for d in self.docs.values() if any(alias_matches(a, q.text) for a in d.meta.aliases)]
        if named:
            return named
        asked = q.kinds
        if not asked:
            return []
        of_kind = [d for d in self.docs if self.kinds[d] & asked]
        return of_kind if len(of_kind) < len(self.docs) else []

    def kinds_missing(self, q: Question) -> list[str]:
        """Kinds of document the question names ("the NDA") that no indexed document is."""
        have = set().union(*self.kinds.values()) if self.kinds else set()
        return sorted(q.kinds - have)

    def resolve_doc(self, name: str) -> str | None:
        """A document id from an id, file name, title or alias given by the user."""
        n = name.strip().lower()
        for d in self.docs.values():
            if n in (d.doc_id, d.meta.source.lower(), d.meta.title.lower()):
                return d.doc_id
        for d in self.docs.values():
            if any(alias_matches(a, name) for a in d.meta.aliases) or n in d.meta.title.lower():
                return d.doc_id
        return None


class Corpus:
    """Thread-safe access to the current Snapshot of a Store."""

    # Another process sharing the Chroma server may commit a document at any time; checking costs a
    # round trip, so a snapshot is trusted for this long. Writes through this Corpus invalidate at once.
    RECHECK_SECONDS = 1.0
    MIRROR_CHUNKS = 200_000  # about 300 MB of vectors

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._checked = 0.0
        self._snap: Snapshot | None = None
        self._key: tuple[tuple[str, str], ...] | None = None
        self._trees: dict[str, dict[str, Clause]] = {}

    def invalidate(self) -> None:
        self._checked = 0.0

    def snapshot(self) -> Snapshot:
        snap = self._snap
        if snap is not None and time.monotonic() - self._checked < self.RECHECK_SECONDS:
            return snap
        checked = time.monotonic()
        metas = self.store.documents_meta()
        key = tuple(sorted((d, m.sha256) for d, m in metas.items()))
        with self._lock:
            if self._snap is not None and key == self._key:
                self._checked = checked
                return self._snap
            docs: dict[str, DocView] = {}
            # Record and text come from one read, and only chunks of exactly those versions are used:
            # an ingest committing meanwhile shows up in the next snapshot, never half in this one.
            for meta, text in self.store.documents_with_text():
                did = meta.doc_id
                tree = self._trees.get(meta.sha256)
                if tree is None:
                    tree = {c.clause_id: c for c in parse_clauses(did, text)}
                    self._trees[meta.sha256] = tree
                docs[did] = DocView(meta, text, tree)
            # A chunk whose clause the current parser does not know was made by an older version.
            shas = {d: v.meta.sha256 for d, v in docs.items()}
            # Up to MIRROR_CHUNKS the vectors are kept here too: an exact dot product per question is
            # cheaper than a nearest-neighbour round trip. Beyond it, Chroma answers dense queries.
            mirror = self.store.count() <= self.MIRROR_CHUNKS
            records, vectors = self.store.committed_chunks_with_vectors(shas, vectors=mirror)
            keep = [i for i, c in enumerate(records) if c.clause_id in docs[c.doc_id].clauses]
            chunks = [records[i] for i in keep]
            vectors = vectors[keep] if vectors is not None and keep else None
            self._snap, self._key = Snapshot(docs, chunks, vectors), tuple(sorted(shas.items()))
            self._checked = checked
            return self._snap


class _AnyOf(Container[str]):
    def __init__(self, vocabs: list[set[str]]) -> None:
        self.vocabs = vocabs

    def __contains__(self, token: object) -> bool:
        return any(token in v for v in self.vocabs)
