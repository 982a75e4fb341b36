"""PDF -> text with page offsets (pypdfium2).

A PDF's text layer is lines as laid out on the page. The clause parser needs the document's numbering
at line starts and sentences in one piece, so: lines repeated at the top or bottom of most pages
(running headers, footers, page numbers) go; a line that merely wraps joins the next one; a line-end
hyphen goes only when the joined word occurs elsewhere in the document ("third-\\nparty" stays).
"""

from __future__ import annotations

import re
from collections import Counter

import pypdfium2 as pdfium

from ingest.clauses import markers_at
from ingest.errors import LoadError
from ingest.reflow import SENTENCE_END, wraps
from ingest.text import PAGE_NUMBER
from ingest.types import Extracted

_SOFT = "\ufffe"
EDGE_LINES = 3  # lines at the top and bottom of a page that may be a running header or footer


def pdf_text(raw: bytes, source: str) -> Extracted:
    pages = _page_lines(raw, source)
    if not any(line.strip() for lines in pages for line in lines):
        raise LoadError(f"{source}: no text layer (scanned?); run OCR on it first, or paste its text into a .txt")
    pages = _drop_running_lines(pages)
    return _join(pages)


def _page_lines(raw: bytes, source: str) -> list[list[str]]:
    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise LoadError(f"{source}: the PDF is password-protected; save an unprotected copy") from None
        raise LoadError(f"{source}: not a readable PDF ({e}); is the file complete?") from None
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            text = page.get_textpage().get_text_range()
            out.append([" ".join(line.split()) for line in re.split(r"\r\n|\r|\n", text)])
        return out
    except pdfium.PdfiumError as e:
        raise LoadError(f"{source}: a page could not be read ({e}); is the file complete?") from None
    finally:
        pdf.close()


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Without the lines that repeat at the same edge of most pages, and bare page numbers there."""
    pages = [[line for line in lines if line.strip()] for lines in pages]
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_key(line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]})
    needed = max(2, (len(pages) + 1) // 2)
    running = {k for k, n in counts.items() if n >= needed} if len(pages) >= 2 else set()

    def keep(line: str, at_edge: bool, before: str, after: str) -> bool:
        if not at_edge:
            # "Page 6" anywhere on the page: the original's page break, kept in the text of a filing that
            # was re-paginated (SEC exhibits); with the word "Page" it is never a clause's words. A bare
            # "2" there is one too when a sentence runs on around it ("the party not in default" / "2" /
            # "may, by giving written notice…"), not a list's or a table's number.
            bare = line.strip()
            if not PAGE_NUMBER.match(bare):
                return True
            runs_on = after[:1].islower() and not SENTENCE_END.search(before)
            return not (bare[:4].lower() == "page" or runs_on)
        if PAGE_NUMBER.match(line.strip()):
            return False
        # "ARTICLE 2 Fees" at the top of a page repeats as "ARTICLE #" but is the document's numbering.
        return _key(line) not in running or bool(markers_at(line))

    out = []
    for lines in pages:
        n = len(lines)
        out.append(
            [
                ln
                for i, ln in enumerate(lines)
                if not _page_turn(lines, i)
                and keep(
                    ln,
                    i < EDGE_LINES or i >= n - EDGE_LINES,
                    lines[i - 1] if i else "",
                    lines[i + 1] if i + 1 < n else "",
                )
            ]
        )
    return out


def _page_turn(lines: list[str], i: int) -> bool:
    """Line i is one of two bare numbers in a row, the second one more than the first ("2" / "3"): the
    foot of one page of a paper original and the top of the next, kept inside the pages of a filing that
    was re-typeset (SEC exhibits). Left in, "…and Care" / "2" / "3" / "Management Revenues…" broke a clause
    in two. A run of three or more is a column of a table."""

    def number(j: int) -> int | None:
        line = lines[j].strip() if 0 <= j < len(lines) else ""
        return int(line) if line.isdecimal() and len(line) <= 4 else None  # not "²", which int() refuses

    for a in (i - 1, i):
        first, second = number(a), number(a + 1)
        if first is not None and second == first + 1 and number(a - 1) is None and number(a + 2) is None:
            return True
    return False


def _join(pages: list[list[str]]) -> Extracted:
    """One text: wrapped lines joined, numbered lines and short (heading or last) lines kept as lines."""
    widths = sorted(len(line) for lines in pages for line in lines)
    full = widths[int(len(widths) * 0.8)] if widths else 80  # a line that fills the column
    words = Counter(
        w.lower() for lines in pages for line in lines for w in re.findall(r"[A-Za-z]+", line.replace(_SOFT, " "))
    )

    def dehyphenate(m: re.Match[str]) -> str:
        joined = m.group(1) + m.group(2)
        return joined if words[joined.lower()] else f"{m.group(1)}-{m.group(2)}"

    text = ""
    starts: list[int] = []
    prev = ""
    for lines in pages:
        page_start: int | None = None
        for line in lines:
            # pdfium joins a word hyphenated at a line end itself, marking the break with U+FFFE.
            line = re.sub(rf"([A-Za-z]+){_SOFT}\s*([A-Za-z]+)", dehyphenate, line).replace(_SOFT, "-")
            if not text:
                pass
            elif not wraps(prev, line, full):
                text += "\n\n"
            elif prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha():
                head, tail = re.search(r"([A-Za-z]+)-$", prev), re.match(r"[A-Za-z]+", line)
                if head and tail and words[(head.group(1) + tail.group(0)).lower()]:
                    text = text[:-1]  # "infor-\nmation": the word occurs whole elsewhere
            else:
                text += " "
            if page_start is None:
                page_start = len(text)
            text += line
            prev = line
        starts.append(len(text) if page_start is None else page_start)
    return Extracted(text + "\n", tuple(starts))
