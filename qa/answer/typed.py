"""Answers that rest on clause types: "what should I watch out for?", and "there is no such clause here".

A question the router reads as asking about a type ("am I forced into arbitration?") is declined for a
document the detector says has no clause of that type, on the detector's document-level decision (its
threshold was calibrated on documents it did not see), not on how similar some clause looks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answer.extractive import render, renumber, shown_after
from qa.cite import idf
from qa.clause_types import TYPES, presence
from qa.corpus import Snapshot
from qa.flags import RISK_TYPES, Flag, flags, is_terms
from qa.lexicon import coverage
from qa.question import Question
from qa.types import Answer, Citation, Hit

WORDS = {
    "en": {
        "none": "{title}: no clause of the types consumer law watches was found (arbitration, unilateral "
        "change, content removal, jurisdiction, choice of law, limitation of liability, unilateral "
        "termination, contract by using).",
        "not_terms": "{title}: risk flags cover consumer terms of service; this document is not one.",
        # The detector judges the document as a whole and can miss a clause buried in a long section:
        # the nearest clauses follow, for the reader to check.
        "absent_one": "{title} has no {type} clause, as far as the clause-type detector can tell. The nearest "
        "clauses are listed as related reading: check them before relying on this.",
        "absent_some": "No {type} clause in: {names}.",
        "not_advice": "Flags are a model's reading of the text, not legal advice.",
    },
    "zh": {
        "none": "{title}：未发现消费者法关注的条款类型。",
        "not_terms": "{title}：风险标记仅适用于消费者服务条款；此文件不属于此类。",
        "absent_one": "{title}中没有{type}条款（条款类型模型的判断）。下面列出最接近的条款，请核对后再作依据。",
        "absent_some": "以下文件没有{type}条款：{names}。",
        "not_advice": "这些标记是模型对文本的解读，不构成法律意见。",
    },
}
LEVELS_ZH = {"clearly unfair": "明显不公平", "potentially unfair": "可能不公平"}


def _words(q: Question) -> dict[str, str]:
    return q.said_in(WORDS)


def type_name(kind: str, q: Question) -> str:
    return TYPES[kind].zh if q.zh else TYPES[kind].name


# CLAUDETTE's types: lawyers listed the documents that lack them, so the document rule is calibrated
# and checked against them. The privacy types' labels name no such documents, and the team's own three
# types (renewal, fees, suspension) too few: their questions are answered as any other.
DECLINING = RISK_TYPES


# A public licence is titled as one: "GNU General Public License", "Apache License", "Mozilla Public
# License Version 2.0" (an end-user licence agreement is a service's terms, and is not).
_PUBLIC_LICENCE = re.compile(r"(?i)\blicen[cs]e(\s+(version\s+)?v?\d+(\.\d+)*)?\s*$")


def calibrated_on(snap: Snapshot, doc: str) -> bool:
    """Whether the document is of the kind the document rule was calibrated on: English consumer terms.
    A privacy policy, a contract between businesses or a document in another language is not said to
    lack a clause on its strength (on a held-out German agreement and two privacy notices it declined
    questions they answer), nor is a public licence, which grants anyone its permissions: asked "Can I
    modify the program?", the router heard the provider changing its terms, and the GPL, the Apache
    License and the GFDL were each said to have no such clause."""
    meta = snap.docs[doc].meta
    return meta.lang == "en" and not _PUBLIC_LICENCE.search(meta.title) and is_terms(snap, doc)


# The kinds of document that say what is done with data, beside the terms of the same service.
_DATA_POLICIES = frozenset({"privacy", "cookies"})


def asked_of_terms(snap: Snapshot, docs: Sequence[str]) -> list[str]:
    """The documents a question of a consumer-terms type is asked of: of a service's terms and its
    privacy policy, the terms. Asked "What is the most Strava would pay me if something goes wrong?" of
    both, it was answered from the privacy policy's payment details before the terms' liability cap.
    Documents of any other mix are all asked."""
    terms = [d for d in docs if calibrated_on(snap, d)]
    others = [d for d in docs if d not in terms]
    if terms and others and all(snap.kinds.get(d, set()) & _DATA_POLICIES for d in others):
        return terms
    return list(docs)


def lacking_all(snap: Snapshot, kinds: Sequence[str], scope: Sequence[str]) -> list[str]:
    """The documents of the scope the detector says have no clause of any of these types."""
    out = []
    for d in scope:
        if not calibrated_on(snap, d):
            continue
        found = [presence(snap, d, k) for k in kinds if k in DECLINING]
        if found and all(f is not None and not f.present for f in found):
            out.append(d)
    return out


# A document the detector says lacks the asked type is still not said to, when the unit nearest the
# question holds most of its words ("Which court handles disputes…?" over "…either party can submit it
# to the court in the location of Guangnian Technology"): the detector, trained on English consumer
# terms, misses clauses worded otherwise. The words of a question this short ("may they ban me?") are
# found anywhere.
SAID_SHARE = 0.6
SAID_MIN_WORDS = 3
_ABOUT_THE_DOCUMENT = ("ch", "policy_change")  # the types whose clauses are about the document itself


def says_the_words(snap: Snapshot, q: Question, hit: Hit) -> bool:
    """Whether the hit's unit holds the question's words (SAID_SHARE of them, by weight).

    The words that say what kind of document it is ("the terms") are not among them, unless the
    question asks about changing the document itself: asked "Which law governs the terms?", Google
    Play's terms, which have no such clause, were said to answer it with a unit that happened to say
    "governed" and "terms"."""
    words = q.topic if q.asks in _ABOUT_THE_DOCUMENT else q.beyond_kinds
    if len(words) < SAID_MIN_WORDS:
        return False
    c = snap.clause(hit.clause_id)
    weights = {w: v if w in words else 0.0 for w, v in idf(snap, q.topic).items()}
    return coverage(q, snap.span_tokens(hit.doc_id, c.start, c.end), weights) >= SAID_SHARE


def absent_answer(snap: Snapshot, q: Question, kind: str, docs: Sequence[str], nearest: Sequence[Citation]) -> Answer:
    """A decline that says what is missing, with the nearest units as related reading."""
    titles = ", ".join(snap.docs[d].meta.title for d in docs)
    text = _words(q)["absent_one"].format(title=titles, type=type_name(kind, q))
    related = shown_after([], list(nearest), 8)
    return Answer(q.text, "not_addressed", text, [], related, kind="type")


def absent_note(snap: Snapshot, q: Question, kind: str, docs: Sequence[str]) -> str:
    names = ", ".join(sorted(snap.docs[d].meta.title for d in docs))
    return _words(q)["absent_some"].format(type=type_name(kind, q), names=names)


def watch_answer(snap: Snapshot, q: Question, scope: Sequence[str]) -> Answer | None:
    """The flagged clauses of each document in scope, most serious first, each cited. None when no
    document in scope is consumer terms (the question is then answered as any other)."""
    if not any(is_terms(snap, d) for d in scope):
        return None
    w = _words(q)
    blocks: list[str] = []
    cites: list[Citation] = []
    for d in scope:
        found = flags(snap, d)
        if found is None:
            return None  # no model shipped: answer as any other question
        title = snap.docs[d].meta.title
        if not found:
            blocks.append(w["none" if is_terms(snap, d) else "not_terms"].format(title=title))
            continue
        numbered = renumber([f.citation for f in found], len(cites) + 1)
        cites += numbered
        blocks += [_flag_line(f, c, q) for f, c in zip(found, numbered, strict=True)]
    blocks.append(w["not_advice"])
    return Answer(q.text, "answered", "\n\n".join(blocks), cites, [], kind="flags")


def _flag_line(f: Flag, c: Citation, q: Question) -> str:
    body = render([c], q)  # "Title, 3.1: “quote” [n]"
    types = ", ".join(type_name(k, q) for k in f.kinds)
    level = LEVELS_ZH[f.level_name] if q.zh else f.level_name
    # Plain text, as every answer is: the app shows answers escaped, so Markdown would show as asterisks.
    return f"{types[:1].upper() + types[1:]} ({level}) — {body}" if not q.zh else f"{types}（{level}）— {body}"
