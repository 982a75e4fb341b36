"""Benchmark: reading and parsing large documents, the shapes that once made the parser quadratic.

    python bench/parse_speed.py            # prints figures; about half a minute on 2 cores

Synthetic Markdown (the file reader and the clause parser, no embedding): many sections that repeat
one number, each with a short nested list and a table; one flat list of many items; and the bundled
corpus read and parsed as it ships, for scale.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.clauses import parse_clauses  # noqa: E402
from ingest.load import iter_files, load_document, parse_bytes  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SECTION = (
    "## 1. Heading\n\nSome **bold** text with [a link](https://example.com) and more words here.\n\n"
    "- item one\n  - nested\n- item two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
)


def timed(name: str, raw: bytes, filename: str) -> None:
    t0 = time.perf_counter()
    doc = parse_bytes(raw, filename)
    t1 = time.perf_counter()
    clauses = parse_clauses(doc.doc_id, doc.text)
    t2 = time.perf_counter()
    print(f"{name}: {len(raw) / 1e6:.1f} MB, read {t1 - t0:.1f} s, parsed {t2 - t1:.1f} s, {len(clauses):,} clauses")


def main() -> None:
    timed("40,000 sections numbered 1, each with a nested list and a table", (SECTION * 40_000).encode(), "big.md")
    flat = "# Terms\n\n" + "".join(f"- item number {i} of a long flat list\n" for i in range(30_000))
    timed("one flat list of 30,000 items", flat.encode(), "flat.md")
    t0 = time.perf_counter()
    n = sum(len(parse_clauses(d.doc_id, d.text)) for d in map(load_document, iter_files([CORPUS])))
    print(f"bundled corpus: read and parsed in {time.perf_counter() - t0:.2f} s, {n} clauses")


if __name__ == "__main__":
    main()
