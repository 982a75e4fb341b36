"""Clause lookup: "section 7.4 of the Acme terms", "the force majeure section", "脉邦协议第三条".

Answered from the clause tree, not by similarity: the reference is parsed into a label and/or a
heading, the documents named in the question narrow the search, and the clause is returned whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.clauses import cn_to_int, has_sentence, roman_to_int
from ingest.text import tokens
from ingest.types import Clause
from qa.clause_ref import CN_ARTICLE, CN_NUMERALS, ClauseRef
from qa.corpus import Snapshot
from qa.question import Question


@dataclass(frozen=True)
class LookupResult:
    clauses: list[Clause]
    reference: str  # what was recognised, for the answer text


def _norm_label(s: str) -> str:
    return s.strip().strip("()（）").rstrip(".、").lower()


def label_value(s: str) -> int:
    s = _norm_label(s)
    if s.isdigit():
        return int(s)
    if re.fullmatch(f"[{CN_NUMERALS}]+", s):
        return cn_to_int(s)
    if re.fullmatch("[ivxlc]+", s):
        return roman_to_int(s)
    if re.fullmatch("[a-z]", s):
        return ord(s) - 96
    return -1


def _id_path(c: Clause) -> str:
    return c.clause_id.split("#", 1)[1]


def _heading_score(ref: str, heading: str) -> float:
    if ref.strip().lower() == heading.strip().lower():
        return 2.0
    r, h = set(tokens(ref)), set(tokens(heading))
    if not r or not h:
        return 0.0
    inter = len(r & h)
    return inter / len(r | h) if inter / len(r) >= 0.75 else 0.0


def find_by_heading(snap: Snapshot, ref: str, doc_ids: Sequence[str]) -> list[Clause]:
    scored: list[tuple[float, Clause]] = []
    for d in doc_ids:
        for c in snap.docs[d].clauses.values():
            if c.heading:
                s = _heading_score(ref, c.heading)
                if s >= 0.5:
                    scored.append((s, c))
    if not scored:
        return []
    top = max(s for s, _ in scored)
    return [c for s, c in scored if s == top]


def _page_header(snap: Snapshot, c: Clause) -> bool:
    """A numbered line of a page's header, before its first prose and with no sentence of its own: a help
    centre's breadcrumbs ("1. Roblox Support", "2. Parents, Safety…", "3. Legal Documents") are never the
    section a number asks for. "section 3" of Roblox's terms showed "3. Legal Documents"."""
    start, _ = snap.prose(c.doc_id)
    return c.end <= start and not has_sentence(snap.docs[c.doc_id].text[c.start : c.end])


def by_label(snap: Snapshot, label: str, doc_ids: Sequence[str]) -> list[Clause]:
    want = _norm_label(label)
    out = []
    for d in doc_ids:
        clauses = snap.docs[d].clauses
        for c in clauses.values():
            if (
                _id_path(c).lower() == want
                or (c.parent_id is None and _norm_label(c.label) == want)
                or ("." in want and c.label and _number_path(clauses, c) == want)
            ) and not _page_header(snap, c):
                out.append(c)
    return out


def _number_path(clauses: dict[str, Clause], c: Clause) -> str:
    """A clause's number with its numbered ancestors' ("2.1" for item 1 under "2. YOUR OBLIGATIONS."),
    past the titles without a number above them: under "# Terms and Conditions" its id is
    "terms-and-conditions.2.1", and "section 2.1" did not find it. A dotted label is whole already."""
    parts = []
    node: Clause | None = c
    while node is not None:
        if node.label:
            parts.append(_norm_label(node.label))
            if "." in parts[-1]:
                break
        node = clauses.get(node.parent_id) if node.parent_id else None
    return ".".join(reversed(parts))


def by_value(snap: Snapshot, value: int, doc_ids: Sequence[str], parents: Sequence[Clause] | None) -> list[Clause]:
    out = []
    for d in doc_ids:
        view = snap.docs[d]
        pool = (
            [view.clauses[i] for p in parents if p.doc_id == d for i in p.children]
            if parents is not None
            else view.top_level()
        )
        out += [c for c in pool if c.label and label_value(c.label) == value and not _page_header(snap, c)]
    return out


def first_level(snap: Snapshot, value: int, doc_ids: Sequence[str]) -> list[Clause]:
    """The clause with this number at the shallowest depth numbering reaches, in each document whose
    numbers sit under a title ("SUPPLY AGREEMENT" then "1. TERM", "2. FEES"): "section 2" is FEES, not
    an item "(2)" further down. Numbers match numbers only, so "section 2" is never an item "(b)"; a
    document with several lists that each have a 2 has no one "section 2"."""
    out = []
    for d in doc_ids:
        found = [
            c
            for c in snap.docs[d].clauses.values()
            if _norm_label(c.label).isdigit() and label_value(c.label) == value and not _page_header(snap, c)
        ]
        depth = min((len(c.path) for c in found), default=0)
        shallowest = [c for c in found if len(c.path) == depth]
        if len(shallowest) == 1:
            out += shallowest
    return out


def untitled_section(snap: Snapshot, value: int, doc_ids: Sequence[str]) -> list[Clause]:
    """The first clause of a section a page numbers without a line of its own ("16.9. …" then "17.1. The
    law of…", Wargaming's terms): "section 17" is its 17.1 onwards, not "no clause"."""
    prefix = f"{value}."
    out = []
    for d in doc_ids:
        out += [c for c in snap.docs[d].top_level() if _norm_label(c.label).startswith(prefix)][:1]
    return out


def by_cn_article(snap: Snapshot, value: int, unit: str, doc_ids: Sequence[str]) -> list[Clause]:
    """Clauses labelled "第N条" (or 章, 节…) with this number, wherever they sit in the tree."""
    out = []
    for d in doc_ids:
        for c in snap.docs[d].clauses.values():
            m = CN_ARTICLE.fullmatch(c.label)
            if m and m.group(2) == unit and label_value(m.group(1)) == value:
                out.append(c)
    return out


def lookup(snap: Snapshot, q: Question, doc_ids: Sequence[str], explicit: bool = False) -> LookupResult | None:
    """The clause(s) a question refers to by number or heading, or None if it names none.

    `explicit`: the text is known to be a reference (`qa lookup`, the API's lookup), so heading words
    need no "show me" around them, and the whole text, less document names, may be a heading.
    """
    if not doc_ids:
        return None
    for ref in q.references:
        if ref.needs_verb and not (explicit or q.to_see):
            continue
        found = _resolve(snap, ref, doc_ids)
        if found:
            return LookupResult(_one_per_doc(found, q.zh), ref.shown)
    if explicit:
        words = heading_words(snap, q.text)
        found = find_by_heading(snap, words, doc_ids) if words else []
        if found:
            return LookupResult(_one_per_doc(found, q.zh), words)
    return None


def numbers_to_see(q: Question) -> list[ClauseRef]:
    """The clause numbers a question asks to see ("what does section 5 say?"); none when it does not ask
    for a clause's text (a bare "10.5" may be a percentage) or names a clause by heading only."""
    return [r for r in q.references if r.how != "heading"] if q.to_see else []


def missing_number(snap: Snapshot, q: Question, doc_ids: Sequence[str]) -> str | None:
    """The clause number a question asks to see ("what does section 10.1 say?", "第三十条说了什么") when
    no clause of the documents carries it at any depth, as the question wrote it. None when it asks to
    see no number, or some clause has the number (lookup may still not have settled on it: the
    question is then searched)."""
    refs = numbers_to_see(q)
    if not refs or any(_numbered(c, r.number) for d in doc_ids for c in snap.docs[d].clauses.values() for r in refs):
        return None
    return refs[0].shown


def _numbered(c: Clause, number: str) -> bool:
    want, path = _norm_label(number), _id_path(c).lower()
    value = label_value(number)
    return (
        path == want
        or path.endswith("." + want)
        or _norm_label(c.label) == want
        or (value > 0 and bool(c.label) and label_value(c.label) == value)
    )


def _resolve(snap: Snapshot, ref: ClauseRef, doc_ids: Sequence[str]) -> list[Clause]:
    if ref.how == "under_heading":  # "point 4 under Fees"
        parents = find_by_heading(snap, ref.heading, doc_ids)
        return by_value(snap, label_value(ref.number), doc_ids, parents) if parents else []
    if ref.how == "label":
        return by_label(snap, ref.number, doc_ids)
    if ref.how == "cn_article":  # "第三十条" at any depth (条 run on under 章)
        return by_cn_article(snap, label_value(ref.number), ref.unit, doc_ids)
    if ref.how == "number":  # "section 5", "item (iv)", "第三条" for "三、"
        value = label_value(ref.number)
        return (
            by_value(snap, value, doc_ids, None)
            or by_label(snap, ref.number, doc_ids)
            or first_level(snap, value, doc_ids)
            or untitled_section(snap, value, doc_ids)
        )
    return find_by_heading(snap, ref.heading, doc_ids)


_REFERENCE_WORDS = re.compile(
    r"(?i)\b(?:the|of|in|from|section|clause|part|provisions?|article|chapter|heading|terms|agreement|policy)\b"
)


def heading_words(snap: Snapshot, reference: str) -> str:
    """ "smartproxy force majeure" -> "force majeure": the reference without document names and
    the words that only say it is a reference."""
    names = snap.name_tokens(snap.docs)
    kept = [w for w in re.split(r"\s+", _REFERENCE_WORDS.sub(" ", reference)) if w and not set(tokens(w)) <= names]
    return " ".join(kept).strip(" ?.!,:;")


def _one_per_doc(found: list[Clause], zh: bool) -> list[Clause]:
    """The first match in each document, in the question's language; the other version is its parallel."""
    lang = "zh" if zh else "en"
    seen: set[str] = set()
    out = []
    for c in sorted(found, key=lambda c: (c.lang != lang, c.ordinal)):
        if c.doc_id not in seen:
            seen.add(c.doc_id)
            out.append(c)
    return out
