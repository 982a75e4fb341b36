"""Clause types: which units of a document are, say, an arbitration clause, and what a question asks about.

A logistic regression per type over each unit's embedding (the vector ingest already stores), and one
over the question's embedding (the router), learned by `python -m qa.model.train_types` from lawyers'
labels (CLAUDETTE, OPP-115) and the team's own; the weights are qa/model/clause_types.npz. A document
"has" a type when the mean of two probabilities, its surest unit's and its surest sentence's, passes a
threshold calibrated on documents the model did not see.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.sentences import sentences
from ingest.text import tokens
from qa.corpus import Snapshot
from qa.question import Question

WEIGHTS = Path(__file__).parent / "model" / "clause_types.npz"
LEX_BUCKETS = 4096  # hashed word and word-pair features; a vocabulary-free bag of words
MIN_SENTENCE_CHARS = 20  # shorter "sentences" are list numbers and one-word headings: never trained on


def lexical(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The text's stems and stem pairs, hashed to LEX_BUCKETS, counts scaled to unit length:
    (bucket indices, values). The same function feeds training and tagging."""
    return lexical_of(tokens(text))


def lexical_of(w: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """lexical() of a text already tokenised."""
    grams = [*w, *(f"{a} {b}" for a, b in zip(w, w[1:], strict=False))]
    if not grams:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx = np.fromiter((zlib.crc32(g.encode()) % LEX_BUCKETS for g in grams), dtype=np.int64, count=len(grams))
    buckets, counts = np.unique(idx, return_counts=True)
    return buckets, (counts / np.linalg.norm(counts)).astype(np.float32)


@dataclass(frozen=True)
class TypeInfo:
    name: str  # "arbitration"
    zh: str
    family: str  # "terms" or "privacy"


TYPES: dict[str, TypeInfo] = {
    "a": TypeInfo("arbitration", "仲裁", "terms"),
    "ch": TypeInfo("unilateral change", "单方变更", "terms"),
    "cr": TypeInfo("content removal", "删除内容", "terms"),
    "j": TypeInfo("jurisdiction", "管辖法院", "terms"),
    "law": TypeInfo("choice of law", "适用法律", "terms"),
    "ltd": TypeInfo("limitation of liability", "责任限制", "terms"),
    "ter": TypeInfo("unilateral termination", "单方终止", "terms"),
    "use": TypeInfo("contract by using", "使用即同意", "terms"),
    "renew": TypeInfo("auto-renewal", "自动续订", "terms"),
    "fee": TypeInfo("fees and refunds", "费用和退款", "terms"),
    "susp": TypeInfo("account suspension", "账户暂停", "terms"),
    "first_party": TypeInfo("first-party collection and use", "收集和使用", "privacy"),
    "third_party": TypeInfo("third-party sharing and collection", "第三方共享", "privacy"),
    "choice": TypeInfo("user choice and control", "用户选择和控制", "privacy"),
    "access": TypeInfo("user access, edit and deletion", "查看、更正和删除", "privacy"),
    "retention": TypeInfo("data retention", "数据保留", "privacy"),
    "security": TypeInfo("data security", "数据安全", "privacy"),
    "policy_change": TypeInfo("policy change", "政策变更", "privacy"),
    "dnt": TypeInfo("do not track", "请勿追踪", "privacy"),
    "audiences": TypeInfo("international and specific audiences", "国际和特定受众", "privacy"),
}
WATCH = "watch"  # the router's class for "what should I watch out for?"


@dataclass(frozen=True)
class Router:
    """A logistic regression from a question's embedding to the class it asks about."""

    classes: tuple[str, ...]
    w: np.ndarray  # (dim, classes)
    b: np.ndarray
    decline: float  # from this probability a question is taken to ask about a class
    watch: float  # ...and to ask what to watch out for


def _router(meta: dict, w: np.ndarray, b: np.ndarray) -> Router:
    return Router(
        tuple(meta["classes"]),
        np.ascontiguousarray(w.T),
        b,
        float(meta["decline_probability"]),
        float(meta["watch_probability"]),
    )


@dataclass(frozen=True)
class TypeModel:
    kinds: tuple[str, ...]
    w_emb: np.ndarray  # (dim, kinds): weights of the unit's embedding
    w_lex: np.ndarray  # (LEX_BUCKETS, kinds): weights of its hashed words
    b: np.ndarray
    unit_threshold: np.ndarray
    doc_threshold: float
    levels: dict[str, tuple[tuple[int, ...], np.ndarray, np.ndarray]]  # kind -> (classes, w, b) or constant
    router: Router  # for questions in English
    router_other: Router | None  # for questions in other languages (Chinese too), when shipped


@lru_cache(maxsize=1)
def type_model() -> TypeModel | None:
    """The shipped weights, read at first use; None when the file is missing (types are then unknown)."""
    if not WEIGHTS.exists():
        return None
    with np.load(WEIGHTS) as z:
        a = {k: z[k] for k in z.files}
    meta = json.loads(str(a["meta"]))
    dim = a["router_w"].shape[1]
    w = a["unit_w"]
    levels = {}
    for kind, spec in meta["levels"].items():
        if "constant" in spec:
            levels[kind] = ((int(spec["constant"]),), np.zeros(0), np.zeros(0))
        else:
            levels[kind] = (tuple(spec["classes"]), a[f"level_{kind}_w"], a[f"level_{kind}_b"])
    return TypeModel(
        kinds=tuple(meta["kinds"]),
        w_emb=np.ascontiguousarray(w[:, :dim].T),
        w_lex=np.ascontiguousarray(w[:, dim:].T),
        b=a["unit_b"],
        unit_threshold=a["unit_threshold"],
        doc_threshold=float(meta["doc_threshold"]),
        levels=levels,
        router=_router(meta["router"], a["router_w"], a["router_b"]),
        router_other=_router(meta["router_other"], a["router_other_w"], a["router_other_b"])
        if "router_other" in meta
        else None,
    )


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _scores(m: TypeModel, w_emb: np.ndarray, w_lex: np.ndarray, vector: np.ndarray, words: list[str]) -> np.ndarray:
    buckets, values = lexical_of(words)
    return vector @ w_emb + values @ w_lex[buckets]


def _parts(snap: Snapshot, doc_id: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The document's units (chunk indices); for each, the unit model's probability of each type; and
    the probability of its surest sentence (the unit model's again for a type the sentence model does not
    know): (n,), (n, kinds), (n, kinds). Computed once per document and snapshot; None when no model
    ships or the index is too large to mirror its vectors."""
    m = type_model()
    if m is None or not snap.mirrored:
        return None

    def make() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        idx = np.arange(*snap.doc_slices.get(doc_id, (0, 0)))
        vectors = snap.vectors_at(idx) if len(idx) else []
        z = np.array([_scores(m, m.w_emb, m.w_lex, v, snap.chunk_tokens(i)) for i, v in zip(idx, vectors, strict=True)])
        units = _sigmoid(z.reshape(len(idx), -1) + m.b) if len(idx) else np.zeros((0, len(m.kinds)))
        return idx, units, _sentence_maxima(snap, doc_id, idx, m.kinds, units)

    return snap.once(("clause_types", doc_id), make)


def _sentence_maxima(
    snap: Snapshot, doc_id: str, idx: np.ndarray, kinds: tuple[str, ...], units: np.ndarray
) -> np.ndarray:
    sm = sentence_model()
    out = units.copy()
    if sm is None:
        return out
    cols = [(j, sm.kinds.index(k)) for j, k in enumerate(kinds) if k in sm.kinds]
    text = snap.docs[doc_id].text
    for r, i in enumerate(idx):
        ch = snap.chunks[i]
        best = np.full(len(sm.kinds), -np.inf)  # a unit without a sentence the model reads: probability 0
        for s, e in sentences(text, ch.start, ch.end):
            if e - s >= MIN_SENTENCE_CHARS:
                best = np.maximum(best, sm.logits(text[s:e]))
        sure = _sigmoid(best)
        for j, js in cols:
            out[r, j] = sure[js]
    return out


def unit_probabilities(snap: Snapshot, doc_id: str) -> tuple[np.ndarray, np.ndarray] | None:
    """The document's units (chunk indices) and, for each, how likely it is of each type: (n,), (n, kinds).

    The mean of the unit model's probability and that of the unit's surest sentence: a unit's vector
    blurs a clause that is one sentence of a long section. On the held-out documents it ranked units
    better than the unit model alone for 18 of the 19 types (average precision; arbitration 0.57 ->
    0.73) and tagged them better for 16 (F1; their mean 0.63 -> 0.69)."""
    got = _parts(snap, doc_id)
    if got is None:
        return None
    idx, units, sure = got
    return idx, (units + sure) / 2


def clause_types(snap: Snapshot, clause_id: str) -> list[tuple[str, float]]:
    """The types a clause's units are tagged with (probability at least the type's threshold), surest
    first, each with the surest of its units' probabilities."""
    m = type_model()
    doc_id = clause_id.split("#", 1)[0]
    got = unit_probabilities(snap, doc_id)
    if m is None or got is None:
        return []
    idx, probs = got
    rows = [r for r, i in enumerate(idx) if snap.chunks[i].clause_id == clause_id]
    if not rows:
        return []
    best = probs[rows].max(axis=0)
    tagged = [(k, float(best[j])) for j, k in enumerate(m.kinds) if best[j] >= m.unit_threshold[j]]
    return sorted(tagged, key=lambda kp: -kp[1])


@dataclass(frozen=True)
class Presence:
    kind: str
    present: bool
    score: float  # what doc_threshold is held against: the surest unit's and sentence's mean probability
    units: tuple[int, ...]  # chunk indices tagged with the type, surest first
    probabilities: tuple[float, ...]  # ...and how sure
    surest: tuple[int, float] | None = None  # the unit likeliest of the type, tagged or not, and how likely


def presence(snap: Snapshot, doc_id: str, kind: str) -> Presence | None:
    """Whether the document has a clause of the type, and which of its units are one."""
    m = type_model()
    got = _parts(snap, doc_id)
    if m is None or got is None or kind not in m.kinds:
        return None
    idx, units, sure = got
    probs = (units + sure) / 2  # as unit_probabilities reads each unit
    if not len(idx):
        return Presence(kind, False, 0.0, (), ())
    j = m.kinds.index(kind)
    p = probs[:, j]
    order = np.argsort(-p, kind="stable")
    tagged = [r for r in order if p[r] >= m.unit_threshold[j]]
    # The document as a whole: the mean of its surest unit's and its surest sentence's probability. On
    # the held-out terms it told present from absent at macro-F1 0.96, the surest unit alone at 0.88.
    score = (float(units[:, j].max()) + float(sure[:, j].max())) / 2
    return Presence(
        kind,
        score >= m.doc_threshold,
        score,
        tuple(int(idx[r]) for r in tagged),
        tuple(float(p[r]) for r in tagged),
        (int(idx[order[0]]), float(p[order[0]])),
    )


def level(snap: Snapshot, chunk: int, kind: str) -> int:
    """CLAUDETTE's fairness level of a unit of the type: 3 clearly unfair, 2 potentially unfair, 1 fair."""
    m = type_model()
    spec = m.levels.get(kind) if m else None
    if m is None or spec is None or not snap.mirrored:
        return 2
    classes, w, b = spec
    if len(classes) == 1:
        return classes[0]
    dim = m.w_emb.shape[0]
    scores = _scores(m, w[:, :dim].T, w[:, dim:].T, snap.vectors_at(np.array([chunk]))[0], snap.chunk_tokens(chunk)) + b
    if len(classes) == 2:  # a binary model keeps one row of weights, for the second class
        return int(classes[1] if scores[0] > 0 else classes[0])
    return int(classes[int(np.argmax(scores))])


SENTENCE_WEIGHTS = Path(__file__).parent / "model" / "sentence_types.npz"


@dataclass(frozen=True)
class SentenceModel:
    kinds: tuple[str, ...]
    w: np.ndarray  # (kinds, LEX_BUCKETS): weights of a sentence's hashed words; no embedding
    b: np.ndarray

    def logits(self, text: str) -> np.ndarray:
        """The sentence's score for each type, before the sigmoid: (kinds,)."""
        buckets, values = lexical(text)
        return self.w[:, buckets] @ values + self.b


@lru_cache(maxsize=1)
def sentence_model() -> SentenceModel | None:
    """The weights of `python -m qa.model.train_sentence_types`, read at first use; None when missing."""
    if not SENTENCE_WEIGHTS.exists():
        return None
    with np.load(SENTENCE_WEIGHTS) as z:
        meta = json.loads(str(z["meta"]))
        return SentenceModel(tuple(meta["kinds"]), z["w"].astype(np.float32), z["b"])


def sentence_probabilities(kind: str, texts: list[str]) -> np.ndarray | None:
    """For each sentence, the probability that it is of the type; None when no model knows the type."""
    m = sentence_model()
    if m is None or kind not in m.kinds:
        return None
    j = m.kinds.index(kind)
    return _sigmoid(np.array([float(m.logits(t)[j]) for t in texts]))


def routed_question(q: Question, qvec: np.ndarray) -> tuple[Question, tuple[tuple[str, float], ...]]:
    """The question with the clause type or practice it asks about (the router's surest, when it is a
    type), and what the router reads in it: one place, so that the models learn from questions read as
    the product reads them."""
    routed = route(qvec, other_language=q.third_language or q.zh)
    if routed and routed[0][0] in TYPES:
        q = replace(q, asks=routed[0][0])
    return q, routed


def route(qvec: np.ndarray, other_language: bool = False) -> tuple[tuple[str, float], ...]:
    """What a question asks about, surest first, with the router's probability of each: its classes
    (clause types, WATCH or "other") at or above the probability from which, in cross-validation, its
    routes to a type a document can lack were right 9 times in 10. Empty when it is sure of none.

    other_language: the question is not in English. It is routed by the router that also learned from
    questions in five other languages; the English one, learning from those too, routed English
    questions less well (CLAUDETTE tuning terms: Hit@1 92.0% against 89.0%). Chinese questions about
    the held-out consumer terms found their type's clause first in 92.0% of cases with it, 75.3% with the
    English one (bench/claudette.py --language zh), though it learned from no Chinese question:
    written ones, added, made it worse (84.3%)."""
    m = type_model()
    if m is None:
        return ()
    r = m.router_other if other_language and m.router_other is not None else m.router
    z = qvec @ r.w + r.b
    p = np.exp(z - z.max())
    p /= p.sum()
    bar = {WATCH: max(r.watch, r.decline)}
    return tuple((r.classes[i], float(p[i])) for i in np.argsort(-p) if p[i] >= bar.get(r.classes[i], r.decline))
