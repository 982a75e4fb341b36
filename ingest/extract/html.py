"""Web page -> text (trafilatura finds the main content; its structure becomes lines).

Scripts, styles, navigation, cookie banners and footers are left out by trafilatura's main-content
extraction. Headings, paragraphs and list items become lines, with a blank line between blocks so the
clause parser and the unit splitter see the page's structure; a table row becomes one line of cells,
unless the table only lays out the page (its cells hold paragraphs), whose blocks are then lines.
"""

from __future__ import annotations

import re

import trafilatura
from lxml import etree

from ingest.errors import LoadError
from ingest.types import Extracted

_BLOCKS = {"head", "p", "item", "quote", "code", "list", "table", "row", "cell", "div", "main", "doc", "comments"}
_LINES = {"head", "p", "item", "quote", "code"}
MAX_DEPTH = 400  # deeper nesting is flattened (a hostile page nests 200,000 levels; lxml would refuse it)


def html_text(raw: bytes, source: str) -> Extracted:
    try:
        xml = trafilatura.extract(
            _flatten(raw),
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
    return Extracted(text + "\n", title=_title(root))


def _title(root: etree._Element) -> str:
    """ "Washington Post Privacy Policy" from the page's title and site name; "" when it has none or the
    title is a site's slogan rather than the document's name."""
    title, site = (" ".join((root.get(k) or "").split()) for k in ("title", "sitename"))
    if not title or len(title) > 80 or re.search(r"\s[-|–—:]\s", title):
        return ""
    if site and "." not in site and site.lower() not in title.lower():
        return f"{site} {title}"
    return title


def _flatten(raw: bytes) -> bytes:
    """The page with runs of opening tags beyond MAX_DEPTH removed, so no parser recurses without end."""
    opens = len(re.findall(rb"<(?:div|span|p|section|b|i|font|table|td|tr|ul|li)\b", raw[:2_000_000], re.I))
    if opens < MAX_DEPTH:
        return raw
    # Nesting this deep is never content: drop the repeated wrapper tags, keep the text.
    return re.sub(rb"(?:<(?:div|span|section|font|b|i)\b[^<>]{0,2000}>\s*){50,}", b"", raw)


def _inline(el: etree._Element) -> str:
    """The words of an element, its nested blocks excepted, as one line."""
    parts = [el.text or ""]
    for child in el:
        if child.tag in _BLOCKS:
            parts.append(child.tail or "")
            continue
        parts.append("\n" if child.tag == "lb" else _inline(child))
        parts.append(child.tail or "")
    return " ".join(" ".join(p.split()) for p in "".join(parts).split("\n") if p.strip())


def _render(el: etree._Element, out: list[str]) -> None:
    if el.tag in _LINES:
        out.append(_inline(el))
        for child in el:
            if child.tag in _BLOCKS:
                _render(child, out)
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
