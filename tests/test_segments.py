"""BM25 kept incrementally scores exactly as one built from scratch, and as bm25s did before it."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import bm25s
import numpy as np
import pytest

import qa.segments
from ingest.parts import lexical_text
from ingest.pipeline import ingest_paths
from ingest.text import tokens
from qa.chain import Clausewise
from qa.corpus import Corpus, Snapshot
from qa.question import read_question
from qa.segments import EMPTY, TermRows, View, build_segment, plan_segments
from qa.settings import Settings
from tests.conftest import CORPUS

QUESTIONS = (
    "Can they suspend my account?",
    "How do I get a refund of fees?",
    "Which law governs disputes and where is the court?",
    "Do they share my personal data with third parties?",
    "脉邦会把我的数据给第三方吗?",
)


def _top(snap: Snapshot, q: str, k: int = 50) -> dict[str, float]:
    scores = snap.bm25_scores(read_question(q))
    order = np.argsort(-scores, kind="stable")[:k]
    return {snap.chunks[i].chunk_id: float(scores[i]) for i in order if scores[i] > 0}


def _same(a: Snapshot, b: Snapshot) -> None:
    assert {c.chunk_id for c in a.chunks} == {c.chunk_id for c in b.chunks}
    for q in QUESTIONS:
        ta, tb = _top(a, q), _top(b, q)
        # Ties at the 50th place may fall either way; every id of one list must score the same in both.
        full_b = dict(zip((c.chunk_id for c in b.chunks), b.bm25_scores(read_question(q)).tolist(), strict=True))
        full_a = dict(zip((c.chunk_id for c in a.chunks), a.bm25_scores(read_question(q)).tolist(), strict=True))
        assert ta, q
        for cid, s in ta.items():
            assert abs(full_b[cid] - s) <= 1e-6, (q, cid)
        for cid, s in tb.items():
            assert abs(full_a[cid] - s) <= 1e-6, (q, cid)
        assert sorted(ta.values(), reverse=True) == pytest.approx(sorted(tb.values(), reverse=True), abs=1e-6)


def test_scores_equal_bm25s_on_the_bundled_corpus(corpus_engine: Clausewise) -> None:
    """The scores the learned ranker was trained on did not change when bm25s was replaced."""
    snap = corpus_engine.snapshot()
    texts = [
        tokens(lexical_text(snap.docs[c.doc_id].meta, snap.docs[c.doc_id].clauses, c)) or ["\x00"] for c in snap.chunks
    ]
    ref = bm25s.BM25()
    ref.index(texts, show_progress=False)
    vocab = {t for doc in texts for t in doc}
    for q in QUESTIONS:
        question = read_question(q)
        expected = np.zeros(len(snap.chunks), dtype=np.float32)
        for t, w in question.weighted.items():
            if t in vocab:
                expected += w * np.asarray(ref.get_scores([t]), dtype=np.float32)
        assert np.abs(snap.bm25_scores(question) - expected).max() < 1e-5, q


def _rows(key: str, rng: random.Random, n_terms: int) -> TermRows:
    n = rng.randint(1, 12)
    indptr, ids, tf, lengths = [0], [], [], []
    for _ in range(n):
        terms = rng.sample(range(n_terms), rng.randint(0, 8))
        counts = [rng.randint(1, 4) for _ in terms]
        ids += terms
        tf += counts
        indptr.append(len(ids))
        lengths.append(sum(counts) or 1)
    return TermRows(key, np.array(indptr), np.array(ids, np.int32), np.array(tf, np.float32), np.array(lengths))


@pytest.mark.parametrize("seed", range(5))
def test_segments_after_adds_and_deletes_score_as_a_rebuild(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qa.segments, "MAX_SEGMENTS", 3)  # so merges and compactions happen within a short run
    rng = random.Random(seed)
    n_terms = 40
    parts: dict[str, TermRows] = {}
    segments: list = []
    stats = EMPTY
    made = scored = 0
    vecs: dict[str, np.ndarray] = {}
    for _ in range(30):
        gone: list[TermRows] = []
        if parts and rng.random() < 0.4:
            for key in rng.sample(sorted(parts), rng.randint(1, min(3, len(parts)))):
                gone.append(parts.pop(key))
        added = []
        for _ in range(rng.randint(0, 3)):
            made += 1
            added.append(_rows(f"d{made}", rng, n_terms))
        parts |= {p.key: p for p in added}
        stats = stats.plus(gone, -1, n_terms).plus(added, 1, n_terms)
        vecs |= {p.key: np.random.default_rng(len(vecs)).normal(size=(p.n, 8)).astype(np.float32) for p in added}
        segments = plan_segments(segments, set(parts), added, parts, n_terms, [vecs[p.key] for p in added])
        assert len(segments) <= qa.segments.MAX_SEGMENTS
        order = sorted(parts)
        offsets, at = {}, 0
        for k in order:
            offsets[k] = at
            at += parts[k].n
        grown = View(segments, offsets, stats, at)
        whole = [parts[k] for k in order]
        rebuilt = View(
            [build_segment(whole, n_terms, [vecs[k] for k in order])], offsets, EMPTY.plus(whole, 1, n_terms), at
        )
        if at:  # scored from some documents' own term lists: the same as from the postings
            some_docs = order[:: max(1, len(order) // 3)]
            query = [(t, 1.0) for t in range(0, n_terms, 4)]
            scoped = grown.scores_in(query, [(offsets[k], parts[k]) for k in some_docs])
            full = grown.scores(query)
            inside = np.zeros(at, dtype=bool)
            for k in some_docs:
                inside[offsets[k] : offsets[k] + parts[k].n] = True
            assert np.allclose(scoped[inside], full[inside], rtol=0, atol=1e-6) and not scoped[~inside].any()
        if at:  # the vectors too: the same chunk has the same vector at the same position
            q = np.random.default_rng(at).normal(size=8).astype(np.float32)
            some = np.arange(0, at, 3)
            assert np.allclose(grown.similarity(q), rebuilt.similarity(q), atol=1e-5)
            assert np.allclose(grown.similarity(q, some), rebuilt.similarity(q, some), atol=1e-5)
            assert np.array_equal(grown.vectors_at(some), np.concatenate([vecs[k] for k in order])[some])
        assert grown.stats.n == rebuilt.stats.n and np.array_equal(grown.stats.df, rebuilt.stats.df)
        for _ in range(5):
            query = [(t, rng.choice((1.0, 0.5))) for t in rng.sample(range(n_terms), 3)]
            a, b = grown.scores(query), rebuilt.scores(query)
            assert np.allclose(a, b, rtol=0, atol=1e-6)
            scored += int((b > 0).sum())
    assert scored > 100  # the comparisons were of real scores, not of empty indexes


def test_index_kept_across_adds_deletes_and_replacements_equals_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qa.segments, "MAX_SEGMENTS", 2)
    docs = tmp_path / "docs"
    docs.mkdir()
    files = sorted(CORPUS.iterdir())
    cw = Clausewise(Settings(home=tmp_path / "home"))

    def fresh() -> Snapshot:
        return Corpus(cw.store).snapshot()  # no parts kept, none on disk: everything read and built anew

    for f in files[:3]:  # one at a time: a segment each, then merges
        shutil.copy(f, docs / f.name)
        assert cw.ingest([docs / f.name]).ok
        cw.snapshot()
    _same(cw.snapshot(), fresh())
    cw.delete(cw.snapshot().resolve_doc(files[0].name) or "")
    for f in files[3:]:
        shutil.copy(f, docs / f.name)
    assert cw.ingest([docs]).ok
    _same(cw.snapshot(), fresh())
    # A document replaced by a new version: its old chunks stop counting, its new ones count.
    changed = docs / files[1].name
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n\n99. Refunds of fees are never given for suspended accounts.\n",
        encoding="utf-8",
    )
    assert cw.ingest([changed]).ok
    grown = cw.snapshot()
    assert any("Refunds of fees are never given" in c.text for c in grown.chunks)
    _same(grown, fresh())


def test_a_new_process_reads_parts_from_disk_and_ignores_a_damaged_one(tmp_path: Path) -> None:
    cw = Clausewise(Settings(home=tmp_path / "home"))
    assert cw.ingest([CORPUS]).ok
    first = cw.snapshot()
    cached = sorted((tmp_path / "home" / "parts").glob("*.pkl"))
    assert len(cached) == len(first.docs)
    cached[0].write_bytes(b"not a pickle")
    again = Corpus(cw.store, tmp_path / "home" / "parts").snapshot()
    _same(first, again)
    assert [c.chunk_id for c in again.chunks] == [c.chunk_id for c in first.chunks]
    every = np.arange(len(first.chunks))
    assert np.allclose(again.vectors_at(every), first.vectors_at(every))
    assert all(again.docs[d].text == first.docs[d].text for d in first.docs)


def test_adds_and_deletes_by_another_process_are_seen_through_the_generation(tmp_path: Path) -> None:
    home = tmp_path / "home"
    files = sorted(CORPUS.iterdir())
    writer = Clausewise(Settings(home=home))
    assert writer.ingest(files[:3]).ok
    reader = Clausewise(Settings(home=home), store=writer.store)  # the same Chroma, its own view
    reader.corpus.RECHECK_SECONDS = 0.0  # look at the store on every question
    reader.corpus.FULL_RECHECK_SECONDS = 3600.0  # and only through the generation
    before = reader.snapshot()
    assert ingest_paths(files[3:], writer.store).ok  # straight to the store: the reader is not told
    added = reader.snapshot()
    assert len(added.docs) == len(files) and added is not before
    _same(added, Corpus(writer.store).snapshot())
    gone = next(iter(before.docs))
    writer.store.delete_document(gone)
    after = reader.snapshot()
    assert gone not in after.docs and len(after.docs) == len(files) - 1
    assert reader.snapshot() is after  # nothing changed since: the same view
