"""Questions that only name documents: "And the App?" after "Can Smartproxy close my account?", "那脉邦呢?",
"Et pour SocialSmartly ?". In a conversation they ask the previous question again of the documents
now named; alone, they ask nothing yet."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import stopwordsiso

from ingest.text import STOPWORDS
from ingest.types import Clause
from qa.answer.extractive import wording
from qa.cite import clause_span, unit_citation
from qa.corpus import Snapshot
from qa.question import Question, without_kinds
from qa.types import Answer

# The languages whose function words ("et pour", "und bei", "那…呢") may be all that a follow-up says
# beside a name. English keeps the product's own short list: the stopwords-iso English list holds words
# a question asks about ("changes", "free"). A question's words must all be function words of one
# language: "Can I sue Smartproxy?" is not a follow-up though "sue" is an Italian one.
OTHER_LANGUAGES = ("es", "fr", "de", "pt", "it", "nl", "zh")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[^\W_]+")
_LONGEST_CJK_WORD = 6
MAX_TITLE_CHARS = 120  # a preamble of one line this short is the document's title


@lru_cache(maxsize=1)
def function_words() -> tuple[frozenset[str], ...]:
    """Each language's function words, English first; read on first use."""
    return (STOPWORDS, *(frozenset(stopwordsiso.stopwords(lang)) for lang in OTHER_LANGUAGES))


def _all_function_words(run: str, words: frozenset[str]) -> bool:
    """Whether a run of Chinese characters splits wholly into these words ("那呢": 那 + 呢)."""
    can = [True] + [False] * len(run)  # can[i]: run[:i] splits
    for i in range(1, len(run) + 1):
        can[i] = any(can[j] and run[j:i] in words for j in range(max(0, i - _LONGEST_CJK_WORD), i))
    return can[-1]


def asks_only_names(snap: Snapshot, question: str, named: Sequence[str]) -> bool:
    """Whether the question says nothing beyond the documents it names: no word is left once their names,
    kinds ("the privacy policy") and title words are cut, but function words of one language."""
    if not named:
        return False
    rest = without_kinds(snap.name_free(question, named))
    if re.search(r"\d", rest):  # "Smartproxy 3.1.2" asks for a clause
        return False
    titles = {w.lower() for d in named for w in _WORD.findall(snap.docs[d].meta.title)}
    runs = _CJK.findall(rest)
    words = [w.lower() for w in _WORD.findall(_CJK.sub(" ", rest))]
    words = [w for w in words if w not in titles]
    return any(
        all(w in stop for w in words) and all(_all_function_words(r, stop) for r in runs) for stop in function_words()
    )


def outline_answer(snap: Snapshot, q: Question, named: Sequence[str], limit: int) -> Answer:
    """A question that names documents and asks nothing of them, with no question before it: what to ask,
    and the documents' sections (in their order) to read."""
    sections = []
    for d in named:
        clauses = sorted(snap.docs[d].clauses.values(), key=lambda c: c.ordinal)
        tops = [c for c in clauses if c.parent_id is None and c.title] or clauses  # a policy of plain paragraphs
        sections += [c for c in tops if not _title_line(snap, c)]
    related = [unit_citation(snap, i, c.clause_id, *clause_span(snap, c)) for i, c in enumerate(sections[:limit], 1)]
    names = ("、" if q.zh else ", ").join(snap.docs[d].meta.title for d in named)
    # Alibaba's terms list sections 1-6 of 12: said as all of them, the rest looked missing.
    said = "names_some" if len(sections) > len(related) else "names_only"
    text = wording(q)[said].format(names=names, shown=len(related), total=len(sections))
    return Answer(q.text, "not_addressed", text, [], related, kind="outline")


def _title_line(snap: Snapshot, c: Clause) -> bool:
    """A preamble that is only the document's title line ("FERROW PRIVACY POLICY"): nothing to read. Only a
    preamble's span is made: a policy of plain paragraphs lists its first sections of thousands."""
    if c.kind != "preamble":
        return False
    s, e = clause_span(snap, c)
    words = snap.docs[c.doc_id].text[s:e]
    return "\n" not in words and len(words) <= MAX_TITLE_CHARS
