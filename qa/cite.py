"""Citations: exact slices of a document, with the clause around them and its parallel version."""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable

from ingest.sentences import sentences
from ingest.text import COLONS, RULE, is_cjk_text, strip_span
from ingest.types import Clause
from qa.clause_types import TYPES, sentence_probabilities
from qa.corpus import Snapshot
from qa.question import Meaning, Question
from qa.types import Citation, Parallel
from qa.values import value_pattern

# A clause this short is quoted whole: it is one thought. CJK packs about 2.5x the meaning per char.
WHOLE_CLAUSE_CHARS = {"en": 800, "zh": 320}


# The marks a Markdown file's heading keeps in its text ("### 7. Limitation of Liability"): the reader of
# the page sees the title, so a quote starts at its words.
_HEADING_MARKS = re.compile(r"#{1,6}[ \t]+(?=\S)")
# ...and at a line's start anywhere in a text, the marks alone too: a view that highlights a quote shows the
# clause's "## " before it as a piece of its own.
_HEADING_LINES = re.compile(r"(?m)^([ \t]*)#{1,6}[ \t]+(?=\S|$)")
_HEADING_WORDS = re.compile(r"(?m)^([ \t]*)#{1,6}[ \t]+(\S.*?)[ \t]*$")  # ...and the words after them


def without_heading_marks(text: str, apart: tuple[str, str] | None = None) -> str:
    """text as the reader of the page sees it: each heading's line without its marks ("## 5.1 Changes");
    with apart, its words set between these two marks, as a view that shows a heading in bold sets them."""
    if apart is not None:
        text = _HEADING_WORDS.sub(lambda m: f"{m[1]}{apart[0]}{m[2]}{apart[1]}", text)
    return _HEADING_LINES.sub(r"\1", text)


def clause_span(snap: Snapshot, c: Clause, whole: bool = False) -> tuple[int, int]:
    """The clause's own words (or, with whole=True, its children too, and the paragraphs after a section
    that it did not take in), whitespace and a Markdown heading's marks trimmed."""
    text = snap.docs[c.doc_id].text
    s, e = strip_span(text, c.start, _continued_end(snap, c) if whole else c.body_end)
    marks = _HEADING_MARKS.match(text, s, e)
    return (marks.end(), e) if marks else (s, e)


def _continued_end(snap: Snapshot, c: Clause) -> int:
    """Where a top-level section's text ends: at the next titled section. A section whose title reads as
    a sentence ("7. How to access, update, or delete your personal information.") leaves the paragraphs
    after it at the top level, where citations name them "7 (continued)"; asked for, "section 7" shows
    them, not its title line alone."""
    if c.parent_id is not None or c.kind == "preamble":
        return c.end
    ordinals, tops = _sections(snap, c.doc_id)
    i = bisect.bisect_right(ordinals, c.ordinal)
    return max(c.end, tops[i].start) if i < len(tops) else len(snap.docs[c.doc_id].text)


def make_citation(snap: Snapshot, n: int, c: Clause, start: int, end: int) -> Citation:
    view = snap.docs[c.doc_id]
    parallel = None
    if c.parallel_id and c.parallel_id in view.clauses:
        p = view.clauses[c.parallel_id]
        ps, pe = strip_span(view.text, p.start, p.end if (end - start) > (c.body_end - c.start) else p.body_end)
        parallel = Parallel(p.clause_id, p.label, ps, pe, view.text[ps:pe])
    cs, ce = strip_span(view.text, c.start, c.end)
    # The clause as shown around its quote holds all of the quote: "section 7" quotes the paragraphs
    # after a title that reads as a sentence, which are not the clause's own, and its view showed the
    # title line alone.
    cs, ce = min(cs, start), max(ce, end)
    pages = view.meta.pages
    return Citation(
        n=n,
        doc=view.meta.source,
        doc_id=c.doc_id,
        title=view.meta.title,
        clause_id=c.clause_id,
        label=c.label,
        heading=c.heading,
        path=_named_path(snap, c),
        start=start,
        end=end,
        quote=view.text[start:end],
        clause_start=cs,
        clause_end=ce,
        parallel=parallel,
        page=bisect.bisect_right(pages, start) or 1 if pages else None,
        source_url=view.meta.source_url,
    )


def unit_citation(snap: Snapshot, n: int, clause_id: str, start: int, end: int) -> Citation:
    """A unit shown whole (related reading, a flag): its words, the title being shown beside them."""
    c = snap.clause(clause_id)
    return make_citation(snap, n, c, *words_of(snap, c, start, end))


# The full stop a title closes with in running text ("11.4 Suspension for Prohibited Acts. NextRoll may…"),
# which a heading path does not show; an abbreviation's ("U.S.") stays.
_TITLE_STOP = re.compile(r"(?<=[a-z)’'])\.$")


def _named_path(snap: Snapshot, c: Clause) -> list[str]:
    """The headings a citation shows. An unnamed paragraph at the top level, past the preamble, is
    text the section before it did not take in ("4. Restricted accounts." then its paragraphs): it
    is named after that section, not "Preamble". In a document without any heading (a policy saved as
    plain paragraphs) the text is no preamble to anything: it is named by where it is, "Paragraphs 4–5"."""
    path = [_TITLE_STOP.sub("", p) for p in (*c.path, c.title) if p]
    if path[:1] == ["Preamble"] and _preamble_only(snap, c.doc_id):
        return [_paragraphs(snap, c), *path[1:]]
    if path:
        return path
    ordinals, tops = _sections(snap, c.doc_id)
    i = bisect.bisect_left(ordinals, c.ordinal)
    if c.kind != "para" or i == 0:
        return ["Preamble"]
    section = tops[i - 1]
    return [section.title if section.kind == "preamble" else f"{section.title} (continued)"]


def _sections(snap: Snapshot, doc_id: str) -> tuple[list[int], list[Clause]]:
    """The document's titled top-level clauses in order (and their ordinals), found once."""

    def make() -> tuple[list[int], list[Clause]]:
        tops = sorted(
            (o for o in snap.docs[doc_id].clauses.values() if o.parent_id is None and o.title),
            key=lambda o: o.ordinal,
        )
        return [o.ordinal for o in tops], tops

    return snap.once(("sections", doc_id), make)


def _preamble_only(snap: Snapshot, doc_id: str) -> bool:
    """Whether all of the document is its preamble: no heading or number starts any part of it."""
    clauses = snap.docs[doc_id].clauses.values()
    return snap.once(
        ("preamble only", doc_id), lambda: all(o.parent_id is not None or o.kind == "preamble" for o in clauses)
    )


def _paragraphs(snap: Snapshot, c: Clause) -> str:
    """ "Paragraph 3" or "Paragraphs 4–6": which of the document's paragraphs the clause's own words span."""
    text = snap.docs[c.doc_id].text
    breaks = snap.once(
        ("paragraph breaks", c.doc_id),
        lambda: [m.end() for m in re.finditer(r"\n[ \t]*\n\s*" if "\n\n" in text else r"\n\s*", text)],
    )
    start, end = strip_span(text, c.start, c.body_end)
    first = bisect.bisect_right(breaks, start) + 1
    last = bisect.bisect_right(breaks, max(start, end - 1)) + 1
    return f"Paragraph {first}" if first == last else f"Paragraphs {first}–{last}"


def lead_in(snap: Snapshot, c: Clause) -> tuple[int, int] | None:
    """The sentence introducing the list `c` is an item of ("SMM is not liable in these cases:").

    An item means little without it: "(2) Any closure due to hacker attacks" answers "is SMM liable
    for hacking?" only together with its parent's last sentence.
    """
    parent = snap.docs[c.doc_id].clauses.get(c.parent_id or "")
    if parent is None:
        return None
    text = snap.docs[c.doc_id].text
    s, e = strip_span(text, parent.start, parent.body_end)
    if not text[s:e].endswith(COLONS):
        return None
    last = list(sentences(text, s, e))
    return last[-1] if last else None


def lead_in_tokens(snap: Snapshot, c: Clause) -> frozenset[str]:

    def make() -> frozenset[str]:
        span = lead_in(snap, c)
        return snap.span_tokens(c.doc_id, *span) if span else frozenset()

    return snap.once(("lead_in", c.clause_id), make)


def idf(snap: Snapshot, words: Iterable[str]) -> dict[str, float]:
    n = max(len(snap.chunks), 1)
    return {w: math.log(1 + n / (1 + snap.doc_freq(w))) for w in set(words)}


# How much a sentence's probability of being of the asked type (qa.clause_types.sentence_probabilities,
# English only: trained on English labels) weighs beside its share of the question's words, when the
# window to quote is chosen. On the tuning policies, the sentence models retrained on one half and
# scored on the other, the first quote overlapped the answer in 244 questions at 1, against 216 without
# it (227 at 0.5, 254 at 2 with longer quotes and a lower P@1). On the held-out documents the first
# shown unit then overlapped the answer for 26.7% of the policy questions (24.8% without) and 75.5% of
# the terms questions (68.1%), P@1 0.064 (0.064) and 0.535 (0.473).
TYPE_WEIGHT = 1.0
# A consumer-terms type is narrower than a privacy practice, and its questions are paraphrases that
# share few words with the clause ("which ones win?" for governing law): there the type weighs twice.
# On the tuning terms, the first shown unit overlapped the lawyers' span for 89.3% of the questions at
# 1, 92.0% at 2 and 92.3% at 4 (P@1 0.673, 0.717, 0.721; the sentence model is in-sample there, so
# the moderate setting was taken). On the held-out terms: 77.5% at 1, 81.0% at 2 (P@1 0.542, 0.572;
# Hit@5 90.4%, 92.0%). The dev set and bench/own are unchanged.
TERMS_TYPE_WEIGHT = 2.0

LIST_CHARS = 1500  # a list introduced by the quoted words comes along up to this length


def best_passage(
    snap: Snapshot, c: Clause, start: int, end: int, q: Question, whole_chars: int | None = None
) -> tuple[int, int]:
    """The words that answer the question, and the list they introduce ("… in these situations:").
    Text up to whole_chars long (by default WHOLE_CLAUSE_CHARS) is quoted whole."""
    s, e = _best_window(snap, c, start, end, q, whole_chars)
    text = snap.docs[c.doc_id].text
    own_end = strip_span(text, c.start, c.body_end)[1]
    if c.children and e >= own_end and text[s:e].rstrip().endswith(COLONS):
        # The list is the run of items after the words; a paragraph after the list is not part of it.
        list_end = e
        for child_id in c.children:
            child = snap.clause(child_id)
            if child.kind == "para":
                break
            list_end = strip_span(text, child.start, child.end)[1]
        if list_end - s <= LIST_CHARS:
            e = list_end
    return s, e


def words_of(snap: Snapshot, c: Clause, start: int, end: int) -> tuple[int, int]:
    """text[start:end] whitespace trimmed, without the clause's title line when it begins there:
    "3.1. Account freezing\nYour account may be frozen…" is quoted from "Your", the title being shown
    beside the quote already."""
    text = snap.docs[c.doc_id].text
    start, end = strip_span(text, start, end)
    if c.heading and start == strip_span(text, c.start, c.body_end)[0]:
        nl = text.find("\n", start, end)
        if nl > 0 and text[nl:end].strip() and c.titles(text[start:nl]):
            start, end = strip_span(text, nl, end)
            # ...and without the rule that underlines it ("8. Litigation" / "-------------"), or the title
            # under a number alone on its line ("10." / "RETURN AND REPAIR").
            nl = text.find("\n", start, end)
            line = text[start:nl].strip() if nl > 0 else ""
            if (RULE.fullmatch(line) or line == c.heading) and text[nl:end].strip():
                start, end = strip_span(text, nl, end)
    return start, end


# Sentences are also told apart by their cosine to the question: 1 for the nearest, falling to 0
# MEANING_MARGIN below it, at MEANING_WEIGHT beside the words' share of the best sentence's score.
# A question in a third language shares no words with the clause, so meaning alone chooses: on long
# first citations holding the answer, with the question's words taken away, the quote held it for 63%
# of the tuning policies' questions and 62% of the held-out ones' (the first sentences, quoted before:
# 23%, 30%). For an English question, words and meaning together held it for 66% of the tuning
# policies' (words alone 65%; weights 0.25-2 and margins 0.05-0.1 tried) and 66% of the held-out
# ones' (62%), at about the same share of characters inside the answer (bench/meaning_windows.py).
# Over whole sets: policyqa held out Hit@1 26.6% -> 27.5%, CLAUDETTE held out 81.9% -> 83.2%.
MEANING_MARGIN = 0.1
MEANING_WEIGHT = 0.5
# A question asking for a value ("how long…?") prefers the sentences holding one ("within 15 days"), at
# the weight a type's sentences have: on the tuning questions over the bundled corpus the first shown
# unit then overlapped the answer for 64.4% (62.2% without), alike at 0.5, 1 and 2.
VALUE_WEIGHT = 1.0


def _nearest_in_meaning(meaning: Meaning, texts: list[str]) -> list[float]:
    cos = meaning.similarity(texts)
    return [max(0.0, 1 - (float(cos.max()) - float(c)) / MEANING_MARGIN) for c in cos]


def _best_window(
    snap: Snapshot, c: Clause, start: int, end: int, q: Question, whole_chars: int | None
) -> tuple[int, int]:
    """The sentences within text[start:end] that answer the question: whole if short, else the best window."""
    text = snap.docs[c.doc_id].text
    start, end = words_of(snap, c, start, end)
    zh = is_cjk_text(text[start:end])
    if end - start <= (whole_chars or WHOLE_CLAUSE_CHARS["zh" if zh else "en"]):
        return start, end
    terms = q.weighted  # the question's words, and at a lower weight their lexicon siblings
    weights = idf(snap, terms)
    sents = list(sentences(text, start, end))
    if not sents:
        return start, end
    scores = [sum(weights[t] * terms[t] for t in snap.span_tokens(c.doc_id, s, e) & terms.keys()) for s, e in sents]
    prior = sentence_probabilities(q.asks, [text[s:e] for s, e in sents]) if q.asks and not zh else None
    if prior is not None:  # the sentences of the asked type weigh beside the question's words
        top = max(scores) or 1.0
        w = TERMS_TYPE_WEIGHT if TYPES[q.asks].family == "terms" else TYPE_WEIGHT
        scores = [sc / top + w * float(p) for sc, p in zip(scores, prior, strict=True)]
    if q.value is not None:  # ...and the sentences holding the kind of value asked for ("within 15 days")
        top = max(scores) or 1.0
        looks_like = value_pattern(q.value)
        scores = [
            sc / top + VALUE_WEIGHT * bool(looks_like.search(text[s:e]))
            for sc, (s, e) in zip(scores, sents, strict=True)
        ]
    if q.meaning is not None and len(sents) > 1:  # ...and the sentences nearest in meaning
        top = max(scores) or 1.0
        near = _nearest_in_meaning(q.meaning, [text[s:e] for s, e in sents])
        scores = [sc / top + MEANING_WEIGHT * m for sc, m in zip(scores, near, strict=True)]
    i = max(range(len(sents)), key=lambda j: (scores[j], -j))
    s, e = sents[i]
    # Extend over neighbouring sentences that also speak to the question, within a readable length.
    j = i
    while j + 1 < len(sents) and (e - s < 120 or scores[j + 1] >= 0.6 * scores[i] > 0) and sents[j + 1][1] - s <= 600:
        j += 1
        e = sents[j][1]
    k = i
    while k > 0 and scores[k - 1] >= 0.6 * scores[i] > 0 and e - sents[k - 1][0] <= 600:
        k -= 1
        s = sents[k][0]
    return s, e
