"""A read view of the index: documents, their clause trees and a BM25 index over committed chunks.

Chroma stays the source of truth. The view is brought up to date when the set of committed documents
changes (checked cheaply on every use), so several processes sharing one Chroma see each other's
ingests; only the documents that changed are read again (qa/parts.py, qa/segments.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
import time
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ingest.clauses import parse_clauses, prose_span
from ingest.load import GENERIC_WORDS, alias_key, alias_matches, alias_spans
from ingest.parts import PartCache, part_key, saved_part
from ingest.store import FEW_DOCS, ChunkRecord, DocRecord, Store
from ingest.text import token_spans, tokens
from ingest.types import Clause
from qa.parts import DocPart, Vocabulary, doc_part
from qa.question import Question, kinds_of, phrase_spans, phrases_in, title_phrases
from qa.segments import EMPTY, Segment, Stats, View, plan_segments


@dataclass(frozen=True)
class DocView:
    meta: DocRecord
    text: str
    clauses: dict[str, Clause]  # in document order

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    def top_level(self) -> list[Clause]:
        return [c for c in self.clauses.values() if c.parent_id is None]


# A question scoped to documents holding less than 1/SCOPED_SHARE of the chunks is scored from their own
# term lists rather than from the postings of every chunk.
SCOPED_SHARE = 20
WORDS_OF_DOCS = 200
DOC_TOKENS = 256


@dataclass(frozen=True)
class _Tokens:
    """A text's tokens in order, each with the offsets of the word it came from."""

    starts: array[int]  # 4 bytes an offset, not a Python int's 36: a million-chunk view keeps 256 of these
    ends: array[int]
    words: list[str]

    @classmethod
    def of(cls, text: str) -> _Tokens:
        starts, ends, words = token_spans(text)
        return cls(array("i", starts), array("i", ends), words)

    def within(self, start: int, end: int) -> list[str]:
        """The tokens of the words wholly inside text[start:end]: what tokenising that slice gives
        whenever it begins and ends between words."""
        return self.words[bisect_left(self.starts, start) : bisect_right(self.ends, end)]


class Snapshot:
    """Everything one question needs, consistent with one set of committed documents."""

    def __init__(
        self,
        parts: Sequence[DocPart],
        vocab: Vocabulary,
        index: View,
        body: Stats,
    ) -> None:
        self.docs = {p.meta.doc_id: DocView(p.meta, p.text, p.tree) for p in parts}
        self.chunks: list[ChunkRecord] = [c for p in parts for c in p.chunks]
        sizes = [len(p.chunks) for p in parts]
        starts = np.concatenate([[0], np.cumsum(sizes)]).astype(int) if parts else np.zeros(1, int)
        # A document's chunks sit together, so "the chunks of these documents" is a few slices.
        self.doc_slices = {p.meta.doc_id: (int(starts[i]), int(starts[i + 1])) for i, p in enumerate(parts)}
        langs = np.array([p.meta.lang for p in parts], dtype=object)
        # Chunks of documents written in one language only (a bilingual document answers either).
        self.chunk_zh = np.repeat(langs == "zh", sizes).astype(bool)
        self.chunk_en = np.repeat(langs == "en", sizes).astype(bool)
        # Each chunk's document's language, as an index into the languages the documents are written in.
        self.languages: tuple[str, ...] = tuple(sorted(set(langs)))
        self.chunk_language = np.repeat([self.languages.index(lang) for lang in langs], sizes).astype(np.int16)
        self.chunk_doc = np.repeat(np.array([p.meta.doc_id for p in parts], dtype=object), sizes)
        self.kinds = {d: kinds_of(v.meta.title) for d, v in self.docs.items()}
        self._aliases = [(d, a, alias_key(a)) for d, v in self.docs.items() for a in v.meta.aliases]
        self._terms = vocab.ids
        self._index = index
        self._rows = {p.meta.doc_id: p.terms for p in parts}
        self._body = body
        self._vocabs: dict[str, set[str]] = {}
        self._span_tokens: dict[tuple[str, int, int], frozenset[str]] = {}
        self._doc_tokens: OrderedDict[str, _Tokens | None] = OrderedDict()
        self._doc_tokens_lock = threading.Lock()
        self.memo: dict[tuple[str, Any], Any] = {}  # per-snapshot results of other modules (definitions, …)

    @cached_property
    def chunk_index(self) -> dict[str, int]:
        """Position of each chunk by id; made on first use (Chroma's dense answers, by id), as it costs
        100 MB at a million chunks."""
        return {c.chunk_id: i for i, c in enumerate(self.chunks)}

    def _tokens_of(self, doc_id: str) -> _Tokens | None:
        """A document's tokens with their offsets, made once for the recently asked documents: one
        question looks at the same document's clauses, chunks and vocabulary several times over.
        None for text that is not ASCII, whose normalisation may move offsets: it is tokenised by slice."""
        with self._doc_tokens_lock:
            if doc_id in self._doc_tokens:
                self._doc_tokens.move_to_end(doc_id)
                return self._doc_tokens[doc_id]
        text = self.docs[doc_id].text
        got = _Tokens.of(text) if text.isascii() else None
        with self._doc_tokens_lock:
            self._doc_tokens[doc_id] = got
            if len(self._doc_tokens) > DOC_TOKENS:
                self._doc_tokens.popitem(last=False)
        return got

    def slice_tokens(self, doc_id: str, start: int, end: int) -> list[str]:
        """The tokens of text[start:end] of a document, in order."""
        got = self._tokens_of(doc_id)
        return got.within(start, end) if got else tokens(self.docs[doc_id].text[start:end])

    def chunk_tokens(self, i: int) -> list[str]:
        c = self.chunks[i]
        return self.slice_tokens(c.doc_id, c.start, c.end)

    def span_tokens(self, doc_id: str, start: int, end: int) -> frozenset[str]:
        """The distinct tokens of a slice of a document, memoised: answers score the same clauses often."""
        key = (doc_id, start, end)
        got = self._span_tokens.get(key)
        if got is None:
            got = frozenset(self.slice_tokens(doc_id, start, end))
            if len(self._span_tokens) < 200_000:
                self._span_tokens[key] = got
        return got

    def vocab(self, doc_id: str) -> set[str]:
        if doc_id not in self._vocabs:
            text = self.docs[doc_id].text
            self._vocabs[doc_id] = set(self.slice_tokens(doc_id, 0, len(text)))
        return self._vocabs[doc_id]

    def words_of(self, doc_ids: Sequence[str]) -> Container[str]:
        """Whether any of these documents uses a token, without building the union of their vocabularies.
        Over very many documents, whether any indexed chunk uses it: building thousands of documents'
        vocabularies would cost more than the answer (and a gigabyte at a million chunks)."""
        if len(doc_ids) > WORDS_OF_DOCS:
            return _Indexed(self._terms, self._index.stats.df)
        return _AnyOf([self.vocab(d) for d in doc_ids])

    def doc_freq(self, word: str) -> int:
        """In how many chunks a word occurs in the clause text itself (not its headings)."""
        i = self._terms.get(word, -1)
        return int(self._body.df[i]) if 0 <= i < len(self._body.df) else 0

    def bm25_scores(
        self, q: Question, ignore: frozenset[str] = frozenset(), doc_ids: Iterable[str] | None = None
    ) -> np.ndarray:
        """BM25 of every chunk (or of these documents' chunks; others score 0): the question's words,
        plus its lexicon expansions at their weights."""
        found = [(self._terms.get(t, -1), w) for t, w in q.weighted.items() if t not in ignore]
        terms = [(i, w) for i, w in found if i >= 0]
        if doc_ids is not None:
            docs = [(self.doc_slices[d][0], self._rows[d]) for d in doc_ids if d in self._rows]
            if sum(r.n for _, r in docs) * SCOPED_SHARE < len(self.chunks):
                return self._index.scores_in(terms, docs)
        return self._index.scores(terms)

    @property
    def mirrored(self) -> bool:
        """Whether the chunks' vectors are held here (small indexes), or only in Chroma."""
        return self._index.dense

    def similarity(self, qvec: np.ndarray, positions: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity to the chunks at these positions (all, for None), from the mirrored vectors."""
        return self._index.similarity(qvec, positions)

    def vectors_at(self, positions: np.ndarray) -> np.ndarray:
        return self._index.vectors_at(positions)

    @cached_property
    def _titled(self) -> dict[tuple[str, ...], list[str]]:
        """The documents each title phrase names (title_phrases), read when a question first needs them:
        most questions name a document by its name."""
        titled: dict[tuple[str, ...], list[str]] = {}
        for d, v in self.docs.items():
            for phrase in title_phrases(_unnamed(v.meta.title, v.meta.aliases)):
                titled.setdefault(phrase, []).append(d)
        return titled

    @cached_property
    def _longest_title(self) -> int:
        return max(map(len, self._titled), default=0)

    def clause(self, clause_id: str) -> Clause:
        return self.docs[clause_id.split("#", 1)[0]].clauses[clause_id]

    def once(self, key: tuple[str, Any], make: Callable[[], Any]) -> Any:
        """make()'s result, computed the first time this key is asked for in this snapshot."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]

    def prose(self, doc_id: str) -> tuple[int, int]:
        """Where the document's prose runs (ingest.clauses.prose_span): its page's header and footer lie
        outside. Computed once per document and snapshot."""
        return self.once(("prose", doc_id), lambda: prose_span(self.docs[doc_id].text))

    def name_tokens(self, doc_ids: Iterable[str]) -> frozenset[str]:
        """The tokens of these documents' names: once a question is scoped to them, they rank nothing."""
        docs = frozenset(doc_ids)
        return self.once(
            ("names", docs), lambda: frozenset(t for d in docs for a in self.docs[d].meta.aliases for t in tokens(a))
        )

    def in_docs(self, doc_ids: Iterable[str]) -> np.ndarray:
        """Which chunks belong to these documents."""
        mask = np.zeros(len(self.chunks), dtype=bool)
        for d in set(doc_ids):
            s, e = self.doc_slices.get(d, (0, 0))
            mask[s:e] = True
        return mask

    def docs_named_in(self, q: Question) -> list[str]:
        """The documents a question names: by name ("Smartproxy", "脉邦"), else by kind ("the NDA").

        A kind routes only when it picks out some of the documents, not all of them.
        """
        if said := self._names_said(q):
            return self._of_kind_said(said, q)
        # ...or by the words its title gives its kind ("the maintenance agreement"), which also pick
        # among the documents of a kind ("the content license agreement" of two licence agreements).
        if q.kinds:
            of_kind = [d for d in self.docs if self.kinds[d] & q.kinds]
            if len(of_kind) > 1:
                of_kind = [d for d in of_kind if d in self._titled_in(q.text)] or of_kind
        else:
            of_kind = [d for d in self.docs if d in self._titled_in(q.text)]
        return of_kind if len(of_kind) < len(self.docs) else []

    def docs_said_by_name(self, q: Question) -> list[str]:
        """The documents a question names by name, whatever kind it says: "Can Strava change its terms?"
        names Strava's terms and its privacy policy."""
        said = self._names_said(q)
        return self._of_kind_said(said, q, by_kind=False) if said else []

    def _names_said(self, q: Question) -> list[tuple[str, str]]:
        """(document, name key) of each name the question says, the longest where names overlap."""
        key = alias_key(q.text)
        # A plain substring test first: with thousands of documents, few aliases are anywhere in the question.
        said = [(d, a, a_key) for d, a, a_key in self._aliases if a_key in key and alias_matches(a, q.text)]
        return _longest_said(said, q.text) if said else []

    def _titled_in(self, text: str) -> set[str]:
        """The documents a text names by the longest title phrase it says ("content license agreement",
        not also the "license agreement" inside it)."""
        said = phrases_in(text, self._longest_title) & self._titled.keys() if self._titled else set()
        said = {p for p in said if not any(len(o) > len(p) and o[-len(p) :] == p for o in said)}
        return {d for p in said for d in self._titled[p]}

    def _of_kind_said(self, said: list[tuple[str, str]], q: Question, by_kind: bool = True) -> list[str]:
        """The documents these (document, name key) pairs name. Where one name gives several documents
        (a company's privacy policy and its terms, whichever way each writes it) and the question names
        a kind that only some of them are ("the Epic terms"), those; a document another name gives alone
        stays."""
        by_name: dict[str, list[str]] = {}
        for d, a in said:
            by_name.setdefault(a, []).append(d)
        dropped: set[str] = set()
        for docs in by_name.values() if by_kind else ():
            of_kind = [d for d in docs if self.kinds[d] & q.kinds_said]
            if of_kind and len(of_kind) < len(docs):
                dropped.update(d for d in docs if d not in of_kind)
        alone = {docs[0] for docs in by_name.values() if len(docs) == 1}
        # A name several documents share ("Amazon": its privacy notice and its Prime terms), said beside
        # names of documents that each say it ("Alexa", "Prime"), is their company: "Can Amazon change the
        # Alexa terms?" asks of the Alexa terms alone, "Can I sue Amazon over Prime?" of Prime's. Its
        # documents stay where the question names them by title ("Amazon's privacy notice and the Alexa
        # terms"); another company's name ("Quill" beside "Ferrow's terms") leaves them all.
        if alone:
            titled = self._titled_in(q.text)
            for a, docs in by_name.items():
                if len(docs) > 1 and all(self._says_name(d, docs[0], a) for d in alone):
                    dropped.update(d for d in docs if d not in titled)
        return list(dict.fromkeys(d for d, _ in said if d not in dropped or d in alone))

    def _says_name(self, doc: str, named: str, key: str) -> bool:
        """Whether a document's text says the name (alias key) that another document goes by."""
        alias = next((a for a in self.docs[named].meta.aliases if alias_key(a) == key), None)
        return alias is not None and alias_matches(alias, self.docs[doc].text)

    def without_names(self, text: str, docs: Iterable[str]) -> str:
        """The question with these documents' names cut out: what it asks of them. Once a name has
        scoped the question it says nothing more. The text itself when nothing would be left."""
        rest = self.name_free(text, docs)
        return rest if tokens(rest) else text

    def name_free(self, text: str, docs: Iterable[str]) -> str:
        """The text with these documents' names cut out, whatever is left ("And the App?" -> "And ?")."""
        key = alias_key(text)
        docs = set(docs)
        cut = sorted(
            [
                span
                for d in docs
                if d in self.docs
                for a in self.docs[d].meta.aliases
                if alias_key(a) in key
                for span in alias_spans(a, text)
            ]
            + self._title_spans(text, docs)
        )
        kept, pos = [], 0
        for s, e in cut:
            # A capitalised article before a name is the name's own ("The Verge", "The Washington Post"):
            # left behind, "¿Puedo pedir a The que borre mis datos?" asked about something else.
            s = s - 4 if text[max(0, s - 4) : s] == "The " else s
            if s >= pos:
                kept.append(text[pos:s])
            pos = max(pos, e)
        kept.append(text[pos:])
        return " ".join("".join(kept).split())

    def _title_spans(self, text: str, docs: set[str]) -> list[tuple[int, int]]:
        """Where a question names these documents by the kind their titles give ("the maintenance agreement")."""
        # A kind's own words ("the privacy policy") are left to the question, as kinds are: cut, they
        # changed what questions across the bundled documents found.
        phrases = {
            p
            for d in docs
            if d in self.docs
            for p in title_phrases(_unnamed(self.docs[d].meta.title, self.docs[d].meta.aliases))
            if not _KIND_STEMS.issuperset(p)
        }
        return phrase_spans(text, list(phrases)) if phrases else []

    def kinds_missing(self, q: Question) -> list[str]:
        """Kinds of document the question names ("the NDA") that no indexed document is."""
        have = set().union(*self.kinds.values()) if self.kinds else set()
        return sorted(q.kinds - have)

    def resolve_doc(self, name: str) -> str | None:
        """A document id from an id, file name, title or alias given by the user."""
        n = name.strip().lower()
        for d in self.docs.values():
            if n in (d.doc_id, d.meta.source.lower(), d.meta.title.lower()):
                return d.doc_id
        for d in self.docs.values():
            if any(alias_matches(a, name) for a in d.meta.aliases) or n in d.meta.title.lower():
                return d.doc_id
        return None


_KIND_STEMS = frozenset(tokens(" ".join(GENERIC_WORDS), keep_stopwords=True))


def _unnamed(title: str, aliases: Iterable[str]) -> str:
    """A title without the document's names: what kind of document it is ("Maintenance Agreement")."""
    for a in aliases:
        for s, e in sorted(alias_spans(a, title), reverse=True):
            title = title[:s] + " " + title[e:]
    return title


class Corpus:
    """Thread-safe access to the current Snapshot of a Store, kept up to date incrementally.

    When documents are added, replaced or deleted, only those documents are read from Chroma and
    parsed; the others' parts, and the BM25 segments that hold them, carry over.
    """

    # Another process sharing the Chroma server may commit a document at any time. The store's
    # generation (one small read) says whether anything changed; it is trusted for this long, and the
    # full list of documents is compared at least every FULL_RECHECK_SECONDS in case a writer died
    # between its commit and its generation bump. Writes through this Corpus invalidate at once.
    RECHECK_SECONDS = 1.0
    FULL_RECHECK_SECONDS = 60.0
    # How far apart the clocks of machines writing to one Chroma may be: a change is looked for among the
    # records committed since the newest one held, less this.
    CLOCK_SKEW_SECONDS = 300.0

    def __init__(self, store: Store, cache_dir: Path | None = None, mirror_chunks: int = 2_000_000) -> None:
        self.store = store
        # Up to this many chunks the vectors are held here too (1.5 KB each): an exact product over a
        # question's documents beats a nearest-neighbour round trip, and clause types need them
        # (bench/dense_crossover.py). Beyond it, Chroma's index answers dense queries.
        self.mirror_chunks = mirror_chunks
        self._lock = threading.Lock()
        self._checked = 0.0
        self._full_checked = 0.0
        self._generation: str | None = None
        self._snap: Snapshot | None = None
        self._vocab = Vocabulary()
        self._parts: dict[str, DocPart] = {}  # by doc_id: the parts of the current snapshot
        self._segments: list[Segment] = []
        self._stats = EMPTY
        self._body = EMPTY
        self._disk = PartCache(cache_dir)
        self._mirror = True

    def invalidate(self) -> None:
        self._checked = 0.0
        self._generation = None

    def snapshot(self) -> Snapshot:
        snap = self._snap
        now = time.monotonic()
        if snap is not None and now - self._checked < self.RECHECK_SECONDS:
            return snap
        generation = self.store.generation()  # read before the documents, so no commit slips between
        if snap is not None and generation == self._generation and now - self._full_checked < self.FULL_RECHECK_SECONDS:
            self._checked = now
            return snap
        full = snap is None or self._generation is None or now - self._full_checked >= self.FULL_RECHECK_SECONDS
        metas = self._metas(full)
        with self._lock:
            keys = {d: part_key(m) for d, m in metas.items()}
            if self._snap is None or keys != {d: p.key for d, p in self._parts.items()}:
                self._update(metas)
                _give_back_memory()  # here, once the update's temporaries are gone
            self._generation, self._checked = generation, now
            if full:
                self._full_checked = now
            assert self._snap is not None
            return self._snap

    def _metas(self, full: bool) -> dict[str, DocRecord]:
        """The committed documents' records. After a change, those committed lately are read, and the
        rest taken as held; if the count then disagrees (a document went), all are read."""
        parts = self._parts
        if full or not parts:
            return self.store.documents_meta()
        since = max(p.meta.ingested_at for p in parts.values()) - self.CLOCK_SKEW_SECONDS
        metas = {d: p.meta for d, p in parts.items()} | self.store.documents_meta(since=since)
        return metas if len(metas) == self.store.count_documents() else self.store.documents_meta()

    def apply(self, committed: Sequence[DocRecord], deleted: Sequence[str]) -> None:
        """Changes this process just made, applied without reading the list of documents back.

        The generation is left as it was, so the next check still reads the list once: another
        process may have changed something meanwhile.
        """
        with self._lock:
            if self._snap is None:
                return  # nothing to bring up to date: the first snapshot reads everything
            metas = {d: p.meta for d, p in self._parts.items() if d not in deleted}
            metas |= {m.doc_id: m for m in committed}
            self._update(metas)
            _give_back_memory()
            self._checked = time.monotonic()

    def _update(self, metas: dict[str, DocRecord]) -> None:
        mirror = self.store.count() <= self.mirror_chunks
        if mirror != self._mirror:  # crossed the size where vectors are mirrored: start afresh
            self._parts, self._segments, self._stats, self._body, self._mirror = {}, [], EMPTY, EMPTY, mirror
        kept = {d: p for d, p in self._parts.items() if d in metas and p.key == part_key(metas[d])}
        added: list[DocPart] = []
        missing: list[str] = []
        for d in sorted(set(metas) - set(kept)):
            saved = self._disk.load(metas[d])
            if saved is None or (mirror and saved.vectors is None and saved.chunks):
                missing.append(d)
            else:
                added.append(doc_part(saved, self._vocab, vectors=mirror))
        added += self._read(missing, mirror)
        gone = [p for d, p in self._parts.items() if d not in kept]
        n_terms = len(self._vocab)
        self._stats = self._stats.plus([p.terms for p in gone], -1, n_terms).plus([p.terms for p in added], 1, n_terms)
        self._body = self._body.plus([p.body for p in gone], -1, n_terms).plus([p.body for p in added], 1, n_terms)
        # The vectors move into the segments; the parts keep what rebuilding a segment needs besides.
        vectors = [p.vectors for p in added]
        added = [replace(p, vectors=None) for p in added]
        parts = {**kept, **{p.meta.doc_id: p for p in added}}
        live = {p.key for p in parts.values()}
        by_key = {p.key: p.terms for p in parts.values()}
        self._segments = plan_segments(
            self._segments, live, [p.terms for p in added], by_key, n_terms, vectors if mirror else None
        )
        ordered = [parts[d] for d in sorted(parts)]
        offsets, at = {}, 0
        for p in ordered:
            offsets[p.key] = at
            at += len(p.chunks)
        self._parts = parts
        self._snap = Snapshot(ordered, self._vocab, View(self._segments, offsets, self._stats, at), self._body)

    def _read(self, doc_ids: list[str], mirror: bool) -> list[DocPart]:
        """Parts of documents neither this process nor the disk cache holds: read from Chroma, parsed,
        a few documents at a time, so reading a large index needs no more memory than its parts."""
        out = []
        for i in range(0, len(doc_ids), FEW_DOCS):
            # Record and text come from one read, and only chunks of exactly those versions are used:
            # an ingest committing meanwhile shows up in the next snapshot, never half in this one.
            records = self.store.documents_with_text(doc_ids[i : i + FEW_DOCS])
            shas = {m.doc_id: m.sha256 for m, _ in records}
            chunks, vectors = self.store.committed_chunks_with_vectors(shas, vectors=True)
            rows: dict[str, list[int]] = {}
            for j, c in enumerate(chunks):
                rows.setdefault(c.doc_id, []).append(j)
            for meta, text in records:
                mine = rows.get(meta.doc_id, [])
                tree = {c.clause_id: c for c in parse_clauses(meta.doc_id, text)}
                vecs = vectors[mine] if vectors is not None and mine else None
                saved = saved_part(meta, text, tree, [chunks[j] for j in mine], vecs)
                self._disk.save(saved)
                out.append(doc_part(saved, self._vocab, vectors=mirror))
        return out


def _give_back_memory() -> None:
    """Return freed heap to the system: building a view from thousands of parts leaves gigabytes of
    freed temporaries that glibc keeps (1.9 GB at a million chunks) and the process's RSS would show."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        _libc().malloc_trim(0)


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL("libc.so.6")


class _Indexed(Container[str]):
    def __init__(self, ids: dict[str, int], df: np.ndarray) -> None:
        self.ids, self.df = ids, df

    def __contains__(self, token: object) -> bool:
        i = self.ids.get(token, -1) if isinstance(token, str) else -1
        return 0 <= i < len(self.df) and self.df[i] > 0


class _AnyOf(Container[str]):
    def __init__(self, vocabs: list[set[str]]) -> None:
        self.vocabs = vocabs

    def __contains__(self, token: object) -> bool:
        return any(token in v for v in self.vocabs)


def _longest_said(said: list[tuple[str, str, str]], text: str) -> list[tuple[str, str]]:
    """(document, name key) of the names a text says, without those it says only inside another
    document's longer name: "the App Store agreement" names Apple's "App Store" terms, not also a
    document named "App". Each name is looked for once, however many documents share it."""
    docs_of: dict[str, set[str]] = {}
    for d, a, _ in said:
        docs_of.setdefault(a, set()).add(d)
    spans = {a: alias_spans(a, text) for a in docs_of}

    def within_longer(d: str, a: str) -> bool:
        longer = [(s0, e0) for b, ss in spans.items() if b != a and docs_of[b] - {d} for s0, e0 in ss]
        return all(any(s0 <= s and e <= e0 and e0 - s0 > e - s for s0, e0 in longer) for s, e in spans[a])

    return [(d, a_key) for d, a, a_key in said if not within_longer(d, a)]
