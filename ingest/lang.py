"""The language of a text, decided in one place for documents, clauses and questions.

Chinese is told by its script (a share of CJK ideographs), because the product treats it apart:
character bigrams for search, Chinese wording for answers. Every other language is named by
py3langid's model (BSD, shipped inside the wheel, loaded on first use).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.text import cjk_ratio

ZH_SHARE = 0.3  # a text this CJK or more reads as Chinese (names and numbers in Latin letters are common)
DOC_ZH_SHARE = 0.85  # a whole document: above this it is Chinese, between 1 - this and this "mixed"
MIN_LETTERS = 20  # fewer letters than this and the language cannot be told: "und"
SAMPLE_CHARS = 4000  # enough text for a stable guess; longer texts cost more and change nothing

UNDETERMINED = "und"
MIXED = "mixed"

# A question too short for the full model ("¿me pueden echar?", 13 letters) is placed only among the
# languages questions come in most (those the answers are worded in), when the model finds one language
# likelier than all the others together, and only when there are words to go on: a lone name or acronym
# ("COPPA?") reads as Italian to it. On 2,040 English questions (policyqa-dev, bench/claudette) and 45
# short ones written for this check, none was misread (a name with one word, "Kestrel cookies?", reads as
# French or Italian at up to 0.39); of the short questions in five other languages written beside them,
# 29 of 32 were placed at 0.5 (20 at 0.8, none before), and 3 more of the 160 bench/claudette questions
# in those languages.
SHORT_LANGS = ("en", "es", "fr", "de", "it", "pt")
SHORT_SURE = 0.5
LATIN_END = 0x024F  # the last letter of Latin Extended-B: a short question in another script is not placed


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


# Hiragana and katakana: Japanese writes them between its Chinese characters, Chinese never does.
_KANA = re.compile("[\u3040-\u30ff]")


def question_lang(text: str) -> str:
    """A question's language: as detect_lang, but a short one in Latin letters is placed too (see
    SHORT_LANGS), "und" when it cannot be. Kana make it Japanese, whatever its share of Chinese characters."""
    if _KANA.search(text[:SAMPLE_CHARS]):
        return "ja"
    lang = detect_lang(text)
    if lang != UNDETERMINED or len(text.split()) < 2:
        return lang
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or any(ord(ch) > LATIN_END for ch in letters):
        return lang
    return _classify_short(text)


def is_chinese(text: str) -> bool:
    """Whether a question or passage reads as Chinese: its answer is worded in Chinese. Japanese, with
    its Chinese characters, is not: "返金はありますか?" was answered in Chinese."""
    sample = text[:SAMPLE_CHARS]
    return cjk_ratio(sample) >= ZH_SHARE and not _KANA.search(sample)


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
    lang, _score = _identifier().classify(text)
    return str(lang)


@lru_cache(maxsize=1)
def _identifier():  # noqa: ANN202 - py3langid's class, imported on first use
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # the model takes half a second to load

    return LanguageIdentifier.from_model_file(MODEL_FILE)


@lru_cache(maxsize=1)
def _short_identifier():  # noqa: ANN202
    """The same model over SHORT_LANGS only, with probabilities: built from the loaded one's tables, not
    loaded again."""
    from py3langid.langid import LanguageIdentifier

    full = _identifier()
    short = LanguageIdentifier(
        full.nb_ptc, full.nb_pc, full.nb_classes, full.tk_nextmove, full.tk_output, norm_probs=True, tk_row=full.tk_row
    )
    short.set_languages(list(SHORT_LANGS))
    return short


@lru_cache(maxsize=4096)
def _classify_short(text: str) -> str:
    lang, p = _short_identifier().classify(text)
    return str(lang) if p >= SHORT_SURE else UNDETERMINED
