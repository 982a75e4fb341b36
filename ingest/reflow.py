"""Where a line only wraps: PDF text, and plain text wrapped at a fixed width, read as paragraphs.

A PDF's text layer, a licence, or a terms page saved as text breaks every line at about the same
column. The clause parser reads a line as a unit (a heading, an item, a paragraph) and a sentence
never crosses a line break, so such text would be cut into line-long fragments: a wrapped line that
happens to be short passes for a heading, and a quote stops mid-sentence.
"""

from __future__ import annotations

import re
from itertools import accumulate

from ingest.clauses import markers_at
from ingest.text import RULE, has_cjk

SENTENCE_END = re.compile(r"[.;:!?。；：！？)\]”\"']$")
MAX_COLUMN = 120  # a text with wider lines writes its paragraphs out: it is not wrapped at a column
MIN_COLUMN = 50  # narrower lines are a list of short ones (an address, a table's cells), not prose wrapped
MIN_LINES = 20  # too few lines to tell a column from a list of short ones
# A text is wrapped when at least this share of its line breaks inside runs of text falls where the next
# word would not have fitted on the line: 0.59-0.96 for every licence in Debian's common-licenses, 0.50
# and 0.71 for two contracts run through pdftotext (a proportional font wraps less evenly). No document
# of the development sets has a column (the width 90% of lines stay within) of 120 or less at all.
MIN_WRAPPED = 0.4
# A text wrapped at a column has next to no line of twice its width (a web address, a table's row); a
# page copied with its menus has paragraphs of many times the menus' width (Aetna's privacy statement:
# 8% of its lines), which joined up as if wrapped.
OVERLONG = 0.02
DOUBLE_SPACED = 0.9  # of the breaks between lines of words, at least this share are blank lines
_REFERS = re.compile(r"\b(?:sections?|clauses?|articles?|paragraphs?|subsections?|§)$", re.I)
_FRAME = re.compile(rf"^\s*(?:[|+#>]|{RULE.pattern}|[\u2500-\u257f])")  # table rows, rules, headings, quotes


def starts_unit(line: str) -> bool:
    """The line starts an item or a numbered clause. "section 13, concerning…" in lower case goes on
    with a sentence: it refers to the section."""
    referring = line.lstrip()[:1].islower()
    return any(m.family != "article" or not referring for m in markers_at(line))


def runs_on(prev: str, line: str, full: int) -> bool:
    """A line of body text goes on with the sentence of a short previous one: the last line of a page
    of the original, before its page number ("the party not in default" / "may, by giving…"). A
    short one ("between", "and" on a cover page) is a line of its own."""
    return line.lstrip()[:1].islower() and not SENTENCE_END.search(prev) and len(line) >= 0.6 * full


def ends_unit(prev: str, full: int) -> bool:
    """The previous line ends a paragraph or is a heading: it stops well short of the column's width."""
    if len(prev) >= 0.85 * full:
        return False
    return bool(SENTENCE_END.search(prev)) or len(prev) < 0.6 * full


def wraps(prev: str, line: str, full: int) -> bool:
    """Whether the break between prev and line only wraps a paragraph at a column `full` wide. A number
    after "section" is the section referred to ("…added under section" / "7. This requirement…")."""
    if starts_unit(line) and not _REFERS.search(prev):
        return False
    return not (ends_unit(prev, full) and not runs_on(prev, line, full))


def reflow(text: str) -> str:
    """A plain text wrapped at a column, with each break that only wraps a paragraph's line made a
    space (and a "\\r" before it too). One character for one keeps every offset the file's own, so a
    citation still points into the file. Text not wrapped at a column comes back as it is.

    A text double-spaced, every line a paragraph of its own (a PDF's lines pasted into a page, one
    "<p>" each, as Alpha Vantage's terms are published), is read the same way across its blank lines:
    its paragraphs were line-long fragments, a section's title and its first line of text passed for
    clauses, and quotes stopped mid-sentence."""
    lines = text.split("\n")
    at = list(range(len(lines)))  # where in `lines` the i-th line weighed stands
    soft = _soft_breaks(lines)
    if soft is None and (spaced := _double_spaced(lines)) is not None:
        at, kept = spaced
        soft = _soft_breaks(kept)
    if not soft:
        return text
    out = list(text)
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    for i in soft:  # everything from the end of the line's words to the next line's start
        a, b = at[i], at[i + 1]
        for k in range(starts[a] + len(lines[a].rstrip("\r")), starts[b]):
            out[k] = " "
    return "".join(out)


def _soft_breaks(lines: list[str]) -> set[int] | None:
    """The i whose break before line i + 1 only wraps a paragraph; None when the lines are not wrapped at a
    column."""
    widths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(widths) < MIN_LINES:
        return None
    column = widths[int(len(widths) * 0.9)]
    if not MIN_COLUMN <= column <= MAX_COLUMN:
        return None
    if sum(w > 2 * column for w in widths) > OVERLONG * len(widths):
        return None  # paragraphs written out among short lines (a page's menus), not wrapped at the column
    inside = [i for i in range(len(lines) - 1) if _may_join(lines[i], lines[i + 1])]
    running = [i for i in inside if not starts_unit(lines[i + 1])]
    unfitting = [i for i in running if len(lines[i].rstrip()) + 1 + len(lines[i + 1].split()[0]) > column]
    if not running or len(unfitting) < MIN_WRAPPED * len(running):
        return None
    # A line is measured against the width its indentation leaves, and a centred one (a title over its
    # version line, indented otherwise) stands alone however long it is; the lines of an indented
    # paragraph share their indentation.
    return {
        i
        for i in inside
        if not (
            (_centred(lines[i], column) or _centred(lines[i + 1], column))
            and _indent(lines[i]) != _indent(lines[i + 1])
        )
        and wraps(lines[i].strip(), lines[i + 1].strip(), column - _indent(lines[i]))
    }


def _double_spaced(lines: list[str]) -> tuple[list[int], list[str]] | None:
    """A text whose lines of words are parted by blank lines, nearly never by none, as (the index of each
    kept line in `lines`, the kept lines): its lines of words in order, with an empty line where more
    than one blank line, or none, parts two. None when it is not written so."""
    words = [i for i, line in enumerate(lines) if line.strip()]
    gaps = [b - a - 1 for a, b in zip(words, words[1:], strict=False)]
    if not gaps or gaps.count(0) > (1 - DOUBLE_SPACED) * len(gaps):
        return None
    at, kept = [], []
    for n, i in enumerate(words):
        if n and gaps[n - 1] != 1:
            at.append(-1)
            kept.append("")
        at.append(i)
        kept.append(lines[i])
    return at, kept


# A line inside a box drawn with asterisks: "*  Covered Software is provided "as is"…   *".
_BOXED = re.compile(r"^(\*)[^*\n]*(\*)\s*$")


def unboxed(text: str) -> str:
    """The text with the frame of each box drawn around its lines made spaces, one for one: the Mozilla
    Public License sets its warranty disclaimer in one, and each framed line read as an item of a list
    ("6.b9: *  Should any Covered Software prove defective in any respect, You  *"). A box is a run of
    at least three framed lines under or over a rule of asterisks."""
    lines = text.split("\n")
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    framed = [_BOXED.match(line.rstrip("\r")) for line in lines]
    out, i = list(text), 0
    while i < len(lines):
        j = i
        while j < len(lines) and framed[j]:
            j += 1
        ruled = any(0 <= k < len(lines) and lines[k].lstrip().startswith("***") for k in (i - 1, j))
        if j - i >= 3 and ruled:
            for k in range(i, j):
                m = framed[k]
                if m:
                    out[starts[k] + m.start(1)] = out[starts[k] + m.start(2)] = " "
        i = max(j, i + 1)
    return "".join(out)


def _may_join(line: str, nxt: str) -> bool:
    """Both lines hold words, neither is a table row, a rule or a quoted line, and no Chinese or
    Japanese runs across the break (a space there would split a word)."""
    if not line.strip() or not nxt.strip() or _FRAME.match(line) or _FRAME.match(nxt):
        return False
    return not (has_cjk(line.rstrip()[-1:]) or has_cjk(nxt.lstrip()[:1]))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _centred(line: str, column: int) -> bool:
    """Set in the middle of the column: well indented, with about as much room on its right. A line of
    an indented paragraph runs on to the column's end."""
    indent, right = _indent(line), column - len(line.rstrip())
    return min(indent, right) >= 8 and abs(indent - right) <= 4
