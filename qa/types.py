"""What retrieval and answering return."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["answered", "not_addressed"]


@dataclass(frozen=True)
class Hit:
    """A retrieved clause, with the chunk that matched and how each retriever ranked it."""

    clause_id: str
    doc_id: str
    chunk_start: int
    chunk_end: int
    score: float  # fused (reciprocal rank)
    dense: float  # cosine similarity of the best chunk, 0 if dense did not return it
    bm25: float  # raw BM25 of the best chunk


@dataclass(frozen=True)
class Parallel:
    clause_id: str
    label: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Citation:
    n: int
    doc: str  # the document's source file name
    doc_id: str
    title: str  # the document's title
    clause_id: str
    label: str
    heading: str
    path: list[str]
    start: int
    end: int
    quote: str  # == document text[start:end], always
    clause_start: int
    clause_end: int
    parallel: Parallel | None = None
    page: int | None = None  # 1-based page of the quote's start, for PDFs
    source_url: str = ""  # for documents ingested by URL
    previous: str | None = None  # in an answer about changes: the clause's wording in the earlier version
    change: str | None = None  # ...and how it changed: "modified", "added" or "moved"
    # The words of it the answer's text quotes (its best sentences), when they are fewer than its own.
    focus: tuple[int, int] | None = None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        return d


@dataclass
class Answer:
    question: str
    status: Status
    text: str
    citations: list[Citation] = field(default_factory=list)
    related: list[Citation] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    mode: str = "extractive"
    kind: str = "search"  # "search", "lookup", or "outline" (a document's sections, when only its name was asked)
    scope: list[str] = field(default_factory=list)
    notice: str | None = None  # what the reader should know: no written (LLM) answer, no such document…
    removed: dict[str, int] = field(default_factory=dict)  # what the citation gate dropped
    follows: str | None = None  # the earlier question this one ("And the App?") asked again of its documents

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "status": self.status,
            "answer": self.text,
            "citations": [c.to_json() for c in self.citations],
            "related": [c.to_json() for c in self.related],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "mode": self.mode,
            "kind": self.kind,
            "scope": self.scope,
            "notice": self.notice,
            "removed": self.removed,
            "follows": self.follows,
        }
