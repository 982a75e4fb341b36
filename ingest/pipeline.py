"""ingest_paths(): files -> SourceDoc -> clauses -> chunks -> vectors -> Chroma. Idempotent, crash-safe."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.chunk import chunk_clauses
from ingest.clauses import PARSER_VERSION, parse_clauses
from ingest.embed import EmbeddingCache
from ingest.embedder import Embedder, embed_ahead
from ingest.errors import LoadError
from ingest.fetch import fetch_document, is_url
from ingest.load import iter_files, load_document
from ingest.parts import PartCache, saved_part
from ingest.store import ChunkRecord, DocRecord, Store, Written
from ingest.types import Chunk, Clause, SourceDoc

log = logging.getLogger("clausewise.ingest")

GROUP_CHUNKS = 1000  # chunks of several documents written to Chroma together
GROUP_SECONDS = 2.0  # …unless embedding them has taken this long: then what is ready is written

# (chunks embedded so far, chunks to embed in this run, what is being worked on)
Progress = Callable[[int, int, str], None]


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, one-line reason)
    chunks: int = 0
    orphans_removed: int = 0
    committed: list[DocRecord] = field(default_factory=list)  # records written, so readers can apply them
    deleted: list[str] = field(default_factory=list)  # ids of documents this run replaced under a new id

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.replaced)} replaced",
            f"{len(self.unchanged)} unchanged",
            f"{len(self.failed)} failed",
        ]
        return ", ".join(parts) + f" ({self.chunks} chunks embedded)"


@dataclass(frozen=True)
class Prepared:
    doc: SourceDoc
    clauses: list[Clause]
    chunks: list[Chunk]


def prepare(doc: SourceDoc) -> Prepared:
    clauses = parse_clauses(doc.doc_id, doc.text)
    return Prepared(doc, clauses, chunk_clauses(doc, clauses))


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    batch_size: int = 16,
    allow_private_urls: bool = False,
    workers: int = 1,
) -> IngestReport:
    """Index files, folders and URLs. A bad one is reported and skipped; the others still go in."""
    docs: list[SourceDoc] = []
    failed: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    urls = [str(p) for p in paths if is_url(str(p))]
    for u in urls:
        try:
            doc = fetch_document(u, allow_private_urls)
        except LoadError as e:
            failed.append((u, str(e)))
            continue
        seen[doc.doc_id] = u
        docs.append(doc)
    for f in iter_files([p for p in paths if not is_url(str(p))]):
        try:
            doc = load_document(f)
        except LoadError as e:
            failed.append((str(f), str(e)))
            continue
        if doc.doc_id in seen:
            failed.append((str(f), f"{f.name}: same document id as {seen[doc.doc_id]}; rename one of them"))
            continue
        seen[doc.doc_id] = str(f)
        docs.append(doc)
    # Chunks left by an interrupted ingest are invisible to readers; a run over files sweeps them.
    # (Not per document: the sweep reads the whole index, and a document's own leftovers go when it is
    # written again.)
    orphans = store.remove_orphans()
    report = ingest_documents(docs, store, cache, progress, batch_size, workers)
    report.failed = failed + report.failed
    report.orphans_removed = orphans
    return report


def ingest_documents(
    docs: Iterable[SourceDoc],
    store: Store,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    batch_size: int = 16,
    workers: int = 1,
) -> IngestReport:
    """Index loaded documents: unchanged ones are skipped, changed ones replace their old version."""
    docs = list(docs)
    report = IngestReport()
    parts = PartCache(store.parts_dir)
    # Only the records these documents may replace: by id, or by file name (an older id scheme).
    existing = store.documents_meta(ids=[d.doc_id for d in docs], sources=[d.source for d in docs])
    todo: list[Prepared] = []
    for doc in docs:
        old = existing.get(doc.doc_id)
        if old is not None and old.sha256 == doc.sha256 and old.parser == PARSER_VERSION:
            report.unchanged.append(doc.source)
            continue
        try:
            todo.append(prepare(doc))
        except Exception as e:  # noqa: BLE001 - one unreadable document must not stop the others
            log.exception("could not parse %s", doc.source)
            report.failed.append((doc.source, f"{doc.source}: could not be split into clauses ({type(e).__name__})"))
    total = sum(len(p.chunks) for p in todo)
    pending: list[tuple[Prepared, np.ndarray]] = []
    since = time.monotonic()

    def flush() -> None:
        written = store.write_documents(
            [Written(p.doc, len(p.clauses), p.chunks, v, fresh=p.doc.doc_id not in existing) for p, v in pending]
        )
        for (p, vectors), record in zip(pending, written, strict=True):
            report.committed.append(record)
            # The read view's share of this document, made now, so no reader has to re-read and re-parse it.
            records = [ChunkRecord(c.chunk_id, c.doc_id, c.clause_id, c.start, c.end, p.doc.text) for c in p.chunks]
            parts.save(saved_part(record, p.doc.text, {c.clause_id: c for c in p.clauses}, records, vectors))
            older = [o for o in existing.values() if o.source == p.doc.source and o.doc_id != p.doc.doc_id]
            report.chunks += len(p.chunks)
            (report.replaced if p.doc.doc_id in existing or older else report.added).append(p.doc.source)
        pending.clear()

    def step(done: int) -> None:
        if progress:
            progress(done, total, label)

    label = todo[0].doc.title if todo else ""
    if todo:
        step(0)  # the bar shows before the first document is embedded, which may take minutes
    with Embedder(store.ef, workers) as embedder:
        # The next documents embed while this one is written.
        vectors_of = embed_ahead(([c.embed_text for c in p.chunks] for p in todo), embedder, cache, batch_size, step)
        for i, (p, vectors) in enumerate(zip(todo, vectors_of, strict=True)):
            label = todo[min(i + 1, len(todo) - 1)].doc.title
            if not pending:
                since = time.monotonic()
            pending.append((p, vectors))
            # Documents are written together while their vectors come fast (from the cache); one that
            # took a while to embed is written at once, so it answers without waiting for the next ones.
            if sum(len(q.chunks) for q, _ in pending) >= GROUP_CHUNKS or time.monotonic() - since > GROUP_SECONDS:
                flush()
    if pending:
        flush()
    # A document's identity is its file name: one indexed under an older id scheme is this one, once
    # this one is in the index (written now, or already there unchanged).
    indexed = {p.doc.doc_id for p in todo} | {d.doc_id for d in docs if d.source in report.unchanged}
    for doc in docs:
        for o in existing.values():
            if doc.doc_id in indexed and o.source == doc.source and o.doc_id not in {d.doc_id for d in docs}:
                store.delete_document(o.doc_id)
                report.deleted.append(o.doc_id)
    if progress:
        progress(total, total, "done")
    return report
