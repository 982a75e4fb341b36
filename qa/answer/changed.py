"""Answers to "what changed in …?": the clause-level changes between a document's two latest versions,
each new clause cited, its earlier wording beside it; removed clauses are named (they are not in the
version answers come from, so they cannot be cited there)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from qa.changes import Changes
from qa.cite import make_citation
from qa.corpus import Snapshot
from qa.question import Question
from qa.types import Answer, Citation

MAX_CITED = 12  # changes cited one by one; the rest are counted (`qa changes` lists them all)

WORDING = {
    "en": {
        "head": "{title}, version {a} → {b}: {counts}.",
        "none": "{title}: versions {a} and {b} have the same clauses.",
        "removed": "Removed: {names}.",
        "more": "{n} more changes: run `python -m qa changes {doc}` for all of them.",
        "one": "Only one version of {title} is indexed; ingest a newer version of {source} to see what changed.",
        "kinds": {"modified": "modified", "added": "added", "removed": "removed", "moved": "moved"},
    },
    "zh": {
        "head": "{title}，第 {a} 版 → 第 {b} 版：{counts}。",
        "none": "{title}：第 {a} 版与第 {b} 版条款相同。",
        "removed": "删除的条款：{names}。",
        "more": "另有 {n} 处变化：运行 `python -m qa changes {doc}` 查看全部。",
        "one": "{title} 只索引了一个版本；请导入 {source} 的新版本后再比较。",
        "kinds": {"modified": "修改", "added": "新增", "removed": "删除", "moved": "移动"},
    },
}


def changes_answer(snap: Snapshot, q: Question, found: Sequence[Changes | str]) -> Answer:
    """`found`: each asked document's Changes, or its id when it has a single version."""
    w = q.said_in(WORDING)
    lines: list[str] = []
    cites: list[Citation] = []
    for item in found:
        if isinstance(item, str):
            meta = snap.docs[item].meta
            lines.append(w["one"].format(title=meta.title, source=meta.source))
            continue
        view = snap.docs[snap.resolve_doc(item.doc) or item.doc]
        title = view.meta.title
        if not item.changes:
            lines.append(w["none"].format(title=title, a=item.from_version, b=item.to_version))
            continue
        counts = Counter(c.kind for c in item.changes)
        shown = ", ".join(f"{n} {w['kinds'][k]}" for k, n in counts.items())
        lines.append(w["head"].format(title=title, a=item.from_version, b=item.to_version, counts=shown))
        citable = [c for c in item.changes if c.new_clause_id and c.new_clause_id in view.clauses]
        for c in citable[:MAX_CITED]:
            cite = make_citation(snap, len(cites) + 1, view.clauses[c.new_clause_id], c.new_start, c.new_end)
            cites.append(replace(cite, previous=c.old_text or None, change=c.kind))
            label = " › ".join(c.path[-2:]) or c.label
            lines.append(f"- {w['kinds'][c.kind]}: {label} [{cite.n}]")
        removed = [" › ".join(c.path[-2:]) or c.label for c in item.changes if c.kind == "removed"]
        if removed:
            lines.append(w["removed"].format(names="; ".join(removed)))
        if len(citable) > MAX_CITED:
            lines.append(w["more"].format(n=len(citable) - MAX_CITED, doc=view.meta.source))
    status = "answered" if any(isinstance(i, Changes) for i in found) else "not_addressed"
    return Answer(q.text, status, "\n".join(lines), cites, [], kind="changes")
