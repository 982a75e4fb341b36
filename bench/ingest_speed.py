"""Benchmark: ingest time of the bundled corpus, chunks/s vs the embedding model's own rate, start to first answer.

    python bench/ingest_speed.py            # prints figures; takes about a minute on 2 cores

Three runs in fresh homes: cold (no cache, every chunk embedded), seeded (the shipped vectors), and a
re-ingest of the unchanged corpus. The model's own rate is measured on the same chunk texts.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.embed import E5Embedding  # noqa: E402
from ingest.load import iter_files, load_document  # noqa: E402
from ingest.pipeline import prepare  # noqa: E402
from qa.chain import Clausewise  # noqa: E402
from qa.settings import Settings  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def main() -> None:
    chunks = [c.embed_text for f in iter_files([CORPUS]) for c in prepare(load_document(f)).chunks]
    ef = E5Embedding()
    t = time.perf_counter()
    ef.passages(chunks[:48])
    model_rate = 48 / (time.perf_counter() - t)
    print(f"corpus: {len(chunks)} chunks, {sum(map(len, chunks)) / len(chunks):.0f} chars on average")
    print(f"embedding model alone: {model_rate:.1f} chunks/s")

    with tempfile.TemporaryDirectory() as home:
        cw = Clausewise(Settings(home=Path(home)))
        import ingest.embed as embed_mod

        seed_dir, embed_mod.SEED_DIR = embed_mod.SEED_DIR, Path(home) / "no-seed"  # cold: no shipped vectors
        t = time.perf_counter()
        report = cw.ingest([CORPUS])
        cold = time.perf_counter() - t
        embed_mod.SEED_DIR = seed_dir
        print(
            f"cold ingest (no cache): {cold:.1f}s, {report.chunks / cold:.1f} chunks/s "
            f"({report.chunks / cold / model_rate:.0%} of the model's rate)"
        )
        t = time.perf_counter()
        again = cw.ingest([CORPUS])
        print(f"re-ingest unchanged corpus: {time.perf_counter() - t:.2f}s ({len(again.unchanged)} unchanged)")

    with tempfile.TemporaryDirectory() as home:
        t = time.perf_counter()
        cw = Clausewise(Settings(home=Path(home)))
        cw.ingest([CORPUS])
        seeded = time.perf_counter() - t
        a = cw.ask("Can Smartproxy freeze my account?")
        first = time.perf_counter() - t
        print(f"fresh start with shipped vectors: ingest {seeded:.1f}s, first answer at {first:.1f}s ({a.status})")


if __name__ == "__main__":
    main()
