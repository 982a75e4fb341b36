"""Clause tree -> chunks. One chunk per clause's own text; long clauses are split inside."""

from __future__ import annotations

import hashlib
import re

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.text import is_cjk_text, strip_span
from ingest.types import Chunk, Clause, SourceDoc

MAX_CHARS = {"en": 1000, "zh": 450}  # both stay well inside the model's 512-token window


def _splitter(lang: str) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=MAX_CHARS[lang],
        chunk_overlap=0,
        separators=["\n\n", "\n", "。", ". ", "；", "; ", ",", ", ", " ", ""],
        keep_separator="end",
    )


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
        pieces = []
        for ps, pe in paragraphs(doc.text, s, e):
            lang = "zh" if is_cjk_text(doc.text[ps:pe]) else "en"
            pieces += [(ps, pe)] if pe - ps <= MAX_CHARS[lang] else _split(doc.text, ps, pe, lang)
        context = " › ".join(_context(c))
        for ps, pe in pieces:
            piece = doc.text[ps:pe]
            digest = hashlib.sha256(f"{doc.doc_id}\x00{doc.sha256}\x00{ps}\x00{piece}".encode()).hexdigest()
            out.append(
                Chunk(
                    chunk_id=digest[:32],
                    clause_id=c.clause_id,
                    doc_id=doc.doc_id,
                    start=ps,
                    end=pe,
                    text=piece,
                    embed_text=f"{doc.title}\n{context}\n{piece}",
                )
            )
    return out


MAX_CONTEXT = 4  # headings the embedded text carries; deeper paths keep the outermost and innermost


def _context(c: Clause) -> list[str]:
    """The clause's place for the embedding model: "3 Accounts › 3.1 Freezing", long paths elided."""
    parts = [p for p in (*c.path, c.title) if p]
    return parts if len(parts) <= MAX_CONTEXT else [parts[0], "…", *parts[-(MAX_CONTEXT - 2) :]]


MIN_PARAGRAPH = 80  # a shorter paragraph (a heading line, "除非:") joins the next one


def paragraphs(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Blank-line separated paragraphs of text[s:e]; short ones are joined to the one after."""
    spans: list[tuple[int, int]] = []
    pos = s
    for m in re.finditer(r"\n[ \t\u3000]*\n\s*", text[s:e]):
        spans.append(strip_span(text, pos, s + m.start()))
        pos = s + m.end()
    spans.append(strip_span(text, pos, e))
    spans = [sp for sp in spans if sp[1] > sp[0]]
    out: list[tuple[int, int]] = []
    carry: int | None = None
    for ps, pe in spans:
        start = carry if carry is not None else ps
        if pe - start < MIN_PARAGRAPH and (ps, pe) != spans[-1]:
            carry = start
            continue
        out.append((start, pe))
        carry = None
    return out


def _split(text: str, s: int, e: int, lang: str) -> list[tuple[int, int]]:
    # The splitter returns strings; find each one again to recover exact offsets.
    spans: list[tuple[int, int]] = []
    cursor = s
    for piece in _splitter(lang).split_text(text[s:e]):
        at = text.find(piece, cursor, e)
        if at < 0:
            raise AssertionError(f"splitter produced text not in the clause: {piece[:40]!r}")
        ps, pe = strip_span(text, at, at + len(piece))
        if pe > ps:
            spans.append((ps, pe))
        cursor = at + len(piece)
    return spans
