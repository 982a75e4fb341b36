"""Clause tree -> chunks: one chunk per citable unit (the parser already cut units to one window, ingest/units.py)."""

from __future__ import annotations

import hashlib

from ingest.text import strip_span
from ingest.types import Chunk, Clause, SourceDoc


def heading_only(doc: SourceDoc, clause: Clause) -> bool:
    """A numbered heading whose words all live in its children ("3、 Account freezing")."""
    own = doc.text[clause.start : clause.body_end].strip()
    return bool(clause.children) and "\n" not in own and bool(clause.heading)


def chunk_clauses(doc: SourceDoc, clauses: list[Clause]) -> list[Chunk]:
    """Chunks whose text is an exact slice of the document, carrying the clause they come from."""
    out: list[Chunk] = []
    for c in clauses:
        s, e = strip_span(doc.text, c.start, c.body_end)
        if s == e or heading_only(doc, c):
            continue
        piece = doc.text[s:e]
        digest = hashlib.sha256(f"{doc.doc_id}\x00{doc.sha256}\x00{s}\x00{piece}".encode()).hexdigest()
        out.append(
            Chunk(
                chunk_id=digest[:32],
                clause_id=c.clause_id,
                doc_id=doc.doc_id,
                start=s,
                end=e,
                text=piece,
                embed_text=f"{doc.title}\n{' › '.join(_context(c))}\n{piece}",
            )
        )
    return out


MAX_CONTEXT = 4  # headings the embedded text carries; deeper paths keep the outermost and innermost


def _context(c: Clause) -> list[str]:
    """The clause's place for the embedding model: "3 Accounts › 3.1 Freezing", long paths elided."""
    parts = [p for p in (*c.path, c.title) if p]
    return parts if len(parts) <= MAX_CONTEXT else [parts[0], "…", *parts[-(MAX_CONTEXT - 2) :]]
