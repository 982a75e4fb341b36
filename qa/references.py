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
