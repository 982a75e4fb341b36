"""Where mirroring the vectors stops paying: the dense step, mirrored in memory vs Chroma's HNSW index.

    python bench/dense_crossover.py --home /tmp/scale100k [--questions 100]

On an index bench/scale.py built, it times the dense similarity of each of its questions both ways:
over one document (the question names it) and over all documents, and prints one JSON line with the
medians in ms and what the mirror costs in memory. The snapshot mirrors the vectors up to
`CLAUSEWISE_MIRROR_CHUNKS` chunks; this is the measurement that number rests on.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--questions", type=int, default=100)
    args = ap.parse_args()
    os.environ["CLAUSEWISE_HOME"] = str(args.home)
    from qa.chain import Clausewise
    from qa.question import read_question
    from qa.settings import Settings

    cw = Clausewise(Settings.from_env())
    cw.corpus.mirror_chunks = 10**9  # this run holds the vectors whatever the size
    snap = cw.snapshot()
    qs = json.loads((args.home / "questions.json").read_text(encoding="utf-8"))[: args.questions]
    times: dict[str, list[float]] = {"mirror_one": [], "mirror_all": [], "chroma_one": [], "chroma_all": []}
    for q in qs:
        v = cw.store.ef.query(q)
        doc = snap.docs_named_in(read_question(q))
        rows = snap.in_docs(doc[:1]) if doc else snap.in_docs(list(snap.docs)[:1])
        one = np.flatnonzero(rows)
        shas = [snap.docs[snap.chunks[one[0]].doc_id].meta.sha256]
        for name, run in (
            ("mirror_one", lambda v=v, one=one: snap.similarity(v, one)),
            ("mirror_all", lambda v=v: snap.similarity(v)),
            ("chroma_one", lambda v=v, one=one, shas=shas: cw.store.query(v, len(one), shas)),
            ("chroma_all", lambda v=v: cw.store.query(v, 2000, None)),
        ):
            t = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - t) * 1000)
    vectors_mb = len(snap.chunks) * 384 * 4 / 2**20
    out = {"chunks": len(snap.chunks), "mirror_mb": round(vectors_mb)}
    out |= {f"{k}_ms": round(float(np.median(x)), 2) for k, x in times.items()}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
