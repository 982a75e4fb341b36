"""Markdown -> text: the words a reader of the rendered page sees, with its block structure as lines.

markdown-it-py reads the file as CommonMark (with tables). Headings, underlined ("Terms\\n=====") or
not, become "#" lines of their level, which the clause parser takes as sections; links, emphasis and
backslash escapes leave their words ("**1\\. The Service**" is "1. The Service", "[Meta
Products](https://…)" is "Meta Products"); list items keep their number or a bullet, indented by
their depth, which the parser nests them by; a table row is one line of cells (a <br> in one a
space); a line broken inside a paragraph goes on, as a web page's <br> does. A paragraph that opens
with its title in bold ("**Cooling off period.** You may…") is a section of its own under that
title, one level under the heading before it.

Platforms publish their terms as Markdown written from their web pages, every heading underlined and
bold: read as plain text, none of those headings was a section and every quote carried the markup.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.text import BULLET, ITEM_NUMBER, TITLE_CHARS, TOP_LINK, is_date_stamp
from ingest.types import Extracted

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.S)  # a static-site generator's header
_FRONT_TITLE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.M)
_RULE = re.compile(r"=+")
_AFTER_TITLE = re.compile(r"^[.:：—–](?:\s+|$)")
_BR = re.compile(r"(?i)<br\s*/?>")
_CELL_HEADING = re.compile(r"(?:^|\s)#{1,6}\s+")
_CELL_HEADING_ONLY = re.compile(r"(#{1,6})\s+(?=\S)")
# A bold lead that is only a clause's number ("**10.2** NEXTROLL WILL…") or opens with an item's letter
# ("**(a) Unlimited Plans; Fees**. We may…", Amazon Music's terms) numbers its paragraph, as a line of
# text does: made a title, "(a)" ended section 1 and "10.2" had no number.
_ITEM_LEAD = re.compile(rf"{ITEM_NUMBER}|(?:\d+\.)*\d+\.?$")
# Script and style a page's converter left as paragraphs of text: braces around a declaration
# ("{ background: none; }", '{"value":"AW"}', "{ window.x = 1; }"). Netflix's terms as ToS;DR keeps
# them end in 14,000 characters of JavaScript, offered as related reading; BetterHelp's, AliExpress's
# and Bandcamp's hold scripts and CSS. No paragraph of legal text in 103 development files has one.
_CODE = re.compile(r"\{[^{}]*[;:=][^{}]*\}")
# A bold title at a paragraph's start whose text follows without a space ("**b. Registration and
# Access.**Only individuals…", Hulu's terms as archived): CommonMark cannot close bold between a stop and
# a letter, so the title ran into the text and item b into item a. The page shows the two apart.
_GLUED_TITLE = re.compile(r"(?m)^([ \t]*(?:[-*+][ \t]+|\d{1,3}[.)][ \t]+)?\*\*[^*\n]+?[.:!?])\*\*(?=[^\W_])")


def markdown_text(md: str) -> Extracted:
    """The text of a Markdown file's words (decoded), and the title its front matter gives."""
    title = ""
    if front := _FRONT_MATTER.match(md):
        md = md[front.end() :]
        if named := _FRONT_TITLE.search(front.group(1)):
            title = named.group(1).strip("\"'")
    lines: list[str] = []
    last_item = -1  # the depth of the list item read last, while nothing outside a list follows it (-1)
    heading: int | None = None  # the level of the heading being read
    level = 0  # ...and of the last one read
    items: list[Token] = []  # the list items open around the current block, innermost last
    in_cell = False
    cells: list[str] = []  # the cells of the table row being read
    main: list[str] = []  # the words of each level-1 heading
    main_at = 0  # ...and the line of the first
    nav: set[int] = set()  # the lines that are only links: a menu's entries, a footer's
    for tok in MarkdownIt("commonmark").enable("table").parse(_GLUED_TITLE.sub(r"\1** ", md)):
        if tok.type == "heading_open":
            heading = level = int(tok.tag[1])
        elif tok.type == "heading_close":
            heading = None
        elif tok.type == "list_item_open":
            items.append(tok)
        elif tok.type == "list_item_close":
            items.pop()
        elif tok.type == "tr_open":
            cells = []
        elif tok.type == "tr_close":
            row, row_level = _row(cells)
            lines.append(row)
            level = row_level or level  # a title bold under a heading row is a level below it, as under any heading
        elif tok.type in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = tok.nesting == 1
        elif tok.type == "inline" and in_cell:
            if not _back_to_top(tok.children or []):
                cells.append(_words(tok.children or []).strip())
        elif tok.type == "inline":
            children = tok.children or []
            if heading is not None:
                last_item = -1
                words = _words(children)
                # A heading that only dates the page ("Last Updated: June 14, 2021", Instacart's) is text of
                # its preamble, as a date in bold is: as a section it stood in the outline, holding nothing.
                text = f"{'#' * heading} {words}" if words and not is_date_stamp(words) else words
                if heading == 1:
                    main_at = main_at if main else len(lines)
                    main.append(words)
            elif items and items[-1].meta.get("fresh", True):
                item_title, body = _item_title(items[-1], children)
                words = item_title or _words(children)
                if _RULE.fullmatch(words):
                    continue  # an underline set apart from its title by a blank line: no words
                items[-1].meta["fresh"] = False  # the item's marker goes before its first line only
                last_item = len(items) - 1
                text = f"{'  ' * last_item}{_marker(items[-1])} {words}"  # a nested item indented
                if body:
                    lines.append(text)
                    text = body
            else:
                if not items:
                    last_item = -1  # a paragraph outside any list: no block after it goes on with an item
                lead, text = _run_in(children)
                if _CODE.search(text) or _back_to_top(children):
                    continue  # a page's script or style, or its way back to the top: no words of the text
                if lead:
                    lines.append(f"{'#' * min(level + 1, 6)} {lead}")
                elif _RULE.fullmatch(text):
                    continue
                elif not items:
                    text = _broken_lines(children)
                else:
                    # A further paragraph of an item stands indented under the item's first line, as the
                    # page shows it: flush left, it read as the section's, and it ended the item's list
                    # (Yelp's "4.4 Accounts" took its second paragraph, and "4.5" became section 5).
                    text = f"{'  ' * len(items)}{text}"
            if _links_only(children):
                nav.add(len(lines))
            lines.append(text)
        elif tok.type == "code_block" and last_item >= 0:
            # Terms hold no code: a block indented as code under a list item is the item's own sub-list,
            # indented for a narrower number ("10.  **Term.**" over "    1.  **Term.** This…", four spaces
            # where CommonMark wants five), read as Markdown one level under the item.
            depth = last_item + 1
            lines += [f"{'  ' * depth}{line}" for line in markdown_text(tok.content).text.split("\n")]
        elif tok.type in ("fence", "code_block"):
            lines.append(tok.content.rstrip("\n"))
        elif tok.type == "html_block":
            lines.append(_html_words(tok.content))
    # A page's one main heading is its title, though the page's header comes first: Strava's terms open
    # with its logo's link, "Strava", and a menu, and both its documents were titled "Strava". A file
    # whose sections are each a main heading declares no title by them, nor a frame around them.
    if len(set(main)) == 1:
        lines = _unframed(lines, nav, main_at)
        title = title or main[0]
    text = "\n\n".join(line for line in lines if line.strip())
    return Extracted(text + "\n" if text else "", title=title)


def _row(cells: list[str]) -> tuple[str, int]:
    """A table row as one line of its cells, and its heading level (0 for none). A heading a page set in a
    cell stays "### Title" there, as CommonMark reads no heading in a cell: alone in its row ("| ### 5\\.
    PAYMENT TERMS | [Back to top](#…) |", as NextRoll lays out each section's title beside its link back
    up), it is the heading; beside other words, its marks go."""
    shown = [c for c in cells if c]
    if len(shown) == 1 and (heading := _CELL_HEADING_ONLY.match(shown[0])):
        return f"{heading.group(1)} {shown[0][heading.end() :]}", len(heading.group(1))
    return " | ".join(_CELL_HEADING.sub(" ", c).strip() for c in shown), 0


def _run_in(children: list[Token]) -> tuple[str, str]:
    """(title, text) of an inline run: a paragraph that opens with its title in bold ("**Cooling off
    period.** You are entitled…"), as web pages title the paragraphs of a section, is a heading one level
    under the section's, so the paragraph is a unit under its own title; ("", all its words) for any other
    run, a label ("**Note:**") included.

    The title may be bold in pieces ("**Changing** **this Agreement**"), or bold CommonMark cannot close
    when the line breaks inside it ("**Governing Law<br>**All claims…", as YouTube's terms write it): a
    first line that is all bold is the title."""
    title, text = _bold_title(children)
    # A date in bold ("**Last Updated on June 30, 2022**. These Terms…", Yelp's terms) dates the page: made
    # a title, it held every numbered section after it, and each citation's path opened with the date.
    if not title or title.endswith((":", "：")) or _ITEM_LEAD.match(title) or is_date_stamp(title):
        return "", _words(children)
    return title, text


def _item_title(item: Token, children: list[Token]) -> tuple[str, str]:
    """(title, text) of a numbered item whose first line is its title in bold, broken from the text
    ("2.  **Free Trials<br>**<br>2.1. Your membership…", as Netflix's terms write it); ("", "") for any
    other item. Read as one line, the title took the first sub-clause's number ("Free Trials 2.1") and
    the sub-clause was lost: looked up, "2.1" was not found."""
    return _bold_title(children, broken=True) if item.info else ("", "")


def _bold_title(children: list[Token], broken: bool = False) -> tuple[str, str]:
    """(title, text) of a run that opens with a title in bold and goes on (broken: on the next line);
    ("", "") for any other run."""
    shown = [t for t in children if t.content or t.type != "text"]  # markdown-it opens with an empty one
    end = _bold_lead(shown)
    if not end or (broken and not (end < len(shown) and shown[end].type == "hardbreak")):
        return "", ""
    title, after = _words(shown[:end]), _words(shown[end:])
    if not title or len(title) > TITLE_CHARS or (not broken and _goes_on(after)):
        return "", ""
    # The stop, colon or dash closing the title may stand outside its bold ("**13.2 Termination**. You
    # may…", as Airbnb writes every clause; "**Arbitration**: If we…", Pinterest): left on the text, each
    # quote opened with ". ". Alone after it ("**22. Governing Law**."), it leaves a title over the
    # paragraphs that follow, which quoted "." as their first line.
    text = _AFTER_TITLE.sub("", after, count=1)
    return (title, text) if text or after else ("", "")


def _goes_on(after: str) -> bool:
    """Whether the words after a bold lead go on with its sentence: a comma, or a word in lower case
    ("**AdSupply Inc.**, with registered address at…", "**“Personal Data”** means…"). A title closes with
    a stop, a colon or a dash, or the text after it starts anew: read as one, the sentence was cut in two
    at the bold."""
    first = after.lstrip()[:1]
    return first in (",", ";", ")") or first.islower()


def _bold_lead(shown: list[Token]) -> int:
    """Where the bold the run opens with ends (0 when it opens otherwise): after its bold spans and the
    spaces between them, or at the line break that ends a first line of bold only."""
    depth = end = 0
    for i, t in enumerate(shown):
        if t.type == "hardbreak":
            return i if i and depth == 0 else end
        if t.type in ("strong_open", "strong_close"):
            depth += 1 if t.type == "strong_open" else -1
            end = i + 1 if depth == 0 else end
        elif depth == 0 and not (t.type == "text" and (t.content.isspace() or _unclosed_to_break(shown, i))):
            return end  # words not in bold
    return end


def _unclosed_to_break(shown: list[Token], i: int) -> bool:
    """Whether the text at i is bold CommonMark left unclosed up to the line's break ("**Governing Law"),
    not asterisks inside running words ("**(b)**Cancellations may be made…") nor a stray pair ("** Note")."""
    words = shown[i].content.lstrip()
    nxt = shown[i + 1].type if i + 1 < len(shown) else ""
    return nxt == "hardbreak" and words.startswith("**") and "**" not in words[2:] and not words[2:3].isspace()


# The line that closes a page's own text, before its footer: "© 2024 Strava", "Copyright 2023 Orbit Inc."
# ("(c) You may cancel…" is an item, and "Copyright Policy" a section's title.)
_COPYRIGHT = re.compile(r"(?i)(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))")
_SEPARATORS = re.compile(r"[\s|·•,/–—-]*")  # between the links of a footer's row ("Privacy | Terms")
LABEL_WORDS = 5  # a footer column's label ("Get to know us", "Browse by restaurants")
_SENTENCE_ENDS = (".", "!", "?", ":", ";")
_EMPHASIS = ("strong_open", "strong_close", "em_open", "em_close", "softbreak", "hardbreak")


def _links_only(children: list[Token]) -> bool:
    """Whether an inline run is only links, and separators between them: a menu's entry ("[Sign Up](…)"),
    a heading that only links elsewhere ("#### [Student Discount](…)"), a footer's row of links. A link to
    write or call ("[privacy@example.com](mailto:…)") is a way to reach the company, which the text gives."""
    depth = links = 0
    for t in children:
        if t.type == "link_open" and str(t.attrGet("href") or "").lower().startswith(("mailto:", "tel:")):
            return False
        if t.type in ("link_open", "link_close"):
            depth += 1 if t.type == "link_open" else -1
            links += t.type == "link_open"
        elif depth == 0 and not (t.type in _EMPHASIS or (t.type == "text" and _SEPARATORS.fullmatch(t.content))):
            return False
    return links > 0


def _unframed(lines: list[str], nav: set[int], main_at: int) -> list[str]:
    """A page's lines without the frame around its text: before its main heading (the line `main_at`) and
    after the copyright line that follows it, the lines that are only links, and the headings over nothing
    else. Strava's documents open with a logo's link and two menus and end in four columns of links
    ("#### Follow" over "Facebook", "Instagram"…): each entry was a clause, "Student Discount" was cited
    for a veteran's discount, and the sidebar counted 129 clauses. The lines just before the copyright
    line, when they are such links and headings, are the footer too: Hulu's columns ("### BROWSE" over
    runs of links) come before it, and one was cited for a student discount. So is the copyright line,
    which ran into the last section ("…delete your account. © 2024 Strava") and ended its quotes. Within
    the text, links listed as text ("the Guidelines … are set out at the following links:") stay."""
    nav = nav | {i for i, line in enumerate(lines) if not line.strip()}  # a block without words is no text
    rights = [i for i, line in enumerate(lines) if i >= main_at and _COPYRIGHT.match(line.strip())]
    end = rights[0] if rights else len(lines)
    dropped = [(i < main_at or i >= end) and (i in nav or i in rights) for i in range(len(lines))]

    def heads_nothing(i: int) -> bool:  # a heading over dropped lines only, up to the next heading
        last = end if i < end else len(lines)  # ...or the copyright line
        j = next((j for j in range(i + 1, last) if lines[j].startswith("#")), last)
        return lines[i].startswith("#") and all(dropped[k] for k in range(i + 1, j))

    for i in (*range(len(lines) - 1, end, -1), *range(main_at)):
        dropped[i] = dropped[i] or heads_nothing(i)
    for i in range(end - 1, main_at, -1) if rights else ():  # a page without one may end in its own links
        # A column's label over its links is written as a heading or as a short line ("Useful links").
        label = len(lines[i].split()) <= LABEL_WORDS and not lines[i].rstrip().endswith(_SENTENCE_ENDS)
        if not (i in nav or heads_nothing(i) or (label and i + 1 < end and dropped[i + 1])):
            break
        dropped[i] = True
    return [line for line, gone in zip(lines, dropped, strict=True) if not gone]


def _marker(item: Token) -> str:
    """The item's number as the file writes it ("3."), or a bullet."""
    return f"{item.info}{item.markup}" if item.info else BULLET


def _back_to_top(children: list[Token]) -> bool:
    """A paragraph that is only a link back up the page ("[Back to top](#top)" after each of the BBC's
    sections): read as text, it ended every section, and quotes took it in."""
    links = [t for t in children if t.type == "link_open"]
    return (
        len(links) == 1
        and str(links[0].attrGet("href") or "").startswith("#")
        and bool(re.fullmatch(TOP_LINK, _words(children), re.IGNORECASE))
    )


def _words(children: list[Token]) -> str:
    """An inline run's words as the page shows them, markup left out, on one line: a line broken inside
    a list item ("**Research.**" / "We use…") is the item's, and read as two lines the second stood
    apart from the item as a paragraph of its own, as a web page's <br> is read."""
    shown = ("text", "code_inline", "image")  # an image shows its alt text
    words = (t.content if t.type in shown else " " if _breaks(t) else "" for t in children)
    # Bold that CommonMark cannot close ("**(b)**Cancellations", "and**,** to") is left as literal
    # asterisks; a reader of the page sees the words only.
    return " ".join("".join(words).replace("**", "").split())


def _broken_lines(children: list[Token]) -> str:
    """A paragraph's words line by line where the page breaks its lines (Markdown's hard break, two spaces
    or a backslash at a line's end): a title over its text ("Changes To This Privacy Statement" / "We may
    update…", as GM's policy writes each) and a list of telephone numbers, run into one line, read as
    one sentence, and the title was found nowhere. Within a list item the lines stay one: see _words."""
    lines: list[list[Token]] = [[]]
    for t in children:
        if t.type == "hardbreak":
            lines.append([])
        else:
            lines[-1].append(t)
    return "\n".join(words for line in lines if (words := _words(line)))


def _breaks(t: Token) -> bool:
    """A line break: Markdown's, or HTML's <br> written inline, as a table cell must write one ("Children's
    Privacy<br><br>We do not…", Allrecipes' privacy highlights), whose words ran together without it."""
    return t.type.endswith("break") or (t.type == "html_inline" and bool(_BR.fullmatch(t.content.strip())))


def _html_words(block: str) -> str:
    """The words of raw HTML written into the Markdown (a <div>, an HTML table), one line."""
    try:
        return " ".join(lxml_html.fromstring(block).text_content().split())
    except (ValueError, etree.ParserError):
        return ""  # a comment or a lone tag: no words
