"""What a question is about, apart from the words that point at the documents themselves."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.text import tokens

_DOCS = r"(services?|documents?|polic(y|ies)|agreements?|terms|contracts?|companies|platforms?|ones?|providers?|docs?)"
_MULTI_DOC = re.compile(
    rf"(?i)\b(which|what)\s+(of\s+(the|these|those)\s+)?(\w+\s+){{0,2}}{_DOCS}\b|\bcompare\b|\bcomparison\b"
    r"|\beach\s+(agreement|policy|document|service|contract)\b|\bboth\b"
    r"|\ball\s+(the\s+)?(documents|agreements|policies|services|contracts)\b|\bdiffer|\bversus\b|\bvs\.?\b"
    r"|哪些|哪几|分别|比较|对比|各自"
)
# "Which documents say…", "do these policies mention…": words about the documents, not their topic.
_ABOUT_DOCUMENTS = re.compile(
    rf"{_MULTI_DOC.pattern}|\b(the|these|those|any|all)\s+(documents?|docs?|polic(y|ies)|agreements?|contracts?)\b"
    r"|\bdocuments?\b"
    r"|\b(say|says|mention|mentions|state|states|talk about)\b|文件|文档"
)


def wants_several_documents(question: str, named: Sequence[str]) -> bool:
    """Comparison / cross-document questions get the best clauses of every document."""
    return len(named) >= 2 or bool(_MULTI_DOC.search(question))


def topic(question: str) -> str:
    """The question without the words that point at the documents ("Which documents say …")."""
    return _ABOUT_DOCUMENTS.sub(" ", question)


def topic_tokens(question: str) -> list[str]:
    """Index tokens of what the question asks about."""
    return tokens(topic(question))
