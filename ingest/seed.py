"""Ship the bundled corpus's vectors with the code, so a fresh install answers within seconds.

    python -m ingest.seed corpus/     # after changing chunking or the corpus

Writes ingest/seed/<model>.npz: the cache keys (model + text hash) and vectors of every chunk of
the given documents. The cache is content-addressed, so a stale seed only means slower first runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from ingest.embed import SEED_DIR, E5Embedding, EmbeddingCache, embed_cached, text_key
from ingest.load import iter_files, load_document
from ingest.pipeline import prepare
from ingest.settings import Settings


def export_seed(paths: list[str], model: str = "multilingual-e5-small", cache: EmbeddingCache | None = None) -> Path:
    ef = E5Embedding(model)
    texts = []
    for f in iter_files(paths):
        texts += [c.embed_text for c in prepare(load_document(f)).chunks]
    texts = list(dict.fromkeys(texts))
    vecs = embed_cached(texts, ef, cache, progress=lambda d, n: print(f"\r{d}/{n}", end="", file=sys.stderr))
    SEED_DIR.mkdir(exist_ok=True)
    out = SEED_DIR / f"{model}.npz"
    np.savez_compressed(out, keys=np.array([text_key(ef.model_id, t) for t in texts]), vectors=vecs)
    return out


if __name__ == "__main__":
    # The user's own cache (CLAUSEWISE_HOME) saves re-embedding texts it has already seen.
    cache = EmbeddingCache(Settings.from_env().cache_path)
    print(f"\nwrote {export_seed(sys.argv[1:] or ['corpus'], cache=cache)}")
