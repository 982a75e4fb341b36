"""Word (.docx) -> text, with Word's automatic numbering written out ("1.1", "(a)").

docx2python reads the paragraphs in order; the numbering is counted here, as Word counts it, because
docx2python's own misses numbering that comes from a paragraph's style (Word's "List Number") and
writes every level as "1)" instead of the level's pattern (w:lvlText, "%1.%2."). A .docx is a zip:
its size once unpacked is checked before anything is read, so a zip bomb is refused.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx2python import docx2python
from lxml import etree

from ingest.errors import LoadError
from ingest.text import BULLET
from ingest.types import Extracted

MAX_UNPACKED = 100 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PREFIX = re.compile(r"^\t*[^\t]{0,16}\)\t")  # docx2python's own "1)\t" numbering, replaced by ours


def docx_text(raw: bytes, source: str) -> Extracted:
    try:
        return _docx_text(raw, source)
    except LoadError:
        raise
    except Exception as e:  # noqa: BLE001 - a malformed part of any kind is one unreadable file
        raise LoadError(f"{source}: the Word file could not be read ({type(e).__name__})") from None


def _docx_text(raw: bytes, source: str) -> Extracted:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
            if unpacked > MAX_UNPACKED:
                raise LoadError(
                    f"{source}: unpacks to {unpacked / 1024 / 1024:.0f} MiB (the limit is "
                    f"{MAX_UNPACKED // 1024 // 1024} MiB); is it a real Word file?"
                )
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise LoadError(f"{source}: not a Word document (no word/document.xml inside)")
            lists = _Lists(
                z.read("word/numbering.xml") if "word/numbering.xml" in names else None,
                z.read("word/styles.xml") if "word/styles.xml" in names else None,
            )
    except zipfile.BadZipFile:
        raise LoadError(
            f"{source}: not a Word file (a .docx is a zip archive; is it a .doc? save it as .docx)"
        ) from None
    with docx2python(io.BytesIO(raw)) as doc:
        pars = [p for table in doc.document_pars for row in table for cell in row for p in cell]
    lines = []
    for p in pars:
        body = "".join(r.text for r in p.runs)
        if p.list_position[0] is not None:
            body = _PREFIX.sub("", body)  # docx2python's own "1)" for every level
        label = lists.label(p.elem)
        body = " ".join(body.split())
        if body:
            lines.append(f"{label} {body}" if label else body)
    if not lines:
        raise LoadError(f"{source}: the Word file holds no text")
    return Extracted("\n\n".join(lines) + "\n")


class _Lists:
    """Word's list numbering, counted as Word counts it: a paragraph is numbered by its own w:numPr or
    by its style's (List Number, numbered headings); counters run per list and restart where a list
    instance overrides its start; the label is the level's w:lvlText with each %n formatted."""

    def __init__(self, numbering: bytes | None, styles: bytes | None) -> None:
        self.formats: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> level -> (fmt, text, start)
        self.key: dict[str, str] = {}  # numId -> whose counters it uses
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # id -> (numId, ilvl, basedOn)
        self.counters: dict[str, list[int]] = {}
        if numbering:
            self._read_numbering(_xml(numbering))
        if styles:
            for st in _xml(styles).iter(f"{_W}style"):
                num = st.find(f"{_W}pPr/{_W}numPr")
                based = st.find(f"{_W}basedOn")
                self.styles[st.get(f"{_W}styleId", "")] = (
                    _val(num, "numId"),
                    _val(num, "ilvl"),
                    based.get(f"{_W}val") if based is not None else None,
                )

    def _read_numbering(self, root: etree._Element) -> None:
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for a in root.iter(f"{_W}abstractNum"):
            abstract[a.get(f"{_W}abstractNumId", "")] = {
                int(lvl.get(f"{_W}ilvl", "0")): (
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                    int(_val(lvl, "start") or 1),
                )
                for lvl in a.iter(f"{_W}lvl")
            }
        for n in root.iter(f"{_W}num"):
            num_id, ref = n.get(f"{_W}numId", ""), _val(n, "abstractNumId") or ""
            levels = dict(abstract.get(ref, {}))
            overrides = n.findall(f"{_W}lvlOverride")
            for o in overrides:
                lvl, start = int(o.get(f"{_W}ilvl", "0")), _val(o, "startOverride")
                if start is not None and lvl in levels:
                    levels[lvl] = (levels[lvl][0], levels[lvl][1], int(start))
            self.formats[num_id] = levels
            # Instances of one list share its count, unless one restarts it.
            self.key[num_id] = num_id if overrides else f"abstract-{ref}"

    def _numbering_of(self, p: etree._Element) -> tuple[str | None, int]:
        ppr = p.find(f"{_W}pPr")
        num = ppr.find(f"{_W}numPr") if ppr is not None else None
        num_id, ilvl = _val(num, "numId"), _val(num, "ilvl")
        style = _val(ppr, "pStyle")
        for _ in range(10):  # a style's numbering, through the styles it is based on
            if num_id is not None or style is None:
                break
            s_num, s_lvl, based = self.styles.get(style, (None, None, None))
            num_id, ilvl, style = s_num, ilvl or s_lvl, based
        return (num_id if num_id not in (None, "0") else None), int(ilvl or 0)

    def label(self, p: etree._Element) -> str:
        num_id, level = self._numbering_of(p)
        if num_id is None or num_id not in self.formats:
            return ""
        levels = self.formats[num_id]
        count = self.counters.setdefault(self.key[num_id], [])
        while len(count) <= level:
            count.append(levels.get(len(count), ("decimal", "", 1))[2] - 1)
        count[level] += 1
        for deeper in range(level + 1, len(count)):
            count[deeper] = levels.get(deeper, ("decimal", "", 1))[2] - 1
        return _label({k: (f, t) for k, (f, t, _) in levels.items()}, count[: level + 1])


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=False))


def _val(el: etree._Element | None, child: str) -> str | None:
    found = el.find(f"{_W}{child}") if el is not None else None
    return found.get(f"{_W}val") if found is not None else None


def _label(levels: dict[int, tuple[str, str]], counters: list[int]) -> str:
    fmt, pattern = levels.get(len(counters) - 1, ("decimal", f"%{len(counters)}."))
    if fmt == "bullet":
        return BULLET
    if fmt == "none":
        return ""

    def one(m: re.Match[str]) -> str:
        i = int(m.group(1)) - 1
        if i >= len(counters):
            return ""
        return _format(levels.get(i, ("decimal", ""))[0], counters[i])

    return re.sub(r"%(\d)", one, pattern).strip()


def _format(fmt: str, n: int) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            s = chr(97 + r) + s
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s if fmt == "upperRoman" else s.lower()
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for v, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= v:
            out, n = out + sym, n - v
    return out
