"""Word (.docx) -> text, with Word's automatic numbering written out ("1.1", "(a)").

docx2python reads the paragraphs in order and tells each numbered paragraph its list and counters;
the label is then rendered from the level's own pattern (w:lvlText, "%1.%2."), which docx2python's
text does not do (it writes every level as "1)"). A .docx is a zip: its size once unpacked is checked
before anything is read, so a zip bomb is refused.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx2python import docx2python
from lxml import etree

from ingest.errors import LoadError
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
            if "word/document.xml" not in z.namelist():
                raise LoadError(f"{source}: not a Word document (no word/document.xml inside)")
            levels = _levels(z.read("word/numbering.xml")) if "word/numbering.xml" in z.namelist() else {}
    except zipfile.BadZipFile:
        raise LoadError(
            f"{source}: not a Word file (a .docx is a zip archive; is it a .doc? save it as .docx)"
        ) from None
    try:
        with docx2python(io.BytesIO(raw)) as doc:
            pars = [p for table in doc.document_pars for row in table for cell in row for p in cell]
    except Exception as e:  # noqa: BLE001 - a malformed part of any kind is one unreadable file
        raise LoadError(f"{source}: the Word file could not be read ({type(e).__name__})") from None
    lines = []
    for p in pars:
        body = "".join(r.text for r in p.runs)
        num_id, counters = p.list_position
        if num_id is not None and counters:
            body = _PREFIX.sub("", body)
            label = _label(levels.get(str(num_id), {}), counters)
            body = f"{label} {body.strip()}" if label else body
        body = " ".join(body.split())
        if body:
            lines.append(body)
    if not lines:
        raise LoadError(f"{source}: the Word file holds no text")
    return Extracted("\n\n".join(lines) + "\n")


def _levels(xml: bytes) -> dict[str, dict[int, tuple[str, str]]]:
    """numId -> level -> (numFmt, lvlText), from word/numbering.xml."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=False))
    abstract = {}
    for a in root.iter(f"{_W}abstractNum"):
        lv = {}
        for lvl in a.iter(f"{_W}lvl"):
            fmt, txt = lvl.find(f"{_W}numFmt"), lvl.find(f"{_W}lvlText")
            lv[int(lvl.get(f"{_W}ilvl", "0"))] = (
                fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                txt.get(f"{_W}val", "") if txt is not None else "",
            )
        abstract[a.get(f"{_W}abstractNumId")] = lv
    out = {}
    for n in root.iter(f"{_W}num"):
        ref = n.find(f"{_W}abstractNumId")
        if ref is not None:
            out[n.get(f"{_W}numId")] = abstract.get(ref.get(f"{_W}val"), {})
    return out


def _label(levels: dict[int, tuple[str, str]], counters: list[int]) -> str:
    fmt, pattern = levels.get(len(counters) - 1, ("decimal", f"%{len(counters)}."))
    if fmt == "bullet":
        return "•"
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
