"""The language of a text, decided in one place for documents, clauses and questions.

Chinese is told by its script (a share of CJK ideographs), because the product treats it apart:
character bigrams for search, Chinese wording for answers. Every other language is named by
py3langid's model (BSD, shipped inside the wheel, loaded on first use).
"""

from __future__ import annotations

from functools import lru_cache

from ingest.text import cjk_ratio

ZH_SHARE = 0.3  # a text this CJK or more reads as Chinese (names and numbers in Latin letters are common)
DOC_ZH_SHARE = 0.85  # a whole document: above this it is Chinese, between 1 - this and this "mixed"
MIN_LETTERS = 20  # fewer letters than this and the language cannot be told: "und"
SAMPLE_CHARS = 4000  # enough text for a stable guess; longer texts cost more and change nothing

UNDETERMINED = "und"
MIXED = "mixed"


def detect_lang(text: str) -> str:
    """ISO 639-1 code of the text's language: "zh", "en", "de", "ru"…, or "und" when it has too few letters."""
    return _detect(text[:SAMPLE_CHARS])


@lru_cache(maxsize=4096)
def _detect(sample: str) -> str:
    if cjk_ratio(sample) >= ZH_SHARE:
        return "zh"
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return UNDETERMINED
    return _classify(sample)


def is_chinese(text: str) -> bool:
    """Whether a question or passage reads as Chinese: its answer is worded in Chinese."""
    return cjk_ratio(text[:SAMPLE_CHARS]) >= ZH_SHARE


def document_lang(text: str) -> str:
    """A whole document's language: "mixed" for one written in Chinese and English side by side."""
    ratio = cjk_ratio(text)
    if ratio > DOC_ZH_SHARE:
        return "zh"
    if ratio >= 1 - DOC_ZH_SHARE:
        return MIXED
    return detect_lang(text)


def segment_lang(text: str) -> str:
    """The language of one version of a document; clauses that are mostly CJK inside it are "zh"."""
    lang = detect_lang(text)
    return "en" if lang == UNDETERMINED else lang


def clause_lang(text: str, segment: str) -> str:
    return "zh" if cjk_ratio(text) >= ZH_SHARE else ("en" if segment == "zh" else segment)


def _classify(text: str) -> str:
    import py3langid  # imported on first use: the model takes a second to load

    lang, _score = py3langid.classify(text)
    return str(lang)
