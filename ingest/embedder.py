"""Embedding as a pipeline: batches of passages embed off the calling thread while it parses and writes
the documents before them, in one or several processes, or on the embeddings server several at once.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from types import TracebackType

import numpy as np

from ingest.embed import E5Embedding, EmbeddingCache, cache_plan, stacked

READ_AHEAD_ITEMS = 64  # items whose texts may wait, looked up in the cache, for the one being embedded


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, which container limits set), not the machine's."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _start_worker(threads: int) -> None:
    # Before the engine loads: OpenMP reads its thread count once.
    os.environ["OMP_NUM_THREADS"] = str(threads)


def _embed_in_worker(model: str, texts: list[str]) -> np.ndarray:
    return E5Embedding(model).local_passages(texts)


class Embedder:
    """Embeds batches of passages in the background.

    workers = 1: in one thread beside the caller, the engine using every core. workers = N > 1: in N
    processes of cores / N OpenMP threads each (at most one process per core), or, with an embeddings
    server, N requests to it at once.
    """

    def __init__(self, ef: E5Embedding, workers: int = 1) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.ef = ef
        cores = usable_cores()
        remote = ef.remote is not None
        self.workers = workers if remote else min(workers, cores)
        self._pool: Executor
        if self.workers > 1 and not remote:
            # Spawned, not forked: the parent holds Chroma's and OpenMP's threads, which a fork does not copy.
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(max(1, cores // self.workers),),
            )
        else:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="embed")

    def submit(self, texts: Sequence[str]) -> Future[np.ndarray]:
        if isinstance(self._pool, ProcessPoolExecutor):
            return self._pool.submit(_embed_in_worker, self.ef.model, list(texts))
        return self._pool.submit(self.ef.passages, list(texts))

    def __enter__(self) -> Embedder:
        return self

    def __exit__(self, kind: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def embed_ahead(
    texts_of: Iterable[Sequence[str]],
    embedder: Embedder,
    cache: EmbeddingCache | None,
    batch_size: int = 16,
    progress: Callable[[int], None] | None = None,
) -> Iterator[np.ndarray]:
    """The vectors of each item's texts, in order, with the batches of the next items already embedding.
    Texts the cache holds are not embedded; what is
    embedded goes into it. `progress` gets the running count of texts whose vectors are known."""
    if batch_size <= 0:
        raise ValueError(f"batch_size must be > 0, got {batch_size}")
    model = embedder.ef.model_id
    queue: deque[tuple[list[str], dict[str, np.ndarray], list[tuple[list[str], Future[np.ndarray]]]]] = deque()
    in_flight = 0
    done = 0

    def finish() -> np.ndarray:
        nonlocal in_flight, done
        keys, known, batches = queue.popleft()
        done += len(keys) - sum(1 for k in keys if k not in known)
        for batch, future in batches:
            fresh = dict(zip(batch, future.result(), strict=True))
            in_flight -= 1
            known.update(fresh)
            if cache:
                cache.put_many(fresh)
            done += sum(1 for k in keys if k in fresh)
            if progress:
                progress(done)
        if progress and not batches:
            progress(done)
        return stacked(keys, known)

    def ready() -> bool:
        """Whether to hand back the oldest item now: the items after it keep every worker busy while
        the caller writes it (or it needs no waiting, or enough are read ahead)."""
        if len(queue) < 2:
            return False
        oldest = queue[0][2]
        behind = in_flight - len(oldest)
        return behind >= embedder.workers or all(f.done() for _, f in oldest) or len(queue) > READ_AHEAD_ITEMS

    for texts in texts_of:
        keys, known, todo, by_key = cache_plan(texts, model, cache)
        batches = [
            (todo[i : i + batch_size], embedder.submit([by_key[k] for k in todo[i : i + batch_size]]))
            for i in range(0, len(todo), batch_size)
        ]
        queue.append((keys, known, batches))
        in_flight += len(batches)
        while ready():
            yield finish()
    while queue:
        yield finish()
