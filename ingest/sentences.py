"""Sentence spans with exact offsets, from sentencex (Wikimedia's rule-based segmenter: each
language's abbreviations, "e.g." and "Inc." do not end a sentence, "z.B." and "bzw." neither in German).

A sentence never crosses a line break: a heading, a list item or a table row is a line of its own.
A semicolon does not end one ("…; if we do, we will notify you" is quoted with what it qualifies): on
the tuning documents, splitting there too left the first shown unit on the answer as often for the
terms questions and in 22.3% of the policy questions against 22.8%.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import sentencex

from ingest.lang import SAMPLE_CHARS, UNDETERMINED, detect_lang
from ingest.text import ITEM_NUMBER, strip_span

_LINE = re.compile(r"[^\n]+")
# An item's number in brackets, "(ii)", "(b)", "(3)". Before a word in capitals ("…of these Terms, (ii)
# Content posted…", "(a) Public Chats: The Service…") sentencex starts a sentence there and then ends none
# at the full stops after it on the line: 500px's limitation of liability was quoted from "(ii)" to a
# comma. It reads the line with these numbers blanked out, one space for each character.
_ITEM_NUMBER = re.compile(ITEM_NUMBER)
_ITEM_NUMBER_BEFORE = re.compile(rf"{ITEM_NUMBER}\s*$")
_ITEM_NUMBER_AFTER = re.compile(rf"\s*{ITEM_NUMBER}$")
_ITEM_CHARS = 16  # an item's number and the spaces after it
# A full stop inside a name in capitals ("ACADEMIA.EDU"): sentencex ended a sentence there ("NEITHER
# ACADEMIA." / "EDU NOR ANY OTHER PERSON…"). It reads it as a middle dot. Not between a word in lower case
# and a capital: "…close your account.Your continued use…" (Viber's terms) is two sentences, a space left out.
_NAME_DOT = re.compile(r"(?<=[A-Z])\.(?=[A-Z]{2,})")


def sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Spans of sentences in text[start:end], whitespace trimmed, in order."""
    end = len(text) if end is None else end
    lang = detect_lang(text[start : min(end, start + SAMPLE_CHARS)])  # a sample tells the language
    lang = "en" if lang == UNDETERMINED else lang
    for line in _LINE.finditer(text, start, end):
        base, words = line.start(), line.group()
        blanked = _NAME_DOT.sub("\u00b7", _ITEM_NUMBER.sub(lambda m: " " * len(m.group()), words))
        for b in sentencex.get_sentence_boundaries(lang, blanked):
            s, e = strip_span(text, base + b["start_index"], base + b["end_index"])
            # The sentence an item's number opens starts with it, and the one before ends before it.
            if (number := _ITEM_NUMBER_BEFORE.search(text, max(base, s - _ITEM_CHARS), s)) is not None:
                s = number.start()
            after = _ITEM_NUMBER_AFTER.search(text, max(s, e - _ITEM_CHARS), e)
            if after is not None and after.start() > s and text[e : line.end()].strip():
                e = after.start()
            if e > s:
                yield s, e
