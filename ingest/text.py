"""Small text helpers shared by loading, parsing and retrieval: scripts, tokens, sentences."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer
from breame.spelling import get_american_spelling

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")
_LATIN_RE = re.compile(r"[A-Za-z]")
# Scripts written without spaces between words: searched by characters and character pairs.
_RUNS = CJK + "\u3040-\u30ff\uac00-\ud7af"  # + Japanese kana, Korean syllables
_RUN_RE = re.compile(f"[{_RUNS}]")
# Words of any other script: Unicode letters (and combining marks) that are not digits or run scripts.
# Letters and digits split apart: "Phone400-0672-889" (a label run into its value) still says "phone".
_LETTERS = rf"[^\W\d_{_RUNS}]+"
_WORD_RE = re.compile(rf"[{_RUNS}]+|{_LETTERS}(?:['’]{_LETTERS})?|[0-9]+")
# Snowball stemmers by script: the same word stems the same way in a question and a document.
# Latin-script words use the English one (the product's main language; it leaves other words
# mostly as they are, which still matches like with like).
_STEMMER_LANGUAGES = {"latin": "english", "cyrillic": "russian", "greek": "greek"}
# A stemmer keeps the word it works on in itself: one set per thread, as questions are read in several
# threads at once (a shared one raised IndexError, or stemmed one word as another).
_stemmers = threading.local()
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_GREEK_RE = re.compile("[\u0370-\u03ff]")

BULLET = "•"  # the marker the extractors give a bulleted list item (Markdown, web page, Word)
# An item's number in brackets, "(b)", "(ii)", "(3)": a line or sentence it opens is an item of a list.
ITEM_NUMBER = r"\((?:[a-zA-Z]|[ivxIVX]{1,5}|\d{1,3})\)"
# A title a page writes longer than this is prose: one that happens to start with a number (HTML), or a
# paragraph whose opening words are in bold (Markdown).
TITLE_CHARS = 100

# Words that name a kind of legal document, in the languages the product reads.
KIND_WORD = re.compile(
    r"(?i)\b(terms|conditions|polic(y|ies)|agreement|notice|statement|contract|licen[cs]e|eula|nda|rules|"
    r"guidelines|disclaimer|\w*bedingungen|agb|datenschutz\w*|vertrag|t[ée]rminos|condiciones|"
    r"privacidad|pol[ií]tica|termini|condizioni|confidentialit[ée]|соглашение|политика|условия)\b"
)
# A page's number as a line of its own: "3", "- 3 -", "Page 3 of 12", "3/12", and front-matter "iv"
# (lower case, as such page numbers are set).
PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:(?i:page)\s*)?(?:\d+|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d+)?[-–—\s]*$")
RULE = re.compile(r"[-=_*~]{3,}")  # a line of marks ruling off or underlining a title ("-------")
UP_ARROWS = "↑⇑⇧⬆↥⤒▲△⏶⏫🔝"  # what a page's link back to its top may show instead of words
# What a page's link back to its top says: "Back to top", "Return to top of page", "Top", "↑", or the
# arrow beside the words ("↑ Back to top", Strava's).
TOP_LINK = rf"(?:[{UP_ARROWS}]\s*)?(?:(?:back|return|go) to )?(?:the )?top(?: of (?:the )?page)?(?:\s*[{UP_ARROWS}])?|[{UP_ARROWS}]"
COLONS = (":", "：")  # words ending so introduce what follows ("in these cases:", "以下情形：")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "by",
        "with",
        "at",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "me",
        "my",
        "we",
        "our",
        "us",
        "you",
        "your",
        "he",
        "she",
        "they",
        "them",
        "their",
        "his",
        "her",
        "do",
        "does",
        "did",
        "can",
        "could",
        "may",
        "might",
        "shall",
        "should",
        "will",
        "would",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "if",
        "then",
        "than",
        "so",
        "not",
        "no",
        "any",
        "all",
        "some",
        "such",
        "there",
        "here",
        "about",
        "into",
        "over",
        "under",
        "up",
        "out",
        "only",
        "also",
        "just",
        "more",
        "most",
        "other",
        "own",
        "same",
        "very",
        "s",
        "t",
        "have",
        "has",
        "had",
        "having",
        "am",
        "let",
        "get",
        "got",
        "say",
        "says",
        "said",
        "tell",
        "me",
        "please",
        "whether",
        "isn't",
        "aren't",
        "doesn't",
        "don't",
        "didn't",
        "can't",
        "cannot",
        "won't",
        "wouldn't",
        "shouldn't",
        "couldn't",
        "wasn't",
        "weren't",
        "hasn't",
        "haven't",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "you're",
        "they're",
        "we're",
    ]
)


def cjk_ratio(text: str) -> float:
    """Share of CJK characters among CJK + Latin letters (0 when there are none)."""
    cjk = len(_CJK_RE.findall(text))
    latin = len(_LATIN_RE.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def is_cjk_text(text: str) -> bool:
    return cjk_ratio(text) >= 0.3


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def tokens(text: str, keep_stopwords: bool = False) -> list[str]:
    """Lower-cased, stemmed words of any script; character unigrams + bigrams for CJK (no segmenter needed)."""
    if not text.isascii():
        # One form per letter: "é" typed as e + accent, full-width "ＡＢ", the ligature "ﬁ".
        text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    for w in _WORD_RE.findall(text):
        got = _tokens_of_word(w, keep_stopwords)
        if got:
            out.extend(got)
    return out


def token_spans(text: str, keep_stopwords: bool = False) -> tuple[list[int], list[int], list[str]]:
    """The tokens of already normalised text, with the offsets of the word each came from:
    (starts, ends, tokens), three lists in step."""
    starts: list[int] = []
    ends: list[int] = []
    out: list[str] = []
    for m in _WORD_RE.finditer(text):
        w = m.group()
        got = _tokens_of_word(w, keep_stopwords)
        if got:
            n = len(got)
            starts.extend([m.start()] * n)
            ends.extend([m.end()] * n)
            out.extend(got)
    return starts, ends, out


def _word_tokens(w: str, keep_stopwords: bool) -> tuple[str, ...]:
    """The tokens of one word (a run of CJK is one "word")."""
    if _RUN_RE.match(w):
        return (*w, *(w[i : i + 2] for i in range(len(w) - 1)))
    w = w.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w.isascii():
        # One spelling for British and American words: the stemmer keeps "personalised" and "personalized"
        # apart, so a question in one spelling missed a document written in the other. (Its list is of
        # English words only: a word of another script is not looked up.)
        w = get_american_spelling(w)
    return (stem(w),) if keep_stopwords or w not in STOPWORDS else ()


# English words are memoised: a text's words are mostly words seen before. Runs of CJK, as long as a
# sentence, are not.
_ascii_word_tokens = lru_cache(maxsize=131072)(_word_tokens)


def _tokens_of_word(w: str, keep_stopwords: bool) -> tuple[str, ...]:
    return _ascii_word_tokens(w, keep_stopwords) if w.isascii() else _word_tokens(w, keep_stopwords)


@lru_cache(maxsize=65536)
def stem(w: str) -> str:
    """Snowball stemming: "security"/"secure", "refunds"/"refund", "уведомления"/"уведомление" meet."""
    if not w.isalpha():
        return w
    script = "cyrillic" if _CYRILLIC_RE.match(w) else "greek" if _GREEK_RE.match(w) else "latin"
    mine = getattr(_stemmers, "by_script", None)
    if mine is None:
        mine = _stemmers.by_script = {k: snowballstemmer.stemmer(v) for k, v in _STEMMER_LANGUAGES.items()}
    return mine[script].stemWord(w)


def _trimmed(text: str, s: int, e: int) -> Iterator[tuple[int, int]]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        yield s, e


def strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    """The span without leading/trailing whitespace (may be empty)."""
    for span in _trimmed(text, s, e):
        return span
    return s, s


MONTH_ABBR = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_MONTH = rf"({MONTH_ABBR})[a-z]*\.?"
DATED = re.compile(
    rf"(?i)\b(last\s+(updated|modified|revised)|effective\s+(date|as\s+of|from|on)|updated\s+(on|as\s+of))\b"
    rf"|\b{_MONTH}\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}\b|\b\d{{1,2}}(st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}\b"
)
_STAMP_WORDS = frozenset(["on", "of", "as", "at", "date", "the", "revision", "version", "last", "updated", "effective"])


def is_date_stamp(line: str) -> bool:
    """A short line that only dates the document: "Last Updated: 1 January 2017", "Effective as of May 1,
    2024" (not "We may change the price on 1 January 2017")."""
    if len(line) > 80 or "\n" in line or DATED.search(line) is None:
        return False
    return set(re.sub(r"[\W\d_]+", " ", DATED.sub(" ", line)).lower().split()) <= _STAMP_WORDS
