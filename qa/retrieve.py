"""Hybrid retrieval: BM25 and dense (Chroma) fused by reciprocal rank, scoped to documents, per clause."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ingest.store import Store
from qa.corpus import Snapshot
from qa.types import Hit

RRF_K = 60
POOL = 40  # candidates each retriever contributes before fusion

_MULTI_DOC = re.compile(
    r"(?i)\b(which|what)\s+(of\s+the\s+)?(services?|documents?|polic(y|ies)|agreements?|terms|companies|platforms?"
    r"|ones?|providers?|docs?)\b|\bcompare\b|\bcomparison\b|\beach\s+(agreement|policy|document|service)\b"
    r"|\bboth\b|\ball\s+(the\s+)?(documents|agreements|policies|services)\b|\bdiffer|\bversus\b|\bvs\.?\b"
    r"|哪些|哪几|分别|比较|对比|各自"
)


def wants_several_documents(question: str, named: Sequence[str]) -> bool:
    """Comparison / cross-document questions get the best clauses of every document."""
    return len(named) >= 2 or bool(_MULTI_DOC.search(question))


def retrieve(
    snap: Snapshot,
    store: Store,
    question: str,
    qvec: np.ndarray,
    doc_ids: Sequence[str] | None = None,
    k: int = 10,
) -> list[Hit]:
    """The best clauses for a question, best first, one Hit per clause."""
    if k <= 0:
        raise ValueError(f"k must be > 0, got {k}")
    scope = set(doc_ids) if doc_ids else set(snap.docs)
    in_scope = np.array([c.doc_id in scope for c in snap.chunks], dtype=bool)
    bm = snap.bm25_scores(question)
    bm = np.where(in_scope, bm, 0.0)
    fused: dict[int, float] = {}
    for rank, i in enumerate(np.argsort(-bm)[:POOL]):
        if bm[i] <= 0:
            break
        fused[int(i)] = fused.get(int(i), 0.0) + 1.0 / (RRF_K + rank)
    shas = [snap.docs[d].meta.sha256 for d in scope if d in snap.docs]
    dense: dict[int, float] = {}
    for rank, (cid, sim) in enumerate(store.query(qvec, POOL, shas)):
        i = snap.chunk_index.get(cid)
        if i is None:
            continue  # committed after this snapshot was taken
        dense[i] = sim
        fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank)
    best: dict[str, Hit] = {}
    for i, score in fused.items():
        c = snap.chunks[i]
        h = Hit(c.clause_id, c.doc_id, c.start, c.end, score, dense.get(i, 0.0), float(bm[i]))
        old = best.get(c.clause_id)
        if old is None or h.score > old.score:
            best[c.clause_id] = h
    hits = sorted(best.values(), key=lambda h: -h.score)
    return hits[:k]


def retrieve_per_document(
    snap: Snapshot, store: Store, question: str, qvec: np.ndarray, doc_ids: Sequence[str], k: int = 3
) -> dict[str, list[Hit]]:
    """The best clauses of each document separately, so every document gets its best clauses."""
    return {d: retrieve(snap, store, question, qvec, [d], k) for d in doc_ids}
