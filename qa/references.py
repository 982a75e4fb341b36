"""Cross-references inside a clause ("as described in Article 3.1 above", "see Section 6.2",
"refer to Service Change, Interruption or Termination", "第三条"): the clauses they point to."""

from __future__ import annotations

import re

from ingest.types import Clause
from qa.corpus import Snapshot
from qa.lookup import by_label, by_value, find_by_heading, label_value

_CN = "一二三四五六七八九十百零〇两"
_NUMBERED = re.compile(
    r"(?i)\b(?:article|section|clause|paragraph|item|point)s?\s+(\d{1,3}(?:\.\d{1,3})*|[ivxlc]{1,6})\b"
    r"|(?<![\d.])(\d{1,3}(?:\.\d{1,3})+)(?![\d])(?=\s+(?:above|below|hereof|of this))"
)
_CN_REF = re.compile(rf"第\s*([{_CN}\d]+)\s*条")
_NAMED = re.compile(
    r"(?i)\b(?:refer to|see|described in|set out in|under)\s+(?:the\s+)?([A-Z][\w ,&/-]{3,60}?)(?=\s+(?:for|section|clause|part)\b|[.;,)]|$)"
)


def referenced(snap: Snapshot, c: Clause, start: int, end: int) -> list[Clause]:
    """Clauses of the same document that text[start:end] of clause `c` refers to, in order."""
    text = snap.docs[c.doc_id].text[start:end]
    own = {c.clause_id, *(_ancestors(snap, c))}
    found: list[Clause] = []
    for m in _NUMBERED.finditer(text):
        ref = m.group(1) or m.group(2)
        hits = by_label(snap, ref, [c.doc_id]) if "." in ref else by_value(snap, label_value(ref), [c.doc_id], None)
        found += [h for h in hits if h.lang == c.lang][:1]
    for m in _CN_REF.finditer(text):
        found += [h for h in by_value(snap, label_value(m.group(1)), [c.doc_id], None) if h.lang == c.lang][:1]
    for m in _NAMED.finditer(text):
        found += [h for h in find_by_heading(snap, m.group(1), [c.doc_id]) if h.lang == c.lang][:1]
    out, seen = [], set(own)
    for h in found:
        if h.clause_id not in seen:
            seen.add(h.clause_id)
            out.append(h)
    return out


def _ancestors(snap: Snapshot, c: Clause) -> list[str]:
    out = []
    while c.parent_id:
        out.append(c.parent_id)
        c = snap.clause(c.parent_id)
    return out


# A definition clause: '"Service" means …', 'Cloud Platform: Refers to …', '云平台:指…', '用户内容:用户内容包括…'.
_DEFINES = re.compile(
    r"^\s*(?:\(?[\dA-Za-z一二三四五六七八九十]{1,3}[.)、]\s*)?[\"“]?"
    r"(?P<term>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,4}|[\u4e00-\u9fff]{2,8})[\"”]?"
    r"\s*(?:[:：]|\s(?:means|shall mean|refers to|is defined as)\b|(?:是指|指))"
)


def definitions(snap: Snapshot, doc_id: str) -> dict[str, Clause]:
    """Terms the document defines, with the clause defining each (first definition wins)."""
    cached = snap.memo.get(("definitions", doc_id))
    if cached is not None:
        return cached
    view = snap.docs[doc_id]
    out: dict[str, Clause] = {}
    for c in view.clauses.values():
        if c.kind != "marker" or c.heading:
            continue
        m = _DEFINES.match(view.text[c.start : c.body_end])
        if not m or m.group("term") in out:
            continue
        term = m.group("term")
        # A bare one-word or two-character term ("Services:", "服务:") is too common to track.
        quoted = any(q in m.group(0) for q in '"“')
        if quoted or (" " in term) or (not term.isascii() and len(term) >= 3):
            out[term] = c
    snap.memo[("definitions", doc_id)] = out
    return out


def defined_terms_used(snap: Snapshot, c: Clause, start: int, end: int) -> list[Clause]:
    """Definition clauses for the defined terms that text[start:end] uses (not its own definition)."""
    text = snap.docs[c.doc_id].text[start:end]
    found = []
    for term, clause in definitions(snap, c.doc_id).items():
        if (
            clause.clause_id != c.clause_id
            and clause.lang == c.lang
            and re.search(rf"(?i)(?<!\w){re.escape(term)}(?!\w)", text)
        ):
            found.append(clause)
    return found
