"""Clause tree -> chunks: one chunk per citable unit (the parser already cut units to one window, ingest/units.py)."""

from __future__ import annotations

import hashlib
import re

from ingest.text import strip_span
from ingest.types import Chunk, Clause, SourceDoc
from ingest.units import window


def heading_only(doc: SourceDoc, clause: Clause) -> bool:
    """A numbered heading whose words all live in its children ("3、 Account freezing")."""
    own = doc.text[clause.start : clause.body_end].strip()
    return bool(clause.children) and "\n" not in own and clause.titles(own)


def chunk_clauses(doc: SourceDoc, clauses: list[Clause]) -> list[Chunk]:
    """Chunks whose text is an exact slice of the document, carrying the clause they come from.

    A bulleted item of its own few words ("• Email address", "• Logs: 90 days") says nothing alone: it
    joins the unit before it, the sentence that lists it or the items before it, while they fit one
    window, as a list is read. Alone, such items outranked the clauses that answer: a question about
    data leaving Europe was answered with "• Education" and "• Work history", which hold their section's
    heading words and little else."""
    spans: list[tuple[Clause, int, int]] = []
    for c in clauses:
        s, e = strip_span(doc.text, c.start, c.body_end)
        if s == e or heading_only(doc, c):
            continue
        if spans and _joins(doc, c, spans[-1], e):
            spans[-1] = (spans[-1][0], spans[-1][1], e)
            continue
        spans.append((c, s, e))
    out: list[Chunk] = []
    for c, s, e in spans:
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


def _joins(doc: SourceDoc, c: Clause, last: tuple[Clause, int, int], end: int) -> bool:
    """Whether item c goes on the unit before it: a bullet without title or items of its own, right after
    the words that list it (its parent's, or a paragraph beside it: "A Restricted Account cannot:") or an
    item of the same list, the two within one window."""
    unit, s, e = last
    if not _list_item(doc.text, c) or doc.text[e : c.start].strip() or end - s > window(doc.text[s:end]):
        return False
    return unit.clause_id == c.parent_id or (
        unit.parent_id == c.parent_id and (unit.kind == "para" or _list_item(doc.text, unit))
    )


def _list_item(text: str, c: Clause) -> bool:
    """A bulleted item with neither title nor items of its own, whose first line has words ("- ------"
    over "/s/ [Illegible]" is a signature block)."""
    if not (c.kind == "marker" and not c.label and not c.heading and not c.children and c.parent_id):
        return False
    line = text[c.start : c.body_end].strip().split("\n", 1)[0]
    return bool(re.search(r"[^\W_]", line[1:]))


MAX_CONTEXT = 4  # headings the embedded text carries; deeper paths keep the outermost and innermost


def _context(c: Clause) -> list[str]:
    """The clause's place for the embedding model: "3 Accounts › 3.1 Freezing", long paths elided."""
    parts = [p for p in (*c.path, c.title) if p]
    return parts if len(parts) <= MAX_CONTEXT else [parts[0], "…", *parts[-(MAX_CONTEXT - 2) :]]
