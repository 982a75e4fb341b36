"""Train the sentence-level type models that help choose which sentences of a unit to quote; print
held-out figures; write sentence_types.npz.

    python -m qa.model.train_sentence_types

One logistic regression per type over a sentence's hashed words (qa.clause_types.lexical), with no
embedding: a question's answer quotes sentences that were never embedded, and embedding them at
question time costs about 160 ms on 2 cores. Trained on the same labelled sentences and tune documents
as the unit models (qa/model/train_types.py); the held-out documents are only scored, as totals.

Reads ../shared/eval; never imported by the product.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

from qa.clause_types import LEX_BUCKETS
from qa.model.train_types import PRIVACY, TERMS, C, bag, trainable
from qa.model.type_data import collect, split

OUT = Path(__file__).parent / "sentence_types.npz"


def main() -> int:
    t0 = time.perf_counter()
    print("collecting labelled sentences (embeddings cached in bench/out/types)", file=sys.stderr)
    L = collect(progress=False)
    cl, pq = split("claudette"), split("policyqa")
    x = bag([L.docs[s.doc][s.start : s.end] for s in L.sents])
    kinds, weights, bias = [], [], []
    print(f"{'type':14} held-out sentences: average precision (base rate)")
    for kind in (*TERMS, *PRIVACY):
        tune = set(cl["tune"] + pq["tune"]) if kind in TERMS else set(pq["tune"])
        own = "claudette" if kind in TERMS else "policyqa"
        mask = trainable(kind, L.sents, L)
        y = np.array([kind in s.types for s in L.sents])
        train = mask & np.array([s.doc in tune for s in L.sents])
        if y[train].sum() < 2:
            print(f"{kind:14} too few labelled sentences, skipped")
            continue
        m = LogisticRegression(C=C, class_weight="balanced", max_iter=2000).fit(x[train], y[train])
        test = mask & np.array([s.doc not in tune and s.corpus == own for s in L.sents])
        if y[test].any():
            ap = average_precision_score(y[test], m.predict_proba(x[test])[:, 1])
            print(f"{kind:14} {ap:.2f} ({y[test].mean():.2f}, {int(y[test].sum())} sentences)")
        kinds.append(kind)
        weights.append(m.coef_[0])
        bias.append(m.intercept_[0])
    meta = {"kinds": kinds, "lex_buckets": LEX_BUCKETS, "trained_on": "tune halves of bench/splits/*.json"}
    np.savez_compressed(
        OUT,
        meta=np.array(json.dumps(meta)),
        w=np.array(weights, dtype=np.float16),
        b=np.array(bias, dtype=np.float32),
    )
    print(f"wrote {OUT.name} ({OUT.stat().st_size // 1024} KB) in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
