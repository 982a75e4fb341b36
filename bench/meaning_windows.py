"""How the sentences a long unit is quoted by are chosen: qa.cite.MEANING_MARGIN and MEANING_WEIGHT.

    python bench/meaning_windows.py                # the tuning policies of policyqa-dev
    python bench/meaning_windows.py --part heldout

The English questions of policyqa-dev are asked as usual; for each first citation whose unit is long
enough to be quoted in part and holds the gold answer, the window is chosen again:
- by the question's words alone, as before the sentences' meaning counted;
- with the question's words taken away, as a third language takes them away (a Spanish question shares
  no words with an English clause): by the first sentences, as such a question was quoted before, and
  by each sentence's cosine to the question, at several margins;
- by the words and the meaning together, at several weights of the meaning.
Printed: how often the window touches the gold answer, the share of its characters inside it, and its
length.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policyqa import DATA, OUT, load  # noqa: E402

import qa.cite as cite  # noqa: E402
from qa.chain import Clausewise  # noqa: E402
from qa.question import Meaning  # noqa: E402
from qa.settings import Settings  # noqa: E402

MARGINS = (0.02, 0.05, 0.1, 0.2, 0.4)
WEIGHTS = ((0.25, 0.1), (0.5, 0.05), (0.5, 0.1), (1.0, 0.1), (2.0, 0.1))  # (weight, margin)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["heldout", "tune"], default="tune")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"error: {DATA} not found (policyqa-dev sits in shared/eval beside the repo)", file=sys.stderr)
        return 2
    docs, questions = load(args.part, None)
    cw = Clausewise(Settings(home=OUT / f"policyqa-{args.part}"))
    assert cw.ingest([DATA / "docs" / n for n in docs]).ok
    calls: list[tuple] = []
    chosen = cite._best_window

    def spy(snap, c, start, end, q, whole_chars):  # type: ignore[no-untyped-def]
        if whole_chars is None:
            calls.append((snap, c, start, end, q))
        return chosen(snap, c, start, end, q, whole_chars)

    cite._best_window = spy
    ways = ["words alone", "no words: first sentences"]
    ways += [f"no words: meaning, margin {m}" for m in MARGINS]
    ways += [f"words + meaning {w} (margin {m})" for w, m in WEIGHTS]

    scored: dict[str, list[tuple[bool, float, int]]] = {w: [] for w in ways}
    for qq in questions:
        calls.clear()
        if cw.ask(qq["question"], [qq["doc"]]).status != "answered" or not calls:
            continue
        snap, c, start, end, q = calls[0]
        s0, e0 = cite.words_of(snap, c, start, end)
        gold = [(g["start"], g["end"]) for g in qq["gold"]]
        if e0 - s0 <= cite.WHOLE_CLAUSE_CHARS["en"] or not any(min(e0, e) > max(s0, s) for s, e in gold):
            continue
        wordless = replace(q, weighted={}, asks=None, lang="de", meaning=None)  # a third language: no words
        windows = [
            chosen(snap, c, start, end, replace(q, meaning=None), None),
            chosen(snap, c, start, end, wordless, None),
        ]
        meaning = Meaning(cw.store.ef.query(qq["question"]), cw.store.ef.passages)
        for m in MARGINS:
            cite.MEANING_WEIGHT, cite.MEANING_MARGIN = 1.0, m
            windows.append(chosen(snap, c, start, end, replace(wordless, meaning=meaning), None))
        for w, m in WEIGHTS:
            cite.MEANING_WEIGHT, cite.MEANING_MARGIN = w, m
            windows.append(chosen(snap, c, start, end, replace(q, meaning=meaning), None))
        for way, (s, e) in zip(ways, windows, strict=True):
            inside = sum(max(0, min(e, ge) - max(s, gs)) for gs, ge in gold)
            scored[way].append((any(min(e, ge) > max(s, gs) for gs, ge in gold), inside / max(e - s, 1), e - s))
    n = len(scored[ways[0]])
    print(f"policyqa-dev, {args.part} part: {n} first citations of long units holding the answer")
    for way, rows in scored.items():
        hit = sum(r[0] for r in rows) / max(n, 1)
        share = sum(r[1] for r in rows) / max(n, 1)
        length = sum(r[2] for r in rows) / max(n, 1)
        print(f"  {way:<34} holds the answer {hit:6.1%}  share inside {share:.3f}  {length:4.0f} chars")
    return 0


if __name__ == "__main__":
    sys.exit(main())
