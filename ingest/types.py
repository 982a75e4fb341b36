"""The data that flows through ingestion. Every offset is a str index into SourceDoc.text."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Extracted:
    """A document's text as the product indexes and cites it, out of a PDF, web page or Word file."""

    text: str
    pages: tuple[int, ...] = ()  # where each page starts in text (PDF); page n is text[pages[n-1]:pages[n]]
    title: str = ""  # the title the file declares (a web page's), when it is one
    site: str = ""  # the name of the site a web page declares itself part of ("BoardGameGeek")


@dataclass(frozen=True)
class SourceDoc:
    doc_id: str  # stable slug of the file name
    title: str
    source: str  # the file name as given, e.g. "smartproxy-user-service-agreement.txt"
    text: str  # the file decoded as UTF-8 (BOM dropped), newlines untouched
    sha256: str  # of the raw bytes
    lang: str  # "en", "zh" or "mixed"
    aliases: tuple[str, ...] = ()  # names a question may use for this document
    pages: tuple[int, ...] = ()  # where each page starts in text (PDF)
    source_url: str = ""  # where it was fetched from (documents ingested by URL)
    fetched_at: float = 0.0  # when (Unix time)


# The longest number and markup before a title on its line: "## 12.3.4 ", "ARTICLE ELEVEN ", "第十二条 ".
MARKER_CHARS = 20


@dataclass(frozen=True, slots=True)  # slots: a million-chunk index holds over a million of these
class Clause:
    clause_id: str  # f"{doc_id}#{dotted label path}", stable for the same text
    doc_id: str
    label: str  # the document's own numbering, normalised: "3.1.2", "一", "(1)", "II"; "" if none
    heading: str  # the clause's title when its first line is a heading, else ""
    path: tuple[str, ...]  # ancestors, outermost first, each "label heading"
    start: int  # the whole clause, children included: text[start:end]
    end: int
    body_end: int  # the clause's own text is text[start:body_end]; own texts partition the doc
    lang: str
    parent_id: str | None
    depth: int = 0
    ordinal: int = 0  # position in document order
    parallel_id: str | None = None  # the same clause in the other language of a bilingual doc
    children: tuple[str, ...] = field(default=(), compare=False)
    kind: str = "marker"  # "marker" (numbered), "bare" (heading line), "para" (unnumbered text), "preamble"

    def titles(self, line: str) -> bool:
        """Whether a line of the clause holds its title and nothing after it, its number and markup aside
        ("## 3.1 Refunds", "3、 Account freezing"): a title run into the first sentence ("2. Your Content.
        If you post…") starts a line of the clause's own text."""
        return bool(self.heading) and len(line.strip()) <= len(self.heading) + MARKER_CHARS

    @property
    def title(self) -> str:
        """How the clause is named to a person: "3.1 Account freezing", "Preamble"; "" for plain paragraphs."""
        if self.kind == "preamble":
            return "Preamble"
        return " ".join(p for p in (self.label, self.heading) if p)


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    clause_id: str
    doc_id: str
    start: int
    end: int
    text: str  # == doc.text[start:end]
    embed_text: str  # title + heading path + text: what the embedding model sees
