"""Numbering/heading parser: document text -> clause tree with character offsets.

The parser walks the text line by line and keeps a stack of open clauses, the way a Markdown header
splitter keeps its header stack. A line's level comes from its numbering style and the styles already
open: a style that is open continues its sequence (a sibling), a new style starting at 1/a/i/一 opens
a child level, a dotted number ("3.1.2") hangs under the clause whose number is its prefix. Numbers
only count at the start of a line and only when they fit a sequence, so cross-references ("see 3.2
above"), dates ("2024.1.1") and numbers inside sentences never become clauses.

Every clause's own text (its start up to its first child) is a contiguous slice, and the own texts of
all clauses in document order rebuild the document exactly.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass, field, replace

from ingest.lang import clause_lang, segment_lang
from ingest.text import CJK, COLONS, PAGE_NUMBER, TOP_LINK, UP_ARROWS, is_cjk_text, is_date_stamp, strip_span
from ingest.types import Clause
from ingest.units import pieces_of, window

# Bump when parsing or chunking changes ids, spans or chunk texts, or a document's title or names: stored
# documents of older versions are re-made.
PARSER_VERSION = 112
# Deeper numbering than this is read as text of the deepest clause: real documents stop near 6,
# and a tree of hostile depth must not exhaust the recursion that walks it.
MAX_DEPTH = 64

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_CN_NUM = "一二三四五六七八九十百零〇两"
_TERMINAL = (".", "。", ";", "；", "!", "?", "！", "？", "”", '"')
_OPENERS = COLONS
_LEADER = r"(?:\s*[.·…_-]){3,}\s*"  # the dots that lead a contents entry's title to its page
_BARE_NUMBER = re.compile(r"(\d{1,3})\s+(?=[A-Z])")  # "13 Contact Us": a heading's number without a stop
_TOC_LEADER = re.compile(rf"{_LEADER}\d*\s*$|\s+\d{{1,3}}\s*$")  # "Definitions.......3", "Fees 4"
_DOT_LEADER = re.compile(rf"{_LEADER}\d+\s*$")  # "Definitions.......3" only: never a title
_LONE_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.")
_LOWER_START = re.compile(r"[a-z]+\b")  # a word in lower case ("means"), not a name ("eBay")


def cn_to_int(s: str) -> int:
    """Chinese numerals up to the hundreds: 三 -> 3, 十二 -> 12, 二十 -> 20."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch == "百":
            total += (cur or 1) * 100
            cur = 0
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        else:
            cur = _CN_DIGITS.get(ch, 0)
    return total + cur


_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
# Spelled-out numbers up to 39 ("ARTICLE ELEVEN"), longest first so "SEVENTEEN" is not read as "SEVEN".
_WORD_VALUES = {w: i + 1 for i, w in enumerate(_ONES)} | {w: i + 10 for i, w in enumerate(_TEENS)}
_WORD_VALUES |= {
    f"{t}{sep}{o}": v + i + 1
    for t, v in (("twenty", 20), ("thirty", 30))
    for sep in ("-", " ", "")
    for i, o in enumerate(_ONES)
}
_WORD_VALUES |= {"twenty": 20, "thirty": 30}
_NUMBER_WORDS = "|".join(sorted(_WORD_VALUES, key=len, reverse=True))


def roman_to_int(s: str) -> int:
    vals = [_ROMAN[c] for c in s.lower()]
    return sum(-v if i + 1 < len(vals) and v < vals[i + 1] else v for i, v in enumerate(vals))


@dataclass(frozen=True)
class Marker:
    style: str  # exact numbering style: "arabic-dot", "cjk-dun", "dotted-3", "roman-paren", ...
    family: str  # styles of one family may stand in for each other in a sequence ("1、" then "2,")
    value: int  # ordinal value; for dotted numbers the last component
    label: str  # normalised label as shown to people
    rest: int  # offset (in the line) where the clause's words begin
    parts: tuple[int, ...] = ()  # dotted numbers: all components
    level: int = 0  # markdown heading level


_MARKER_PATTERNS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"(#{1,6})\s+(?=\S)"), "md", "md"),
    (re.compile(rf"第\s*([{_CN_NUM}\d]+)\s*([章节条款部编])\s*[、.．:：]?\s*"), "cjk-article", "cjk"),
    (
        re.compile(
            r"(?i:(article|section|clause|part|chapter|artikel|abschnitt|artículo|cláusula|articolo|artigo"
            r"|статья|раздел|глава))\s+(\d+(?:\.\d+)*|[IVXLC]+)\b[.:]?\s*"
        ),
        "article",
        "article",
    ),
    (re.compile(r"(§)\s*(\d+(?:\.\d+)*)\b[.:]?\s*"), "article", "article"),
    # "ARTICLE ELEVEN", also run into its title as PDF text often is ("ARTICLE ELEVENAPPLICABLE LAW").
    (
        re.compile(
            rf"(?i:(article|section|clause|part|chapter))\s+(?i:({_NUMBER_WORDS}))(?:\b|(?=[A-Z]{{2}}))[.:]?\s*"
        ),
        "article-word",
        "article",
    ),
    (re.compile(rf"[（(]([{_CN_NUM}]+)[)）]\s*"), "cjk-paren", "cjk"),
    (re.compile(rf"([{_CN_NUM}]+)\s*[、．.]\s*"), "cjk-dun", "cjk"),
    # "13.8.30-Day Right to Opt-Out" (a bold "13.8" before an italic ".30-Day…", run together once the
    # marks are read): section 13.8, whose title starts with a quantity. Read first, as the reading that
    # fits after 13.7; the sequence decides between the two.
    (re.compile(r"(\d{1,3}(?:\.\d{1,3})+)\.(?=\d{1,3}-[^\W\d_]{2,})"), "dotted", "dotted"),
    (re.compile(r"(\d{1,3}(?:\.\d{1,3})+)\.?(?=[\s\u3000]|[^\d.\s])\s*"), "dotted", "dotted"),
    (re.compile(r"(\d{1,3})\s*、\s*"), "arabic-dun", "arabic"),
    (re.compile(r"(\d{1,3})\.(?=\s)\s*"), "arabic-dot", "arabic"),
    # "1, " then words; "1, 1998" is the rest of a date broken across lines ("January\n1, 1998").
    (re.compile(r"(\d{1,3}),\s+(?!\d)"), "arabic-comma", "arabic"),
    (re.compile(r"[（(](\d{1,3})[)）]\s*"), "arabic-paren", "arabic-paren"),
    (re.compile(r"(\d{1,3})[)）]\s*"), "arabic-rparen", "arabic-rparen"),
    (re.compile(r"[（(]([ivxlc]{1,6})[)）]\s*"), "roman-paren", "roman-paren"),
    (re.compile(r"([IVXLC]{1,6})\.\s+"), "roman-dot", "roman-dot"),
    (re.compile(r"[（(]([a-z])[)）]\s*"), "alpha-paren", "alpha-paren"),
    (re.compile(r"([ivx]{1,5})\.\s+"), "roman-lower-dot", "roman-lower-dot"),  # "ii. moral rights…"
    (re.compile(r"([a-z])[).]\s+"), "alpha-rparen", "alpha-rparen"),
    (re.compile(r"([A-Z])[.)]\s+"), "alpha-upper", "alpha-upper"),
    (re.compile(r"[•·●▪◦‣*\-–]\s+"), "bullet", "bullet"),
]


_LONE_STYLES = ("article", "cjk-article")
_WORD_STYLES = ("article", "article-word")  # "Section 3", "ARTICLE ELEVEN", "§ 3"
_READS_ON = re.compile(r"[a-z]")
# A date written day first with a full stop, as German, Danish or Czech write one ("7. Juli 2009: …", in
# a list of a terms page's changes): a day, a word (its month) and a year, not a clause numbered 7.
_MONTH_YEAR = re.compile(r"[^\W\d_]+\.?\s+(?:1[6-9]|2\d)\d\d\b")


def markers_at(line: str, lone: bool = False) -> list[Marker]:
    """Every reading of the numbering at the start of a line, most likely first. lone: a number alone
    on the line is one too (its title stands on the next line)."""
    body = line.lstrip()
    indent = len(line) - len(body)
    found: list[Marker] = []
    if lone:
        body += " "  # "2." reads as a number only before a space
    for pat, style, family in _MARKER_PATTERNS:
        m = pat.match(body)
        # A number alone on its line is text ("2."), except "ARTICLE VII" / "第三章", whose title
        # may stand on the next line.
        if not m or (m.end() >= len(body.rstrip()) and style not in _LONE_STYLES and not lone):
            continue
        # "Section 24 of these Terms contains an arbitration agreement" (Airbnb's terms, in bold over
        # the first paragraph) is a sentence about section 24: a word's number that reads on in lower
        # case, with no stop or colon after it, titles nothing.
        if (
            style in _WORD_STYLES
            and m.group(1) != "§"
            and _READS_ON.match(body, m.end())
            and m.group(0).rstrip()[-1] not in ".:"
        ):
            continue
        rest = indent + m.end()
        if style == "md":
            found.append(Marker("md", "md", 0, "", rest, level=len(m.group(1))))
        elif style == "cjk-article":
            value = cn_to_int(m.group(1))
            kind = f"cjk-article-{m.group(2)}"  # 章 and 条 are separate sequences
            found.append(Marker(kind, kind, value, f"第{m.group(1)}{m.group(2)}", rest))
        elif style == "article":
            num = m.group(2)
            kind = m.group(1).lower()
            if "." in num:
                parts = tuple(int(p) for p in num.split("."))
                found.append(Marker(f"dotted-{len(parts)}", "dotted", parts[-1], num, rest, parts))
            else:
                value = int(num) if num.isdigit() else roman_to_int(num)
                found.append(Marker(f"article-{kind}", family, value, num, rest))
        elif style == "article-word":
            value = _WORD_VALUES[m.group(2).lower()]
            found.append(Marker(f"article-{m.group(1).lower()}", family, value, str(value), rest))
        elif style == "cjk-paren":
            found.append(Marker(style, family, cn_to_int(m.group(1)), f"({m.group(1)})", rest))
        elif style == "cjk-dun":
            found.append(Marker(style, family, cn_to_int(m.group(1)), m.group(1), rest))
        elif style == "dotted":
            parts = tuple(int(p) for p in m.group(1).split("."))
            found.append(Marker(f"dotted-{len(parts)}", "dotted", parts[-1], m.group(1), rest, parts))
        elif style == "arabic-dot" and int(m.group(1)) <= 31 and _MONTH_YEAR.match(body, m.end()):
            continue
        elif style in ("arabic-dun", "arabic-dot", "arabic-comma"):
            found.append(Marker(style, family, int(m.group(1)), m.group(1), rest))
        elif style == "arabic-paren":
            found.append(Marker(style, family, int(m.group(1)), f"({m.group(1)})", rest))
        elif style == "arabic-rparen":
            found.append(Marker(style, family, int(m.group(1)), f"{m.group(1)})", rest))
        elif style == "roman-paren":
            found.append(Marker(style, family, roman_to_int(m.group(1)), f"({m.group(1)})", rest))
            if len(m.group(1)) == 1:  # "(i)" may also be the ninth letter
                found.append(Marker("alpha-paren", "alpha-paren", ord(m.group(1)) - 96, f"({m.group(1)})", rest))
        elif style == "roman-dot":
            found.append(Marker(style, family, roman_to_int(m.group(1)), m.group(1), rest))
            if len(m.group(1)) == 1:
                found.append(Marker("alpha-upper", "alpha-upper", ord(m.group(1)) - 64, m.group(1), rest))
        elif style == "roman-lower-dot" and roman_to_int(m.group(1)):
            found.append(Marker(style, family, roman_to_int(m.group(1)), m.group(1), rest))
        elif style == "alpha-paren":
            found.append(Marker(style, family, ord(m.group(1)) - 96, f"({m.group(1)})", rest))
        elif style == "alpha-rparen":
            found.append(Marker(style, family, ord(m.group(1)) - 96, f"{m.group(1)})", rest))
        elif style == "alpha-upper":
            found.append(Marker(style, family, ord(m.group(1)) - 64, m.group(1), rest))
        elif style == "bullet":
            found.append(Marker(style, family, 0, "", rest))
    if len(found) == 1 and found[0].style == "bullet":
        # "* 5. Warranty disclaimer": a numbered title written as a list item is read by its number first.
        b = found[0].rest
        found = [replace(m, rest=m.rest + b) for m in markers_at(line[b:]) if m.style != "bullet"] + found
    return found


# A title may ask or exclaim ("What information do we collect?", "Welcome to Acme!"); a sentence ends.
_NOT_TITLE_ENDS = tuple(t for t in _TERMINAL if t not in "?!？！") + _OPENERS + (",", ",", "、")


# The words that join a list's item to the next one; no title ends with one.
_CONJUNCTIONS = ("or", "and", "nor", "und", "oder", "ou")


def is_heading_text(s: str) -> bool:
    """Words that read as a title rather than a sentence."""
    s = s.strip()
    if not re.search(r"[^\W_]", s):
        return False  # a rule ("-----------") or other marks
    if s.endswith(".") and s.isupper() and len(s.split()) <= 5 and ". " not in s:
        s = s[:-1]  # a title in capitals may close with a full stop ("ARBITRATION.")
    if not s or s.endswith(_NOT_TITLE_ENDS):
        return False
    if s.split()[-1].lower() in _CONJUNCTIONS:
        return False  # an item of a list going on to the next one ("1. ANY INDIRECT … DAMAGES, OR")
    if is_cjk_text(s):
        return len(s) <= 30 and "。" not in s and "，" not in s and "," not in s
    # A short capitalised title may join two topics with a semicolon ("LIABILITY; TERMINATION", "Changes to
    # Alexa; Amendments"); an item of a list in capitals ends in a conjunction ("LOSS OF PROFITS; OR").
    joined = "; " not in s or (
        (s.isupper() or _capitalised(s) == 1) and len(s.split()) <= 8 and s.split()[-1].lower() not in ("or", "and")
    )
    return len(s) <= 100 and len(s.split()) <= 14 and ". " not in s and joined


# The last line of a postal address: a place, a comma, a postcode ("Tampa, Florida 33607"), not a year.
_POSTAL = re.compile(r",.*(?<![\w-])(?!(?:19|20)\d\d$)\d{4,5}(?:-\d{4})?$")


# Prepositions of four letters or more that Title Case leaves in lower case ("Communications from Yelp and
# Others", "Sharing with Advertisers").
_SMALL_WORDS = frozenset(["from", "with", "into", "onto", "upon", "over", "within", "without", "about", "under"])


def _long_words(s: str) -> list[str]:
    """The words of four letters or more, which say whether a line is in Title Case ("and", "of" are not)."""
    return [w for w in re.findall(r"[^\W\d_]+", s) if len(w) >= 4 and w not in _SMALL_WORDS]


def _capitalised(s: str) -> float | None:
    """The share of the line's long words (_long_words) that start with a capital; None when it has none."""
    words = _long_words(s)
    return sum(w[0].isupper() for w in words) / len(words) if words else None


def _titleish(s: str) -> bool:
    if "@" in s or ":" in s or "：" in s or _DOT_LEADER.search(s) or PAGE_NUMBER.match(s) or not is_heading_text(s):
        return False  # "Definitions.......3" is a line of a table of contents, "Page 3" a page's footer
    if _POSTAL.search(s):
        return False  # an address's line: as a title it took the numbered clauses after a notices clause
    if is_date_stamp(s):
        return False  # "LAST REVISED June 1, 2018": as a title it took every section of Blizzard's EULA
    if is_cjk_text(s):
        return re.match(f"[{CJK}]", s) is not None and len(s) <= 25
    # A title that asks may run longer ("If Evernote Has to Send Me Notice of Something, How Will That
    # Happen?"): a frequently-asked-questions page is made of them.
    if not s[0].isupper() or len(s.split()) > (14 if s.endswith(("?", "？")) else 10):
        return False
    if s.isupper():
        return True
    share = _capitalised(s)
    return share is None or share >= 0.5


def is_contents(text: str, headings: set[str]) -> bool:
    """Whether text is a table of contents: at least 3 lines, nearly all of them a numbered title (dot
    leaders and page numbers aside), most of them titles of the document's sections (`headings`, lower
    case). A list of short items ("1. Name 2. Email address …") is not one: its items are no sections."""
    # A number alone on its line is the next entry's, as pdftotext writes one ("4." / "Fees.......4").
    lines = [line for line in text.splitlines() if line.strip() and not _LONE_NUMBER.fullmatch(line.strip())]
    if len(lines) < 3:
        return False
    titles = [title for line in lines if (title := _contents_title(line))]
    if len(titles) < 0.8 * len(lines) and len(lines) >= UNNUMBERED_CONTENTS:  # titles without numbers
        titles = [t for line in lines if _listed_title(t := _unbulleted(line.strip()).lower())]
    return len(titles) >= 0.8 * len(lines) and sum(t in headings for t in titles) >= 0.6 * len(titles)


# A page's navigation, left in a Markdown copy of it ("• Plans & Pricing" / "• SIGN UP, IT'S FREE"), sits
# close to many questions in the embedding space: over Zoom's terms, a Spanish question about closing
# one's account without notice cited "Toggle navigation • JOIN • HOST" first. No unit of the 117 development
# and unseen files is such a list between two paragraphs of prose.
MENU_WORDS = 4  # a label's most words ("SIGN UP, IT'S FREE")
UNBULLETED_MENU = 3  # lines of labels without bullets ("Language" / "Get started" / "Legal")
_PROSE_LINE = re.compile(r"^.{60,}[.!?。！？]\s*$", re.M)


def is_menu(text: str) -> bool:
    """Whether text is a list of labels: two or more bulleted lines, or three or more without bullets
    or figures, every line a few words and no sentence ("Toggle navigation" / "• JOIN" / "• HOST";
    "#### Resources" / "Help Center" / "Safety Center", as TikTok's page ends)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    bullets = sum(bool((m := markers_at(line)) and m[0].family == "bullet") for line in lines)
    # Without bullets, three lines or more and no figure: a postal address with its telephone is no menu.
    if bullets < 2 and (len(lines) < UNBULLETED_MENU or re.search(r"\d", text)):
        return False
    labels = [_unbulleted(line) for line in lines]
    return all(len(w.split()) <= MENU_WORDS and not w.endswith(_TERMINAL + _OPENERS) for w in labels)


def has_sentence(text: str) -> bool:
    """Whether a line of text closes a sentence or announces what follows, as a label never does."""
    return any(line.rstrip().endswith(_TERMINAL + _OPENERS) for line in text.splitlines())


def prose_span(text: str) -> tuple[int, int]:
    """From the start of the text's first line of prose (a sentence of 60 characters or more) to the end
    of its last: a page's header and footer lie outside. The whole text when it has none (a list of
    labels is then all it says)."""
    lines = list(_PROSE_LINE.finditer(text))
    return (lines[0].start(), lines[-1].end()) if lines else (0, len(text))


UNNUMBERED_CONTENTS = 5  # a run of fewer short titles is as likely a list as a table of contents
LISTED_TITLE_CHARS = 80
# How far on a parser looks for the item after an "I." to tell the ninth letter from the roman one: the
# next item of either list stands within a few paragraphs, bullets and all.
LOOKAHEAD_LINES = 60


def _unbulleted(line: str) -> str:
    """A line without the bullet it opens with: a web page lists its sections as bulleted links."""
    found = markers_at(line)
    return line[found[0].rest :].strip() if found and found[0].family == "bullet" else line


def _listed_title(line: str) -> bool:
    """A line that may be an entry of a table of contents without numbers: short, no sentence."""
    return 0 < len(line) <= LISTED_TITLE_CHARS and is_heading_text(line) and not markers_at(line)


def _listings(entries: Sequence[Hashable | None], again: Sequence[Collection[Hashable]], minimum: int) -> set[int]:
    """The indices of each run of at least `minimum` entries most of which come again after the run:
    among the keys `again` gives each line. None ends a run, and so does an entry the run already has:
    the first section follows its own listing."""
    last = {key: k for k, keys in enumerate(again) for key in keys}  # where each key is given last
    out: set[int] = set()
    i = 0
    while i < len(entries):
        j, seen = i, set()
        while j < len(entries) and entries[j] is not None and entries[j] not in seen:
            seen.add(entries[j])
            j += 1
        if j - i >= minimum and sum(last.get(x, -1) >= j for x in entries[i:j]) >= 0.6 * (j - i):
            out.update(range(i, j))
        i = j + 1
    return out


# Where a web page's heading runs into its first sentence once its tags are gone: "…Data SecurityData
# security is…", "…do we collect?We take…".
_RUN_TOGETHER = re.compile(r"(?<=[a-z?!:])(?=[A-Z])")
# ...or a title in capitals before its first sentence: "DEFINITION 'Return' means…", "MEDICAL TEST: In case…".
_CAPITALS_LEAD = re.compile(r"((?:[A-Z][A-Z&'’-]*\s+)*[A-Z][A-Z&'’-]+)[:.]?\s+(?=\S)")


def _shown_as_section(line: str) -> set[str]:
    """The titles a line (spaces collapsed) may show a listed section by, in lower case: the line itself
    (less a closing colon), its title without its number ("1. Fees"), or a heading run into its first
    sentence."""
    keys = {line.lower(), line.rstrip(":：").lower()}  # "RETURN PROCESS:" over its paragraphs
    if entry := _toc_entry(line, bullets=False):
        keys.add(entry[1])
    keys.update(line[: m.start()].lower() for m in _RUN_TOGETHER.finditer(line, 0, LISTED_TITLE_CHARS + 1))
    if lead := _CAPITALS_LEAD.match(line):
        keys.add(lead.group(1).lower())
    return keys


def _contents_title(line: str) -> str | None:
    """The title of a table of contents' entry, lower case: numbered ("3. Fees"), or led by dots to its
    page ("Fees.......4"). None for any other line."""
    entry = _toc_entry(line, bullets=False)
    if entry:
        return entry[1]
    if not _DOT_LEADER.search(line):
        return None
    return _DOT_LEADER.sub("", line).strip().lower() or None


def _toc_entry(line: str, bullets: bool = True) -> tuple[str, str] | None:
    """A line read as an entry of a table of contents: its number's label and its title in lower case,
    dot leaders and page numbers left out. None when the line has no number or too long a title."""
    found = [m for m in markers_at(line) if bullets or m.family != "bullet"]
    # A line that announces a list ("7.4. The Guidelines … are set out at the following links:") lists no
    # section: with the links under it, which Wargaming's terms give again under 7.5 and 7.6, it was read
    # as a table of contents, and 7.4 and 7.6 were not clauses.
    if not found or line.rstrip().endswith(COLONS):
        return None
    label, rest = found[0].label, line[found[0].rest :].strip()
    # "## 2. Fees" is the section "2. Fees" lists; a list of links to the sections writes their numbers
    # twice ("2. 2. Fees", as Kickstarter's terms list their sections).
    if (inner := _heading_number(rest)) and (found[0].style == "md" or inner.label == label):
        label, rest = inner.label, rest[inner.rest :]
    # A listing may close its titles with a stop its sections' own titles lack ("A. COLLECTION OF
    # INFORMATION." over "A. COLLECTION OF INFORMATION", Alibaba.com's privacy policy): the same title.
    rest = _TOC_LEADER.sub("", _without_top_link(rest)).strip().removesuffix(".").rstrip().lower()
    return (label, rest) if rest and len(rest) <= 100 else None


def _a_paragraph(text: str) -> bool:
    """Text that reads as a paragraph under a title: a sentence or more, ended (or announcing a list)."""
    return len(text) >= 40 and text.endswith(_TERMINAL + _OPENERS)


def _run_in_title(line: str, nxt: str) -> bool:
    """A title that closes with a full stop, alone between blank lines above a paragraph ("Targeted
    Advertising." over "In order to serve offers…", a page's <h3>): a sentence this short in Title Case
    with no comma, digit or other full stop is not prose. The paragraph must be one: "Epic Games, Inc."
    over "620 Crossroads Blvd." is an address."""
    s, after = line.strip(), nxt.strip()
    if not s.endswith(".") or len(s.split()) > 6 or re.search(r"[\d,;:]", s) or "." in s[:-1]:
        return False
    return _titleish(s[:-1]) and _a_paragraph(after)


_OPENING_QUOTES = "“\"‘'«„「『("


def _title_before_sentence(rest: str) -> str:
    """The title a numbered clause runs into its first sentence, as terms pages set it in bold ("2. **Your
    Content.** If you post…", "17. Limitation of Liability. In no event…"): up to eight words before the
    first full stop, every longer word capitalised, then a sentence of text. "" when there is none: a
    sentence ("1. You may cancel at any time."), or an abbreviation's full stop ("18 U.S.C. § 2257")."""
    i = rest.find(". ")
    if i <= 0:
        return ""
    title, after = rest[:i], rest[i + 2 :].strip()
    # The sentence may open with a quoted term ("2. Content. “Content” means text…", Yelp's definitions).
    if not after.lstrip(_OPENING_QUOTES)[:1].isupper() or not _a_paragraph(after):
        return ""
    share = _capitalised(title)
    last = re.findall(r"[^\W\d_]+", title)[-1:]
    if share is None or len(title.split()) > 8 or len(last[0]) < 2 or re.search(r"\.\w\.", title):
        return ""
    capitalised = title.isupper() or share == 1
    return title if capitalised and _titleish(title) else ""


def _heading_number(title: str) -> Marker | None:
    """The number a Markdown title starts with ("2. Bookings", "Section 4: Fees", "3.1 Refunds", "B. Exclusive
    venue.", "e. Cancellation and Refund Policy."): TikTok's "### C. One year limitation period" was numbered,
    as a roman hundred, and "### B." not; Hulu's lettered items, titled in bold, had no letter, and "2(e)"
    showed all of section 2."""
    numbered = ("arabic", "dotted", "article", "roman-dot", "alpha-upper", "alpha-rparen")
    found = [m for m in markers_at(title) if m.family in numbered]
    if not found and (bare := _BARE_NUMBER.match(title)):
        # A heading's number needs no stop ("# 13 Contact Us", Academia.edu's privacy policy, whose
        # contents list "13. Contact Us" above it): read as words, "section 13" found only the listing.
        return Marker("arabic-dot", "arabic", int(bare.group(1)), bare.group(1), bare.end())
    return found[0] if found and title[found[0].rest :].strip() else None


_SUB_NUMBER = re.compile(r"(?:#{1,6}\s+)?\d{1,3}\.\d{1,3}\.?\s")  # "2.1 ", "## 2.1. "


def _numbered_title(rest: str, nxt: str) -> bool:
    """The words after a number as the clause's title: alone on the line, in Title Case, over a paragraph,
    closing with a full stop ("8. Termination." and "3. Protecting Users' Legal Rights From
    Anti-Circumvention Law." in a licence) or a colon ("3.1 Disputes We Agree to Arbitrate:" over "You and
    Epic agree to submit…"). The number says a clause starts, so a digit or a comma may stand in the title
    ("17. Interpretation of Sections 15 and 16."). Under a colon the clause holds every paragraph up to the
    next number, not only the first: its second paragraph read as a paragraph of the section above ended
    it, and the numbers under it ("3.2") were then taken for text."""
    s, after = rest.strip(), nxt.strip()
    if s.endswith("."):
        if "." in s[:-1]:
            return False
        words = s[:-1]
    elif s.endswith(COLONS) and not any(c in s[:-1] for c in COLONS):
        words = s[:-1].rstrip()
    else:
        return False
    # Nearly every longer word capitalised: "You may only list one Accommodation per Listing." and "You
    # agree not to use the Service to:" are sentences.
    share = _capitalised(s)
    capitalised = share is None or share >= 0.75
    # Over its first sub-clause ("2. Third Party Services; Third Party Products." / "2.1 Third Party
    # Services. If you use…", as Alexa's terms set each in bold) as over a paragraph.
    return capitalised and _titleish(words) and (_a_paragraph(after) or _SUB_NUMBER.match(after) is not None)


# A title in sentence case ("Information we collect", "Your privacy controls"), as web pages write
# them, reads like the start of a sentence: it is one only standing alone between two paragraphs, after
# a sentence has ended and before a paragraph of body text.
_SENTENCE_ENDS = tuple(t for t in _TERMINAL if t not in ';；”"')


def _sentence_case_title(line: str, prev: str | None, nxt: str | None) -> bool:
    s = line.strip()
    if prev is None or nxt is None or not (2 <= len(s.split()) <= 8) or len(s) > 60 or not s[0].isupper():
        return False
    if not is_heading_text(s) or any(ch in s for ch in ":@;") or markers_at(line) or PAGE_NUMBER.match(s):
        return False
    body = nxt.strip()
    return prev.rstrip().endswith(_SENTENCE_ENDS) and len(body) >= 40 and body.endswith(_TERMINAL + _OPENERS)


# A link back to the top of the page after a title ("Search History . [top]", "Fees ↑", "2. LICENSES ⏶"),
# as pages write them, in words or as a glyph pointing up; the title is what stands before it.
_TOP_LINK = re.compile(rf"(?i)\s*\.?\s*(?:\[(?:{TOP_LINK})\]|\((?:{TOP_LINK})\)|\bback to top|[{UP_ARROWS}])\s*$")
# The same link as a line of its own, as a page copied into a text file keeps it after each section.
_TOP_LINE = re.compile(rf"(?i)\[?(?:{TOP_LINK})\]?")


def _without_top_link(s: str) -> str:
    return _TOP_LINK.sub("", s) or s


def _titled(rest: str) -> bool:
    """A numbered line's text reads as a title: title words, or any words a link back to the top follows,
    which a page puts after its section titles only ("1. REGISTRATION AS A SUBSCRIBER; APPLICATION OF
    TERMS TO YOU; YOUR ACCOUNT ⏶", too long a title to tell by its words)."""
    words = _without_top_link(rest)
    return is_heading_text(words) or _titles_in_a_row(words) or bool(_TOP_LINK.search(rest.strip()))


def _titles_in_a_row(s: str) -> bool:
    """Two or three titles a full stop parts, as one section's title ("5. Changes. Suspension and
    Termination", "3. Billing Schedule. No Refunds"): read as a sentence, the section had no title."""
    parts = s.strip().split(". ")
    return 2 <= len(parts) <= 3 and not s.rstrip().endswith(_TERMINAL) and all(map(_titleish, parts))


def _numbered_by_its_first_clause(m: Marker, nxt: str | None) -> Marker:
    """A section numbered "1." over clauses numbered "2.1", "2.2"…: section 2, as a page's list of one item
    is numbered 1 wherever it stands and the clauses under it say which section it is (Alibaba's terms,
    whose every section reads "1." in their Markdown copy: read as 1, the sections after the first were
    sub-clauses of clause 1.6 and "3.7" could not be looked up)."""
    if m.family != "arabic" or m.value != 1 or nxt is None:
        return m
    first = next((n for n in markers_at(nxt) if n.family == "dotted"), None)
    if first is None or len(first.parts) != 2 or first.parts[1] != 1 or first.parts[0] <= 1:
        return m
    return replace(m, value=first.parts[0], label=m.label.replace("1", str(first.parts[0]), 1))


def _body_like(s: str) -> bool:
    s = s.strip()
    return len(s) >= 40 or s.endswith(_TERMINAL + _OPENERS) or (is_cjk_text(s) and len(s) >= 20)


@dataclass(eq=False)
class _Node:
    kind: str  # "marker", "bare", "para", "preamble"
    start: int
    label: str = ""
    heading: str = ""
    style: str = ""
    family: str = ""
    value: int = 0
    numpath: tuple[int, ...] = ()
    indent: int = 0
    md_level: int = 0
    absorbs: bool = True  # plain lines right after it are its own text
    awaits_heading: bool = False  # a number alone on its line: the next line may be its title
    part: bool = False  # a title over numbering that starts again at 1 ("TERMS OF USE FOR THE WEBSITE")
    heads_list: bool = False  # a numbered title line whose items number from 1 again ("2. YOUR OBLIGATIONS.")
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    end: int = 0
    body_end: int = 0
    id_part: str = ""
    clause_id: str = ""
    nth: int = 0  # its place among its siblings of its kind (bullets, paragraphs), 1 first; 0 at the top
    parallel: _Node | None = None
    lang: str = "en"
    depth: int = 0


class _TreeBuilder:
    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.seg_start, self.seg_end = start, end
        self.nodes: list[_Node] = []
        self.stack: list[_Node] = []
        self.major_style = ""
        self.last_item: dict[str, _Node] = {}  # the last numbered line of each style
        self.numbered: dict[tuple[str, int], _Node] = {}  # the last numbered line of each style and number
        self.prose_start: int | None = None  # where the first line of prose starts, once asked
        self.top_links: dict[int, int] = {}  # end -> start of each line that only links back up the page

    def lines(self) -> list[tuple[int, int]]:
        out, pos = [], self.seg_start
        while pos < self.seg_end:
            nl = self.text.find("\n", pos, self.seg_end)
            stop = self.seg_end if nl < 0 else nl + 1
            out.append((pos, stop))
            pos = stop
        return out

    def build(self) -> list[_Node]:
        lines = self.lines()
        content = [(s, e) for s, e in lines if self.text[s:e].strip()]
        self.major_style = self._find_major_style(content)
        contents = self._table_of_contents(content)
        title_done = False
        link_at = -1  # the last line that only links back up the page
        for i, (s, e) in enumerate(content):
            line = self.text[s:e].rstrip("\r\n")
            blank_before = i == 0 or content[i - 1][1] != s
            if i in contents:  # "1. Welcome … 18. The Rest" before the sections themselves: text
                title_done = True
                top = self.stack[-1] if self.stack else None
                if i - 1 not in contents and top is not None:
                    # A unit of its own, which answers never cite (qa's without_contents), however many
                    # of a question's words its titles hold.
                    self._open_para(s)
                    continue
                self._paragraph(s, line, blank_before)
                continue
            if _TOP_LINE.fullmatch(line.strip()):
                self.top_links[s + len(line.rstrip())] = s  # no title and no text of the section it ends
                link_at = i
                continue
            nxt = self.text[content[i + 1][0] : content[i + 1][1]] if i + 1 < len(content) else None
            # A reader passes over a link back up the page: the line before it is the one this line follows.
            j = i - 2 if link_at == i - 1 and i >= 2 else i - 1
            prev = self.text[content[j][0] : content[j][1]] if j >= 0 else None
            if not title_done:
                title_done = True
                if line.lstrip().startswith("#") or (_titleish(line.strip()) and not markers_at(line)):
                    heading = line.strip().lstrip("#").strip()
                    self._open(_Node("preamble", s, heading=heading), None)
                    continue
            lone = self.stack[-1] if self.stack and self.stack[-1].kind == "marker" else None
            if lone is not None and lone.awaits_heading:
                lone.awaits_heading = False
                if _titleish(line.strip()) and not markers_at(line):
                    lone.heading = line.strip()  # "ARTICLE VII" / "REMEDIES"
                    continue
            blank_after = i + 1 < len(content) and content[i + 1][0] != e
            tight = nxt is not None and not blank_after  # the next line follows with no blank line between
            if self._try_marker(line, s, nxt, lone=self._lone_number(line, nxt), tight=tight):
                continue
            if (
                self._is_bare_heading(line, prev, nxt, blank_before)
                or (blank_before and blank_after and nxt is not None and _run_in_title(line, nxt))
                or (blank_before and blank_after and _sentence_case_title(line, prev, nxt))
            ):
                self._open_bare(s, _without_top_link(line.strip()), self._restarts_after(content, i))
                continue
            if i - 1 in contents:  # the first section's words, run on after its listing, are not part of it
                self._open_para(s)
                continue
            self._paragraph(s, line, blank_before)
        self._finish()
        return [n for n in self.nodes if n.parent is None]

    def _table_of_contents(self, content: list[tuple[int, int]]) -> set[int]:
        """Lines of a table of contents: a run of at least 3 numbered headings with no text between them,
        most of which appear again later as the sections themselves (dot leaders and page numbers aside).
        Or, as web pages list their sections, a run of at least UNNUMBERED_CONTENTS short titles without
        numbers, most of which appear again later as lines of their own, numbered, or run into their first
        sentence (_shown_as_section): read as titles, each would head the next ones ("Your Rights" over
        "Privacy Information for California Residents", …)."""
        numbered = [_toc_entry(self.text[s:e].rstrip("\r\n")) for s, e in content]
        lines = [" ".join(self.text[s:e].split()) for s, e in content]
        titles = [t if _listed_title(t := _unbulleted(line).lower()) else None for line in lines]
        # A Markdown heading is a section, never a listing's line: "## 2. Fees" only shows that "2. Fees" was listed.
        listed = [None if line.startswith("#") else n for line, n in zip(lines, numbered, strict=True)]
        return _listings(listed, [(n,) for n in numbered], 3) | _listings(
            titles, [_shown_as_section(line) for line in lines], UNNUMBERED_CONTENTS
        )

    def _find_major_style(self, content: list[tuple[int, int]]) -> str:
        for i, (s, e) in enumerate(content):
            line = self.text[s:e].rstrip("\r\n")
            nxt = self.text[content[i + 1][0] : content[i + 1][1]] if i + 1 < len(content) else None
            for m in markers_at(line, self._lone_number(line, nxt)):
                rest = line[m.rest :]
                if m.family not in ("dotted", "bullet", "md") and m.value == 1 and (_titled(rest) or not rest.strip()):
                    return m.style
        return ""

    # -- structure -------------------------------------------------------------------------------
    def _open(self, node: _Node, parent: _Node | None) -> None:
        while self.stack and self.stack[-1] is not parent:
            self.stack.pop()
        node.parent = parent
        node.depth = parent.depth + 1 if parent is not None else 0
        if parent is not None:
            parent.children.append(node)
        self.nodes.append(node)
        self.stack.append(node)

    def _structural(self) -> list[_Node]:
        return [n for n in self.stack if n.kind in ("marker", "bare")]

    @staticmethod
    def _lone_number(line: str, nxt: str | None) -> bool:
        """A number alone on its line over a title: a typeset heading's hanging number, as pdftotext
        writes it ("2." / "TERM OF AGREEMENT"). Over text or another number it stays text."""
        return (
            nxt is not None
            and bool(_LONE_NUMBER.fullmatch(line.strip()))
            and _titleish(nxt.strip())
            and not markers_at(nxt)
        )

    def _letter_goes_on(self, readings: list[Marker], s: int) -> list[Marker]:
        """The readings of "I." (or "(i)") with the letter first where it goes on with an open list of
        letters ("H. Third-Party Sites", "I. Refunds"), unless the roman list it could start goes on
        first ("II." before "J."): read as the roman one, the ninth letter became the first item of a new
        list under the eighth."""
        roman = next((m for m in readings if m.family.startswith("roman") and m.value == 1), None)
        if roman is None:  # most numbered lines: nothing to weigh, and the open levels are not gathered
            return readings
        open_ = self._structural()
        letter = next((m for m in readings if any(n.style == m.style and n.value + 1 == m.value for n in open_)), None)
        if letter is None:
            return readings
        after = self.text[self.text.find("\n", s) + 1 : self.seg_end]
        for later in after.split("\n", LOOKAHEAD_LINES)[:LOOKAHEAD_LINES]:
            found = markers_at(later)
            if any(m.style == roman.style and m.value == 2 for m in found):
                return readings
            if any(m.style == letter.style and m.value == letter.value + 1 for m in found):
                break
        return [letter] + [m for m in readings if m is not letter]

    def _try_marker(self, line: str, s: int, nxt: str | None = None, lone: bool = False, tight: bool = False) -> bool:
        for m in self._letter_goes_on(markers_at(line, lone), s):
            m = _numbered_by_its_first_clause(m, nxt)
            rest = _without_top_link(line[m.rest :].strip())
            # An item that starts in lower case goes on with the sentence that lists it ("…in any way
            # which" / "3. could be considered offensive"): it is no title. A short one in Title Case
            # closing with a full stop, over a paragraph, is ("8. Termination." in a licence).
            numbered = m.family in ("arabic", "dotted", "article")
            titled = _titled(line[m.rest :]) or (numbered and nxt is not None and _numbered_title(rest, nxt))
            heading_like = titled and not rest.split()[0].islower()
            if m.family == "bullet" and not (tight and nxt and not markers_at(nxt)):
                # A bullet is a title only over its own text, on the next line ("• Cookies" / "We use…");
                # alone, an item without a full stop ("• You retain ownership of content you post") is
                # the item itself, and a paragraph after a blank line follows the whole list.
                heading_like = False
            placed, parent = self._place(m, len(line) - len(line.lstrip()), s, heading_like)
            if not placed:
                continue
            # A dotted number names its own place ("3.2" under 3, after "#### 3.1 General."), as a heading does.
            parent = parent if m.style == "md" or m.family == "dotted" else self._within_heading(parent, m)
            inner = _heading_number(rest) if m.style == "md" else None
            if inner is not None and len(inner.parts) > 1:
                parent = self._under_prefix(inner.parts[:-1], parent)
            elif (
                inner is not None and parent is not None and self.numbered.get((inner.style, inner.value - 1)) is parent
            ):
                # A heading numbered on from the one it would sit under by its level is that one's sibling:
                # Instacart's policy sets "### XI. Contact Information" a level below "## X. …", and XI was
                # a part of X.
                parent = parent.parent
            if parent is not None and parent.depth + 1 >= MAX_DEPTH:
                return True  # flattened: past MAX_DEPTH a numbered line is text of the clause open above it
            # An announcing title is shown without its colon: "3.2 Arbitration Procedure: “To start…”".
            announced = rest[:-1].rstrip() if rest.endswith(COLONS) else rest
            heading = announced if heading_like else (_title_before_sentence(rest) if numbered else "")
            node = _Node(
                "marker",
                s,
                label=m.label,
                heading=heading,
                style=m.style,
                family=m.family,
                value=m.value,
                indent=len(line) - len(line.lstrip()),
                md_level=m.level,
                absorbs=heading_like or not rest.endswith(_TERMINAL),
            )
            if m.style == "md":
                node.kind, node.heading, node.absorbs = "bare", announced, True
            node.awaits_heading = not rest
            base = parent.numpath if parent is not None else ()
            node.numpath = m.parts if m.parts else base + ((m.value,) if m.value else ())
            if inner is not None:
                # "## 2. Bookings and payment": the title's own number is the clause's ("section 2").
                node.label, node.value, node.heading = inner.label, inner.value, rest[inner.rest :].strip()
                node.numpath = inner.parts or base + (inner.value,)
            self._open(node, parent)
            self.last_item[m.style] = self.numbered[(m.style, m.value)] = node
            if inner is not None and not inner.parts:
                # "### 25. Business Users" is item 25 of its numbers, which "26. Termination…" written
                # as a line of text goes on from (Airbnb's terms: 26 and 27 were text of 25).
                self.numbered[(inner.style, inner.value)] = node
            return True
        return False

    def _place(self, m: Marker, indent: int, s: int, title: bool = False) -> tuple[bool, _Node | None]:
        """Where a numbered line (at s) goes: (accepted, parent). Rejected numbers are ordinary text.
        title: the line is a title alone ("5. DISCLAIMER")."""
        open_ = self._structural()
        top = open_[-1] if open_ else None
        if m.style == "md":
            for n in reversed(open_):
                if n.md_level and n.md_level < m.level:
                    return True, n
            return True, None
        if m.style == "bullet":
            last = self.stack[-1] if self.stack else None
            item = next((n for n in reversed(self.stack) if n.style == "bullet"), None)
            if item is not None and indent != item.indent:
                # Indented deeper than the item open above, it is that item's; less, it goes on with the
                # list of the item as far in as it is ("• Where deletion would restrict us:" / "  • investigate…").
                if indent > item.indent:
                    return True, item
                outer = next((n for n in reversed(self.stack) if n.style == "bullet" and n.indent <= indent), None)
                if outer is not None:
                    return True, outer.parent
            if last is not None and last.kind == "para" and self._goes_on_with_list(last, s):
                return True, last.parent
            return True, last.parent if last is not None and last.style == "bullet" else last
        # A continuing sequence: the same style (or family) one step on. Of two lists it may go on with
        # ("2." over "  1." over "    2.", then "3."), the one at its own indentation, else the innermost.
        for same_family in (False, True):
            goes_on = []
            for n in reversed(open_):
                match = n.family == m.family if same_family else n.style == m.style
                if m.family == "dotted" and match:
                    match = n.numpath[:-1] == m.parts[:-1]
                if match and n.value < m.value <= n.value + 2:
                    goes_on.append(n)
            if goes_on:
                # Items numbered again under a title line ("4. OUR RIGHTS." / "1. Availability: …" …
                # "4. Connections: …") and the titles' own list may both take the next number: a title
                # alone ("5. DISCLAIMER") goes on with the titles.
                if title and len(goes_on) > 1 and goes_on[0].parent is not None and goes_on[0].parent.heads_list:
                    goes_on = [n for n in goes_on if n is not goes_on[0] and n.heading] or goes_on
                # Lists written flat, every level at one indentation, tell their levels by number only:
                # the list the number follows on from goes before one it would skip a number in.
                level = [n for n in goes_on if n.indent == indent] or goes_on
                return True, next((n for n in level if n.value + 1 == m.value), level[0]).parent
        if m.family == "dotted":
            for n in reversed(open_):
                if n.numpath == m.parts[:-1]:
                    return True, n
                if n.numpath[:-1] == m.parts[:-1] and n.numpath and n.numpath[-1] < m.value <= n.numpath[-1] + 2:
                    return True, n.parent  # goes on from "## 3.1 General.", however that was written
            if m.value == 1 and not any(n.family == "dotted" for n in open_):
                return True, top
            if (
                m.value == 1
                and len(m.parts) == 2
                and any(n.parent is None and n.numpath == (m.parts[0] - 1,) for n in open_)
            ):
                # The first clause of the next section, whose title line the page left out ("16.9. …" then
                # "17.1. The law of the Republic of Cyprus shall apply…", Wargaming's terms): at the top.
                return True, None
            return False, None
        if m.value != 1:
            if not open_:
                return True, None  # an excerpt may start at any number
            # A list taken up again after a paragraph and its bullets ("3. Deleting your content…",
            # "• where…", "4. Permission to use your name…") goes on where its item before stood, while
            # that item's parent is open; numbering that runs on across sections (第三条 under 第二章)
            # goes under the section open now. The item before is the nearest one numbered one less,
            # past a list nested in it that numbers again from 1 ("5. … in any way which" / "1. is
            # fraudulent" … "3. could be…" / "6. You will not…"). One number may be missing, as in an
            # open sequence: a web page's "3." can be a title the page wrote without its number (Khan
            # Academy's "Methods for providing Parental consent." between "2." and "4. Restricted…").
            prev = self._item_before(m)
            if prev is not None:
                before = prev.parent
                if before is None:
                    # Back at the top level where the item before stood: past a nested list, or past
                    # titles without numbers within that item (Pinterest's "11. Arbitration" then
                    # "# Batched Arbitration" and "More simply put", where "12. Governing law" went under
                    # the last of them).
                    return True, None
                return True, before if before is not None and before in self.stack else top
            return False, None
        if m.style == self.major_style and not any(n.style == m.style for n in open_):
            return True, top if top is not None and top.part else None
        if top is not None and top.style == m.style and indent <= top.indent:
            if top.heading and "\n" not in self.text[top.start : s].strip():
                # "2. YOUR OBLIGATIONS." alone on its line, then "1. License…": the title's own items, numbered
                # from 1 again (flat, they were clauses 1 and 2 a second time, and "2.1" was not found).
                top.heads_list = True
                return True, top
            return True, top.parent  # a list restarting at the same indentation
        return True, top

    def _under_prefix(self, prefix: tuple[int, ...], parent: _Node | None) -> _Node | None:
        """The parent of a Markdown heading numbered with a dot ("## 10.1 Customer Content"): the clause its
        number's prefix names, when that is open within the parent its heading level gives. Zoom's terms
        and Airbnb's privacy policy write "10. DATA USAGE…" in bold over "10.1" headings; placed by
        level, 10.1 closed section 10, and "section 10" showed its title alone."""
        for n in reversed(self._structural()):
            if n is parent:
                break
            if n.numpath == prefix:
                return n
        return parent

    def _open_heading(self) -> _Node | None:
        """The innermost Markdown heading open, if any."""
        return next((n for n in reversed(self.stack) if n.md_level), None)

    def _item_before(self, m: Marker) -> _Node | None:
        """The item numbered one less than m in its style, or two less (one number may be missing)."""
        return self.numbered.get((m.style, m.value - 1)) or self.numbered.get((m.style, m.value - 2))

    def _within_heading(self, parent: _Node | None, m: Marker) -> _Node | None:
        """The parent a numbered line takes inside the Markdown section open above it: a list numbered
        "1.", "2." under "## 3.2 What you can share" is that section's, where the document's own
        numbering would have put it at the top and ended the section. Not a number going on with the
        document's top level ("12." after "11." there), nor with its list where a heading within the
        item before is open: a heading within section 11 does not hold 12 (Airbnb's "# 2.4" under "2.
        PERSONAL INFORMATION…" held "3. HOW WE USE…")."""
        before = self._item_before(m) if m.value > 1 else None
        heading = self._open_heading()
        if before is not None and before.parent is parent and (parent is None or _within(heading, before)):
            return parent
        return parent if _within(parent, heading) else heading

    def _goes_on_with_list(self, para: _Node, s: int) -> bool:
        """A paragraph (up to s) written between the items of a bulleted list, announcing nothing: the items
        after it go on with that list ("• Research.", "We study…", "• Safety."), where each went under
        the paragraph before it, one level deeper than the item before."""
        siblings = para.parent.children if para.parent is not None else []  # para is the last one opened
        before = siblings[-2] if len(siblings) > 1 and siblings[-1] is para else None
        return (
            before is not None and before.style == "bullet" and not self.text[para.start : s].rstrip().endswith(COLONS)
        )

    def _is_bare_heading(self, line: str, prev: str | None, nxt: str | None, blank_before: bool) -> bool:
        s = _without_top_link(line.strip())
        if nxt is None or not _titleish(s):
            return False
        if prev is not None and prev.rstrip().endswith(_OPENERS):
            return False
        next_is_marker = any(self._place_preview(m) for m in markers_at(nxt.rstrip("\r\n")))
        # Between two short lines that are no sentences, a title-like line is an item of their list
        # ("Troll posts" / "Racism" / "Anthropomorphic pornography"), not the title of the next one.
        in_list = prev is not None and not _body_like(prev)
        return next_is_marker or _body_like(nxt) or (blank_before and not in_list and _titleish(nxt.strip()) is False)

    def _place_preview(self, m: Marker) -> bool:
        return m.family != "bullet"

    def _restarts_after(self, content: list[tuple[int, int]], i: int, within: int = 3) -> bool:
        """Whether the main numbering starts again at 1 within a few lines after line i, under a title
        that follows a numbered section: a second document or a part, not a subsection of it."""
        if not self.major_style or not any(n.style == self.major_style for n in self._structural()):
            return False
        for s, e in content[i + 1 : i + 1 + within]:
            found = [m for m in markers_at(self.text[s:e].rstrip("\r\n")) if m.style == self.major_style]
            if found:
                return found[0].value == 1
        return False

    def _open_bare(self, s: int, heading: str, part: bool = False) -> None:
        if part:
            self._open(_Node("bare", s, heading=heading, part=True), None)
            return
        open_ = self._structural()
        major = next((n for n in open_ if self.major_style and n.style == self.major_style), None)
        if major is not None and major.parent is not None and major.parent.part:
            major = None  # numbered under a titled part: the next title is the part's sibling
        # Under a Markdown heading, a line read as a title ("More simply put", over a section's summary)
        # is part of that section: at the top it ended it, and the headings after it lost their section.
        major = major or self._open_heading()
        if major is not None and major.md_level and self._menu_heading(major):
            major = None
        self._open(_Node("bare", s, heading=heading, numpath=major.numpath if major else ()), major)

    def _menu_heading(self, n: _Node) -> bool:
        """A Markdown heading of a page's menu, over nothing but links up to the page's first prose
        ("### Industries", "• Construction", …): it holds no section. Under it, Dropbox's whole terms
        read "Industries › Termination"."""
        if self.prose_start is None:
            self.prose_start = self.seg_start + prose_span(self.text[self.seg_start : self.seg_end])[0]
        body = self.text.find("\n", n.start) + 1
        return n.start < self.prose_start and is_menu(self.text[body : self.prose_start])

    def _open_para(self, s: int) -> None:
        """A paragraph of its own beside the one open (or under the open clause)."""
        top = self.stack[-1] if self.stack else None
        if top is None:
            self._open(_Node("preamble", s), None)
            return
        parent = top.parent if top.kind == "para" else top
        self._open(_Node("para", s, numpath=parent.numpath if parent else ()), parent)

    def _paragraph(self, s: int, line: str, blank_before: bool) -> None:
        top = self.stack[-1] if self.stack else None
        if top is None:
            self._open(_Node("preamble", s), None)
            return
        if top.kind == "para":
            return
        if not top.children and top.absorbs and not (blank_before and top.kind == "marker" and not top.heading):
            return
        if top.kind == "marker" and len(line) - len(line.lstrip()) > top.indent:
            return  # indented under an item's number: a further paragraph of the item, not one after its list
        # Words in lower case go on with a numbered line that opens them: a term ('1.1. "Contributor"' /
        # "means each…") or a listing sentence ("…enable others to:" / "breach or circumvent…"). After
        # an item of a list they go on with the sentence that introduced the list. A numbered line that
        # is all announcement ("3.1 Disputes We Agree to Arbitrate:") holds the paragraph it announces.
        own = self.text[top.start : s].rstrip()
        opens = own.endswith((*COLONS, '"', "”"))
        announces = own.endswith(COLONS) and "\n" not in own
        if not top.children and top.kind == "marker" and opens and (announces or _LOWER_START.match(line.lstrip())):
            return
        parent = top.parent if not top.children else top
        # A paragraph after a list belongs to the clause that introduced the list.
        self._open(_Node("para", s, numpath=parent.numpath if parent else ()), parent)

    def _finish(self) -> None:
        if not self.nodes:
            return
        self.nodes[0].start = self.seg_start
        segment = segment_lang(self.text[self.seg_start : self.seg_end])
        order = self.nodes
        for i, n in enumerate(order):
            n.body_end = self._before_top_links(order[i + 1].start if i + 1 < len(order) else self.seg_end)
        for n in reversed(order):
            n.end = max([n.body_end] + [c.end for c in n.children])
        for n in order:
            if n.children:
                n.body_end = n.children[0].start
            n.lang = clause_lang(self.text[n.start : n.body_end], segment)

    def _before_top_links(self, end: int) -> int:
        """Where a clause ending at end ends without the links back up the page it closes with: quoted whole,
        a clause of Microsoft's terms ended "… at any time. Top of page"."""
        if not self.top_links:
            return end
        while True:
            stop = end
            while stop > self.seg_start and self.text[stop - 1].isspace():
                stop -= 1
            if stop not in self.top_links:
                return end
            end = self.top_links[stop]


def _within(node: _Node | None, ancestor: _Node | None) -> bool:
    """Whether node is ancestor or lies below it (everything lies within the document: ancestor None)."""
    while node is not None and node is not ancestor:
        node = node.parent
    return node is ancestor


def split_bilingual(text: str) -> list[tuple[int, int]]:
    """One segment, or two when the text is one language followed by a translation into another."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((pos, pos + len(line)))
        pos += len(line)
    cjk = [len(re.findall(f"[{CJK}]", text[s:e])) for s, e in spans]
    lat = [len(re.findall("[A-Za-z]", text[s:e])) // 3 for s, e in spans]  # ~3 letters per CJK char
    total_c, total_l = sum(cjk), sum(lat)
    # One language, or too few letters of either to tell (Cyrillic, bare numbers): one segment.
    if not total_c or not total_l or min(total_c, total_l) < 0.2 * (total_c + total_l):
        return [(0, len(text))]
    best, best_i, run_c, run_l = -1.0, 0, 0, 0
    for i in range(len(spans) + 1):
        for first_cjk in (True, False):
            a, b = (run_c, total_l - run_l) if first_cjk else (run_l, total_c - run_c)
            score = (a + b) / (total_c + total_l)
            if score > best:
                best, best_i = score, i
        if i < len(spans):
            run_c += cjk[i]
            run_l += lat[i]
    if best < 0.85 or best_i in (0, len(spans)):
        return [(0, len(text))]
    cut = spans[best_i][0]
    # Start the second version at its first content line, after any blank lines.
    return [(0, cut), (cut, len(text))]


def parse_clauses(doc_id: str, text: str) -> list[Clause]:
    """The clause tree of a document, flattened in document order."""
    segments = split_bilingual(text)
    forests = [_TreeBuilder(text, s, e).build() for s, e in segments]
    if len(forests) == 2:
        _align(forests[0], forests[1])
    for roots in forests:
        for root in roots:
            _split_units(text, root)
    used: dict[str, int] = {}
    out: list[_Node] = []
    for roots in forests:
        for root in roots:
            _assign_ids(doc_id, root, "", used, out)
    return [_to_clause(doc_id, text, n, i) for i, n in enumerate(out)]


def _align(a: list[_Node], b: list[_Node]) -> None:
    la, lb = [n for n in a if n.value], [n for n in b if n.value]
    ua, ub = [n for n in a if not n.value], [n for n in b if not n.value]
    pairs: list[tuple[_Node, _Node]] = []
    if len(la) == len(lb):
        pairs += list(zip(la, lb, strict=True))
    else:
        by_value = {n.value: n for n in lb}
        pairs += [(n, by_value[n.value]) for n in la if n.value in by_value]
    # Unnumbered clauses pair up in order; when counts differ, the ones nearest the numbered body match.
    k = min(len(ua), len(ub))
    pairs += list(zip(ua[len(ua) - k :], ub[len(ub) - k :], strict=True))
    for x, y in pairs:
        x.parallel, y.parallel = y, x
        _align(x.children, y.children)


def _split_units(text: str, n: _Node) -> None:
    """Give long or unnumbered text units of its own: each paragraph after the first, and each window-sized
    part of a long paragraph, becomes a "para" child that keeps the clause's heading path.

    Numbered clauses are cut only when longer than one window, so a numbered clause stays one citation;
    unnumbered text (a policy under headings, or with none) is cut at every paragraph, its natural unit.
    """
    for c in n.children:
        _split_units(text, c)
    s, e = strip_span(text, n.start, n.body_end)
    if n.kind == "marker" and e - s <= window(text[s:e]):
        return
    pieces = pieces_of(text, s, e)
    if len(pieces) < 2:
        return
    subs = []
    for i, (ps, _pe) in enumerate(pieces[1:], 1):
        stop = pieces[i + 1][0] if i + 1 < len(pieces) else n.body_end
        sub = _Node("para", ps, numpath=n.numpath, parent=n, depth=n.depth + 1, lang=n.lang)
        sub.body_end = sub.end = stop
        sub.parallel = n.parallel  # a part of a translated clause answers from the whole translation
        subs.append(sub)
    n.body_end = pieces[1][0]
    n.children = subs + n.children


def _slug(s: str) -> str:
    return re.sub(rf"[^0-9a-z{CJK}]+", "-", s.lower()).strip("-")[:40] or "section"


def _assign_ids(doc_id: str, n: _Node, prefix: str, used: dict[str, int], out: list[_Node]) -> None:
    """Ids for n and its subtree. used: each id given, with the next "~k" to try for its path (counted,
    not searched, so a document repeating one number 40,000 times is not quadratic)."""
    if n.kind == "marker" and n.style.startswith("dotted"):
        part, full = n.label, True
    elif n.kind == "marker" and n.label:
        part, full = n.label.strip("()）（"), False
    elif n.kind == "marker":
        part, full = f"b{n.nth}", False
    elif n.kind == "bare":  # a Markdown heading numbered "3.1" is clause 3.1, not 3.3.1
        part, full = n.label.strip("()）（") or _slug(n.heading), "." in n.label
    elif n.kind == "preamble":
        part, full = "preamble", False
    else:
        part, full = f"p{n.nth or 1}", False
    path = part if full or not prefix else f"{prefix}.{part}"
    cid, k = path, used.get(path, 2)
    if cid in used:
        cid = f"{path}~{k}"
        while cid in used:
            k += 1
            cid = f"{path}~{k}"
        used[path] = k + 1
    used.setdefault(cid, 2)
    n.id_part, n.clause_id = cid, f"{doc_id}#{cid}"
    out.append(n)
    counts = {"bullet": 0, "para": 0}
    for c in sorted(n.children, key=lambda c: c.start):
        kind = "bullet" if c.style == "bullet" else c.kind
        if kind in counts:
            counts[kind] += 1
            c.nth = counts[kind]
    for c in n.children:
        _assign_ids(doc_id, c, cid, used, out)


def _describe(n: _Node) -> str:
    if n.kind == "preamble":
        return "Preamble"
    return " ".join(p for p in (n.label, n.heading) if p)


def _to_clause(doc_id: str, text: str, n: _Node, ordinal: int) -> Clause:
    path: list[str] = []
    p = n.parent
    while p is not None:
        d = _describe(p)
        if d:
            path.append(d)
        p = p.parent
    depth = len(path)
    return Clause(
        clause_id=n.clause_id,
        doc_id=doc_id,
        label=n.label,
        heading=n.heading,
        path=tuple(reversed(path)),
        start=n.start,
        end=n.end,
        body_end=n.body_end,
        lang=n.lang,
        parent_id=n.parent.clause_id if n.parent else None,
        depth=depth,
        ordinal=ordinal,
        parallel_id=n.parallel.clause_id if n.parallel else None,
        children=tuple(c.clause_id for c in n.children),
        kind=n.kind,
    )
