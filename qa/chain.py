"""The question-answering chain: route -> (lookup | retrieve) -> answer, as a LangChain Runnable."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable, RunnableLambda
from threadpoolctl import threadpool_limits

from ingest.embed import EmbeddingCache, embed_cached
from ingest.embedder import usable_cores
from ingest.errors import LoadError
from ingest.fetch import fetch_document
from ingest.load import KINDS, SUPPORTED, parse_bytes
from ingest.pipeline import IngestReport, Progress, ingest_documents, ingest_paths
from ingest.store import Store, open_store
from ingest.types import SourceDoc
from qa.answer.changed import changes_answer
from qa.answer.extractive import (
    DEFAULT_CALIBRATION,
    Calibration,
    answer,
    lookup_answer,
    missing_clause_answer,
    wording,
)
from qa.answer.llm import chat_model, stream_answer
from qa.answer.typed import (
    DECLINING,
    absent_answer,
    absent_note,
    asked_of_terms,
    calibrated_on,
    lacking_all,
    says_the_words,
    watch_answer,
)
from qa.changes import Changes, diff
from qa.clause_types import TYPES, WATCH, presence, routed_question
from qa.corpus import Corpus, Snapshot
from qa.errors import BadQuestion, IndexEmpty, NoFlags, NoVersions, UnknownDocument
from qa.flags import Flag, flags
from qa.followup import asks_only_names, outline_answer
from qa.lookup import lookup, missing_number, numbers_to_see
from qa.question import Meaning, Question, kind_name, read_question, wants_several_documents
from qa.rank import rerank, rerank_practice
from qa.retrieve import retrieve, retrieve_per_document
from qa.settings import Settings
from qa.types import Answer, Hit

MAX_QUESTION_CHARS = 2000
# Clauses ranked per question: enough for 3 citations and 8 distinct related units after duplicates drop out.
RETRIEVE_K = 14
# Units retrieved for a question about a clause type, among which that type's units are put first.
TYPED_POOL = 40


class Clausewise:
    """One index, its read view and the answerer. Safe to share between threads."""

    def __init__(
        self,
        settings: Settings,
        store: Store | None = None,
        cal: Calibration = DEFAULT_CALIBRATION,
        llm: BaseChatModel | None = None,
    ):
        # OpenBLAS's threads keep spinning after a product and starve the embedding model's OpenMP
        # threads on a small machine: a question embedded between two products took 45 ms, not 8.
        threadpool_limits(1, user_api="blas")
        self.settings = settings
        self.store = store or open_store(settings)
        self.corpus = Corpus(self.store, self.store.parts_dir, settings.mirror_chunks)
        self.cal = cal
        self._cache = EmbeddingCache(settings.cache_path)
        # Sentences quoted by meaning are embedded through the vector cache: quick the next time.
        self._sentence_vectors = partial(embed_cached, ef=self.store.ef, cache=self._cache)
        self._ingest_lock = threading.Lock()
        self._thinking = threading.BoundedSemaphore(usable_cores())
        # Building the client does no I/O; nothing is sent until a question needs it.
        self.llm = llm if llm is not None else (chat_model(settings) if settings.llm_enabled else None)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One writer per process (readers keep answering from their snapshot). A write that fails
        part way leaves the view to find out what was committed; one that succeeds applies itself."""
        with self._ingest_lock:
            try:
                yield
            except BaseException:
                self.corpus.invalidate()
                raise

    def ingest(self, paths: Sequence[str | Path], progress: Progress | None = None) -> IngestReport:
        with self._writing():
            report = ingest_paths(
                paths, self.store, self._cache, progress, allow_private_urls=self.settings.allow_private_urls
            )
            self.corpus.apply(report.committed, report.deleted)
        return report

    def ingest_upload(self, raw: bytes, filename: str, progress: Progress | None = None) -> tuple[str, SourceDoc]:
        """Index one uploaded file: ("added" | "replaced" | "unchanged", the document)."""
        if Path(filename).suffix.lower() not in SUPPORTED:
            raise LoadError(f"{filename}: unsupported file type; upload {KINDS}")
        return self._ingest_one(parse_bytes(raw, filename), progress)

    def ingest_url(self, url: str, progress: Progress | None = None) -> tuple[str, SourceDoc]:
        """Fetch and index the document at an http(s) URL; its identity is the URL."""
        return self._ingest_one(fetch_document(url.strip(), self.settings.allow_private_urls), progress)

    def _ingest_one(self, doc: SourceDoc, progress: Progress | None) -> tuple[str, SourceDoc]:
        with self._writing():
            report = ingest_documents([doc], self.store, self._cache, progress)
            self.corpus.apply(report.committed, report.deleted)
        if report.failed:
            raise LoadError(report.failed[0][1])
        status = "added" if report.added else "replaced" if report.replaced else "unchanged"
        return status, doc

    def delete(self, doc_id: str) -> bool:
        with self._writing():
            existed = self.store.delete_document(doc_id)
            self.corpus.apply([], [doc_id])
        return existed

    def snapshot(self) -> Snapshot:
        return self.corpus.snapshot()

    def scope(self, snap: Snapshot, q: Question, docs: Sequence[str] | None) -> list[str]:
        return [_resolve(snap, name) for name in docs] if docs else snap.docs_named_in(q)

    def ask(self, question: str, docs: Sequence[str] | None = None, previous: str | None = None) -> Answer:
        """The final answer (written by the LLM when one is configured, else extractive). previous: the
        question asked before this one in a conversation, for a follow-up that only names documents."""
        for event in self.ask_stream(question, docs, previous):
            if isinstance(event, Answer):
                return event
        raise AssertionError("ask_stream ended without an answer")

    def ask_stream(
        self, question: str, docs: Sequence[str] | None = None, previous: str | None = None
    ) -> Iterator[str | Answer]:
        """Verified answer text as it is written, then the final Answer (always last)."""
        t0 = time.perf_counter()
        question = question.strip()
        if not question:
            raise BadQuestion("the question is empty; type a question about the documents")
        if len(question) > MAX_QUESTION_CHARS:
            raise BadQuestion(f"the question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}")
        # As many questions are worked on at once as there are cores, the rest wait their turn: sixteen
        # at once on two cores all finish late, and the last very late (bench/load.py, 30 s at 100k
        # chunks: p95 842 ms without the gate, 620 with it). Waiting on the LLM holds no place.
        with self._thinking:
            snap, q, named, ans, pool, timings = self._extractive(question, docs, previous)
        # The model writes only when the extractive pass found clauses worth writing from.
        if self.llm is not None and ans.status == "answered" and ans.kind == "search":
            t1 = time.perf_counter()
            for event in stream_answer(self.llm, self.settings, snap, q, pool, ans):
                if isinstance(event, Answer):
                    ans = event
                else:
                    yield event
            timings["llm"] = (time.perf_counter() - t1) * 1000
        missing = [] if named else snap.kinds_missing(q)
        if missing and not ans.notice:
            kinds = ("或" if q.zh else " or ").join(kind_name(k, q.zh) for k in missing)
            ans.notice = wording(q)["no_kind"].format(kinds=kinds)
        ans.scope = list(named)
        timings["total"] = (time.perf_counter() - t0) * 1000
        ans.timings_ms = timings
        yield ans

    def _extractive(
        self, question: str, docs: Sequence[str] | None, previous: str | None = None
    ) -> tuple[Snapshot, Question, list[str], Answer, list[Hit], dict[str, float]]:
        """The answer from the clauses themselves, with what an LLM would write from: (view, question,
        documents named, answer, clauses for the LLM, timings)."""
        snap = self.snapshot()
        if not snap.docs:
            raise IndexEmpty()
        q = read_question(question)  # read once; every step below takes q
        named = self.scope(snap, q, docs)
        if not docs and asks_only_names(snap, question, named):
            before = read_question(previous) if previous and previous.strip() else None
            named = _named_before(snap, before, q, named)
            earlier = _asked_itself(snap, before, named)
            if earlier is None:
                return snap, q, named, outline_answer(snap, q, named, self.cal.max_related), [], {}
            # "And the App?": the previous question, without the documents it named, asked of these.
            snap, asked, named, ans, pool, timings = self._extractive(earlier, named)
            ans.question, ans.follows = question, previous
            return snap, asked, named, ans, pool, timings
        q = q.in_scope(named)
        scope = named or list(snap.docs)
        timings: dict[str, float] = {}
        t1 = time.perf_counter()
        found = lookup(snap, q, scope if named else list(snap.docs))
        timings["lookup"] = (time.perf_counter() - t1) * 1000
        versioned = self._versioned(snap, named) if q.changes else []
        pool: list[Hit] = []
        if versioned:
            ans = changes_answer(snap, q, versioned)
        # A clause asked for by number is shown from every document that has it ("what does section 5 say?").
        elif found is not None and (named or len(found.clauses) == 1 or numbers_to_see(q)):
            ans = lookup_answer(snap, question, found.clauses)
        else:
            t1 = time.perf_counter()
            # The question is asked of its documents without the names that scoped it, as when they are
            # chosen and the name left out: the models learned from such questions, a name the document
            # repeats everywhere ("Smartproxy may…") made every unit look like an answer, and an
            # unfamiliar one ("Brightlane") pulled the vector off the topic.
            asked = snap.without_names(question, named) if named else question
            if asked != question:
                q = replace(read_question(asked).in_scope(named), text=question)
            qvec = self.store.ef.query(asked)
            q = replace(q, meaning=Meaning(qvec, self._sentence_vectors))
            q, routed = routed_question(q, qvec)
            timings["embed"] = (time.perf_counter() - t1) * 1000
            t1 = time.perf_counter()
            hits = retrieve(snap, self.store, q, qvec, scope, k=RETRIEVE_K)
            per_doc = standing = None
            if wants_several_documents(q, named) and len(scope) > 1:
                per_doc, standing = retrieve_per_document(snap, self.store, q, qvec, scope)
                # Each document's units in the learned order: the ranker was trained on the units of one
                # document at a time. On the tuning questions across the bundled documents (bench/eval)
                # every document holding the answer was then cited for 32 of 45 (31 before); no other
                # set moved, the consumer terms' typed units keeping the detector's order.
                per_doc = {d: rerank(snap, q, hs) for d, hs in per_doc.items()}
            timings["retrieve"] = (time.perf_counter() - t1) * 1000
            t1 = time.perf_counter()
            ans = self._typed(snap, q, qvec, routed, scope, bool(named), per_doc is not None)
            if ans is None:
                ans = answer(snap, q, hits, per_doc, self.cal, named, standing)
            if found is None and (ref := missing_number(snap, q, scope)):
                names = " / ".join(snap.docs[d].meta.title for d in named) if named else None
                ans = missing_clause_answer(q, ref, names or wording(q)["indexed"], ans, self.cal.max_related)
            timings["answer"] = (time.perf_counter() - t1) * 1000
            pool = [h for hs in per_doc.values() for h in hs[:2]] if per_doc else hits
        return snap, q, named, ans, pool, timings

    def _typed(
        self,
        snap: Snapshot,
        q: Question,
        qvec: np.ndarray,
        routed: tuple[tuple[str, float], ...],
        scope: list[str],
        named: bool,
        several: bool,
    ) -> Answer | None:
        """Answers that rest on clause types (routed: the router's, surest first, with its probability of
        each): the flags, or a document that has no clause of the asked type. None: answer as any other
        question (from the retrieved hits)."""
        kinds = tuple(k for k, _ in routed)
        if not kinds or kinds[0] == "other":
            return None
        if kinds[0] == WATCH:
            return watch_answer(snap, q, scope)
        if not (named or len(scope) == 1 or several):
            return None  # a question across everything indexed is answered from whatever speaks to it
        if kinds[0] in TYPES and TYPES[kinds[0]].family == "privacy" and len(scope) == 1:
            # A privacy policy's units in the practice ranker's order (it weighs how likely each is of the
            # asked practices); whether the policy answers at all is still weighed as for any question (no
            # privacy practice can be said to be missing). The pool is as large as the typed answers weigh:
            # a unit of the practice may rank low on the question's words ("how do I make such a
            # request?"), and the ranker's features, clipped to their training range, hold beyond the 20
            # units it learned from (tuning policies: Hit@1 43.0% at 20, 42.9% at 40).
            pool = retrieve(snap, self.store, q, qvec, scope, k=TYPED_POOL)
            ordered = rerank_practice(snap, q, pool, routed)
            if ordered is not None:
                # The unit retrieval ranks first, nearest the question's own words, comes second: it answers
                # a detailed question ("is my whole card number stored?"), and the ranker, which learned
                # from general ones, puts the practice's broad units before it.
                second = [pool[0]] if pool[0] is not ordered[0] else []
                ordered = [ordered[0], *second, *(h for h in ordered[1:] if h is not pool[0])]
                return answer(snap, q, ordered[:RETRIEVE_K], None, self.cal, scope, ranked=True)
            # Without its weights: after the best unit, the units of the asked practice.
            typed_first = self._typed_first(snap, q, qvec, scope, kinds[:1], blend=True)
            return answer(snap, q, typed_first, None, self.cal, scope) if typed_first else None
        # Only the type the router is surest of, if a document can be said to lack it, is acted on. A
        # question near two types ("can I sue them?") is declined for the first; the second's clauses
        # still come up among the nearest, as related reading.
        asked = kinds[:1] if kinds[0] in DECLINING else []
        if not asked:
            return None
        # In a comparison a document left out loses its answer, so it is left out only when it has none
        # of the types the question may be about ("how do they resolve disputes?": arbitration or courts).
        missing = self._lacking(
            snap, q, qvec, asked if len(scope) == 1 else [k for k in kinds if k in DECLINING], scope
        )
        speaking = [d for d in scope if d not in missing]
        # Named together by one name ("Strava": its terms and its privacy policy), not compared or picked by
        # kind, documents are asked as one service, whose terms hold such clauses.
        speaking = speaking if q.compares or q.kinds_said else asked_of_terms(snap, speaking)
        if not speaking:
            hits = retrieve(snap, self.store, q, qvec, scope, k=RETRIEVE_K)
            nearest = answer(snap, q, hits, None, self.cal, scope)
            return absent_answer(snap, q, asked[0], scope, [*nearest.citations, *nearest.related])
        leaning = [(k, p) for k, p in routed[1:] if k in DECLINING]
        typed_first = self._typed_first(snap, q, qvec, speaking, asked, leaning=leaning) if len(speaking) == 1 else None
        if typed_first is not None:
            ans = answer(snap, q, typed_first, None, self.cal, speaking, known_answered=True)
        elif several and len(speaking) > 1:
            ans, lacking = self._typed_across(snap, q, qvec, speaking, named, asked, leaning)
            missing = sorted({*missing, *lacking}, key=scope.index)
        elif not missing:
            return None  # nothing to add to the usual answer
        else:
            hits = retrieve(snap, self.store, q, qvec, speaking, k=RETRIEVE_K)
            ans = answer(snap, q, hits, None, self.cal, speaking)
        if missing:
            ans.text += "\n\n" + absent_note(snap, q, asked[0], missing)
        return ans

    def _lacking(
        self,
        snap: Snapshot,
        q: Question,
        qvec: np.ndarray,
        kinds: Sequence[str],
        docs: Sequence[str],
        nearest: dict[str, list[Hit]] | None = None,
    ) -> list[str]:
        """The documents the detector says have none of these types, but for one whose unit nearest the
        question holds its words: the detector's "none" is not claimed over a unit that says what was asked.
        nearest: each document's best units when retrieval has already found them."""
        out = []
        for d in lacking_all(snap, kinds, docs):
            hits = nearest[d] if nearest is not None else retrieve(snap, self.store, q, qvec, [d], k=1)
            if not (hits and says_the_words(snap, q, hits[0])):
                out.append(d)
        return out

    def _typed_across(
        self,
        snap: Snapshot,
        q: Question,
        qvec: np.ndarray,
        docs: list[str],
        named: bool,
        asked: list[str],
        leaning: Sequence[tuple[str, float]],
    ) -> tuple[Answer, list[str]]:
        """A question of a clause type across documents ("Which of these services can close my account?"):
        each document answers with its units of the type, surest of the type first, as it would alone,
        and one the detector says has the type speaks whatever its units' rank against the others'; one
        the user did not name that the detector says lacks the type stays silent (returned, to be named
        in the answer's note).

        On CLAUDETTE's held-out terms (bench/claudette_cross.py, 24 questions over 13 documents), the
        documents that have the type were found with one of its clauses 94.5% of the time, against 74.4%
        when each document's clauses came in retrieval order (every such document: 13 questions of 24,
        against 2); documents without it were cited 6 times in 39 either way."""
        per_doc, standing = retrieve_per_document(snap, self.store, q, qvec, docs)
        lacking = [] if named else self._lacking(snap, q, qvec, asked, docs, per_doc)
        holding = set()
        for d in docs:
            typed = None if d in lacking else self._typed_first(snap, q, qvec, [d], asked, leaning=leaning)
            per_doc[d] = typed or rerank(snap, q, per_doc[d])
            # Said to have the type by its sentences, with no unit tagged: it speaks from its nearest units.
            if typed or ((found := presence(snap, d, asked[0])) is not None and found.present):
                holding.add(d)
        per_doc = {d: hs for d, hs in per_doc.items() if d not in lacking}
        hits = retrieve(snap, self.store, q, qvec, docs, k=RETRIEVE_K)
        return answer(snap, q, hits, per_doc, self.cal, docs if named else [], standing, holding=holding), lacking

    def _typed_first(
        self,
        snap: Snapshot,
        q: Question,
        qvec: np.ndarray,
        doc: list[str],
        kinds: list[str],
        blend: bool = False,
        leaning: Sequence[tuple[str, float]] = (),
    ) -> list[Hit] | None:
        """The document's units of the asked types, surest of the type first, then the rest in retrieval's
        order (None when it has none).

        A consumer-terms type is specific ("arbitration"): on the held-out CLAUDETTE documents the first
        shown unit was then a lawyer-tagged clause of the type for 68.1% of the questions, against 60.4%
        in retrieval order (Hit@5 87.6% against 83.8%; bench/claudette.py).

        A privacy practice is broad ("first-party collection" is most of a policy), so with blend (used
        only when the practice ranker's weights are missing; see _typed) the unit
        retrieval ranks first stays first and cited on the question's own words, and the practice's units
        follow. On the tuning policies, with the detector retrained on one half and scored on the other,
        Hit@5 rose from 64.5% to 68.4% with Hit@1 and P@1 unchanged (held-out policies: 74.5% to 77.8%);
        putting the practice's units first by the sum of their two ranks also raised Hit@1 (21.3%) but
        cited less well on bench/own.

        After them come the units of the other types the router leans to (leaning: type, probability),
        by the probability that the unit is what was asked, the sum over types of p(type | question) ×
        p(unit is of the type). A question of governing law is often read as one of jurisdiction ("which
        ones win?"); the law clause then still comes up among the first five. On the tuning terms Hit@5
        rose from 95.2% to 96.7% (governing law 35 to 39 of 48), Hit@1 and P@1 unchanged; on the held-out
        terms from 90.9% to 91.5%, Hit@1 81.6% to 81.9%, false declines 2.2% to 1.9%."""
        # In English consumer terms, the kind the detector was calibrated on, every unit is ranked, so that
        # one of the asked type comes first however far down retrieval puts it: asked in Spanish, Zoom's
        # "11. TERMINATION" ranked 51st of 71 units, behind its page's navigation, and the question was
        # answered from the 40 units ranked first. In other documents only those retrieval ranks near the
        # question are taken: over the bundled Chinese terms, units the detector tagged far from the
        # question came before the one that answers it.
        first_unit, end = snap.doc_slices.get(doc[0], (0, 0))
        pool = max(TYPED_POOL, end - first_unit) if calibrated_on(snap, doc[0]) else TYPED_POOL
        hits = retrieve(snap, self.store, q, qvec, doc, k=pool)

        def tagged(kind: str) -> dict[int, float]:  # unit start -> the detector's probability
            p = presence(snap, doc[0], kind)
            if p is None:
                return {}
            # An English consumer-terms document said to have the type, by its surest sentence, though no
            # unit reaches the type's threshold: its likeliest unit is the one that has it (the document
            # rule was calibrated on such documents only, as the declines are).
            units = list(zip(p.units, p.probabilities, strict=True))
            if not units and p.present and p.surest and calibrated_on(snap, doc[0]):
                units = [p.surest]
            return {snap.chunks[u].start: prob for u, prob in units}

        sure: dict[int, float] = {}  # the surest of the asked types'
        for k in kinds:
            for start, prob in tagged(k).items():
                sure[start] = max(sure.get(start, 0.0), prob)
        first = sorted((h for h in hits if h.chunk_start in sure), key=lambda h: -sure[h.chunk_start])
        near: dict[int, float] = defaultdict(float)
        for k, lean in leaning:
            for start, prob in tagged(k).items():
                near[start] += lean * prob
        first += sorted(
            (h for h in hits if h.chunk_start in near and h not in first), key=lambda h: -near[h.chunk_start]
        )
        if blend and first:
            first = [hits[0], *(h for h in first if h is not hits[0])]
        return (first + [h for h in hits if h not in first])[:RETRIEVE_K] if first else None

    def _versioned(self, snap: Snapshot, named: Sequence[str]) -> list[Changes | str]:
        """For "what changed?": the named documents' latest changes (or their id when they have one
        version); unnamed, the documents that have several versions. Empty: answer as a question."""
        ids = list(named) or [d for d, v in snap.docs.items() if v.meta.version > 1]
        if not ids:
            return []
        return [self.changes(d) if snap.docs[d].meta.version > 1 else d for d in ids]

    def changes(self, doc: str, from_version: int | None = None, to_version: int | None = None) -> Changes:
        """Clause-level changes of a document between two versions (default: its two latest)."""
        snap = self.snapshot()
        doc_id = _resolve(snap, doc)
        meta = snap.docs[doc_id].meta
        numbers = [v.version for v in self.store.document_versions(doc_id)]
        if len(numbers) < 2:
            raise NoVersions(f"only one version of {meta.source} is indexed; ingest a newer version to compare")
        to_v = to_version or numbers[-1]
        from_v = from_version or max((n for n in numbers if n < to_v), default=0)
        for v in (from_v, to_v):
            if v not in numbers:
                raise NoVersions(f"{meta.source} has no version {v}; it has versions {', '.join(map(str, numbers))}")
        old, new = self.store.version_text(doc_id, from_v), self.store.version_text(doc_id, to_v)
        return diff(doc_id, old or "", new or "", from_v, to_v, meta.source)

    def flags(self, doc: str) -> tuple[str, list[Flag]]:
        """A document's risk flags, most serious first: (its id, the flags)."""
        snap = self.snapshot()
        doc_id = _resolve(snap, doc)
        found = flags(snap, doc_id)
        if found is None:
            raise NoFlags(
                "clause types are unavailable: qa/model/clause_types.npz is missing (run "
                "`python -m qa.model.train_types`) or the index is too large to hold its vectors in memory"
            )
        return doc_id, found

    def lookup(self, reference: str, docs: Sequence[str] | None = None) -> Answer | None:
        snap = self.snapshot()
        if not snap.docs:
            raise IndexEmpty()
        q = read_question(reference)
        named = self.scope(snap, q, docs)
        found = lookup(snap, q, named or list(snap.docs), explicit=True)
        return lookup_answer(snap, reference, found.clauses) if found else None

    def as_runnable(self) -> Runnable:
        """The chain as a LangChain Runnable: {"question": str, "docs": [..]} -> Answer."""
        return RunnableLambda(lambda x: self.ask(x["question"], x.get("docs")), name="clausewise")


def _named_before(snap: Snapshot, before: Question | None, q: Question, named: Sequence[str]) -> list[str]:
    """Of the documents a question names by their kind alone ("And the privacy policy?"), those the question
    before it named, if it named any: after "Can Strava change its terms?", Strava's privacy policy, which
    was asked with every other privacy policy indexed."""
    if before is None or snap.docs_said_by_name(q):
        return list(named)
    said = set(snap.docs_said_by_name(before))
    return [d for d in named if d in said] or list(named)


def _asked_itself(snap: Snapshot, before: Question | None, named: Sequence[str]) -> str | None:
    """What an earlier question asked, without the documents it named, to ask of these others. None when
    there was none, it only named documents, or it named these same ones ("GitHub" after a question about
    GitHub asks nothing new)."""
    if before is None:
        return None
    said = snap.docs_named_in(before)
    if set(said) == set(named) or asks_only_names(snap, before.text, said):
        return None
    return snap.without_names(before.text, said) if said else before.text


def _resolve(snap: Snapshot, name: str) -> str:
    """The id of the document a name (file name, URL, id, title or name) means, or UnknownDocument."""
    doc_id = snap.resolve_doc(name)
    if doc_id is None:
        known = ", ".join(sorted(d.meta.source for d in snap.docs.values()))
        raise UnknownDocument(f"no document matches {name!r}; indexed: {known}")
    return doc_id
