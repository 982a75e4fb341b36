"""The index a snapshot searches, kept in segments: BM25 postings and the chunks' vectors.

Adding or deleting a document touches only that document's share: a new document gets a small
segment of its own, a deleted one's rows are left where they are and simply not mapped to a chunk.

The statistics every score depends on (document frequency per term, number of chunks, their total
length) are kept as integer counts over the live chunks. A segment whose documents were deleted keeps
their rows, but no snapshot maps them to a chunk, and the counts no longer include them. So an index
grown by adds and deletes scores exactly as one built from scratch (tests/test_bm25.py).

The formula is bm25s' default, which this replaced: Lucene's variant, k1 = 1.5, b = 0.75.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

K1 = 1.5
B = 0.75
# Segments a query visits at most: each one costs a few array slices per query term, so many small
# ones (one per added document) are merged once there are more than this.
MAX_SEGMENTS = 8
# A segment is rebuilt from its live documents once more than this share of its rows is deleted.
MAX_DEAD = 0.5


@dataclass(frozen=True)
class TermRows:
    """One document's chunks as terms: chunk i has terms ids[indptr[i]:indptr[i+1]], counted tf."""

    key: str  # the document version (see qa.parts.DocPart.key)
    indptr: np.ndarray  # int64, chunks + 1
    ids: np.ndarray  # int32 term ids, unique within a chunk
    tf: np.ndarray  # float32 counts
    lengths: np.ndarray  # int64 tokens per chunk (1 for a chunk without any, as bm25s counted it)

    @property
    def n(self) -> int:
        return len(self.lengths)


@dataclass(frozen=True)
class Segment:
    """Some documents' chunks, each document's rows together: term t occurs in rows[indptr[t]:indptr[t+1]]."""

    keys: tuple[str, ...]  # the documents, in row order
    starts: np.ndarray  # int64, len(keys) + 1: document i has rows starts[i]:starts[i+1]
    row_doc: np.ndarray  # int32: which of keys each row belongs to
    row_j: np.ndarray  # int32: the row's chunk index within its document
    lengths: np.ndarray  # float64 per row
    indptr: np.ndarray
    rows: np.ndarray
    tf: np.ndarray
    vectors: np.ndarray | None  # float32 per row (None when the vectors are left to Chroma)

    @property
    def n_rows(self) -> int:
        return len(self.row_doc)

    def vectors_of(self) -> dict[str, np.ndarray]:
        """Each document's rows of vectors, as views (nothing is copied)."""
        if self.vectors is None:
            return {}
        return {k: self.vectors[self.starts[i] : self.starts[i + 1]] for i, k in enumerate(self.keys)}


def build_segment(
    parts: Sequence[TermRows], n_terms: int, vectors: Sequence[np.ndarray | None] | None = None
) -> Segment:
    sizes = np.array([p.n for p in parts], dtype=np.int64)
    row_doc = np.repeat(np.arange(len(parts), dtype=np.int32), sizes)
    row_j = np.concatenate([np.arange(p.n, dtype=np.int32) for p in parts]) if parts else np.zeros(0, np.int32)
    entry_row = (
        np.repeat(np.arange(int(sizes.sum()), dtype=np.int64), np.concatenate([np.diff(p.indptr) for p in parts]))
        if parts
        else np.zeros(0, np.int64)
    )
    ids = np.concatenate([p.ids for p in parts]) if parts else np.zeros(0, np.int32)
    tf = np.concatenate([p.tf for p in parts]) if parts else np.zeros(0, np.float32)
    # Term-major postings; scipy's conversion is a counting sort, linear in the entries.
    m = sparse.csr_matrix((tf, (ids, entry_row)), shape=(n_terms, int(sizes.sum())))
    m.sort_indices()
    lengths = np.concatenate([p.lengths for p in parts]).astype(np.float64) if parts else np.zeros(0)
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    dense = None
    if vectors is not None:
        full = [v for v in vectors if v is not None and len(v)]
        dense = np.concatenate(full).astype(np.float32, copy=False) if full else np.zeros((0, 0), np.float32)
    keys = tuple(p.key for p in parts)
    return Segment(keys, starts, row_doc, row_j, lengths, m.indptr, m.indices, m.data, dense)


@dataclass(frozen=True)
class Stats:
    """Corpus-wide counts over live chunks: document frequency per term id, chunks, total length."""

    df: np.ndarray  # int64 per term id
    n: int
    total: int

    def plus(self, parts: Sequence[TermRows], sign: int, n_terms: int) -> Stats:
        df = (
            self.df
            if len(self.df) >= n_terms
            else np.concatenate([self.df, np.zeros(n_terms - len(self.df), np.int64)])
        )
        if not parts:
            return Stats(df, self.n, self.total)
        counts = np.bincount(np.concatenate([p.ids for p in parts]), minlength=n_terms).astype(np.int64)
        return Stats(
            df + sign * counts,
            self.n + sign * sum(p.n for p in parts),
            self.total + sign * int(sum(int(p.lengths.sum()) for p in parts)),
        )


EMPTY = Stats(np.zeros(0, np.int64), 0, 0)


class View:
    """The index as one snapshot sees it: segments, where their rows sit in the snapshot, counts."""

    def __init__(self, segments: Sequence[Segment], offsets: dict[str, int], stats: Stats, size: int) -> None:
        self.stats = stats
        self.size = size
        self.avg = stats.total / stats.n if stats.n else 1.0
        # Each row's position among the snapshot's chunks, or -1 for a row of a document no longer indexed.
        self._segments = []
        for seg in segments:
            start = np.array([offsets.get(k, -1) for k in seg.keys], dtype=np.int64)
            pos = start[seg.row_doc] + seg.row_j if seg.n_rows else np.zeros(0, np.int64)
            pos[start[seg.row_doc] < 0] = -1
            self._segments.append((seg, pos))
        # Vectors are mirrored when every segment holds them; then each snapshot position's segment and row.
        self.dense = size > 0 and all(seg.vectors is not None for seg in segments)
        self._seg_of = np.zeros(size, dtype=np.int32)
        self._row_of = np.zeros(size, dtype=np.int64)
        for k, (_seg, pos) in enumerate(self._segments):
            live = np.flatnonzero(pos >= 0)
            self._seg_of[pos[live]] = k
            self._row_of[pos[live]] = live

    def idf(self, term: int) -> float:
        df = int(self.stats.df[term]) if 0 <= term < len(self.stats.df) else 0
        return float(np.log(1 + (self.stats.n - df + 0.5) / (df + 0.5)))

    def scores(self, terms: Sequence[tuple[int, float]]) -> np.ndarray:
        """Sum over (term id, weight) of weight × BM25 of that term, for every chunk of the snapshot."""
        out = np.zeros(self.size, dtype=np.float64)
        for term, weight in terms:
            if not (0 <= term < len(self.stats.df)) or self.stats.df[term] <= 0:
                continue
            idf = self.idf(term)
            for seg, pos in self._segments:
                if term + 1 >= len(seg.indptr):
                    continue
                a, b = seg.indptr[term], seg.indptr[term + 1]
                if a == b:
                    continue
                rows = seg.rows[a:b]
                p = pos[rows]
                live = p >= 0
                tf = seg.tf[a:b].astype(np.float64)
                s = tf / (K1 * ((1 - B) + B * seg.lengths[rows] / self.avg) + tf)
                out[p[live]] += weight * idf * s[live]
        return out.astype(np.float32)

    def scores_in(self, terms: Sequence[tuple[int, float]], docs: Sequence[tuple[int, TermRows]]) -> np.ndarray:
        """The same scores, computed only for some documents' chunks (their position, their rows) from
        their own term lists: a question about one document of thousands reads a few hundred entries
        instead of every chunk's postings. Other positions score 0."""
        out = np.zeros(self.size, dtype=np.float64)
        known = [(t, w) for t, w in terms if 0 <= t < len(self.stats.df) and self.stats.df[t] > 0]
        if not known:
            return out.astype(np.float32)
        ids = np.array([t for t, _ in known], dtype=np.int64)
        order = np.argsort(ids)
        ids = ids[order]
        weights = np.array([w * self.idf(t) for t, w in known], dtype=np.float64)[order]
        for start, rows in docs:
            hit = np.isin(rows.ids, ids)
            if not hit.any():
                continue
            chunk = np.repeat(np.arange(rows.n), np.diff(rows.indptr))[hit]
            tf = rows.tf[hit].astype(np.float64)
            s = tf / (K1 * ((1 - B) + B * rows.lengths[chunk] / self.avg) + tf)
            np.add.at(out, start + chunk, weights[np.searchsorted(ids, rows.ids[hit])] * s)
        return out.astype(np.float32)

    def similarity(self, qvec: np.ndarray, positions: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity (the vectors are normalised) of the chunks at these positions, or of all."""
        q = qvec.astype(np.float32)
        if positions is None:
            out = np.zeros(self.size, dtype=np.float32)
            for seg, pos in self._segments:
                live = pos >= 0
                if live.any():
                    out[pos[live]] = (seg.vectors @ q)[live]  # type: ignore[operator]
            return out
        return self.vectors_at(positions) @ q

    def vectors_at(self, positions: np.ndarray) -> np.ndarray:
        """The vectors of the chunks at these positions, one row each."""
        positions = np.asarray(positions, dtype=np.int64)
        segs = self._seg_of[positions]
        rows = self._row_of[positions]
        if len(self._segments) == 1 or (len(segs) and (segs == segs[0]).all()):
            seg = self._segments[int(segs[0]) if len(segs) else 0][0]
            return seg.vectors[rows]  # type: ignore[index]
        out = np.empty((len(positions), self._segments[0][0].vectors.shape[1]), dtype=np.float32)  # type: ignore[union-attr]
        for k in np.unique(segs):
            sel = segs == k
            out[sel] = self._segments[int(k)][0].vectors[rows[sel]]  # type: ignore[index]
        return out


def plan_segments(
    segments: Sequence[Segment],
    live: set[str],
    added: Sequence[TermRows],
    parts: dict[str, TermRows],
    n_terms: int,
    added_vectors: Sequence[np.ndarray | None] | None = None,
) -> list[Segment]:
    """The segments after some documents went (not in `live`) and others came (`added`, with their
    vectors when the index mirrors them).

    New documents get a segment of their own. A segment mostly deleted is rebuilt from what is left of
    it; beyond MAX_SEGMENTS, all but the largest are merged. Vectors of documents already in a segment
    are taken from there; only `parts` of live documents are read. (All segments hold vectors, or none.)
    """
    mirror = added_vectors is not None
    held = {k: v for seg in segments for k, v in seg.vectors_of().items()}

    def rebuild(keys: list[str]) -> Segment:
        return build_segment([parts[k] for k in keys], n_terms, [held[k] for k in keys] if mirror else None)

    out: list[Segment] = []
    for seg in segments:
        alive = [k for k in seg.keys if k in live]
        if not alive:
            continue
        dead = 1 - sum(parts[k].n for k in alive) / max(seg.n_rows, 1)
        out.append(rebuild(alive) if dead > MAX_DEAD else seg)
    if added:
        out.append(build_segment(added, n_terms, added_vectors))
        held |= {p.key: v for p, v in zip(added, added_vectors or [], strict=False)}
    if len(out) > MAX_SEGMENTS:
        out.sort(key=lambda s: -s.n_rows)
        out = [out[0], rebuild([k for s in out[1:] for k in s.keys if k in live])]
    return out
