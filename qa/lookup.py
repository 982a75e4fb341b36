"""Clause lookup: "section 7.4 of the Acme terms", "the force majeure section", "脉邦协议第三条".

Answered from the clause tree, not by similarity: the reference is parsed into a label and/or a
heading, the documents named in the question narrow the search, and the clause is returned whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.clauses import cn_to_int, roman_to_int
from ingest.lang import is_chinese
from ingest.text import CJK, tokens
from ingest.types import Clause
from qa.corpus import Snapshot

_CN = "一二三四五六七八九十百零〇两"
_DOTTED = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3})+)(?![\d])")
_WORD_NUM = re.compile(
    r"(?i)\b(?:clause|section|article|item|paragraph|para|point|part|chapter|no\.?|§)\s*"
    r"(\(?\d{1,3}\)?|\(?[ivxlc]{1,6}\)?|\([a-z]\))(?![\w.])"
)
_CN_ARTICLE = re.compile(rf"第\s*([{_CN}\d]+)\s*([条章节款项部编])")
_CN_HEAD = re.compile(rf"(?<![{CJK}])([{_CN}]{{1,3}})[、.]")
_QUOTED = re.compile(r"[\"“”'‘’「」『』《》](.{2,80}?)[\"“”'‘’「」『』《》]")
_SECTION_OF = re.compile(
    r"(?i)\b(?:the\s+)?([a-z][\w ,&/-]{2,60}?)\s+(?:section|clause|part|provisions?|article|chapter|heading)\b"
)
_OF_HEADING = re.compile(
    r"(?i)\b(?:item|point|paragraph|clause)\s+(\d{1,3}|[ivx]{1,5})\s+(?:of|in|under)\s+(?:the\s+)?"
    r"['\"‘“]?([A-Za-z][\w ,&/-]{2,60}?)['\"’”]?(?=\s+(?:section|part|in|of|clause)\b|[?.,]|$)"
)
_LOOKUP_VERBS = re.compile(
    r"(?i)\b(what does|what do|show|display|quote|read|text of|wording|say|says|states?|provide|look ?up|open)\b"
    r"|说了什么|内容|是什么|写了|规定|原文|第.{1,3}[条章节款]"
)
_GENERIC_HEAD = {"section", "clause", "part", "last", "first", "the", "this", "that", "which"}


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
    if re.fullmatch(f"[{_CN}]+", s):
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


def by_label(snap: Snapshot, label: str, doc_ids: Sequence[str]) -> list[Clause]:
    want = _norm_label(label)
    out = []
    for d in doc_ids:
        for c in snap.docs[d].clauses.values():
            if _id_path(c).lower() == want or (c.parent_id is None and _norm_label(c.label) == want):
                out.append(c)
    return out


def by_value(snap: Snapshot, value: int, doc_ids: Sequence[str], parents: Sequence[Clause] | None) -> list[Clause]:
    out = []
    for d in doc_ids:
        view = snap.docs[d]
        pool = (
            [view.clauses[i] for p in parents if p.doc_id == d for i in p.children]
            if parents is not None
            else view.top_level()
        )
        out += [c for c in pool if c.label and label_value(c.label) == value]
    return out


def by_cn_article(snap: Snapshot, value: int, unit: str, doc_ids: Sequence[str]) -> list[Clause]:
    """Clauses labelled "第N条" (or 章, 节…) with this number, wherever they sit in the tree."""
    out = []
    for d in doc_ids:
        for c in snap.docs[d].clauses.values():
            m = _CN_ARTICLE.fullmatch(c.label)
            if m and m.group(2) == unit and label_value(m.group(1)) == value:
                out.append(c)
    return out


def lookup(snap: Snapshot, question: str, doc_ids: Sequence[str], explicit: bool = False) -> LookupResult | None:
    """The clause(s) a question refers to by number or heading, or None if it names none.

    `explicit`: the text is known to be a reference (`qa lookup`, the API's lookup), so heading words
    need no "show me" around them, and the whole text, less document names, may be a heading.
    """
    q = question.strip()
    if not doc_ids:
        return None
    # "point 4 under Fees"
    m = _OF_HEADING.search(q)
    if m:
        parents = find_by_heading(snap, m.group(2), doc_ids)
        found = by_value(snap, label_value(m.group(1)), doc_ids, parents) if parents else []
        if found:
            return LookupResult(_one_per_doc(found, q), m.group(0))
    for m in _DOTTED.finditer(q):
        found = by_label(snap, m.group(1), doc_ids)
        if found:
            return LookupResult(_one_per_doc(found, q), m.group(1))
    # "第三十条" as the document writes it, at any depth (条 run on under 章)
    for m in _CN_ARTICLE.finditer(q):
        found = by_cn_article(snap, label_value(m.group(1)), m.group(2), doc_ids)
        if found:
            return LookupResult(_one_per_doc(found, q), m.group(0))
    # then "第三条" for "三、", "section 5" / "item (iv)", a bare "三、"
    for pattern in (_CN_ARTICLE, _WORD_NUM, _CN_HEAD):
        for m in pattern.finditer(q):
            found = by_value(snap, label_value(m.group(1)), doc_ids, None) or by_label(snap, m.group(1), doc_ids)
            if found:
                return LookupResult(_one_per_doc(found, q), m.group(0))
    if not explicit and not _LOOKUP_VERBS.search(q):
        return None
    for m in _QUOTED.finditer(q):
        found = find_by_heading(snap, m.group(1), doc_ids)
        if found:
            return LookupResult(_one_per_doc(found, q), m.group(1))
    for m in _SECTION_OF.finditer(q):
        ref = re.sub(r"(?i)^(?:what does|show me|show|the|me|display)\s+", "", m.group(1)).strip()
        if ref.lower() in _GENERIC_HEAD:
            continue
        found = find_by_heading(snap, ref, doc_ids)
        if found:
            return LookupResult(_one_per_doc(found, q), ref)
    if explicit:
        ref = heading_words(snap, q)
        found = find_by_heading(snap, ref, doc_ids) if ref else []
        if found:
            return LookupResult(_one_per_doc(found, q), ref)
    return None


_REFERENCE_WORDS = re.compile(
    r"(?i)\b(?:the|of|in|from|section|clause|part|provisions?|article|chapter|heading|terms|agreement|policy)\b"
)


def heading_words(snap: Snapshot, reference: str) -> str:
    """ "smartproxy force majeure" -> "force majeure": the reference without document names and
    the words that only say it is a reference."""
    names = snap.name_tokens(snap.docs)
    kept = [w for w in re.split(r"\s+", _REFERENCE_WORDS.sub(" ", reference)) if w and not set(tokens(w)) <= names]
    return " ".join(kept).strip(" ?.!,:;")


def _one_per_doc(found: list[Clause], question: str) -> list[Clause]:
    """The first match in each document, in the question's language; the other version is its parallel."""
    lang = "zh" if is_chinese(question) else "en"
    seen: set[str] = set()
    out = []
    for c in sorted(found, key=lambda c: (c.lang != lang, c.ordinal)):
        if c.doc_id not in seen:
            seen.add(c.doc_id)
            out.append(c)
    return out
