"""Citable units: a clause's own text cut at paragraph, then sentence, boundaries into pieces that fit
one embedding window and can be quoted, ranked and shown on their own.

A privacy policy without numbering is otherwise one clause of 20,000 characters, which the product could
neither rank against anything nor cite precisely.
"""

from __future__ import annotations

import re

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.text import COLONS, is_cjk_text, strip_span

MAX_CHARS = {"en": 1500, "zh": 600}  # both stay well inside the model's 512-token window


def _splitter(lang: str) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=MAX_CHARS[lang],
        chunk_overlap=0,
        separators=["\n\n", "\n", "。", ". ", "；", "; ", ",", ", ", " ", ""],
        keep_separator="end",
    )


def window(text: str) -> int:
    """The most characters one unit of this text may hold."""
    return MAX_CHARS["zh" if is_cjk_text(text) else "en"]


def pieces_of(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """text[s:e] in window-sized pieces: paragraphs, each longer than one window split at sentence
    boundaries, and neighbours packed together while they fit one window."""
    lang = "zh" if is_cjk_text(text[s:e]) else "en"
    pieces: list[tuple[int, int]] = []
    for ps, pe in paragraphs(text, s, e):
        pieces += [(ps, pe)] if pe - ps <= MAX_CHARS[lang] else _split(text, ps, pe, lang)
    packed: list[list[tuple[int, int]]] = []
    for ps, pe in pieces:
        if packed and pe - packed[-1][0][0] <= MAX_CHARS[lang]:
            packed[-1].append((ps, pe))
        elif (
            packed
            and len(packed[-1]) > 1
            and _leads_in(text, packed[-1][-1])
            and pe - packed[-1][-1][0] <= MAX_CHARS[lang]
        ):
            # "…under the following circumstances:" goes with the items it introduces, not with the
            # paragraphs before it, where it would end a unit and be quoted without them.
            packed.append([packed[-1].pop(), (ps, pe)])
        else:
            packed.append([(ps, pe)])
    return [(group[0][0], group[-1][1]) for group in packed]


def _leads_in(text: str, span: tuple[int, int]) -> bool:
    return text[span[0] : span[1]].rstrip().endswith(COLONS)


MIN_PARAGRAPH = 80  # a shorter paragraph (a heading line, "除非:") joins the next one


def paragraphs(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Blank-line separated paragraphs of text[s:e]; short ones are joined to the one after."""
    spans: list[tuple[int, int]] = []
    pos = s
    for m in re.finditer(r"\n[ \t\u3000]*\n\s*", text[s:e]):
        spans.append(strip_span(text, pos, s + m.start()))
        pos = s + m.end()
    spans.append(strip_span(text, pos, e))
    spans = [sp for sp in spans if sp[1] > sp[0]]
    out: list[tuple[int, int]] = []
    carry: int | None = None
    for ps, pe in spans:
        start = carry if carry is not None else ps
        if pe - start < MIN_PARAGRAPH and (ps, pe) != spans[-1]:
            carry = start
            continue
        out.append((start, pe))
        carry = None
    return out


def _split(text: str, s: int, e: int, lang: str) -> list[tuple[int, int]]:
    # The splitter returns strings; find each one again to recover exact offsets.
    spans: list[tuple[int, int]] = []
    cursor = s
    for piece in _splitter(lang).split_text(text[s:e]):
        at = text.find(piece, cursor, e)
        if at < 0:
            raise AssertionError(f"splitter produced text not in the clause: {piece[:40]!r}")
        ps, pe = strip_span(text, at, at + len(piece))
        if pe > ps:
            spans.append((ps, pe))
        cursor = at + len(piece)
    return spans
