"""Benchmark: how often each retriever ranks a gold clause near the top, on the development questions.

    python bench/retrieval_quality.py

For every answerable, non-lookup question and every document it has gold quotes in: the rank of the
first chunk (in that question's document scope) that covers at least half of a gold quote. Prints
recall@1/3/5 for dense alone, BM25 alone, reciprocal-rank fusion and z-score fusion (the default).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.chain import Clausewise  # noqa: E402
from qa.evaluate import locate  # noqa: E402
from qa.question import read_question  # noqa: E402
from qa.retrieve import chunk_scores, fuse  # noqa: E402
from qa.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT.parent / "shared" / "eval" / "seed_questions.dev.jsonl"


def main() -> None:
    if not QUESTIONS.exists():
        sys.exit(f"needs {QUESTIONS}")
    with tempfile.TemporaryDirectory() as home:
        cw = Clausewise(Settings(home=Path(home)))
        cw.ingest([ROOT / "corpus"])
        snap = cw.snapshot()
        by_source = {d.meta.source: d for d in snap.docs.values()}
        methods = {
            "dense": lambda d, b, m: np.where(m, d, -np.inf),
            "bm25": lambda d, b, m: np.where(m, b, -np.inf),
            "rrf": lambda d, b, m: fuse(d, b, m, "rrf"),
            "zscore (default)": lambda d, b, m: fuse(d, b, m, "zscore"),
        }
        hits = {name: [0, 0, 0] for name in methods}
        total = 0
        for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            if not q.get("answerable") or q.get("type") == "clause_lookup":
                continue
            named = snap.docs_named_in(read_question(q["question"])) or list(snap.docs)
            mask = np.array([c.doc_id in named for c in snap.chunks])
            dense, bm = chunk_scores(
                snap, cw.store, read_question(q["question"]), cw.store.ef.query(q["question"]), mask
            )
            gold: dict[str, list[tuple[int, int]]] = {}
            for g in q["gold"]:
                span = locate(by_source[g["doc"]].text, g["quote"])
                if span:
                    gold.setdefault(by_source[g["doc"]].doc_id, []).append(span)
            total += len(gold)
            for name, fn in methods.items():
                order = np.argsort(-fn(dense, bm, mask))[:5]
                for doc_id, spans in gold.items():
                    for rank, i in enumerate(order):
                        c = snap.chunks[i]
                        if c.doc_id == doc_id and any(
                            min(c.end, e) - max(c.start, s) >= 0.5 * (e - s) for s, e in spans
                        ):
                            for j, cut in enumerate((1, 3, 5)):
                                hits[name][j] += rank < cut
                            break
    print(f"gold documents: {total} (answerable, non-lookup dev questions)")
    for name, (r1, r3, r5) in hits.items():
        print(f"{name:<18} recall@1 {r1:>3}/{total}  @3 {r3:>3}/{total}  @5 {r5:>3}/{total}")


if __name__ == "__main__":
    main()
