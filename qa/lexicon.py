"""Query expansion: the words legal texts use for what a reader asks, in English and Chinese.

Readers say "login", "coworker", "hackers", "收集"; the clause says "account", "others", "hacker
attacks", "collect". BM25 only meets words that are written the same way, and the small multilingual
embedding model misses many of these pairs, so a question also searches, at a lower weight, for the
other phrases of each group in `lexicon.txt` it uses. The groups are about legal text in general
(terms, privacy policies, contracts), never about particular documents.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.text import has_cjk, tokens

if TYPE_CHECKING:
    from qa.question import Question  # the value built from a question with this module's help

LEXICON_FILE = Path(__file__).with_name("lexicon.txt")
EXPANSION_WEIGHT = 0.5  # an expansion is evidence, but weaker than the reader's own word


@dataclass(frozen=True)
class Phrase:
    text: str
    stems: tuple[str, ...]  # the phrase's words, stemmed, stop words kept (empty for Chinese)
    terms: tuple[str, ...]  # what the phrase adds to a search: its index tokens

    def occurs_in(self, question: str, stems: tuple[str, ...], stem_set: frozenset[str]) -> bool:
        if not self.stems:
            return self.text in question
        n = len(self.stems)
        if n == 1:
            return self.stems[0] in stem_set
        want = set(self.stems)
        if not want <= stem_set:
            return False
        # Words of a phrase may come in another order or with a word between: "pay late", "late paying".
        return any(want <= set(stems[i : i + n + 1]) for i in range(max(len(stems) - n, 1)))


@dataclass(frozen=True)
class Matches:
    """What the lexicon makes of one question."""

    expansions: dict[str, float]  # index token -> its share of the phrase it comes from
    siblings: dict[str, tuple[tuple[str, ...], ...]]  # question token -> other phrases' tokens of its groups


@dataclass(frozen=True)
class Lexicon:
    groups: tuple[tuple[Phrase, ...], ...]

    @classmethod
    def parse(cls, text: str) -> Lexicon:
        groups = []
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            phrases = [p.strip() for p in line.split("|") if p.strip()]
            groups.append(tuple(_phrase(p) for p in phrases))
        return cls(tuple(groups))

    def match(self, text: str, own: Sequence[str] | None = None) -> Matches:
        """The groups the text's phrases belong to; `own` (default: all its tokens) are the tokens it asks
        about itself, which are never expansions."""
        return _match(self.groups, text, frozenset(tokens(text) if own is None else own))

    def expansions(self, text: str) -> dict[str, float]:
        """Index tokens of the phrases sharing a group with a phrase of the text, with their share.

        A phrase of several words shares its weight among them: "user name" must not search for "user"
        as strongly as "login" searches for "account".
        """
        return dict(self.match(text).expansions)


def _phrase(text: str) -> Phrase:
    if has_cjk(text):
        # Chinese phrases add their bigrams: single characters are too common to be evidence.
        terms = tuple(t for t in tokens(text) if len(t) > 1) or tuple(tokens(text))
        return Phrase(text, (), terms)
    return Phrase(text.lower(), tuple(tokens(text, keep_stopwords=True)), tuple(tokens(text)))


def _match(groups: tuple[tuple[Phrase, ...], ...], question: str, own: frozenset[str]) -> Matches:
    stems = tuple(tokens(question, keep_stopwords=True))
    stem_set = frozenset(stems)
    expansions: dict[str, float] = {}
    siblings: dict[str, list[tuple[str, ...]]] = {}
    for group in groups:
        found = [p for p in group if p.occurs_in(question, stems, stem_set)]
        if not found:
            continue
        others = [p.terms for p in group if p not in found and p.terms]
        for p in found:
            for t in p.terms:
                siblings.setdefault(t, []).extend(others)
        for terms in others:
            for t in terms:
                if t not in own:
                    expansions[t] = max(expansions.get(t, 0.0), 1.0 / len(terms))
    return Matches(expansions, {t: tuple(v) for t, v in siblings.items()})


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon, read on first use (never at import)."""
    return Lexicon.parse(LEXICON_FILE.read_text(encoding="utf-8"))


def weighted_terms(topic: Sequence[str], matches: Matches) -> dict[str, float]:
    """A question's own tokens at weight 1, its expansions at EXPANSION_WEIGHT."""
    out = dict.fromkeys(topic, 1.0)
    for t, share in matches.expansions.items():
        out.setdefault(t, EXPANSION_WEIGHT * share)
    return out


SIBLING_CREDIT = 0.5  # a clause saying "account" half answers a question saying "login"


def coverage(q: Question, words: Container[str], weights: dict[str, float]) -> float:
    """The weighted share of the question's words that `words` holds, itself or as a lexicon sibling."""
    siblings = q.matches.siblings
    total = got = 0.0
    for t in q.topic:
        w = weights.get(t, 1.0)
        total += w
        if t in words:
            got += w
        elif any(all(x in words for x in terms) for terms in siblings.get(t, ())):
            got += SIBLING_CREDIT * w
    return got / total if total else 0.0


def said_otherwise(q: Question, term: str, words: Container[str], texts: Sequence[str] = ()) -> bool:
    """Whether a document says another phrase of a group the question's `term` belongs to.

    One-word phrases are looked up in the document's words; a phrase of several English words must
    occur as a phrase in one of `texts` when they are given: "governing law" is not said by a policy
    that mentions "government" in one place and "law" in another.
    """
    for terms in q.matches.siblings.get(term, ()):
        if not all(x in words for x in terms):
            continue
        if len(terms) == 1 or not texts or has_cjk(terms[0]):
            return True
        if any(_phrase_re(terms).search(t) for t in texts):
            return True
    return False


@lru_cache(maxsize=1024)
def _phrase_re(terms: tuple[str, ...]) -> re.Pattern[str]:
    # Stems start the words they come from ("govern" -> "governing"); one word may stand between.
    return re.compile(r"(?i)\b" + r"\w*\W+(?:\w+\W+)?".join(re.escape(t) for t in terms) + r"\w*")
