"""Chroma as the single source of truth: a `clauses` collection (one record per chunk) and a
`documents` collection (one record per document, the commit point of an ingest).

A document's chunks are written first, then its record, then the previous version's chunks are
deleted. Readers trust only chunks whose `doc_sha` matches a committed record, so a crash at any
point leaves either the old or the new version visible, never a mix; the next ingest removes orphans.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from ingest.clauses import PARSER_VERSION
from ingest.embed import E5Embedding
from ingest.errors import StoreError
from ingest.settings import Settings
from ingest.types import Chunk, SourceDoc

CLAUSES = "clauses"
DOCUMENTS = "documents"
VERSIONS = "versions"  # every version's text, so "what changed" can compare them; answers use the latest
STATE = "state"  # one record whose value changes with every commit, so readers notice changes cheaply
GENERATION = "generation"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class DocRecord:
    doc_id: str
    title: str
    source: str
    sha256: str
    lang: str
    aliases: tuple[str, ...]
    n_clauses: int
    n_chunks: int
    ingested_at: float
    parser: int = 0
    pages: tuple[int, ...] = ()  # where each page starts in the text (PDF)
    source_url: str = ""
    fetched_at: float = 0.0
    version: int = 1


@dataclass(frozen=True)
class DocVersion:
    doc_id: str
    version: int  # 1, 2, … in the order they were ingested
    sha256: str
    ingested_at: float
    source: str  # the file name, or the URL


@dataclass(frozen=True)
class Written:
    """A document to write: its chunks and their vectors; `fresh` when no version of it is committed."""

    doc: SourceDoc
    n_clauses: int
    chunks: list[Chunk]
    vectors: np.ndarray
    fresh: bool = False


@dataclass(frozen=True, slots=True)  # slots: one per chunk, a million in a large index
class ChunkRecord:
    chunk_id: str
    doc_id: str
    clause_id: str
    start: int
    end: int
    # The chunk's text, or the whole text of its document, shared rather than copied (a read view holds
    # both; at a million chunks a copy of every chunk's text would cost 400 MB).
    source: str

    @property
    def text(self) -> str:
        """The chunk's text: source[start:end] of its document."""
        return self.source if len(self.source) == self.end - self.start else self.source[self.start : self.end]


def open_client(home: Path, host: str | None = None, port: int = 8000, token: str | None = None) -> Any:
    """An embedded Chroma under `home`, or a Chroma server when `host` is given."""
    settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if host:
            if token:
                settings = ChromaSettings(
                    anonymized_telemetry=False,
                    chroma_client_auth_provider="chromadb.auth.token_authn.TokenAuthClientProvider",
                    chroma_client_auth_credentials=token,
                )
            return chromadb.HttpClient(host=host, port=port, settings=settings)
        path = home / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=settings)
    except Exception as e:  # chromadb raises a variety of types for the same user problem
        where = f"the Chroma server at {host}:{port}" if host else f"the index at {home / 'chroma'}"
        raise StoreError(f"cannot open {where}: {e}") from e


def open_store(settings: Settings) -> Store:
    client = open_client(settings.home, settings.chroma_host, settings.chroma_port, settings.chroma_auth_token)
    return Store(client, E5Embedding(settings.embedding, settings.embed_url), settings.home / "parts")


WRITE_BATCH = 1024  # records per write to Chroma
FEW_DOCS = 64  # up to this many documents' chunks are read by a filtered query, not a full pass
PAGE = 5_000  # records per read: one unpaged read of a large collection fails ("too many SQL variables")


def read_all(collection: Any, include: list[str], where: dict[str, Any] | None = None) -> dict[str, list[Any]]:
    """Every record of a collection (or those matching `where`), read a page at a time; the fields of
    collection.get(), concatenated."""
    out: dict[str, list[Any]] = {"ids": [], **{k: [] for k in include}}
    offset = 0
    while True:
        got = collection.get(include=include, limit=PAGE, offset=offset, where=where)
        out["ids"] += got["ids"]
        for k in include:
            part = got.get(k)
            out[k] += list(part) if part is not None else []
        if len(got["ids"]) < PAGE:
            return out
        offset += PAGE


class Store:
    """Documents and chunks in Chroma, written crash-safely and read only when committed."""

    def __init__(self, client: Any, ef: E5Embedding, parts_dir: Path | None = None) -> None:
        self.client = client
        self.ef = ef
        self.parts_dir = parts_dir  # derived data of each committed document, kept locally (ingest/parts.py)
        meta = {"embedding_model": ef.model_id, "schema": SCHEMA_VERSION}
        try:
            self.clauses = client.get_or_create_collection(
                CLAUSES, embedding_function=ef, metadata=meta, configuration={"hnsw": {"space": "cosine"}}
            )
            self.documents = client.get_or_create_collection(DOCUMENTS, embedding_function=ef, metadata=meta)
            self.versions = client.get_or_create_collection(VERSIONS, embedding_function=ef, metadata=meta)
            self.state = client.get_or_create_collection(STATE, embedding_function=ef, metadata=meta)
        except Exception as e:
            raise StoreError(f"cannot open the Chroma collections: {e}") from e
        stored = (self.clauses.metadata or {}).get("embedding_model")
        if stored and stored != ef.model_id:
            raise StoreError(
                f"the index was built with {stored!r}, not {ef.model_id!r}; "
                "rebuild it with `python -m ingest --rebuild corpus/` (vectors of two models never mix)"
            )

    # -- reading ---------------------------------------------------------------------------------
    def documents_meta(
        self, ids: Sequence[str] | None = None, sources: Sequence[str] | None = None, since: float | None = None
    ) -> dict[str, DocRecord]:
        """Every committed document's record; or, given ids and/or file names, those with one of them;
        or those committed at or after `since` (Unix time)."""
        if since is not None:
            got = read_all(self.documents, ["metadatas"], {"ingested_at": {"$gte": since}})
            return {r.doc_id: r for r, _ in self._records(got, with_text=False)}
        if ids is None and sources is None:
            return {r.doc_id: r for r, _ in self._documents(with_text=False)}
        out = {r.doc_id: r for r, _ in self._documents(with_text=False, ids=ids or [])}
        for i in range(0, len(sources or []), PAGE):
            part = list((sources or [])[i : i + PAGE])
            where = {"source": part[0]} if len(part) == 1 else {"source": {"$in": part}}
            got = read_all(self.documents, ["metadatas"], where)
            out |= {r.doc_id: r for r, _ in self._records(got, with_text=False)}
        return out

    def documents_with_text(self, ids: Sequence[str] | None = None) -> list[tuple[DocRecord, str]]:
        """Each committed document's record and text (or those of `ids`), read together so they
        belong to one version."""
        return [(r, t or "") for r, t in self._documents(with_text=True, ids=ids)]

    def generation(self) -> str:
        """A value that changes whenever a document is committed or deleted: one small read."""
        got = self.state.get(ids=[GENERATION], include=["metadatas"])
        return str(got["metadatas"][0].get("value", "")) if got["ids"] else ""

    def _bump(self) -> None:
        self.state.upsert(ids=[GENERATION], embeddings=[[1.0, 0.0]], metadatas=[{"value": uuid.uuid4().hex}])

    def _documents(self, with_text: bool, ids: Sequence[str] | None = None) -> list[tuple[DocRecord, str | None]]:
        include = ["metadatas", "documents"] if with_text else ["metadatas"]
        if ids is None:
            got = read_all(self.documents, include)
        else:
            got = {"ids": [], **{k: [] for k in include}}
            for i in range(0, len(ids), PAGE):
                part = self.documents.get(ids=list(ids[i : i + PAGE]), include=include)
                for k in got:
                    got[k] += list(part.get(k) or [])
        return self._records(got, with_text)

    def _records(self, got: dict[str, list[Any]], with_text: bool) -> list[tuple[DocRecord, str | None]]:
        texts = got.get("documents") or [None] * len(got["ids"])
        out = []
        for did, m, text in zip(got["ids"], got["metadatas"] or [], texts, strict=True):
            record = DocRecord(
                doc_id=did,
                title=str(m["title"]),
                source=str(m["source"]),
                sha256=str(m["sha256"]),
                lang=str(m.get("lang", "en")),
                aliases=tuple(a for a in str(m.get("aliases", "")).split("|") if a),
                n_clauses=int(m.get("n_clauses", 0)),
                n_chunks=int(m.get("n_chunks", 0)),
                ingested_at=float(m.get("ingested_at", 0.0)),
                parser=int(m.get("parser", 0)),
                pages=tuple(int(p) for p in str(m.get("pages", "")).split(",") if p),
                source_url=str(m.get("source_url", "")),
                fetched_at=float(m.get("fetched_at", 0.0)),
                version=int(m.get("doc_version", 1)),
            )
            out.append((record, text))
        return out

    def committed_chunks(self, shas: dict[str, str] | None = None) -> list[ChunkRecord]:
        """Chunks of the committed versions (or of the given {doc_id: sha256} versions)."""
        return self.committed_chunks_with_vectors(shas, vectors=False)[0]

    def committed_chunks_with_vectors(
        self, shas: dict[str, str] | None = None, vectors: bool = True
    ) -> tuple[list[ChunkRecord], np.ndarray | None]:
        """Committed chunks and, when asked, their embeddings (one row per chunk, same order)."""
        if shas is None:
            shas = {d.doc_id: d.sha256 for d in self.documents_meta().values()}
        if not shas:
            return [], None
        include = ["documents", "metadatas", "embeddings"] if vectors else ["documents", "metadatas"]
        # A few documents are read by a filtered query; many, by one pass over the whole collection.
        where: dict[str, Any] | None = None
        if len(shas) <= FEW_DOCS:
            where = {"doc_id": next(iter(shas))} if len(shas) == 1 else {"doc_id": {"$in": list(shas)}}
        got = read_all(self.clauses, include, where)
        embeddings = got.get("embeddings") if vectors else None
        out, rows = [], []
        for i, (cid, text, m) in enumerate(
            zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        ):
            if shas.get(str(m["doc_id"])) == m["doc_sha"]:
                out.append(
                    ChunkRecord(cid, str(m["doc_id"]), str(m["clause_id"]), int(m["start"]), int(m["end"]), text)
                )
                rows.append(i)
        matrix = np.asarray(embeddings, dtype=np.float32)[rows] if embeddings is not None and rows else None
        return out, matrix

    def count(self) -> int:
        return int(self.clauses.count())

    def count_documents(self) -> int:
        return int(self.documents.count())

    def query(self, vector: np.ndarray, k: int, shas: Sequence[str] | None) -> list[tuple[str, float]]:
        """Nearest chunks of these document versions as (chunk_id, cosine similarity); of any, for None
        (the caller then drops chunks it does not know: a filter naming thousands of versions costs more
        than the search)."""
        if k <= 0:
            raise ValueError(f"k must be > 0, got {k}")
        if shas is not None and not shas:
            return []
        where: Any = None
        if shas is not None:
            where = {"doc_sha": shas[0]} if len(shas) == 1 else {"doc_sha": {"$in": list(shas)}}
        res = self.clauses.query(query_embeddings=[vector.tolist()], n_results=k, where=where, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    # -- writing ---------------------------------------------------------------------------------
    def write_document(
        self, doc: SourceDoc, n_clauses: int, chunks: list[Chunk], vectors: np.ndarray, fresh: bool = False
    ) -> DocRecord:
        """Write a document's chunks, then commit its record (returned), then drop its old chunks."""
        return self.write_documents([Written(doc, n_clauses, chunks, vectors, fresh)])[0]

    def write_documents(self, items: Sequence[Written]) -> list[DocRecord]:
        """Write several documents: all their chunks, then their records (each one's commit point),
        then their old chunks go. One write per kind for the lot: each write to Chroma costs a fixed
        15-20 ms at 100k chunks, which bounded a large ingest to about 170 chunks/s one by one."""
        rows = [(w.doc, c, v) for w in items for c, v in zip(w.chunks, w.vectors, strict=True)]
        for i in range(0, len(rows), WRITE_BATCH):
            part = rows[i : i + WRITE_BATCH]
            self.clauses.upsert(
                ids=[c.chunk_id for _, c, _ in part],
                embeddings=np.asarray([v for _, _, v in part], dtype=np.float32).tolist(),
                documents=[c.text for _, c, _ in part],
                metadatas=[
                    {"doc_id": c.doc_id, "clause_id": c.clause_id, "start": c.start, "end": c.end, "doc_sha": d.sha256}
                    for d, c, _ in part
                ],
            )
        # A new document is version 1; a known one's number depends on what is stored.
        fresh = [w.doc for w in items if w.fresh]
        for i in range(0, len(fresh), WRITE_BATCH):
            self._put_versions(fresh[i : i + WRITE_BATCH], 1, time.time())
        versions = {w.doc.doc_id: 1 if w.fresh else self._record_version(w.doc) for w in items}
        now = round(time.time(), 3)  # milliseconds: the value survives Chroma's round trip exactly enough
        metas = [
            {
                "title": w.doc.title,
                "source": w.doc.source,
                "sha256": w.doc.sha256,
                "lang": w.doc.lang,
                "aliases": "|".join(w.doc.aliases),
                "n_clauses": w.n_clauses,
                "n_chunks": len(w.chunks),
                "ingested_at": now,
                "version": SCHEMA_VERSION,
                "parser": PARSER_VERSION,
                "pages": ",".join(map(str, w.doc.pages)),
                "source_url": w.doc.source_url,
                "fetched_at": w.doc.fetched_at,
                "doc_version": versions[w.doc.doc_id],
            }
            for w in items
        ]
        # The commit point: from here on readers see the new versions.
        for i in range(0, len(items), WRITE_BATCH):
            self.documents.upsert(
                ids=[w.doc.doc_id for w in items[i : i + WRITE_BATCH]],
                embeddings=[[1.0, 0.0]] * len(items[i : i + WRITE_BATCH]),
                documents=[w.doc.text for w in items[i : i + WRITE_BATCH]],
                metadatas=metas[i : i + WRITE_BATCH],
            )
        self._bump()
        records = [r for r, _ in self._records({"ids": [w.doc.doc_id for w in items], "metadatas": metas}, False)]
        for w in items:
            if not w.fresh:  # a new document has no old chunks (an interrupted ingest's go in the next sweep)
                self._drop_old_chunks(w.doc, w.chunks)
        return records

    def _drop_old_chunks(self, doc: SourceDoc, chunks: list[Chunk]) -> None:
        self.clauses.delete(where={"$and": [{"doc_id": doc.doc_id}, {"doc_sha": {"$ne": doc.sha256}}]})
        # The same text cut by another parser version has the same sha but other chunks: drop those too,
        # or every upgrade would leave the old units answering beside the new ones.
        keep = {c.chunk_id for c in chunks}
        stale = [i for i in self.clauses.get(where={"doc_id": doc.doc_id}, include=[])["ids"] if i not in keep]
        for i in range(0, len(stale), 500):
            self.clauses.delete(ids=stale[i : i + 500])

    def delete_document(self, doc_id: str) -> bool:
        existed = bool(self.documents.get(ids=[doc_id])["ids"])
        self.documents.delete(ids=[doc_id])  # uncommit first, then clean up
        self.clauses.delete(where={"doc_id": doc_id})
        self.versions.delete(where={"doc_id": doc_id})
        self._bump()
        return existed

    # -- versions --------------------------------------------------------------------------------
    def _record_version(self, doc: SourceDoc) -> int:
        """The version number of this text: the latest one's when the text is the same (a re-parse),
        else the next. A document indexed before versions were kept gets its text as version 1 first."""
        known = self.document_versions(doc.doc_id)
        if not known:
            got = self.documents.get(ids=[doc.doc_id], include=["metadatas", "documents"])
            if got["ids"] and got["metadatas"][0].get("sha256") != doc.sha256:
                m = got["metadatas"][0]
                old = SourceDoc(
                    doc.doc_id, str(m["title"]), str(m["source"]), got["documents"][0], str(m["sha256"]), ""
                )
                self._put_version(old, 1, float(m.get("ingested_at", 0.0)))
                known = self.document_versions(doc.doc_id)
        if known and known[-1].sha256 == doc.sha256:
            # The same file read again by a newer extractor or parser: its stored text follows, so the
            # offsets "what changed" cites stay those of the text the product serves.
            self._put_version(doc, known[-1].version, known[-1].ingested_at)
            return known[-1].version
        n = known[-1].version + 1 if known else 1
        self._put_version(doc, n, time.time())
        return n

    def _put_version(self, doc: SourceDoc, n: int, at: float) -> None:
        self._put_versions([doc], n, at)

    def _put_versions(self, docs: Sequence[SourceDoc], n: int, at: float) -> None:
        self.versions.upsert(
            ids=[f"{d.doc_id}@{n}" for d in docs],
            embeddings=[[1.0, 0.0]] * len(docs),
            documents=[d.text for d in docs],
            metadatas=[
                {"doc_id": d.doc_id, "version": n, "sha256": d.sha256, "ingested_at": at, "source": d.source}
                for d in docs
            ],
        )

    def document_versions(self, doc_id: str) -> list[DocVersion]:
        got = self.versions.get(where={"doc_id": doc_id}, include=["metadatas"])
        out = [
            DocVersion(doc_id, int(m["version"]), str(m["sha256"]), float(m["ingested_at"]), str(m["source"]))
            for m in got["metadatas"] or []
        ]
        return sorted(out, key=lambda v: v.version)

    def version_text(self, doc_id: str, version: int) -> str | None:
        got = self.versions.get(ids=[f"{doc_id}@{version}"], include=["documents"])
        return got["documents"][0] if got["ids"] else None

    def remove_orphans(self) -> int:
        """Delete chunks no committed document claims (left by an interrupted ingest)."""
        shas = {d.doc_id: d.sha256 for d in self.documents_meta().values()}
        got = read_all(self.clauses, ["metadatas"])
        orphans = [
            cid
            for cid, m in zip(got["ids"], got["metadatas"] or [], strict=True)
            if shas.get(str(m["doc_id"])) != m["doc_sha"]
        ]
        for i in range(0, len(orphans), 500):
            self.clauses.delete(ids=orphans[i : i + 500])
        return len(orphans)

    def reset(self) -> None:
        for name in (CLAUSES, DOCUMENTS, VERSIONS, STATE):
            with contextlib.suppress(Exception):  # absent already is fine
                self.client.delete_collection(name)
        self.__init__(self.client, self.ef, self.parts_dir)  # type: ignore[misc]
