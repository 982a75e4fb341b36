"""Web page -> text (trafilatura finds the main content; its structure becomes lines).

Scripts, styles, navigation, cookie banners and footers are left out by trafilatura's main-content
extraction. Headings, paragraphs and list items become lines, with a blank line between blocks so the
clause parser and the unit splitter see the page's structure; a table row becomes one line of cells,
unless the table only lays out the page (its cells hold paragraphs), whose blocks are then lines.
Text a page leaves loose between its blocks (section titles without a heading tag), a title in a plain
<div> among paragraphs, and list items without their list are made blocks first, as trafilatura would
drop them.
"""

from __future__ import annotations

import re

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from ingest.errors import LoadError
from ingest.text import BULLET, KIND_WORD, TITLE_CHARS
from ingest.types import Extracted

_BLOCKS = {"head", "p", "item", "quote", "code", "list", "table", "row", "cell", "div", "main", "doc", "comments"}
_LINES = {"head", "p", "item", "quote", "code"}
MAX_DEPTH = 400  # deeper nesting is flattened (a hostile page nests 200,000 levels; lxml would refuse it)


def html_text(raw: bytes, source: str) -> Extracted:
    try:
        tree = trafilatura.load_html(_flatten(raw))
        if tree is None:
            raise LoadError(f"{source}: no readable text in this page")
        page_title = " ".join((tree.findtext(".//title") or "").split())
        xml = trafilatura.extract(
            _loose_text_as_paragraphs(tree),
            output_format="xml",
            include_tables=True,
            include_comments=False,
            include_links=False,
            include_images=False,
            favor_recall=True,  # terms pages are long runs of similar paragraphs; keep them all
            deduplicate=False,
            with_metadata=True,
        )
    except (ValueError, etree.LxmlError, RecursionError) as e:
        raise LoadError(f"{source}: the page could not be read as HTML ({type(e).__name__})") from None
    if not xml:
        raise LoadError(f"{source}: no readable text in this page (is it a script-only page? save it after it loads)")
    root = etree.fromstring(xml.encode("utf-8"))
    lines: list[str] = []
    _render(root, lines)
    text = "\n\n".join(line for line in lines if line)
    if not text.strip():
        raise LoadError(f"{source}: no readable text in this page")
    title, site = _title(root, page_title)
    return Extracted(text + "\n", title=title, site=site)


SITE_WORDS = 4  # "Privacy Policy | Vox Media": a part this short beside the document's name is the site's


def _title(root: etree._Element, page_title: str) -> tuple[str, str]:
    """("BoardGameGeek Privacy Policy", "BoardGameGeek") from the page's <title> ("Privacy Policy |
    BoardGameGeek"), the title and site name trafilatura reads; "" for a title that is a site's slogan
    rather than the document's name ("JibJab.com - Happy Birthday eCards, Funny eCards…")."""
    title, site = (" ".join((root.get(k) or "").split()) for k in ("title", "sitename"))
    site = site if "." not in site else ""
    parts = [p.strip() for p in re.split(r"\s[-|–—:]\s", page_title) if p.strip()]
    named = [p for p in parts if KIND_WORD.search(p)]  # the part that names a kind of document
    others = [p for p in parts if not KIND_WORD.search(p)]
    if len(parts) == 2 and len(named) == 1 and len(others[0].split()) <= SITE_WORDS and "." not in others[0]:
        title, site = named[0], site or others[0]
    elif not title or len(title) > 80 or re.search(r"\s[-|–—:]\s", title):
        return "", site
    if site and not set(site.lower().split()) & set(title.lower().split()):
        return f"{site} {title}", site
    return title, site


def _flatten(raw: bytes) -> bytes:
    """The page with runs of opening tags beyond MAX_DEPTH removed, so no parser recurses without end."""
    opens = len(re.findall(rb"<(?:div|span|p|section|b|i|font|table|td|tr|ul|li)\b", raw[:2_000_000], re.I))
    if opens < MAX_DEPTH:
        return raw
    # Nesting this deep is never content: drop the repeated wrapper tags, keep the text.
    return re.sub(rb"(?:<(?:div|span|section|font|b|i)\b[^<>]{0,2000}>\s*){50,}", b"", raw)


# Elements that hold blocks; text loose inside one, between its blocks, is a paragraph of its own.
_CONTAINERS = {"body", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote", "form"}
_HTML_BLOCKS = {
    *_CONTAINERS,
    *("p", "ul", "ol", "li", "dl", "dt", "dd", "table", "pre", "hr", "figure", "details", "summary", "address"),
    *("h1", "h2", "h3", "h4", "h5", "h6"),
}


def _loose_text_as_paragraphs(root: HtmlElement) -> HtmlElement:
    """The page with each run of loose text between blocks ("</ul> 4. How Projects Work <p>") wrapped
    in a paragraph: trafilatura keeps blocks and drops most text outside them, and a page that writes
    its headings bare lost them (and with them the sections the clause parser finds)."""
    _lists_closed(root)
    _orphan_items_listed(root)
    for el in list(root.iter(*_CONTAINERS)):
        children = list(el)
        if not any(isinstance(c.tag, str) and c.tag in _HTML_BLOCKS for c in children):
            _leaf_title_as_paragraph(el)
            continue
        pieces: list[str | etree._Element] = [el.text or ""]
        for child in children:
            pieces += [child, child.tail or ""]
            child.tail = None
        el.text = None
        for child in children:
            el.remove(child)
        el.extend(_arranged(pieces))
    return root


def _leaf_title_as_paragraph(el: HtmlElement) -> None:
    """A <div> holding only a short line, among paragraphs (<div class="subhead">Data Security</div>): a
    section title written without a heading tag, which trafilatura drops as layout."""
    parent = el.getparent()
    words = " ".join(el.text_content().split())
    if (
        el.tag == "div"
        and parent is not None
        and 0 < len(words) <= TITLE_CHARS
        and any(isinstance(s.tag, str) and s.tag == "p" for s in parent)
    ):
        el.tag = "p"


def _lists_closed(root: HtmlElement) -> None:
    """A list whose closing tag is missing ends where its items do: the paragraphs, titles and loose
    text a parser put inside it ("<li>Children</li> Changes to This Policy <p>We may update…") follow
    it. Left inside, they came out after every list item of the page: a policy's table of contents
    swallowed its sections, and their paragraphs were read after all its lists."""
    for lst in list(root.iter("ul", "ol")):
        kids = list(lst)
        cut, loose = None, None
        for i, kid in enumerate(kids):
            if isinstance(kid.tag, str) and kid.tag in _HTML_BLOCKS and kid.tag not in ("li", "ul", "ol"):
                cut = i
                break
            if kid.tail and kid.tail.strip():
                cut, loose, kid.tail = i + 1, kid.tail, None
                break
        if cut is None:
            continue
        after, lst.tail = lst.tail, loose
        last = lst
        for kid in kids[cut:]:
            last.addnext(kid)
            last = kid
        last.tail = (last.tail or "") + (after or "")


def _orphan_items_listed(root: HtmlElement) -> None:
    """List items written without their <ul> (browsers show them; trafilatura drops them), each run of
    them put in one list."""
    for parent in {li.getparent() for li in root.iter("li")} - {None}:
        if parent.tag in ("ul", "ol", "menu"):
            continue
        run: list[HtmlElement] = []
        for child in [*list(parent), None]:
            if child is not None and child.tag == "li":
                run.append(child)
                continue
            if run:
                ul = etree.Element("ul")
                run[0].addprevious(ul)
                ul.extend(run)
                run = []


def _arranged(pieces: list[str | etree._Element]) -> list[etree._Element]:
    """Blocks as they are; loose text and the inline elements within it (links, bold words) in <p>s."""
    out: list[etree._Element] = []
    para: etree._Element | None = None
    for piece in pieces:
        if isinstance(piece, str) and not piece.strip():
            continue
        if not isinstance(piece, str) and (piece.tag == "br" or piece.tag in _HTML_BLOCKS):
            para = None  # loose lines broken by <br> are paragraphs of their own
            if piece.tag != "br":
                out.append(piece)
            continue
        empty = not isinstance(piece, str) and (not isinstance(piece.tag, str) or not piece.text_content().strip())
        if empty and para is None:
            out.append(piece)  # a comment, or an empty inline element, between blocks
            continue
        titles = _title_lines(piece) if isinstance(piece, str) else []
        for line in titles:
            para = etree.Element("p")
            para.text = line
            out.append(para)
        if titles:
            continue
        if para is None:
            para = etree.Element("p")
            out.append(para)
        if not isinstance(piece, str):
            para.append(piece)
        elif len(para):
            para[-1].tail = (para[-1].tail or "") + piece
        else:
            para.text = (para.text or "") + piece
    return out


_NUMBER = re.compile(r"(?:\d+(?:\.\d+)*\.?|[A-Z]\.|\(?[a-z0-9]{1,4}\))(?:\s|$)")


def _title_lines(text: str) -> list[str]:
    """Loose text that is a run of numbered titles, one per line ("R.\nMiscellaneous\n1.\nGoverning
    Law", what a page's stripped headings leave): ["R. Miscellaneous", "1. Governing Law"]. [] for text
    with at most one number at a line start, or whose parts are too long to be titles."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    groups: list[list[str]] = []
    for line in lines:
        after_lone_number = bool(groups) and len(groups[-1]) == 1 and _NUMBER.fullmatch(f"{groups[-1][0]} ")
        if not groups or (_NUMBER.match(line) and not after_lone_number):
            groups.append([line])
        else:
            groups[-1].append(line)
    titles = [" ".join(g) for g in groups]
    return titles if len(titles) > 1 and all(len(t) <= TITLE_CHARS for t in titles) else []


def _runs(el: etree._Element) -> list[str | etree._Element]:
    """An element's words as lines, in reading order, with each nested block where it stands: the words
    after a list nested in an item ("…as follows: <list/> Note: …") come after that list, not before."""
    runs: list[str | etree._Element] = []
    parts = [el.text or ""]
    for child in el:
        if child.tag in _BLOCKS:
            runs += [_joined(parts), child]
            parts = [child.tail or ""]
            continue
        parts.append("\n" if child.tag == "lb" else _inline(child))
        parts.append(child.tail or "")
    runs.append(_joined(parts))
    return runs


def _joined(parts: list[str]) -> str:
    return " ".join(" ".join(p.split()) for p in "".join(parts).split("\n") if p.strip())


def _inline(el: etree._Element) -> str:
    """The words of an element, its nested blocks excepted, as one line."""
    return " ".join(r for r in _runs(el) if isinstance(r, str) and r)


def _bullet(item: etree._Element) -> str:
    """The marker a bulleted list item's first line starts with, indented by its depth among bulleted lists
    ("  • " in a list within a list), as the Markdown reader writes it; "" for an item of a numbered list,
    whose numbers the page's text does not hold."""
    lists = list(item.iterancestors("list"))
    if not lists or lists[0].get("rend", "ul") != "ul":
        return ""
    return f"{'  ' * (len(lists) - 1)}{BULLET} "


def _render(el: etree._Element, out: list[str]) -> None:
    if el.tag in _LINES:
        marker = _bullet(el) if el.tag == "item" else ""
        for run in _runs(el):
            if isinstance(run, str):
                if run and marker:
                    run, marker = marker + run, ""  # the marker goes before the item's first line only
                out.append(run)
            else:
                _render(run, out)
    elif el.tag == "row":
        cells = list(el)
        if any(c2.tag in _BLOCKS - {"cell"} for c in cells for c2 in c):
            for c in cells:
                _render(c, out)
        else:
            out.append(" | ".join(t for t in (_inline(c) for c in cells) if t))
    else:
        if el.text and el.text.strip():
            out.append(" ".join(el.text.split()))
        for child in el:
            _render(child, out)
    if el.tail and el.tail.strip() and el.getparent() is not None and el.getparent().tag not in _LINES:
        out.append(" ".join(el.tail.split()))
