"""The offline answerer: verbatim sentences of the best units, each cited, or an honest "not addressed".

Whether the documents answer at all is the learned answerability model's call (qa/rank.py, trained on
held-apart tuning data); below its threshold the product declines and offers the nearest units as
related reading. The Calibration thresholds stand in when no weights ship, and still choose how many
units to cite and, in comparisons, which documents speak.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ingest.clauses import is_contents, is_menu
from ingest.text import is_date_stamp, tokens
from ingest.types import Clause
from ingest.units import pieces_of
from qa.cite import (
    best_passage,
    clause_span,
    idf,
    lead_in_tokens,
    make_citation,
    unit_citation,
    without_heading_marks,
    words_of,
)
from qa.concepts import foreign_terms
from qa.corpus import Snapshot
from qa.lexicon import coverage
from qa.question import Question
from qa.rank import Models, answers_probability, models, rerank
from qa.references import defined_terms_used, referenced
from qa.types import Answer, Citation, Hit
from qa.values import SOFT, value_pattern


@dataclass(frozen=True)
class Calibration:
    """Decision thresholds, calibrated on shared/eval (dev split) and kept here, not guessed at run time."""

    min_confidence: float = 0.80  # below this the documents are taken not to address the question
    # A question about a legal concept the scoped documents never mention, in any wording of the
    # lexicon, is declined unless the best clause is a very strong match.
    foreign_confidence: float = 0.95
    keep_ratio: float = 0.98  # further clauses are cited only when nearly as good as the best
    max_citations: int = 3
    score_gap: float = 1.0  # ...and their fused retrieval score is within one standard deviation of the best
    per_document: int = 2  # clauses cited from each document in a comparison
    tie_gap: float = 0.5  # ...the second when its fused score is this close to the first's
    # In a question across all documents, a document is cited when its best clause is this sure, and
    # not much less sure than the best document's.
    min_doc_confidence: float = 0.83
    doc_margin: float = 0.09
    # ...or when its best clause ranks near the best document's (fused score, in standard deviations),
    # and never when it ranks far behind.
    doc_near: float = 1.3
    doc_far: float = 3.2
    max_related: int = 8


DEFAULT_CALIBRATION = Calibration()


def confidence(snap: Snapshot, q: Question, hit: Hit) -> float:
    """Dense similarity, nudged up by the share of the question's rarer words found in the clause.

    A word counts in full when the clause (or the words introducing its list) uses it, and in part
    when it uses a lexicon sibling ("account" for "login").
    """
    if not q.topic:
        return hit.dense
    clause = snap.clause(hit.clause_id)
    words = snap.span_tokens(hit.doc_id, clause.start, clause.end) | lead_in_tokens(snap, clause)
    return hit.dense + 0.1 * coverage(q, words, idf(snap, q.topic))


def _holds(snap: Snapshot, h: Hit, looks_like: re.Pattern[str]) -> bool:
    c = snap.clause(h.clause_id)
    return looks_like.search(snap.docs[h.doc_id].text[c.start : c.end]) is not None


# Asked how much a service would pay for a loss it caused, the router reads limitation of liability: the
# amount is what they would owe, which such a clause gives in words ("the fees you paid in the last
# twelve months"), not a price. Held to hold a price, every such clause was passed over and the
# question declined, in English and in Chinese ("他们最多赔偿我多少钱？").
OWED = frozenset({"ltd"})


def _value(q: Question) -> str | None:
    """The kind of value an answer must hold, if any."""
    return None if q.value == "price" and q.asks in OWED else q.value


def missing_value(snap: Snapshot, q: Question, hits: Sequence[Hit]) -> str | None:
    """The kind of value the question asks for, when none of the clauses contains one."""
    kind = _value(q)
    if kind is None or kind in SOFT or any(_holds(snap, h, value_pattern(kind)) for h in hits):
        return None
    return kind


def value_first(snap: Snapshot, q: Question, hits: Sequence[Hit], window: int = 5) -> list[Hit]:
    """For a question asking for a phone number, an address or a price: clauses holding one go first."""
    kind = _value(q)
    if kind is None or kind in SOFT:
        # A retention question is often answered by a clause without a period ("for as long as the
        # account is open"), ranked above one with a period about something else ("within 15 days").
        return list(hits)
    top = list(hits[:window])
    with_value = [h for h in top if _holds(snap, h, value_pattern(kind))]
    return with_value + [h for h in top if h not in with_value] + list(hits[window:])


def prefer_question_language(snap: Snapshot, hits: Sequence[Hit], q: Question) -> list[Hit]:
    """For bilingual documents, cite the version in the question's language; drop the duplicate."""
    want_zh = q.zh
    out: list[Hit] = []
    seen: set[str] = set()
    for h in hits:
        c = snap.clause(h.clause_id)
        if c.parallel_id and (c.lang == "zh") != want_zh:
            p = snap.clause(c.parallel_id)
            h = Hit(p.clause_id, h.doc_id, p.start, p.body_end, h.score, h.dense, h.bm25)
            c = p
        if c.clause_id in seen:
            continue
        seen.add(c.clause_id)
        if c.parallel_id:
            seen.add(c.parallel_id)
        out.append(h)
    return out


# A citation quotes its whole unit up to this length, the size of a cited unit (a longer one is cited
# by its best sentences); the answer's text quotes only those sentences, and the citation shows the unit
# around them. Best sentences alone miss the answer more often than a whole unit: on the tuning
# policies (bench/policyqa.py) the first shown unit overlapped the answer for 23.3% of the questions
# when it quoted them, 33.4% quoting its whole unit, and a supporting citation's best sentences took
# Hit@5 to 58% against 65% for whole units. On the held-out policies the first unit then overlaps the
# answer for 36.0% (27.3% quoting sentences; Hit@5 85.8%, 78.8%), and on the held-out consumer terms
# for 89.3% (85.2%); the share of the first quote inside the answer falls (P@1 0.064 to 0.042, 0.591
# to 0.373), as a unit holds more than its answering sentence.
CITED_UNIT_CHARS = 1500


def _cite(snap: Snapshot, hits: Sequence[Hit], q: Question, first_n: int) -> list[Citation]:
    """The citations, each marking the best sentences the answer's text quotes when it shows more.

    A unit already quoted by an earlier citation (an item of the list that citation brings along) is
    not cited again: the answer would repeat its words under a second number."""
    out: list[Citation] = []
    # Only the first citation's sentences are weighed by meaning (embedding them costs 16 ms a
    # sentence): the later ones are read by their words, the answer's text quoting less of them.
    later = replace(q, meaning=None)
    for i, h in enumerate(hits):
        c = snap.clause(h.clause_id)
        asked = later if i else q
        s, e = best_passage(snap, c, h.chunk_start, h.chunk_end, asked)
        ws, we = words_of(snap, c, h.chunk_start, h.chunk_end)
        if we - ws <= CITED_UNIT_CHARS:
            ws, we = best_passage(snap, c, h.chunk_start, h.chunk_end, asked, CITED_UNIT_CHARS)
        else:  # too long to show whole: cited by those same sentences, without reading them again
            ws, we = s, e
        focus = (s, e) if (ws, we) != (s, e) and ws <= s and e <= we else None
        if focus:
            s, e = ws, we
        cite = make_citation(snap, first_n + len(out), c, s, e)
        if not any(
            o.doc_id == c.doc_id and (_within(o.focus or (o.start, o.end), s, e) or _words(o) == _words(cite))
            for o in out
        ):
            out.append(replace(cite, focus=focus))
    return out


def _words(c: Citation) -> str:
    """What a citation quotes, however spaced: a document that repeats a passage word for word (a page
    saved with its text twice, a section copied into an annex) is not quoted twice."""
    return " ".join(c.quote.split())


def _within(outer: tuple[int, int], start: int, end: int) -> bool:
    return outer[0] <= start and end <= outer[1]


# The answer speaks the question's language; quotes stay in the language of their document.
WORDING = {
    "en": {
        "cite": "{title}, {name}: “{quote}” [{n}]",
        "not_addressed": "The documents do not appear to address this. The nearest clauses are listed as "
        "related reading; they do not answer the question.",
        "silent": "Nothing found on this in: {names}.",
        "no_kind": "None of the indexed documents is {kinds}; the answer looks in all of them.",
        "no_clause": "No clause “{ref}” in {docs}. The nearest clauses are listed as related reading.",
        "indexed": "the indexed documents",
        "names_only": "What would you like to know about {names}? Ask it in a sentence, or ask for a clause by "
        "its number. The sections are listed below.",
        "names_some": "What would you like to know about {names}? Ask it in a sentence, or ask for a clause by "
        "its number. The first {shown} of {total} sections are listed below; ask for any other by its number.",
    },
    "zh": {
        "cite": "{title}，{name}：“{quote}” [{n}]",
        "not_addressed": "这些文件似乎没有涉及这个问题。下面列出的最接近的条款仅供参考，它们并不回答这个问题。",
        "silent": "未找到相关条款的文件：{names}。",
        "no_kind": "已索引的文件中没有{kinds}；答案在所有文件中查找。",
        "no_clause": "{docs}中没有“{ref}”这一条款。下面列出的最接近的条款仅供参考。",
        "indexed": "已索引的文件",
        "names_only": "您想了解{names}的哪些内容？请用一句话提问，或按条款编号查询。下面列出了它的章节。",
        "names_some": "您想了解{names}的哪些内容？请用一句话提问，或按条款编号查询。下面列出了{total}个章节中的前{shown}个；"
        "其余章节请按编号查询。",
    },
}


# The five other languages questions come in most ("¿Puedo…?") are declined in their own words; the
# rarer notes stay English.
WORDING |= {
    lang: WORDING["en"] | said
    for lang, said in {
        "es": {
            "not_addressed": "Los documentos no parecen tratar esta cuestión. Las cláusulas más cercanas se "
            "muestran como lectura relacionada; no responden a la pregunta.",
            "silent": "No se encontró nada sobre esto en: {names}.",
            "no_clause": "No hay ninguna cláusula «{ref}» en {docs}. Las cláusulas más cercanas se muestran "
            "como lectura relacionada.",
            "indexed": "los documentos indexados",
        },
        "fr": {
            "not_addressed": "Les documents ne semblent pas traiter cette question. Les clauses les plus "
            "proches sont proposées en lecture complémentaire ; elles n'y répondent pas.",
            "silent": "Rien trouvé à ce sujet dans : {names}.",
            "no_clause": "Aucune clause « {ref} » dans {docs}. Les clauses les plus proches sont proposées "
            "en lecture complémentaire.",
            "indexed": "les documents indexés",
        },
        "de": {
            "not_addressed": "Die Dokumente scheinen diese Frage nicht zu behandeln. Die nächstliegenden "
            "Klauseln sind zum Weiterlesen aufgeführt; sie beantworten die Frage nicht.",
            "silent": "Nichts dazu gefunden in: {names}.",
            "no_clause": "Keine Klausel „{ref}“ in {docs}. Die nächstliegenden Klauseln sind zum Weiterlesen "
            "aufgeführt.",
            "indexed": "den indexierten Dokumenten",
        },
        "pt": {
            "not_addressed": "Os documentos não parecem tratar desta questão. As cláusulas mais próximas "
            "aparecem como leitura relacionada; não respondem à pergunta.",
            "silent": "Nada encontrado sobre isto em: {names}.",
            "no_clause": "Nenhuma cláusula “{ref}” em {docs}. As cláusulas mais próximas aparecem como "
            "leitura relacionada.",
            "indexed": "todos os documentos indexados",
        },
        "it": {
            "not_addressed": "I documenti non sembrano trattare questa domanda. Le clausole più vicine sono "
            "elencate come letture correlate; non rispondono alla domanda.",
            "silent": "Nulla trovato su questo in: {names}.",
            "no_clause": "Nessuna clausola «{ref}» in {docs}. Le clausole più vicine sono elencate come "
            "letture correlate.",
            "indexed": "tutti i documenti indicizzati",
        },
    }.items()
}


def wording(q: Question) -> dict[str, str]:
    return q.said_in(WORDING)


def not_addressed_text(q: Question) -> str:
    return wording(q)["not_addressed"]


_CARRIES_NUMBER = re.compile(r"\d+[.．]\d")  # "10.1", "3.2.4": a label that names its parents too


def render(citations: Sequence[Citation], q: Question) -> str:
    """The answer's text: each citation's quote, or the part of it in focus."""
    lines = []
    form = wording(q)["cite"]
    for c in citations:
        s, e = c.focus or (c.start, c.end)
        words = c.quote[s - c.start : e - c.start]
        quote = "\n".join(" ".join(line.split()) for line in without_heading_marks(words).splitlines() if line.strip())
        lines.append(form.format(title=c.title, name=_name(c), quote=quote, n=c.n))
    return "\n\n".join(lines)


# A heading path's step that is a number alone ("3", "(b)", "iv", "2.1"): an item without a title.
_NUMBER_ONLY = re.compile(r"[(\[]?(?:\d+(?:[.．]\d+)*|[ivxlcdm]+|[a-z]|[一二三四五六七八九十百]+)[)\].．、]?", re.I)
NAME_STEPS = 4  # the most steps of its heading path an answer's text names a citation by


def _name(c: Citation) -> str:
    """How the answer's text names a citation: by its title, or, when it is unnamed or its label does not
    carry its parents' numbers, from the nearest titled clause above it down ("2.2 › (a)", "13 Arbitration
    › 1 › 3"): "d) We share…" alone did not say it was 10.d of the BBC's policy, nor "1 › 3" that it was
    Yelp's 13.1.3."""
    path = c.path
    within = not c.heading or (c.label and not _CARRIES_NUMBER.match(c.label))
    if not within or len(path) < 2:
        return path[-1]
    top = len(path) - 2
    while top > 0 and _NUMBER_ONLY.fullmatch(path[top]):
        top -= 1
    return " › ".join(path[max(top, len(path) - NAME_STEPS) :])


def answer(
    snap: Snapshot,
    q: Question,
    hits: Sequence[Hit],
    per_document: dict[str, list[Hit]] | None = None,
    cal: Calibration = DEFAULT_CALIBRATION,
    scope: Sequence[str] = (),
    standing: dict[str, float] | None = None,
    known_answered: bool = False,
    holding: Collection[str] = (),
    ranked: bool = False,
) -> Answer:
    """Build the extractive Answer from ranked hits (and, for comparisons, each document's own hits).

    known_answered: the document is known to hold what is asked (a clause of the asked type), so the
    answer cites its best units instead of weighing whether to decline. holding: in a question across
    documents, those known to hold it; they speak however their best unit ranks against the others'.
    ranked: the hits are already in a learned order, kept for the related reading too."""
    # Learned answerability, on the hits as retrieval ranked them (as the model was trained); the
    # hand-set similarity and missing-concept rules stand in only when no weights are shipped.
    learned = models()
    retrieved = hits
    hits = value_first(snap, q, prefer_question_language(snap, without_contents(snap, hits), q))
    # A unit that is only a title ("EPIC GAMES PRIVACY POLICY", "Last updated 3 March 2026") answers a
    # question only about what it says, holding most of its words: short, it can sit close to any question
    # in the embedding space, and one shared word ("What Else Should You Know?") is no answer. A
    # section's title over its subsections ("7. Payments" over 7.1 and 7.2) answers nothing: its text is
    # theirs. A date stamp left as a paragraph of its own ("Last Updated: 1 January 2017" closing the last
    # section) is such a title too.
    titles = {h.clause_id for h in hits if title_only(snap, h)}
    topic = set(q.topic)
    hits = _not_mere_titles(snap, hits, topic)
    memo: dict[tuple[str, float], float] = {}

    def conf_of(h: Hit) -> float:  # asked of the same clauses many times below
        key = (h.clause_id, h.dense)
        if key not in memo:
            memo[key] = confidence(snap, q, h)
        return memo[key]

    conf = {h.clause_id: conf_of(h) for h in hits}
    chosen: list[Hit] = []
    silent: list[str] = []  # documents of a comparison that do not address the question
    if not q.topic:
        pass  # nothing to look for ("the the", "??", "Which documents say?")
    elif (
        learned is None
        and scope
        and hits
        and foreign_terms(snap, q, scope)
        and conf[hits[0].clause_id] < cal.foreign_confidence
    ):
        pass  # the scoped documents do not speak of what is asked
    elif hits and missing_value(snap, q, _best_of_each(hits, per_document, cal.max_citations)):
        pass  # asked for a phone number, an address or a price that none of the best clauses contains
    elif per_document:
        ranked = {d: prefer_question_language(snap, without_contents(snap, hs), q) for d, hs in per_document.items()}
        ranked = {d: _not_mere_titles(snap, hs, topic) for d, hs in ranked.items()}
        ranked = {d: hs for d, hs in ranked.items() if hs}
        best = {d: max(conf_of(h) for h in hs) for d, hs in ranked.items()}
        top = max(best.values(), default=0.0)
        # A document the user named speaks unless its best clause is a weak match; across all documents
        # only those that rank near the best one, or are sure enough and not far behind, speak, and
        # those the learned model would answer from were the question asked of them alone.
        behind = standing or {}
        floor = max(cal.min_doc_confidence, top - cal.doc_margin)
        speaking = [
            d
            for d in ranked
            if (best[d] >= cal.min_confidence)
            and (
                bool(scope)
                or d in holding
                or behind.get(d, -np.inf) >= -cal.doc_near
                or (best[d] >= floor and behind.get(d, -np.inf) >= -cal.doc_far)
                or answers_alone(snap, q, per_document[d], d, learned)
            )
        ]
        # Document by document, the surest first, so each document's clauses read together.
        for d, doc_hits in sorted(ranked.items(), key=lambda kv: -best[kv[0]]):
            if d in speaking:
                # The document's best-ranked clause, and a second one it is as sure of or that nearly ties.
                picks = [doc_hits[0]] + [
                    h
                    for h in doc_hits[1:]
                    if conf_of(h) >= cal.keep_ratio * best[d] or h.score >= doc_hits[0].score - cal.tie_gap
                ]
                chosen += picks[: cal.per_document]
            else:
                silent.append(d)
    elif hits and (
        known_answered
        or answers_probability(snap, q, retrieved, scope or sorted({h.doc_id for h in retrieved}))
        >= learned.decline_below
        if learned is not None
        else conf[hits[0].clause_id] >= cal.min_confidence
    ):
        top = conf[hits[0].clause_id]
        chosen = [
            h
            for h in hits
            if conf[h.clause_id] >= max(cal.min_confidence, cal.keep_ratio * top)
            and h.score >= hits[0].score - cal.score_gap
        ]
        if known_answered:  # the surest unit of the asked type leads, however its words score
            chosen = [hits[0], *(h for h in chosen if h is not hits[0])]
        chosen = chosen[: cal.max_citations] or (hits[:1] if known_answered else [])
    cited = {h.clause_id for h in chosen}
    # Related reading in the learned order: the citations rest on the retrieval's own ranking.
    # A unit that is only a title ("Last updated 3 March 2026", the document's name) has nothing to read.
    hits = [h for h in (hits if ranked else rerank(snap, q, hits)) if h.clause_id in cited or h.clause_id not in titles]
    rest = [h for h in hits if h.clause_id not in cited][: cal.max_related]
    if not chosen:
        related = shown_after([], _related(snap, rest, 1), cal.max_related)
        return Answer(q.text, "not_addressed", not_addressed_text(q), [], related)
    citations = _cite(snap, chosen, q, 1)
    # What a citation already quotes (a list it introduced) is not offered again as related.
    rest = [
        h
        for h in hits
        if h.clause_id not in cited
        and not any(c.doc_id == h.doc_id and c.start <= h.chunk_start and h.chunk_end <= c.end for c in citations)
    ][: cal.max_related]
    related = references_of(snap, citations, len(citations) + 1)
    related = shown_after(citations, related + _related(snap, rest, 0), cal.max_related)
    text = render(citations, q)
    if silent:
        names = ", ".join(snap.docs[d].meta.title for d in sorted(silent, key=lambda d: snap.docs[d].meta.title))
        text += "\n\n" + wording(q)["silent"].format(names=names)
    return Answer(q.text, "answered", text, citations, related)


def _best_of_each(hits: Sequence[Hit], per_document: dict[str, list[Hit]] | None, n: int) -> list[Hit]:
    """The clauses that may be cited: the n best, or in a question across documents, each one's n best.
    Asked "How much does Strava cost per month?" of its terms and privacy policy, neither of which gives a
    price, the answer cited the terms' fees clause as if it did."""
    return [h for hs in per_document.values() for h in hs[:n]] if per_document else list(hits[:n])


def answers_alone(snap: Snapshot, q: Question, hits: Sequence[Hit], doc: str, learned: Models | None) -> bool:
    """Whether the learned model would answer from this document were the question asked of it alone.

    Across documents, a document whose best unit ranks far behind the best document's can still hold
    the answer: a long bilingual paragraph scores low beside another agreement's short clause. On the
    tuning questions across documents (bench/eval), 2 more documents holding the answer spoke and none
    without it; 3 of 5 and 4 of 4 questions then had every document that holds the answer speak (2 and
    3 before). The threshold is the one single-document questions are declined below."""
    if learned is None:
        return False
    p = answers_probability(snap, q, hits, [doc])
    return p is not None and p >= learned.decline_below


def without_contents(snap: Snapshot, hits: Sequence[Hit]) -> list[Hit]:
    """The hits less a document's table of contents, whose titles match many questions' words, and its
    page's navigation, which sits near many questions: neither answers any of them."""

    def furniture(h: Hit) -> bool:
        doc = snap.docs[h.doc_id]
        titles = snap.once(
            ("headings", h.doc_id), lambda: {c.heading.lower() for c in doc.clauses.values() if c.heading}
        )
        words = doc.text[h.chunk_start : h.chunk_end]
        return is_contents(words, titles) or _navigation(snap, h, words)

    return [h for h in hits if not snap.once(("furniture", (h.doc_id, h.chunk_start)), lambda h=h: furniture(h))]


def _navigation(snap: Snapshot, h: Hit, words: str) -> bool:
    """A list of labels above the document's first sentence or below its last (a list of short items
    between them, "• Name" / "• Email address", is what a policy collects)."""
    if not is_menu(words):
        return False
    start, end = snap.prose(h.doc_id)
    return h.chunk_end <= start or h.chunk_start >= end


def _not_mere_titles(snap: Snapshot, hits: Sequence[Hit], topic: set[str]) -> list[Hit]:
    return [h for h in hits if not title_only(snap, h) or _says_what_is_asked(snap, h, topic)]


def _says_what_is_asked(snap: Snapshot, h: Hit, topic: set[str]) -> bool:
    """A title-only unit without subsections that holds more than half of the question's words."""
    shared = snap.span_tokens(h.doc_id, h.chunk_start, h.chunk_end) & topic
    return not snap.clause(h.clause_id).children and 2 * len(shared) > len(topic)


_NUMBER_LEAD = re.compile(r"^#*\s*\S{1,12}?[.:)]?\s+")  # "2. ", "# 8 ", "(b) ": a number's, before its title


def title_only(snap: Snapshot, h: Hit) -> bool:
    """The unit's words are its clause's heading, a line only dating the document, or less than two
    words that mean anything ("/s/ [Illegible]" on a signature line, "between" under a contract's
    title on its cover), besides its heading, and nothing else. Read once per unit and snapshot: each
    question asks it of its units in more than one filter, and the next questions ask it again."""

    def read() -> bool:
        words = snap.docs[h.doc_id].text[h.chunk_start : h.chunk_end].strip()
        clause = snap.clause(h.clause_id)
        heading = clause.heading
        # The heading's line leads with its number, and a Markdown heading's with its marks ("2. PERSONAL
        # INFORMATION WE COLLECT", "# 8 Retention of Personal Information"): cited alone, it was quoted.
        lead = _NUMBER_LEAD.sub("", words, count=1) if clause.label and not words.startswith(heading) else words
        body = (lead[len(heading) :] if heading and lead.startswith(heading) else words).strip()
        # Only a short unit is read word by word: this runs for every retrieved unit of every question.
        return not body or is_date_stamp(body) or (len(words) < 200 and len(tokens(body)) < 2)

    return snap.once(("title only", (h.clause_id, h.chunk_start, h.chunk_end)), read)


def _related(snap: Snapshot, hits: Sequence[Hit], first_n: int) -> list[Citation]:
    """Related reading shows each unit whole: it is offered to read, not quoted as an answer."""
    return [unit_citation(snap, first_n + i, h.clause_id, h.chunk_start, h.chunk_end) for i, h in enumerate(hits)]


def lookup_answer(snap: Snapshot, question: str, clauses: Sequence[Clause]) -> Answer:
    """A clause asked for by number or heading, quoted whole, with the clauses it refers to as related."""
    cites = []
    for i, c in enumerate(clauses, 1):
        s, e = clause_span(snap, c, whole=True)
        cites.append(make_citation(snap, i, c, s, e))
    text = "\n\n".join(f"{c.title}:\n\n{without_heading_marks(c.quote)} [{c.n}]" for c in cites)
    related = references_of(snap, cites, len(cites) + 1)[:5]
    return Answer(question, "answered", text, cites, related, kind="lookup")


def missing_clause_answer(q: Question, reference: str, docs: str, nearest: Answer, limit: int) -> Answer:
    """A clause asked for by a number no scoped document has ("what does section 10.1 say?" of a contract
    numbered 1 to 4): said so, with what the search found as related reading, never quoted as if it
    were that clause ("10.14" is not "10.1")."""
    related = renumber(shown_after([], [*nearest.citations, *nearest.related], limit), 1)
    text = wording(q)["no_clause"].format(docs=docs, ref=reference)
    return Answer(q.text, "not_addressed", text, [], related, kind="lookup")


def references_of(snap: Snapshot, citations: Sequence[Citation], first_n: int) -> list[Citation]:
    """The clauses cited text points to ("see Article 3.1 above"), as related citations."""
    out: list[Citation] = []
    seen = {c.clause_id for c in citations}
    for cit in citations:
        clause = snap.clause(cit.clause_id)
        refs = referenced(snap, clause, cit.start, cit.end) + defined_terms_used(snap, clause, cit.start, cit.end)[:2]
        for ref in refs:
            if ref.clause_id not in seen:
                seen.add(ref.clause_id)
                s, e = clause_span(snap, ref, whole=True)
                if e - s > CITED_UNIT_CHARS:  # a long section is shown by its first unit, the rest a click away
                    s, e = pieces_of(snap.docs[ref.doc_id].text, s, e)[0]
                out.append(make_citation(snap, first_n + len(out), ref, s, e))
    return out


def shown_after(citations: Sequence[Citation], candidates: Sequence[Citation], limit: int) -> list[Citation]:
    """Related reading after the citations: distinct units (no clause twice, nothing already shown, no
    passage the document repeats word for word), numbered on from the last citation, at most `limit`."""
    shown = [(c.doc_id, c.clause_id, c.start, c.end) for c in citations]
    said = {(c.doc_id, _words(c)) for c in citations}
    out: list[Citation] = []
    for r in candidates:
        words = (r.doc_id, _words(r))
        if words in said or any(
            r.clause_id == cid or (r.doc_id == d and s <= r.start and r.end <= e) for d, cid, s, e in shown
        ):
            continue
        shown.append((r.doc_id, r.clause_id, r.start, r.end))
        said.add(words)
        out.append(r)
    first = max((c.n for c in citations), default=0) + 1
    return renumber(out[:limit], first)


def renumber(citations: Sequence[Citation], first_n: int) -> list[Citation]:
    return [replace(c, n=first_n + i) for i, c in enumerate(citations)]
