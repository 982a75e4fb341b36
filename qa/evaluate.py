"""Scoring answers against gold clauses, as described in shared/eval/README.md."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """A question line that was skipped, and why: printed as FILE:LINE: reason."""

    line: int
    reason: str


def read_questions(text: str) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """The usable question lines of a JSONL file, with their line numbers; every other line becomes a
    Problem, never an exception."""
    questions: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(Problem(n, f"not JSON ({e.msg})"))
            continue
        reason = question_problem(q)
        if reason:
            problems.append(Problem(n, reason))
        else:
            questions.append((n, q))
    return questions, problems


def question_problem(q: Any) -> str | None:
    """Why a parsed line cannot be asked or scored, or None when it can."""
    if not isinstance(q, dict):
        return f"expected a JSON object, got {type(q).__name__}"
    if not isinstance(q.get("id"), (str, int)) or isinstance(q.get("id"), bool):
        return "needs an 'id' (a string)"
    if not isinstance(q.get("question"), str) or not q["question"].strip():
        return "needs a 'question' (a non-empty string)"
    if q.get("doc") is not None and not isinstance(q["doc"], str):
        return "'doc' must be a file name"
    if "answerable" in q and not isinstance(q["answerable"], bool):
        return "'answerable' must be true or false"
    gold = q.get("gold", [])
    if not isinstance(gold, list):
        return "'gold' must be a list"
    for g in gold:
        if not (isinstance(g, dict) and isinstance(g.get("doc"), str)):
            return "unknown gold format: each gold entry needs a 'doc'"
        has_span = all(isinstance(g.get(k), int) and not isinstance(g.get(k), bool) for k in ("start", "end"))
        if not (has_span or isinstance(g.get("quote"), str)):
            return "unknown gold format: each gold entry needs a 'quote' or 'start'/'end' offsets"
        if has_span and not 0 <= g["start"] < g["end"]:
            return f"gold span {g['start']}-{g['end']} is empty or negative"
    return None


def gold_problem(q: dict[str, Any], texts: dict[str, str]) -> str | None:
    """Why a question's gold cannot be scored against these documents, or None."""
    for g in q.get("gold", []):
        if g["doc"] not in texts:
            return f"gold document {g['doc']!r} is not in the corpus"
        if "end" in g and g["end"] > len(texts[g["doc"]]):
            return f"gold span {g['start']}-{g['end']} lies beyond the end of {g['doc']!r}"
    return None


def gold_span(g: dict[str, Any], text: str) -> tuple[int, int] | None:
    """A gold entry's span: its offsets when it has them (quotes need not be unique), else its quote's."""
    if isinstance(g.get("start"), int) and isinstance(g.get("end"), int):
        return g["start"], g["end"]
    return locate(text, g["quote"])


def locate(doc_text: str, quote: str) -> tuple[int, int] | None:
    """Exact match first, then a whitespace-normalised one."""
    i = doc_text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    words = quote.split()
    if not words:
        return None
    m = re.search(r"\s+".join(map(re.escape, words)), doc_text)
    return (m.start(), m.end()) if m else None


@dataclass
class Scored:
    qid: str
    qtype: str
    lang: str
    answerable: bool
    declined: bool
    correct: bool  # every gold document satisfied (answerable) / declined (unanswerable)
    recall: float
    precision: float | None  # None when nothing was cited
    n_citations: int
    misses: list[str] = field(default_factory=list)
    # Ranking over the units shown (citations, then related), for answerable questions:
    hit1: bool = False  # the first shown unit overlaps a gold span
    hit5: bool = False  # one of the first five does
    p1: float = 0.0  # share of the first citation's characters inside gold spans
    # ...and of the words of it the answer's text quotes (its focus, when it shows more around them)
    p1_quoted: float = 0.0


def score_one(q: dict[str, Any], result: dict[str, Any], texts: dict[str, str]) -> Scored:
    declined = result["status"] == "not_addressed"
    cites = result.get("citations", [])
    gold_by_doc: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for g in q.get("gold", []):
        span = gold_span(g, texts[g["doc"]])
        if span:
            gold_by_doc[g["doc"]].append(span)

    def matches(c: dict[str, Any], doc: str, span: tuple[int, int]) -> bool:
        if c["doc"] != doc:
            return False
        overlap = min(c["end"], span[1]) - max(c["start"], span[0])
        return overlap >= 0.5 * (span[1] - span[0])

    satisfied = {d for d, spans in gold_by_doc.items() if any(matches(c, d, s) for c in cites for s in spans)}
    good = sum(1 for c in cites if any(matches(c, d, s) for d, spans in gold_by_doc.items() for s in spans))
    answerable = bool(q.get("answerable", True))
    recall = len(satisfied) / len(gold_by_doc) if gold_by_doc else 0.0
    correct = (not declined and recall == 1.0) if answerable else declined
    misses = sorted(set(gold_by_doc) - satisfied)
    shown = [*cites, *result.get("related", [])]

    def touches(c: dict[str, Any]) -> bool:
        return any(min(c["end"], e) > max(c["start"], s) for s, e in gold_by_doc.get(c["doc"], []))

    return Scored(
        qid=str(q["id"]),
        qtype=str(q.get("type", "?")),
        lang=str(q.get("lang", "en")),
        answerable=answerable,
        declined=declined,
        correct=correct,
        recall=recall,
        precision=good / len(cites) if cites else None,
        n_citations=len(cites),
        misses=misses,
        hit1=bool(shown) and touches(shown[0]),
        hit5=any(touches(c) for c in shown[:5]),
        p1=_inside(cites[0], gold_by_doc.get(cites[0]["doc"], [])) if cites else 0.0,
        p1_quoted=_inside(_quoted(cites[0]), gold_by_doc.get(cites[0]["doc"], [])) if cites else 0.0,
    )


def _quoted(c: dict[str, Any]) -> dict[str, Any]:
    """The part of a citation the answer's text quotes."""
    return {**c, "start": c["focus"][0], "end": c["focus"][1]} if c.get("focus") else c


def _inside(c: dict[str, Any], spans: list[tuple[int, int]]) -> float:
    """Share of a citation's characters that lie inside the union of the gold spans."""
    covered = set()
    for s, e in spans:
        covered.update(range(max(s, c["start"]), min(e, c["end"])))
    return len(covered) / (c["end"] - c["start"]) if c["end"] > c["start"] else 0.0


def report(scored: Iterable[Scored]) -> str:
    rows = list(scored)
    by_type: dict[str, list[Scored]] = defaultdict(list)
    for s in rows:
        by_type[s.qtype].append(s)
    lines = [f"{'type':<15}{'n':>4}{'correct':>10}{'recall':>9}{'precision':>11}{'declined':>10}"]

    def line(name: str, group: list[Scored]) -> str:
        prec = [s.precision for s in group if s.precision is not None]
        p = f"{sum(prec) / len(prec):.2f}" if prec else "-"
        rec = sum(s.recall for s in group) / len(group) if group else 0.0
        ok = sum(s.correct for s in group)
        dec = sum(s.declined for s in group)
        return f"{name:<15}{len(group):>4}{ok:>6}/{len(group):<3}{rec:>9.2f}{p:>11}{dec:>10}"

    for t in sorted(by_type):
        lines.append(line(t, by_type[t]))
    lines.append(line("ALL", rows))
    ans = [s for s in rows if s.answerable]
    un = [s for s in rows if not s.answerable]
    prec = [s.precision for s in ans if s.precision is not None]
    if ans:
        lines.append(
            f"answerable with every gold document cited: {sum(s.correct for s in ans)}/{len(ans)}"
            f" = {sum(s.correct for s in ans) / len(ans):.0%}"
        )
        lines.append(
            f"answerable declined: {sum(s.declined for s in ans)}/{len(ans)}"
            f" = {sum(s.declined for s in ans) / len(ans):.0%}"
        )
    if un:
        lines.append(
            f"unanswerable declined: {sum(s.declined for s in un)}/{len(un)} = {sum(s.declined for s in un) / len(un):.0%}"
        )
    zh = [s for s in rows if s.lang == "zh"]
    if zh:
        ok = sum(s.correct for s in zh)
        lines.append(f"Chinese questions (any type) correct: {ok}/{len(zh)} = {ok / len(zh):.0%}")
    if prec:
        lines.append(f"citation precision (answerable, mean): {sum(prec) / len(prec):.2f}")
    if ans:
        lines.append(ranking_line(ans))
    return "\n".join(lines)


def ranking_line(ans: list[Scored]) -> str:
    """Hit@1, Hit@5 and P@1 over the units an answer shows, and the false-decline rate."""
    n = len(ans)
    return (
        f"shown units (answerable): Hit@1 {sum(s.hit1 for s in ans) / n:.1%}, Hit@5 {sum(s.hit5 for s in ans) / n:.1%}, "
        f"P@1 {sum(s.p1 for s in ans) / n:.3f} (of the words quoted {sum(s.p1_quoted for s in ans) / n:.3f}), "
        f"false declines {sum(s.declined for s in ans) / n:.1%} (n={n})"
    )
