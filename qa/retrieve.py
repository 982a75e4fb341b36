"""Hybrid retrieval: BM25 and dense (Chroma) fused by reciprocal rank, scoped to documents, per clause."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ingest.store import Store
from qa.corpus import Snapshot
from qa.types import Hit

POOL = 40  # fused candidates looked at when grouping chunks into clauses
DENSE_POOL = 2000  # nearest chunks asked of Chroma; the rest are scored as the farthest of them
DENSE_WEIGHT = 0.5

_MULTI_DOC = re.compile(
    r"(?i)\b(which|what)\s+(of\s+the\s+)?(services?|documents?|polic(y|ies)|agreements?|terms|companies|platforms?"
    r"|ones?|providers?|docs?)\b|\bcompare\b|\bcomparison\b|\beach\s+(agreement|policy|document|service)\b"
    r"|\bboth\b|\ball\s+(the\s+)?(documents|agreements|policies|services)\b|\bdiffer|\bversus\b|\bvs\.?\b"
    r"|哪些|哪几|分别|比较|对比|各自"
)


def wants_several_documents(question: str, named: Sequence[str]) -> bool:
    """Comparison / cross-document questions get the best clauses of every document."""
    return len(named) >= 2 or bool(_MULTI_DOC.search(question))


def _z(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Standard scores over the in-scope chunks; out-of-scope chunks sink to the bottom."""
    vals = scores[mask]
    if vals.size == 0:
        return np.full(len(scores), -99.0)
    z = (scores - vals.mean()) / (vals.std() + 1e-9)
    return np.where(mask, z, -99.0)


def retrieve(
    snap: Snapshot,
    store: Store,
    question: str,
    qvec: np.ndarray,
    doc_ids: Sequence[str] | None = None,
    k: int = 10,
) -> list[Hit]:
    """The best clauses for a question, best first, one Hit per clause.

    BM25 and dense scores are each standardised over the in-scope chunks and averaged. Measured on
    the development questions, this ranks a gold clause in the top 3 for 37/48 gold documents,
    against 31/48 for reciprocal-rank fusion, 30/48 for dense alone and 35/48 for BM25 alone.
    """
    if k <= 0:
        raise ValueError(f"k must be > 0, got {k}")
    scope = set(doc_ids) if doc_ids else set(snap.docs)
    mask = np.array([c.doc_id in scope for c in snap.chunks], dtype=bool)
    if not mask.any():
        return []
    bm = snap.bm25_scores(question)
    shas = [snap.docs[d].meta.sha256 for d in scope if d in snap.docs]
    dense = np.full(len(snap.chunks), np.nan, dtype=np.float32)
    for cid, sim in store.query(qvec, min(int(mask.sum()), DENSE_POOL), shas):
        i = snap.chunk_index.get(cid)
        if i is not None:  # chunks committed after this snapshot was taken are skipped
            dense[i] = sim
    seen = mask & ~np.isnan(dense)
    floor = float(np.nanmin(dense[seen])) if seen.any() else 0.0
    dense_full = np.where(np.isnan(dense), floor, dense)
    fused = DENSE_WEIGHT * _z(dense_full, mask) + (1 - DENSE_WEIGHT) * _z(bm, mask)
    best: dict[str, Hit] = {}
    for i in np.argsort(-fused)[: max(POOL, 4 * k)]:
        if not mask[i]:
            break
        c = snap.chunks[i]
        if c.clause_id not in best:
            best[c.clause_id] = Hit(
                c.clause_id, c.doc_id, c.start, c.end, float(fused[i]), float(dense_full[i]), float(bm[i])
            )
    return list(best.values())[:k]


def retrieve_per_document(
    snap: Snapshot, store: Store, question: str, qvec: np.ndarray, doc_ids: Sequence[str], k: int = 3
) -> dict[str, list[Hit]]:
    """The best clauses of each document separately, so every document gets its best clauses."""
    return {d: retrieve(snap, store, question, qvec, [d], k) for d in doc_ids}
