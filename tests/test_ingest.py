"""Ingestion into real Chroma with the real embedding model: idempotence, updates, bad files, the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from ingest.embed import E5Embedding, EmbeddingCache, text_key
from ingest.load import load_document
from ingest.pipeline import prepare
from qa.chain import Clausewise
from qa.settings import Settings

from .conftest import FIXTURES, run_module


def count(cw: Clausewise) -> tuple[int, int]:
    return cw.store.documents.count(), cw.store.clauses.count()


def test_reingesting_the_same_documents_changes_nothing(tmp_path: Path) -> None:
    cw = Clausewise(Settings(home=tmp_path / "home"))
    first = cw.ingest([FIXTURES])
    assert sorted(first.added) == ["acme-terms.txt", "globex-privacy.md"]
    before = count(cw)
    for _ in range(2):
        again = cw.ingest([FIXTURES])
        assert again.added == [] and again.chunks == 0 and len(again.unchanged) == 2
        assert count(cw) == before
    assert cw.store.clauses.metadata["embedding_model"] == E5Embedding().model_id


def test_a_changed_document_replaces_its_chunks_and_bad_files_do_not_stop_the_rest(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES, docs)
    (docs / "broken.txt").write_bytes(b"\xff\xfe\x00\x01")
    cw = Clausewise(Settings(home=tmp_path / "home"))
    report = cw.ingest([docs])
    assert len(report.added) == 2 and [Path(p).name for p, _ in report.failed] == ["broken.txt"]
    terms = docs / "acme-terms.txt"
    terms.write_text(terms.read_text(encoding="utf-8").replace("14 days", "30 days"), encoding="utf-8")
    report = cw.ingest([docs])
    assert report.replaced == ["acme-terms.txt"]
    snap = cw.snapshot()
    texts = [c.text for c in snap.chunks if c.doc_id == "acme-terms"]
    assert any("30 days" in t for t in texts) and not any("14 days" in t for t in texts)
    assert cw.store.remove_orphans() == 0
    chunk_total = cw.store.clauses.count()
    assert chunk_total == len(snap.chunks), "no chunks of the old version are left behind"


def test_cli_ingest_reports_and_exit_codes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    home = tmp_path / "home"
    run = run_module("ingest", str(FIXTURES), str(bad), home=home)
    assert run.returncode == 1, run.stderr
    assert "2 added, 0 replaced, 0 unchanged, 1 failed" in run.stdout
    assert "bad.txt: empty file" in run.stderr
    run = run_module("ingest", str(tmp_path / "missing"), home=home)
    assert run.returncode == 2 and "no such file or folder" in run.stderr


def test_documents_parsed_by_an_older_parser_are_remade(tmp_path: Path) -> None:
    cw = Clausewise(Settings(home=tmp_path / "home"))
    cw.ingest([FIXTURES])
    meta = cw.store.documents.get(ids=["acme-terms"], include=["metadatas"])["metadatas"][0]
    cw.store.documents.update(ids=["acme-terms"], metadatas=[{**meta, "parser": 0}])
    # The older parser cut the same text (same sha) into other units: one of them is still stored.
    old = cw.store.clauses.get(
        where={"doc_id": "acme-terms"}, limit=1, include=["metadatas", "embeddings", "documents"]
    )
    old_unit = {**old["metadatas"][0], "start": 0, "end": 5}
    cw.store.clauses.add(
        ids=["old-parser-unit"], embeddings=old["embeddings"], documents=["Acme "], metadatas=[old_unit]
    )
    report = cw.ingest([FIXTURES])
    assert report.replaced == ["acme-terms.txt"] and report.unchanged == ["globex-privacy.md"]
    assert cw.store.remove_orphans() == 0
    snap = cw.snapshot()
    assert "old-parser-unit" not in snap.chunk_index
    units = [c.clause_id for c in snap.chunks if c.doc_id == "acme-terms"]
    assert len(units) == len(set(units)), "a unit is stored twice"


def test_shipped_vectors_cover_every_chunk_of_the_bundled_corpus() -> None:
    """A fresh install answers within seconds only if the seed matches today's chunking."""
    import numpy as np

    from ingest.embed import SEED_DIR, text_key
    from ingest.load import iter_files, load_document
    from ingest.pipeline import prepare

    from .conftest import CORPUS

    ef = E5Embedding()
    seed = set(np.load(SEED_DIR / "multilingual-e5-small.npz")["keys"].tolist())
    wanted = {
        text_key(ef.model_id, c.embed_text) for f in iter_files([CORPUS]) for c in prepare(load_document(f)).chunks
    }
    missing = wanted - seed
    assert not missing, f"{len(missing)} chunks have no shipped vector: run `python -m ingest.seed corpus/`"


def test_a_document_indexed_under_the_old_id_scheme_is_replaced_not_doubled(tmp_path: Path) -> None:
    from dataclasses import replace

    from ingest.load import load_document

    cw = Clausewise(Settings(home=tmp_path / "home"))
    cw.ingest([FIXTURES / "globex-privacy.md"])
    doc = load_document(FIXTURES / "globex-privacy.md")
    old = replace(doc, doc_id="globex-privacy", sha256="0" * 64)  # as ids were before extensions counted
    cw.store.write_document(old, 1, [], np.zeros((0, 384), dtype=np.float32))
    assert {"globex-privacy", "globex-privacy-md"} <= set(cw.store.documents_meta())
    report = cw.ingest([FIXTURES / "globex-privacy.md"])
    assert "globex-privacy" not in cw.store.documents_meta()
    assert report.ok


def test_the_index_is_read_a_page_at_a_time(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Collections larger than one read (a few thousand records here, pages of 3 in the test) are read
    whole: one unpaged read of a 33,000-chunk index failed with "too many SQL variables"."""
    import ingest.store

    cw = Clausewise(Settings(home=tmp_path / "home"))
    assert cw.ingest([FIXTURES]).ok
    whole, vectors = cw.store.committed_chunks_with_vectors()
    monkeypatch.setattr(ingest.store, "PAGE", 3)
    paged, paged_vectors = cw.store.committed_chunks_with_vectors()
    assert len(whole) > 3 * 3
    assert paged == whole and np.array_equal(paged_vectors, vectors)
    assert len(cw.store.documents_meta()) == 2 and cw.store.remove_orphans() == 0
    assert cw.ingest([FIXTURES]).ok  # re-ingesting reads the index in pages too
    cw.corpus.invalidate()
    assert cw.ask("How old must I be to open an account?").citations


def test_ingest_in_several_processes_embeds_exactly_as_one_does(tmp_path: Path) -> None:
    # Workers are separate processes with their own engine: their vectors must be this process's.
    home = tmp_path / "home"
    run = run_module("ingest", str(FIXTURES), "--workers", "2", "--batch-size", "4", home=home)
    assert run.returncode == 0, run.stderr
    assert "2 added" in run.stdout
    texts = [c.embed_text for f in sorted(FIXTURES.iterdir()) for c in prepare(load_document(f)).chunks]
    ef = E5Embedding()
    stored = EmbeddingCache(home / "embed_cache.sqlite").get_many([text_key(ef.model_id, t) for t in texts])
    assert len(stored) == len(set(texts))
    ours = ef.passages(texts)
    assert all(np.array_equal(stored[text_key(ef.model_id, t)], v) for t, v in zip(texts, ours, strict=True))
    asked = run_module("qa", "ask", "Can Acme close my account?", home=home)
    assert asked.returncode == 0, asked.stderr
    assert "acme-terms" in asked.stdout.lower()
