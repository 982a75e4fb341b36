"""Hybrid retrieval: BM25 and dense (Chroma) scores fused, scoped to documents, grouped per clause.

Two fusions are offered. "zscore" (the default) standardises each retriever's scores over the
in-scope chunks and averages them; "rrf" is reciprocal-rank fusion. `python bench/retrieval_quality.py`
compares them on the development questions: zscore puts a gold clause in the top 3 for more gold
documents, because it keeps how far ahead a clear winner is, which ranks throw away.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ingest.store import Store
from qa.corpus import Snapshot
from qa.question import Question
from qa.types import Hit

POOL = 40  # fused candidates looked at when grouping chunks into clauses
DENSE_POOL = 2000  # nearest chunks asked of Chroma; the rest are scored as the farthest of them
DENSE_WEIGHT = 0.5
RRF_K = 60
FUSIONS = ("zscore", "rrf")


def _z(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Standard scores over the in-scope chunks; out-of-scope chunks sink to the bottom."""
    vals = scores[mask]
    if vals.size == 0:
        return np.full(len(scores), -99.0)
    z = (scores - vals.mean()) / (vals.std() + 1e-9)
    return np.where(mask, z, -99.0)


def _rrf(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    order = np.argsort(-np.where(mask, scores, -np.inf))
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(len(scores))
    return np.where(mask, 1.0 / (RRF_K + ranks), 0.0)


def chunk_scores(
    snap: Snapshot, store: Store, q: Question, qvec: np.ndarray, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(dense cosine, BM25) for every chunk. Dense comes from the snapshot's copy of the vectors (or
    Chroma's nearest-neighbour search for large indexes), with the cross-language gap closed."""
    in_scope = set(snap.docs) if mask.all() else set(snap.chunk_doc[mask])
    scoped = len(in_scope) < len(snap.docs)
    bm = snap.bm25_scores(q, snap.name_tokens(in_scope) if scoped else frozenset(), in_scope if scoped else None)
    shas = [snap.docs[d].meta.sha256 for d in in_scope] if len(in_scope) < len(snap.docs) else None
    if snap.mirrored:
        # The same cosine similarity Chroma computes, over the snapshot's mirror of its vectors.
        # Only the in-scope rows: a question about one document of thousands multiplies a few dozen.
        rows = np.flatnonzero(mask)
        sims = snap.similarity(qvec, rows if len(rows) < len(mask) else None)[: len(mask)]
        dense = np.full(len(mask), float(sims.min()) if len(sims) else 0.0, dtype=np.float32)
        dense[rows] = sims
    else:
        dense = np.full(len(snap.chunks), np.nan, dtype=np.float32)
        for cid, sim in store.query(qvec, min(int(mask.sum()), DENSE_POOL), shas):
            i = snap.chunk_index.get(cid)
            if i is not None:  # chunks committed after this snapshot was taken are skipped
                dense[i] = sim
        seen = mask & ~np.isnan(dense)
        floor = float(np.nanmin(dense[seen])) if seen.any() else 0.0
        dense = np.where(np.isnan(dense), floor, dense)
    return across_languages(snap, q, dense), bm


LANGUAGE_GAP = 0.06
# A question in a third language (Spanish, German…) scores about 0.03 lower against English text than
# the same question in English (bench/language_gap.py: 0.018 French to 0.036 German, five languages).
OTHER_LANGUAGE_GAP = 0.03


def across_languages(snap: Snapshot, q: Question, dense: np.ndarray) -> np.ndarray:
    """Dense similarity with the cross-language gap closed.

    The multilingual model scores a Chinese clause about 0.06 lower against an English question than
    an English clause saying the same (and the reverse), so a Chinese-only policy would never rank
    beside English terms in a question across documents. A bilingual document answers in the
    question's language and gets no help. A question in another language ("¿Pueden cerrar mi
    cuenta?") gets the smaller gap of such languages on every document not written in it, so that it
    is declined or answered as surely as the same question in the documents' language would be.
    """
    if not len(dense):
        return dense
    if not q.third_language:
        other = snap.chunk_en if q.zh else snap.chunk_zh
        return (dense + LANGUAGE_GAP * other).astype(np.float32)
    foreign = np.array([not q.speaks(lang) for lang in snap.languages], dtype=bool)
    return (dense + OTHER_LANGUAGE_GAP * foreign[snap.chunk_language]).astype(np.float32)


def fuse(dense: np.ndarray, bm: np.ndarray, mask: np.ndarray, fusion: str = "zscore") -> np.ndarray:
    if fusion == "zscore":
        return DENSE_WEIGHT * _z(dense, mask) + (1 - DENSE_WEIGHT) * _z(bm, mask)
    if fusion == "rrf":
        return _rrf(dense, mask) + _rrf(bm, mask)
    raise ValueError(f"unknown fusion {fusion!r}; choose from: {', '.join(FUSIONS)}")


def retrieve(
    snap: Snapshot,
    store: Store,
    q: Question,
    qvec: np.ndarray,
    doc_ids: Sequence[str] | None = None,
    k: int = 10,
    fusion: str = "zscore",
) -> list[Hit]:
    """The best clauses for a question, best first, one Hit per clause."""
    if k <= 0:
        raise ValueError(f"k must be > 0, got {k}")
    mask = snap.in_docs(doc_ids if doc_ids else snap.docs)
    if not mask.any():
        return []
    dense, bm = chunk_scores(snap, store, q, qvec, mask)
    return _best_clauses(snap, fuse(dense, bm, mask, fusion), dense, bm, mask, k)


def _best_clauses(
    snap: Snapshot, fused: np.ndarray, dense: np.ndarray, bm: np.ndarray, mask: np.ndarray, k: int
) -> list[Hit]:
    best: dict[str, Hit] = {}
    for i in np.argsort(-fused)[: max(POOL, 4 * k)]:
        if not mask[i]:
            break
        c = snap.chunks[i]
        if c.clause_id not in best:
            best[c.clause_id] = Hit(
                c.clause_id, c.doc_id, c.start, c.end, float(fused[i]), float(dense[i]), float(bm[i])
            )
    return list(best.values())[:k]


def retrieve_per_document(
    snap: Snapshot,
    store: Store,
    q: Question,
    qvec: np.ndarray,
    doc_ids: Sequence[str],
    k: int = 3,
    fusion: str = "zscore",
) -> tuple[dict[str, list[Hit]], dict[str, float]]:
    """The best clauses of each document separately, so every document gets its best clauses; and
    how far each document's best chunk scores below the best chunk of all of them (0 for the best),
    which says which documents speak to the question about as well as the best one does.

    Both come from one scoring of the chunks: each document's clauses are ranked by scores
    standardised over that document alone, the standing by scores standardised over all of them.
    """
    mask = snap.in_docs(doc_ids)
    if not mask.any():
        return {d: [] for d in doc_ids}, {}
    dense, bm = chunk_scores(snap, store, q, qvec, mask)
    fused = fuse(dense, bm, mask, fusion)
    hits: dict[str, list[Hit]] = {}
    best: dict[str, float] = {}
    for d in doc_ids:
        own = snap.in_docs([d])
        hits[d] = _best_clauses(snap, fuse(dense, bm, own, fusion), dense, bm, own, k) if own.any() else []
        if own.any():
            best[d] = float(fused[own].max())
    top = max(best.values(), default=0.0)
    return hits, {d: v - top for d, v in best.items()}
