"""Benchmark: query latency p50/p95 over the development questions (bundled corpus, extractive mode).

python bench/query_latency.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from questions import ROOT, pct, questions  # noqa: E402

from qa.chain import Clausewise  # noqa: E402
from qa.settings import Settings  # noqa: E402


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    qs = questions()
    with tempfile.TemporaryDirectory() as home:
        cw = Clausewise(Settings(home=Path(home)))
        cw.ingest([ROOT / "corpus"])
        cw.ask(qs[0])  # warm the model and the BM25 view
        for r in range(rounds):
            total: list[float] = []
            parts: dict[str, list[float]] = {}
            for q in qs:
                t = time.perf_counter()
                a = cw.ask(q)
                total.append((time.perf_counter() - t) * 1000)
                for k, v in a.timings_ms.items():
                    parts.setdefault(k, []).append(v)
            # The first round embeds every question; later rounds find repeated questions cached.
            label = "first round (new questions)" if r == 0 else f"round {r + 1} (repeated questions)"
            print(f"{label}: {len(total)} questions")
            print(
                f"  end-to-end ms: p50 {statistics.median(total):.1f}  p95 {pct(total, 0.95):.1f}  max {max(total):.1f}"
            )
            for k in ("lookup", "embed", "retrieve", "answer"):
                if k in parts:
                    print(f"    {k:<9} p50 {statistics.median(parts[k]):.1f}  p95 {pct(parts[k], 0.95):.1f}")


if __name__ == "__main__":
    main()
