"""The questions the benchmarks ask: the development set when it sits beside the repo, else a few."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "eval" / "seed_questions.dev.jsonl"
FALLBACK = [
    "Can Smartproxy freeze my account?",
    "脉邦会把我的数据给第三方吗?",
    "what does 2.8.5 of the App service agreement say",
    "Can I refuse cookies on SMM's website?",
    "How long does MaiBang take to restore data from a backup?",
]


def questions() -> list[str]:
    if DEV_SET.exists():
        return [json.loads(x)["question"] for x in DEV_SET.read_text(encoding="utf-8").splitlines() if x.strip()]
    return FALLBACK


def pct(xs: list[float], p: float) -> float:
    """The p-quantile (nearest rank) of a non-empty list."""
    return sorted(xs)[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]
