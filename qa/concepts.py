"""Concepts a question asks about that the scoped documents never mention, in any wording."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ingest.text import tokens
from qa.corpus import Snapshot
from qa.lexicon import said_otherwise
from qa.question import Question

# Everyday words that say nothing about a document's topics; a question may use them freely.
COMMON = frozenset(
    [
        "give",
        "get",
        "got",
        "make",
        "made",
        "take",
        "open",
        "show",
        "tell",
        "say",
        "use",
        "used",
        "using",
        "long",
        "short",
        "much",
        "many",
        "more",
        "less",
        "lot",
        "someone",
        "something",
        "anyone",
        "anything",
        "everyone",
        "because",
        "happen",
        "happens",
        "happened",
        "lose",
        "lost",
        "pass",
        "keep",
        "kept",
        "find",
        "found",
        "need",
        "needs",
        "want",
        "wants",
        "know",
        "see",
        "look",
        "like",
        "able",
        "allowed",
        "allow",
        "let",
        "put",
        "set",
        "go",
        "going",
        "come",
        "way",
        "thing",
        "things",
        "time",
        "times",
        "good",
        "bad",
        "new",
        "old",
        "same",
        "different",
        "possible",
        "really",
        "actually",
        "still",
        "ever",
        "never",
        "always",
        "sometimes",
        "usually",
        "three",
        "two",
        "one",
        "first",
        "last",
        "next",
        "part",
        "whole",
        "full",
        "sure",
        "ok",
        "okay",
    ]
)


@lru_cache(maxsize=1)
def _common_tokens() -> frozenset[str]:
    return frozenset(t for w in COMMON for t in tokens(w, keep_stopwords=True))


def foreign_terms(snap: Snapshot, q: Question, scope: Sequence[str]) -> list[str]:
    """Legal concepts the question asks about that the scoped documents never mention, in any wording.

    A concept is a word of a lexicon group ("court", "lawsuit"); other words ("soon", "copies") say
    nothing about whether a document covers the question.
    """
    # Words can only be missing from documents written in the question's language (or both).
    if not any(q.speaks(snap.docs[d].meta.lang) for d in scope):
        return []
    concepts = set(q.matches.siblings)
    names = snap.name_tokens(snap.docs)
    common = _common_tokens()
    inside = snap.words_of(scope)
    texts = [snap.docs[d].text for d in scope]
    return [
        t
        for t in q.topic
        if t not in names
        and t not in common
        and t not in inside
        and t in concepts
        and len(t) > 2
        and not said_otherwise(q, t, inside, texts)  # "refuse cookies" where the policy says "reject"
    ]
