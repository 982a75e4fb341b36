"""What changed between two versions of a document, clause by clause.

Clauses are matched by their words first (so a renumbered clause is "moved", not removed and added),
then by label and heading, then by how alike their words are. A matched pair whose words differ is
"modified" (with both ids, whatever their labels); unchanged clauses are not listed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from typing import Any

from ingest.clauses import markers_at, parse_clauses
from ingest.text import strip_span
from ingest.types import Clause

SIMILAR = 0.6  # share of words two versions of one clause keep (difflib ratio over words)


@dataclass(frozen=True)
class Change:
    kind: str  # "added" | "removed" | "modified" | "moved"
    old_clause_id: str | None
    new_clause_id: str | None
    label: str  # the new version's, or the old one's for a removed clause
    path: list[str]
    old_text: str
    new_text: str
    new_start: int | None = None  # where new_text sits in the new version (for citing it)
    new_end: int | None = None


@dataclass(frozen=True)
class Changes:
    doc: str
    from_version: int
    to_version: int
    changes: list[Change]

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "changes": [
                {k: v for k, v in asdict(c).items() if k not in ("new_start", "new_end")} for c in self.changes
            ],
        }


def _own(text: str, c: Clause) -> tuple[int, int]:
    return strip_span(text, c.start, c.body_end)


def _words(text: str, c: Clause) -> tuple[str, ...]:
    """The clause's own words without its number, so renumbering alone changes nothing."""
    s, e = _own(text, c)
    body = text[s:e]
    found = markers_at(body) if c.label else []
    if found:
        body = body[found[0].rest :]  # "Section 2.", "第一条", "1)": the number in any form
    return tuple(re.findall(r"\w+|[^\w\s]", body.lower()))


def _place(c: Clause) -> str:
    """Where a clause sits in its document's numbering ("2.a"): the same place in two versions."""
    return c.clause_id.split("#", 1)[1]


def diff(doc_id: str, old_text: str, new_text: str, from_version: int, to_version: int, doc: str) -> Changes:
    old = [c for c in parse_clauses(doc_id, old_text) if _words(old_text, c)]
    new = [c for c in parse_clauses(doc_id, new_text) if _words(new_text, c)]
    ow = {c.clause_id: _words(old_text, c) for c in old}
    nw = {c.clause_id: _words(new_text, c) for c in new}
    pairs: list[tuple[Clause, Clause]] = []
    left, right = list(old), list(new)

    def take(match: list[tuple[Clause, Clause]]) -> None:
        for a, b in match:
            if a in left and b in right:
                pairs.append((a, b))
                left.remove(a)
                right.remove(b)

    # 1. the same words (in order of the new document, the nearest old position first)
    by_words: dict[tuple[str, ...], list[Clause]] = {}
    for c in old:
        by_words.setdefault(ow[c.clause_id], []).append(c)
    take([(by_words[nw[b.clause_id]].pop(0), b) for b in new if by_words.get(nw[b.clause_id])])
    # 2. the same place in the numbering, under the same heading
    key: dict[tuple[str, str], list[Clause]] = {}
    for c in left:
        if c.label or c.heading:
            key.setdefault((_place(c), c.heading.lower()), []).append(c)
    take([(key[k].pop(0), b) for b in list(right) if key.get(k := (_place(b), b.heading.lower()))])
    # 3. words alike enough, best pairs first
    scored = sorted(
        (
            (SequenceMatcher(None, ow[a.clause_id], nw[b.clause_id], autojunk=False).ratio(), i, j)
            for i, a in enumerate(left)
            for j, b in enumerate(right)
        ),
        reverse=True,
    )
    la, rb = list(left), list(right)
    take([(la[i], rb[j]) for r, i, j in scored if r >= SIMILAR])

    out: list[tuple[float, Change]] = []
    for a, b in pairs:
        same_words = ow[a.clause_id] == nw[b.clause_id]
        if same_words and _place(a) == _place(b):
            continue  # unchanged, even when a heading above it was reworded
        kind = "moved" if same_words else "modified"
        s, e = _own(new_text, b)
        out.append(
            (
                b.ordinal,
                Change(kind, a.clause_id, b.clause_id, b.label, _path(b), _text(old_text, a), new_text[s:e], s, e),
            )
        )
    for b in right:
        s, e = _own(new_text, b)
        out.append((b.ordinal, Change("added", None, b.clause_id, b.label, _path(b), "", new_text[s:e], s, e)))
    for a in left:
        # A removed clause is listed where it stood, between the new clauses around it.
        out.append(
            (_position(a, pairs), Change("removed", a.clause_id, None, a.label, _path(a), _text(old_text, a), ""))
        )
    return Changes(doc, from_version, to_version, [c for _, c in sorted(out, key=lambda t: t[0])])


def _text(text: str, c: Clause) -> str:
    s, e = _own(text, c)
    return text[s:e]


def _path(c: Clause) -> list[str]:
    return [p for p in (*c.path, c.title) if p]


def _position(a: Clause, pairs: list[tuple[Clause, Clause]]) -> float:
    before = [b.ordinal for x, b in pairs if x.ordinal < a.ordinal]
    return (max(before) if before else -1) + 0.5


def changed_words(old: str, new: str) -> list[tuple[int, int]]:
    """Spans of new that are not in old, word by word (for highlighting what changed)."""
    tokens = [(m.start(), m.end(), m.group().lower()) for m in re.finditer(r"\w+|[^\w\s]", new)]
    old_tokens = [t.lower() for t in re.findall(r"\w+|[^\w\s]", old)]
    sm = SequenceMatcher(None, old_tokens, [t for _, _, t in tokens], autojunk=False)
    spans = []
    for tag, _i1, _i2, j1, j2 in sm.get_opcodes():
        if tag in ("replace", "insert") and j2 > j1:
            spans.append((tokens[j1][0], tokens[j2 - 1][1]))
    return spans
