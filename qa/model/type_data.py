"""Training data for the clause-type detector: units and sentences of labelled documents, with their types.

Units are what the product tags (one chunk per citable unit, embedded as ingest embeds it, so the
vectors are the ones a Snapshot already holds). Sentences are embedded only here, to report figures at
the grain CLAUDETTE reports them. Reads ../shared/eval and bench/labels; never imported by the product.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.embed import E5Embedding, EmbeddingCache, embed_cached
from ingest.load import load_document
from ingest.pipeline import prepare
from ingest.sentences import sentences
from qa.clause_types import MIN_SENTENCE_CHARS

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval"
CLAUDETTE = EVAL / "claudette-train"
POLICYQA = EVAL / "policyqa-dev"
EXTRA = ROOT / "bench" / "labels" / "extra_types.jsonl"
# Newer platforms' terms (2020-2025), labelled with CLAUDETTE's 8 types (bench/labels/modern/README.md):
# CLAUDETTE's documents are of 2006-2017. Scored, not trained on (see qa/model/train_types.py). Same
# layout as claudette-train.
MODERN = ROOT / "bench" / "labels" / "modern"
CACHE = ROOT / "bench" / "out" / "types" / "embeddings.sqlite"

# OPP-115 category -> the product's privacy type.
OPP115 = {
    "First Party Collection/Use": "first_party",
    "Third Party Sharing/Collection": "third_party",
    "User Choice/Control": "choice",
    "User Access, Edit and Deletion": "access",
    "Data Retention": "retention",
    "Data Security": "security",
    "Policy Change": "policy_change",
    "Do Not Track": "dnt",
    "International and Specific Audiences": "audiences",
}
CONSUMER = ("a", "ch", "cr", "j", "law", "ltd", "ter", "use")
EXTRA_TYPES = ("renew", "fee", "susp")


@dataclass
class Item:
    """A unit or a sentence of a labelled document."""

    doc: str
    corpus: str  # "claudette", "modern" or "policyqa"
    start: int
    end: int
    unit: int  # index of the unit it belongs to (its own index for a unit)
    types: set[str] = field(default_factory=set)
    levels: dict[str, int] = field(default_factory=dict)  # CLAUDETTE fairness level per type


@dataclass
class Labelled:
    docs: dict[str, str]  # name -> text
    units: list[Item]
    unit_vectors: np.ndarray
    sents: list[Item]
    sent_vectors: np.ndarray
    absent: set[tuple[str, str]]  # (doc, type) known to have no clause of the type
    spans: dict[tuple[str, str], list[tuple[int, int]]]  # (doc, type) -> gold spans
    known: dict[str, set[str]]  # doc -> the types its labels speak for (present or absent)


def _spans() -> tuple[dict[tuple[str, str], list[tuple[int, int, int]]], set[tuple[str, str]], dict[str, str]]:
    """(doc, type) -> [(start, end, level)], the absent pairs, and doc -> corpus."""
    spans: dict[tuple[str, str], list[tuple[int, int, int]]] = defaultdict(list)
    absent: set[tuple[str, str]] = set()
    corpus: dict[str, str] = {}
    for line in (CLAUDETTE / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        lab = json.loads(line)
        spans[(lab["doc"], lab["category"])].append((lab["start"], lab["end"], lab["level"]))
    for line in (CLAUDETTE / "absent.jsonl").read_text(encoding="utf-8").splitlines():
        a = json.loads(line)
        absent.add((a["doc"], a["category"]))
    for p in sorted((CLAUDETTE / "docs").glob("*.txt")):
        corpus[p.name] = "claudette"
    if (MODERN / "labels.jsonl").exists():
        for lab in map(json.loads, (MODERN / "labels.jsonl").read_text(encoding="utf-8").splitlines()):
            spans[(lab["doc"], lab["category"])].append((lab["start"], lab["end"], 0))
        for a in map(json.loads, (MODERN / "absent.jsonl").read_text(encoding="utf-8").splitlines()):
            absent.add((a["doc"], a["category"]))
        for p in sorted((MODERN / "docs").glob("*.txt")):
            corpus[p.name] = "modern"
    if EXTRA.exists():
        for line in EXTRA.read_text(encoding="utf-8").splitlines():
            lab = json.loads(line)
            if lab.get("absent"):
                absent.add((lab["doc"], lab["category"]))
            else:
                spans[(lab["doc"], lab["category"])].append((lab["start"], lab["end"], 0))
    for line in (POLICYQA / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        kinds = {OPP115[o.split("|||")[0]] for o in q.get("opp115", []) if o.split("|||")[0] in OPP115}
        for g in q.get("gold", []):
            corpus[g["doc"]] = "policyqa"
            for k in kinds:
                spans[(g["doc"], k)].append((g["start"], g["end"], 0))
    return spans, absent, corpus


def _label(item: Item, doc_spans: dict[str, list[tuple[int, int, int]]]) -> None:
    """A type belongs to a unit or sentence that holds at least half of one of its spans, or whose own
    words are at least half that span (a long span over several sentences)."""
    for kind, spans in doc_spans.items():
        for s, e, level in spans:
            overlap = min(e, item.end) - max(s, item.start)
            if overlap > 0 and (overlap >= 0.5 * (e - s) or overlap >= 0.5 * (item.end - item.start)):
                item.types.add(kind)
                if level:
                    item.levels[kind] = max(item.levels.get(kind, 0), level)


def collect(progress: bool = True) -> Labelled:
    spans, absent, corpus = _spans()
    ef = E5Embedding()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    cache = EmbeddingCache(CACHE)
    docs: dict[str, str] = {}
    units: list[Item] = []
    unit_texts: list[str] = []
    sents: list[Item] = []
    sent_texts: list[str] = []
    by_doc: dict[str, dict[str, list[tuple[int, int, int]]]] = defaultdict(dict)
    for (doc, kind), ss in spans.items():
        by_doc[doc][kind] = ss
    for name, where in sorted(corpus.items()):
        folder = {"claudette": CLAUDETTE, "modern": MODERN, "policyqa": POLICYQA}[where] / "docs"
        prepared = prepare(load_document(folder / name))
        text = prepared.doc.text
        raw = (folder / name).read_text(encoding="utf-8")
        if text != raw:  # labels are offsets into the file as read; loading must keep them valid
            raise SystemExit(f"{name}: the loader changed the text; label offsets would not hold")
        docs[name] = text
        for ch in prepared.chunks:
            u = Item(name, where, ch.start, ch.end, len(units))
            _label(u, by_doc[name])
            units.append(u)
            unit_texts.append(ch.embed_text)
            for s, e in sentences(text, ch.start, ch.end):
                if e - s < MIN_SENTENCE_CHARS:
                    continue
                it = Item(name, where, s, e, u.unit)
                _label(it, by_doc[name])
                sents.append(it)
                sent_texts.append(text[s:e])

    def report(done: int, total: int) -> None:
        if progress and (done == total or done % 512 == 0):
            print(f"  embedded {done}/{total}", flush=True)

    uv = embed_cached(unit_texts, ef, cache, progress=report)
    sv = embed_cached(sent_texts, ef, cache, progress=report)
    known: dict[str, set[str]] = defaultdict(set)
    for doc, where in corpus.items():
        if where in ("claudette", "modern"):
            known[doc] |= set(CONSUMER)
            known[doc] |= {k for k in EXTRA_TYPES if (doc, k) in absent or (doc, k) in spans}
    gold = {key: [(s, e) for s, e, _ in ss] for key, ss in spans.items()}
    return Labelled(docs, units, uv, sents, sv, absent, gold, dict(known))


def split(name: str) -> dict[str, list[str]]:
    """A development set's split by document (bench/splits/NAME.json): its "tune" and "heldout" parts."""
    return json.loads((ROOT / "bench" / "splits" / f"{name}.json").read_text(encoding="utf-8"))
