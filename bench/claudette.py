"""Consumer terms: questions about a clause type, asked of each held-out CLAUDETTE document, Clausewise
beside the plain LangChain RAG, in one run.

    python bench/claudette.py                 # the held-out documents (the figures to report)
    python bench/claudette.py --part tune
    python bench/claudette.py --language fr   # the same questions in French (es, de, pt, it and zh too)
    python bench/claudette.py --set modern    # newer platforms' terms (bench/labels/modern), labelled alike

Each document of the split part (bench/splits/claudette.json) is asked every question of
bench/claudette_questions.json (written apart from the code, 4 per type). Where lawyers tagged clauses
of that type in the document, those spans are the gold (any one answers); where the document has none
(absent.jsonl), the right answer is a decline. The baseline always answers, so its decline rate is 0.
bench/claudette_questions.<language>.json hold the same questions translated, so that what a question
loses by being asked in another language than its documents' is measured, question for question.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from policyqa import PlainRag  # noqa: E402
from policyqa import part_docs as split_docs  # noqa: E402

from ingest.embed import EmbeddingCache  # noqa: E402
from qa.chain import Clausewise  # noqa: E402
from qa.evaluate import Scored, ranking_line, score_one  # noqa: E402
from qa.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "eval" / "claudette-train"
OUT = ROOT / "bench" / "out"
# Labelled consumer terms, each with its split: CLAUDETTE's (2006-2017) and newer platforms' (2020-2025).
SETS = {"claudette": DATA, "modern": ROOT / "bench" / "labels" / "modern"}


def part_docs(part: str, name: str) -> dict[str, str]:
    """The texts of a set's documents in one part of its split, by file name."""
    return split_docs(part, name, SETS[name])


def load(part: str, language: str = "en", name: str = "claudette") -> tuple[dict[str, str], list[dict[str, Any]]]:
    data = SETS[name]
    docs = part_docs(part, name)
    file = "claudette_questions.json" if language == "en" else f"claudette_questions.{language}.json"
    asked = json.loads((ROOT / "bench" / file).read_text(encoding="utf-8"))
    absent = {(a["doc"], a["category"]) for a in map(json.loads, (data / "absent.jsonl").read_text().splitlines())}
    spans: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for lab in map(json.loads, (data / "labels.jsonl").read_text(encoding="utf-8").splitlines()):
        spans[(lab["doc"], lab["category"])].append({"doc": lab["doc"], "start": lab["start"], "end": lab["end"]})
    questions = []
    for doc in docs:
        for cat, texts in asked.items():
            gold = spans.get((doc, cat), [])
            answerable = (doc, cat) not in absent and bool(gold)
            for i, text in enumerate(texts):
                q = {"id": f"{doc}-{cat}-{i}", "question": text, "type": cat, "doc": doc}
                questions.append(q | {"answerable": answerable, "gold": gold if answerable else []})
    return docs, questions


def part_asked(doc: str, languages: tuple[str, ...] = ("en",)) -> argparse.Namespace | None:
    """The set (--set) and part (--part) a bench script is run on, and the questions' language
    (--language) where it offers several; None, said why, when claudette-train is not at hand."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=list(SETS), default="claudette", dest="name")
    ap.add_argument("--part", choices=["heldout", "tune"], default="heldout")
    if len(languages) > 1:
        ap.add_argument("--language", choices=languages, default=languages[0])
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"error: {DATA} not found (claudette-train sits in shared/eval beside the repo)", file=sys.stderr)
        return None
    return args


def systems(part: str, docs: dict[str, str], name: str = "claudette") -> tuple[Clausewise, PlainRag]:
    """Clausewise and the plain RAG over a part's documents, in the part's own index under bench/out."""
    settings = Settings(home=OUT / f"{name}-{part}")
    cw = Clausewise(settings)
    report = cw.ingest([SETS[name] / "docs" / n for n in docs])
    assert report.ok, report.failed
    return cw, PlainRag(docs, EmbeddingCache(settings.cache_path))


def main() -> int:
    args = part_asked(__doc__ or "", ("en", "es", "fr", "de", "pt", "it", "zh"))
    if args is None:
        return 2
    part = args.part
    docs, questions = load(part, args.language, args.name)
    t0 = time.perf_counter()
    cw, plain = systems(part, docs, args.name)
    print(
        f"{args.name} {part} ({args.language}): {len(docs)} documents, {len(questions)} questions; indexed in "
        f"{time.perf_counter() - t0:.0f} s",
        file=sys.stderr,
    )
    rows: dict[str, list[Scored]] = {"clausewise": [], "plain langchain rag": []}
    for q in questions:
        for name, result in (
            ("clausewise", cw.ask(q["question"], [q["doc"]]).to_json()),
            ("plain langchain rag", plain.ask(q["question"], q["doc"])),
        ):
            rows[name].append(score_one(q, result, docs))
    for name, scored in rows.items():
        ans = [s for s in scored if s.answerable]
        un = [s for s in scored if not s.answerable]
        declined = sum(s.declined for s in un)
        print(f"{name:<20} {ranking_line(ans)}; absent types declined {declined}/{len(un)} = {declined / len(un):.0%}")
    by_type: dict[str, list[Scored]] = defaultdict(list)
    for s in rows["clausewise"]:
        by_type[s.qtype].append(s)
    for cat, group in sorted(by_type.items()):
        ans = [s for s in group if s.answerable]
        un = [s for s in group if not s.answerable]
        print(
            f"  clausewise {cat:<4} Hit@1 {sum(s.hit1 for s in ans)}/{len(ans)}, Hit@5 {sum(s.hit5 for s in ans)}/{len(ans)}, "
            f"false declines {sum(s.declined for s in ans)}/{len(ans)}, absent declined {sum(s.declined for s in un)}/{len(un)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
