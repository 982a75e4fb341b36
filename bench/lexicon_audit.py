"""Lexicon phrases that a tuning question set could have put there.

    python bench/lexicon_audit.py            # list them
    python bench/lexicon_audit.py --remove   # and take them out of qa/lexicon.txt

A phrase is suspect when it was added after the lexicon's first version (git 486b9fc, written before
any question set of bench/eval existed) and its tokens occur as a run in a question of bench/eval/ or
of the development set. Such a phrase may fit those questions rather than the language.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.text import tokens  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "qa" / "lexicon.txt"
FIRST_VERSION = "486b9fc"
SETS = [ROOT / "bench" / "eval" / "corpus_questions.jsonl", ROOT / "bench" / "eval" / "doc_questions.jsonl"]
SETS.append(ROOT.parent / "shared" / "eval" / "seed_questions.dev.jsonl")


def phrases(text: str) -> set[str]:
    return {p.strip() for line in text.splitlines() for p in line.split("#")[0].split("|") if p.strip()}


def run(words: tuple[str, ...], questions: list[tuple[str, ...]]) -> bool:
    n = len(words)
    return bool(n) and any(q[i : i + n] == words for q in questions for i in range(len(q) - n + 1))


def main() -> int:
    first = subprocess.run(
        ["git", "show", f"{FIRST_VERSION}:qa/lexicon.txt"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    questions = [
        tuple(tokens(json.loads(line)["question"], keep_stopwords=True))
        for path in SETS
        if path.exists()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    text = LEXICON.read_text(encoding="utf-8")
    suspect = sorted(p for p in phrases(text) - phrases(first) if run(tuple(tokens(p, keep_stopwords=True)), questions))
    print(f"{len(suspect)} suspect phrases: {', '.join(suspect)}")
    if "--remove" in sys.argv and suspect:
        out = []
        for line in text.splitlines():
            body, hash_, comment = line.partition("#")
            if "|" not in body:
                out.append(line)
                continue
            kept = [p.strip() for p in body.split("|") if p.strip() and p.strip() not in suspect]
            if len(kept) >= 2:
                out.append(" | ".join(kept) + (f" {hash_}{comment}" if hash_ else ""))
        LEXICON.write_text("\n".join(out) + "\n", encoding="utf-8")
        print(f"removed from {LEXICON.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
