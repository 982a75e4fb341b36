"""References to a clause as a question writes them: "section 7.4", "point 4 under Fees", "第三条",
"the force majeure section". Parsed once from the text; qa/lookup.py resolves them against the documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text import CJK

CN_NUMERALS = "一二三四五六七八九十百零〇两"
_DOTTED = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3})+)(?![\d])")
# "D.3", "section D", "Article B": lettered sections (GitHub's terms run from A to Q)
_LETTERED_LABEL = r"[A-Z](?:\.\d{1,3})+"
_LETTERED = re.compile(rf"(?<![\w.])({_LETTERED_LABEL})(?![\w])")
# "9.C", "3.I": a section's lettered part, as Steam's agreement numbers and cites them ("Sections 2.C., 3.A.")
_PART_LETTER = re.compile(r"(?<![\w.])(\d{1,3}\.[A-Z])(?![\w])")
# "12(b)", "4.1(b)(ii)": a number with its items in brackets, as contracts cite them (ids "12.b", "4.1.b.ii")
_ITEMISED = re.compile(
    rf"(?<![\w.])(\d{{1,3}}(?:\.\d{{1,3}})*|{_LETTERED_LABEL})((?:\s?\((?:[a-z]|[ivx]{{1,4}}|\d{{1,2}})\))+)(?![\w(])"
)
_LETTER = re.compile(r"(?i:\b(?:section|article|part|schedule|exhibit|appendix|annex)\s+)([A-Z])(?![\w.])")
# The words that name a clause by its number, in English and in the five European languages questions
# come in most (fr, es, de, it, pt): "article 5", "cláusula 7", "Abschnitt 15", "articolo 3", "seção 2". Not
# after a word character, rather than at a word boundary, so that "§ 14" after a space is one too.
_CLAUSE_WORDS = (
    "clause|section|article|item|paragraph|para|point|part|chapter|no\\.?|§"
    "|paragraphe|chapitre|art[íi]culo|cl[áa]usula|secci[óo]n|apartado|punto|p[áa]rrafo|cap[íi]tulo"
    "|abschnitt|artikel|absatz|ziffer|klausel|kapitel|articolo|clausola|sezione|paragrafo|capitolo"
    "|artigo|se[çc][ãa]o|par[áa]grafo|ponto"
)
_WORD_NUM = re.compile(rf"(?i)(?<!\w)(?:{_CLAUSE_WORDS})\s*(\(?\d{{1,3}}\)?|\(?[ivxlc]{{1,6}}\)?|\([a-z]\))(?![\w.])")
# "what does 4 of the 2Captcha terms say?": a bare number is a clause only right after the asking verb.
_SEE_NUMBER = re.compile(r"(?i)\b(?:what\s+(?:does|do|says?)|show(?:\s+me)?|quote|read)\s+(\d{1,3})\s+(?:of|in|from)\b")
CN_ARTICLE = re.compile(rf"第\s*([{CN_NUMERALS}\d]+)\s*([条章节款项部编])")
_CN_HEAD = re.compile(rf"(?<![{CJK}])([{CN_NUMERALS}]{{1,3}})[、.]")
_QUOTED = re.compile(r"[\"“”'‘’「」『』《》](.{2,80}?)[\"“”'‘’「」『』《》]")
_SECTION_OF = re.compile(
    r"(?i)\b(?:the\s+)?([a-z][\w ,&/-]{2,60}?)\s+(?:section|clause|part|provisions?|article|chapter|heading)\b"
)
_OF_HEADING = re.compile(
    r"(?i)\b(?:item|point|paragraph|clause)\s+(\d{1,3}|[ivx]{1,5})\s+(?:of|in|under)\s+(?:the\s+)?"
    r"['\"‘“]?([A-Za-z][\w ,&/-]{2,60}?)['\"’”]?(?=\s+(?:section|part|in|of|clause)\b|[?.,]|$)"
)
_TO_SEE = re.compile(
    r"(?i)\b(what does|what do|show|display|quote|read|text of|wording|say|says|states?|provide|look ?up|open)\b"
    r"|说了什么|内容|是什么|写了|规定|原文|第.{1,3}[条章节款]"
    # fr, es, de, it, pt: "que dit…", "qué dice…", "was steht in…", "cosa dice…", "o que diz…", "montre-moi…"
    r"|\b(?:que dit|que disent|que pr[ée]voit|montre|affiche|texte d|qu[ée] dice|qu[ée] establece|mu[ée]strame"
    r"|muestra|texto d|was steht|was sagt|was besagt|zeig|wortlaut|cosa dice|mostra|testo d|o que diz|mostre)"
)
# "I" after "item" or "part" is the pronoun when a word in lower case follows that does not go on with a
# reference ("…return an item I bought": read as item I, the answer was clause 1 whole); "Part I of the
# terms" and "section I says" are clauses.
_PRONOUN_AFTER = re.compile(r"\s+(?!(?:of|in|under|above|below|says?|states?)\b)[a-z]")


def _pronoun(q: str, m: re.Match[str]) -> bool:
    return m.group(1).lower() == "i" and _PRONOUN_AFTER.match(q, m.end()) is not None


_GENERIC_HEAD = {"section", "clause", "part", "last", "first", "the", "this", "that", "which"}


@dataclass(frozen=True)
class ClauseRef:
    """One way the question may point at a clause, in the order lookup tries them."""

    how: str  # "under_heading" | "label" | "cn_article" | "number" | "heading"
    shown: str  # the words recognised, for the answer text
    number: str = ""  # "3.1.2", "4", "iv", "三"
    unit: str = ""  # 条, 章 … of a Chinese article
    heading: str = ""
    needs_verb: bool = False  # a heading counts only in a question asking to see a clause


def _itemised(number: str, items: str) -> str:
    """ "4.1" and "(b)(ii)" -> "4.1.b.ii", the clause id a parser gives item (ii) of item (b) of 4.1."""
    return ".".join([number, *re.findall(r"\(([a-z0-9]+)\)", items)])


def clause_refs(text: str) -> tuple[ClauseRef, ...]:
    """Every reading of text as a clause reference, most specific first."""
    q = text.strip()
    out = [ClauseRef("under_heading", m.group(0), m.group(1), heading=m.group(2)) for m in _OF_HEADING.finditer(q)]
    out += [ClauseRef("label", m.group(0), _itemised(m.group(1), m.group(2))) for m in _ITEMISED.finditer(q)]
    out += [
        ClauseRef("label", m.group(1), m.group(1))
        for m in (*_DOTTED.finditer(q), *_LETTERED.finditer(q), *_PART_LETTER.finditer(q))
    ]
    # "第三十条" as the document writes it, then as a plain number ("三、")
    out += [ClauseRef("cn_article", m.group(0), m.group(1), m.group(2)) for m in CN_ARTICLE.finditer(q)]
    for pattern in (CN_ARTICLE, _WORD_NUM, _CN_HEAD):
        out += [ClauseRef("number", m.group(0), m.group(1)) for m in pattern.finditer(q) if not _pronoun(q, m)]
    out += [ClauseRef("number", m.group(1), m.group(1)) for m in _SEE_NUMBER.finditer(q)]
    out += [ClauseRef("label", m.group(0), m.group(1)) for m in _LETTER.finditer(q) if not _pronoun(q, m)]
    out += [ClauseRef("heading", m.group(1), heading=m.group(1), needs_verb=True) for m in _QUOTED.finditer(q)]
    for m in _SECTION_OF.finditer(q):
        ref = re.sub(r"(?i)^(?:what does|show me|show|the|me|display)\s+", "", m.group(1)).strip()
        if ref.lower() not in _GENERIC_HEAD:
            out.append(ClauseRef("heading", ref, heading=ref, needs_verb=True))
    return tuple(out)


def asks_to_see(text: str) -> bool:
    """ "What does … say", "show me …", "…说了什么": the question asks for a clause's text."""
    return _TO_SEE.search(text) is not None
