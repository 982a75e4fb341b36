"""Print the state of an index as JSON (run in its own process: the index was written by another one)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from ingest.embed import E5Embedding
from ingest.store import Store, open_client

if __name__ == "__main__":
    store = Store(open_client(Path(sys.argv[1])), E5Embedding())
    docs = store.documents_meta()
    got = store.clauses.get(include=["metadatas"])
    by_version = Counter((str(m["doc_id"]), str(m["doc_sha"])) for m in got["metadatas"] or [])
    print(
        json.dumps(
            {
                "docs": {
                    d: {"sha": r.sha256, "n_chunks": r.n_chunks, "committed_chunks": by_version[(d, r.sha256)]}
                    for d, r in docs.items()
                },
                "total_chunks": len(got["ids"]),
                "ids_unique": len(set(got["ids"])) == len(got["ids"]),
            }
        )
    )
