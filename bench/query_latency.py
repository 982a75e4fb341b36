"""Benchmark: query latency p50/p95 over the development questions (bundled corpus, extractive mode).

python bench/query_latency.py [ROUNDS]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.chain import Clausewise  # noqa: E402
from qa.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT.parent / "shared" / "eval" / "seed_questions.dev.jsonl"
FALLBACK = [
    "Can Smartproxy freeze my account?",
    "脉邦会把我的数据给第三方吗?",
    "what does 2.8.5 of the App say",
    "Can I refuse cookies on SMM's website?",
    "How long does MaiBang take to restore data from a backup?",
]


def pct(xs: list[float], p: float) -> float:
    return sorted(xs)[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    qs = (
        [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
        if QUESTIONS.exists()
        else FALLBACK
    )
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
