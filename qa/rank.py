"""Learned ranking of retrieved units: a logistic regression over retrieval features.

The weights live in qa/model/ranker.json, written by `python -m qa.model.train` from the tuning half of
policyqa-dev (split by policy, bench/splits/policyqa.json); that script prints its held-out figures.
The features are numbers about a unit and the question, never words.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from qa.cite import idf
from qa.clause_types import TYPES, type_model, unit_probabilities
from qa.concepts import foreign_terms
from qa.corpus import Snapshot
from qa.lexicon import coverage
from qa.question import Question
from qa.types import Hit

WEIGHTS = Path(__file__).parent / "model" / "ranker.json"
RANK_POOL = 20  # the units retrieval ranks highest that the rankers learned to order

FEATURES = (
    "fused",  # the hybrid retrieval score (dense and BM25 standardised over the scope, averaged)
    "fused_gap",  # how far below the best unit's fused score
    "dense",  # cosine similarity of the question and the unit
    "dense_gap",  # how far below the best unit's cosine
    "bm25_share",  # BM25 over the best unit's BM25
    "rank",  # 1 / (1 + retrieval rank)
    "coverage",  # weighted share of the question's words (or lexicon siblings) the unit holds
    "log_chars",  # the unit's length
    "position",  # where the unit sits in its document (0 first, 1 last)
)
# The ranker of a question about a privacy practice ("is my data passed on?") asked of one policy: the
# same features, and how likely the unit is of the practice (qa.clause_types, learned from OPP-115).
PRACTICE_FEATURES = (*FEATURES, "practice")


# What says whether the scoped documents answer at all, from the question and its best units.
DECLINE_FEATURES = (
    "fused_top",  # the best hybrid score: how far the best unit stands out from the scope's others
    "p_any5",  # ...that at least one of its first five answers
    "dense_top",  # the best cosine similarity
    "coverage_top",  # how much of the question the best unit holds
    "vocab_share",  # how much of the question the scoped documents hold anywhere
    "bm25_top",  # the best lexical match (log)
    "foreign_share",  # share of the question's legal concepts the documents never mention, in any wording
    "missing_idf",  # the rarest question word the documents lack, as a share of the rarest word asked
)


@dataclass(frozen=True)
class Ranker:
    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    low: np.ndarray  # the training data's 1st and 99th percentiles: a corpus unlike it (a thousand
    high: np.ndarray  # one-line clauses) must not push a linear model far outside what it learned from

    def probability(self, x: np.ndarray) -> np.ndarray:
        z = ((np.clip(x, self.low, self.high) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class Models:
    rank: Ranker
    answers: Ranker  # P(the scoped documents answer the question)
    decline_below: float  # chosen on the tuning data for at most 5% false declines
    practice: Ranker | None = None  # PRACTICE_FEATURES; None in weights written before it
    # How much the practice ranker counts against the general one in a privacy-practice question's order
    # (qa/model/train.py learns it): 1 in weights written before it.
    practice_share: float = 1.0


def from_weights(data: dict) -> Ranker:
    """A model from its stored weights (the "rank" or "answers" part of ranker.json)."""
    arrays = [np.array(data[k]) for k in ("mean", "scale", "coef", "low", "high")]
    return Ranker(tuple(data.get("features", ())), *arrays[:3], float(data["intercept"]), *arrays[3:])


def _model(data: dict, names: tuple[str, ...]) -> Ranker | None:
    if tuple(data["features"]) != names:
        return None  # weights of another feature set: retrain
    return from_weights(data)


@lru_cache(maxsize=1)
def models() -> Models | None:
    """The shipped weights, read once on first use; None when absent or stale (the rules fall back)."""
    if not WEIGHTS.exists():
        return None
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    rank, answers = _model(data["rank"], FEATURES), _model(data["answers"], DECLINE_FEATURES)
    if rank is None or answers is None:
        return None
    practice = _model(data["practice"], PRACTICE_FEATURES) if "practice" in data else None
    share = float(data["practice"].get("share", 1.0)) if "practice" in data else 1.0
    return Models(rank, answers, float(data["answers"]["decline_below"]), practice, share)


def ranker() -> Ranker | None:
    m = models()
    return m.rank if m else None


def features(snap: Snapshot, q: Question, hits: Sequence[Hit]) -> np.ndarray:
    """One row of FEATURES per hit, in the hits' order."""
    if not hits:
        return np.zeros((0, len(FEATURES)))
    weights = idf(snap, q.topic)
    top_fused = max(h.score for h in hits)
    top_dense = max(h.dense for h in hits)
    top_bm = max(max(h.bm25 for h in hits), 1e-9)
    rows = []
    for i, h in enumerate(hits):
        view = snap.docs[h.doc_id]
        words = snap.span_tokens(h.doc_id, h.chunk_start, h.chunk_end)
        rows.append(
            [
                h.score,
                top_fused - h.score,
                h.dense,
                top_dense - h.dense,
                h.bm25 / top_bm,
                1.0 / (1 + i),
                coverage(q, words, weights) if q.topic else 0.0,
                math.log1p(h.chunk_end - h.chunk_start),
                h.chunk_start / max(len(view.text), 1),
            ]
        )
    return np.array(rows, dtype=float)


def practice_features(
    snap: Snapshot, q: Question, hits: Sequence[Hit], routed: Sequence[tuple[str, float]]
) -> np.ndarray:
    """One row of PRACTICE_FEATURES per hit: FEATURES, then how likely the unit is what the question asks
    about: over the practices the router reads in it (routed: practice, probability), the sum of
    p(practice | question) × p(unit is of the practice), over the sum of the first. Not the surest
    practice alone: "do they sell my data?" reads as collection and use first, sharing third."""
    kind = np.zeros((len(hits), 1))
    m = type_model()
    asked = [(m.kinds.index(k), p) for k, p in routed if m and k in m.kinds and TYPES[k].family == "privacy"]
    if m is None or not asked:
        return np.hstack([features(snap, q, hits), kind])
    columns, weights = list(zip(*asked, strict=True))
    for d in {h.doc_id for h in hits}:
        if (units := unit_probabilities(snap, d)) is None:
            continue
        # Made once per document and snapshot: a policy can have thousands of units.
        starts = snap.once(("unit starts", d), lambda u=units[0]: np.array([snap.chunks[i].start for i in u]))
        rows = [r for r, h in enumerate(hits) if h.doc_id == d]
        # A hit may be a part of a long unit: it has the probability of the unit it lies in.
        at = np.searchsorted(starts, [hits[r].chunk_start for r in rows], side="right") - 1
        found = at >= 0
        mix = units[1][np.ix_(at[found], columns)] @ np.array(weights) / sum(weights)
        kind[np.array(rows)[found], 0] = mix
    return np.hstack([features(snap, q, hits), kind])


def rerank_practice(
    snap: Snapshot, q: Question, hits: Sequence[Hit], routed: Sequence[tuple[str, float]]
) -> list[Hit] | None:
    """Hits in the practice ranker's order, blended with the general ranker's; None without its weights."""
    m = models()
    if m is None or m.practice is None:
        return None
    p = practice_order_scores(m.practice, m.rank, m.practice_share, practice_features(snap, q, hits, routed))
    return [hits[i] for i in sorted(range(len(hits)), key=lambda i: -p[i])]


def practice_order_scores(practice: Ranker, rank: Ranker, share: float, x: np.ndarray) -> np.ndarray:
    """What orders a privacy-practice question's units (x: PRACTICE_FEATURES rows): the practice
    ranker's probability, `share` of it, and the general ranker's for the rest. The practice ranker
    learned from annotators' questions, which the question router reads as it was trained to; a user's
    question it misreads ("is my information sold?" as collection, "does it give my information to the
    police?" too) had its first unit chosen for the wrong practice."""
    return share * practice.probability(x) + (1 - share) * rank.probability(x[:, : len(FEATURES)])


# The features that compare the question's words with the documents' own. Between a question and
# documents in another language (Chinese and English, Spanish and English…) they only say that the
# words differ: the models learned from questions in their documents' language, so there they are
# given their training mean and the dense features decide. Without this, 15 of 18 questions in five
# European languages about English documents were declined (bench/languages/heldout.jsonl).
WORD_FEATURES = ("coverage_top", "vocab_share", "bm25_top", "missing_idf")
_WORD_COLUMNS = [DECLINE_FEATURES.index(f) for f in WORD_FEATURES]
_RANK_WORD_COLUMNS = [FEATURES.index(f) for f in ("bm25_share", "coverage")]


def in_other_language(snap: Snapshot, q: Question, scope: Sequence[str]) -> bool:
    """None of the scoped documents is written in the question's language."""
    return bool(scope) and not any(q.speaks(snap.docs[d].meta.lang) for d in scope)


def answer_features(snap: Snapshot, q: Question, hits: Sequence[Hit], scope: Sequence[str]) -> np.ndarray:
    """DECLINE_FEATURES for a question, its retrieved units (retrieval order) and the scoped documents."""
    model = ranker()
    if not hits or model is None:
        return np.zeros(len(DECLINE_FEATURES))
    x = features(snap, q, hits)
    if in_other_language(snap, q, scope):
        x[:, _RANK_WORD_COLUMNS] = model.mean[_RANK_WORD_COLUMNS]  # see WORD_FEATURES
    p = model.probability(x)
    inside = snap.words_of(scope)
    best = int(np.argmax(p))
    weights = idf(snap, q.topic)
    missing = [weights[t] for t in q.topic if t not in inside]
    return np.array(
        [
            max(h.score for h in hits),
            float(1 - np.prod(1 - np.sort(p)[::-1][:5])),
            max(h.dense for h in hits),
            x[best, FEATURES.index("coverage")],
            coverage(q, inside, weights) if q.topic else 0.0,
            math.log1p(max(h.bm25 for h in hits)),
            len(foreign_terms(snap, q, scope)) / max(len(q.topic), 1),
            max(missing, default=0.0) / max(weights.values(), default=1.0),
        ]
    )


def answers_probability(snap: Snapshot, q: Question, hits: Sequence[Hit], scope: Sequence[str]) -> float | None:
    """The calibrated probability that the scoped documents answer; None without shipped weights."""
    m = models()
    if m is None:
        return None
    x = answer_features(snap, q, hits, scope)
    if in_other_language(snap, q, scope):
        x[_WORD_COLUMNS] = m.answers.mean[_WORD_COLUMNS]
    return float(m.answers.probability(x[None, :])[0])


def rerank(snap: Snapshot, q: Question, hits: Sequence[Hit]) -> list[Hit]:
    """Hits ordered by the learned probability that they answer; the retrieval order without weights."""
    model = ranker()
    if model is None or len(hits) < 2:
        return list(hits)
    p = model.probability(features(snap, q, hits))
    order = sorted(range(len(hits)), key=lambda i: -p[i])
    return [hits[i] for i in order]
