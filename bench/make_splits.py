"""Split development sets by document, once, with a fixed seed: tune on one part, report the other.

    python bench/make_splits.py            # writes bench/splits/policyqa.json (and claudette.json)

The split is committed before any tuning and reused by later work; re-running reproduces it.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
SEED = 20261202
SETS = {"policyqa": SHARED / "policyqa-dev" / "docs", "claudette": SHARED / "claudette-train" / "docs"}


def split(names: list[str], tune_share: float, seed: int) -> dict[str, list[str]]:
    order = sorted(names)
    random.Random(seed).shuffle(order)
    k = int(len(order) * tune_share)  # rounded down: held-out gets the odd one
    return {"tune": sorted(order[:k]), "heldout": sorted(order[k:])}


def main() -> int:
    out = ROOT / "bench" / "splits"
    out.mkdir(parents=True, exist_ok=True)
    for name, folder in SETS.items():
        if not folder.is_dir():
            print(f"skipped {name}: {folder} not found", file=sys.stderr)
            continue
        docs = [p.name for p in folder.iterdir() if p.is_file() and p.suffix in (".txt", ".md", ".html", ".json")]
        parts = split(docs, 0.5, SEED)
        body = {"seed": SEED, "by": "document", "source": str(folder.relative_to(ROOT.parent)), **parts}
        (out / f"{name}.json").write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
        print(f"{name}: {len(parts['tune'])} tune, {len(parts['heldout'])} held out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
