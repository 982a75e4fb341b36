"""Questions across all documents ("Which of these services can close my account?") on CLAUDETTE's
lawyer-tagged terms of service: does every document with such a clause speak, with that clause, and
do the documents without one stay silent? Clausewise beside the plain LangChain RAG, in one run.

    python bench/claudette_cross.py                # the held-out terms (the figures to report)
    python bench/claudette_cross.py --part tune    # the tuning terms
    python bench/claudette_cross.py --set modern   # newer platforms' terms (bench/labels/modern)

The questions (bench/claudette_cross.json) name no document; the scope is every document of the part.
Per question and document with the type, the document is found when a unit shown from it (citations;
for the plain RAG its top 10 chunks) overlaps one of the lawyers' spans of that type. A document
without the type is wrongly cited when a citation comes from it.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from claudette import ROOT, SETS, part_asked, part_docs, systems  # noqa: E402
from policyqa import PlainRag  # noqa: E402

Span = tuple[int, int]


def load(part: str, name: str) -> tuple[dict[str, str], dict[str, list[str]], dict[tuple[str, str], list[Span]]]:
    docs = part_docs(part, name)
    asked = json.loads((ROOT / "bench" / "claudette_cross.json").read_text(encoding="utf-8"))
    spans: dict[tuple[str, str], list[Span]] = defaultdict(list)
    for lab in map(json.loads, (SETS[name] / "labels.jsonl").read_text(encoding="utf-8").splitlines()):
        if lab["doc"] in docs:
            spans[(lab["doc"], lab["category"])].append((lab["start"], lab["end"]))
    return docs, asked, spans


def touches(unit: dict[str, Any], spans: list[Span]) -> bool:
    return any(min(unit["end"], e) > max(unit["start"], s) for s, e in spans)


def main() -> int:
    args = part_asked(__doc__ or "")
    if args is None:
        return 2
    part = args.part
    docs, asked, spans = load(part, args.name)
    cw, plain = systems(part, docs, args.name)  # the index bench/claudette.py builds
    n_q = sum(len(v) for v in asked.values())
    print(f"{args.name} {part}: {len(docs)} documents, {n_q} questions across all of them", file=sys.stderr)

    totals = {name: defaultdict(int) for name in ("clausewise", "plain langchain rag")}
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for cat, questions in sorted(asked.items()):
        having = [d for d in docs if spans.get((d, cat))]
        for text in questions:
            t0 = time.perf_counter()
            ans = cw.ask(text).to_json()
            took = time.perf_counter() - t0
            for name, units in (("clausewise", ans["citations"]), ("plain langchain rag", plain_top(plain, text))):
                t = totals[name]
                found = [d for d in having if any(touches(u, spans[(d, cat)]) for u in units if u["doc"] == d)]
                t["found"] += len(found)
                t["having"] += len(having)
                t["all_found"] += len(found) == len(having)
                t["questions"] += 1
                t["wrong_docs"] += len({u["doc"] for u in units if u["doc"] not in having})
                t["lacking"] += len(docs) - len(having)
                if name == "clausewise":
                    by_type[cat][0] += len(found)
                    by_type[cat][1] += len(having)
                    t["seconds"] += took
    for name, t in totals.items():
        print(
            f"{name:<20} documents found with their clause {t['found']}/{t['having']} = {t['found'] / t['having']:.1%}; "
            f"questions with every such document found {t['all_found']}/{t['questions']}; "
            f"documents without the type cited {t['wrong_docs']}/{t['lacking']}"
        )
    print("  clausewise by type: " + ", ".join(f"{c} {f}/{h}" for c, (f, h) in sorted(by_type.items())))
    print(f"  clausewise {totals['clausewise']['seconds'] / n_q * 1000:.0f} ms per question")
    return 0


def plain_top(plain: PlainRag, text: str) -> list[dict[str, Any]]:
    """The plain RAG's top 10 chunks over all the documents (no scope filter)."""
    found = plain.store.similarity_search(text, k=10)
    return [
        {
            "doc": d.metadata["doc"],
            "start": d.metadata["start_index"],
            "end": d.metadata["start_index"] + len(d.page_content),
        }
        for d in found
    ]


if __name__ == "__main__":
    sys.exit(main())
