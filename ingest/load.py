"""Read a file into a SourceDoc: exact text, a stable id, a readable title and the names people use for it."""

from __future__ import annotations

import codecs
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from itertools import islice
from pathlib import Path

from ingest.clauses import markers_at
from ingest.errors import LoadError
from ingest.extract.html import html_text
from ingest.extract.markdown import markdown_text
from ingest.extract.pdf import pdf_text
from ingest.extract.word import docx_text
from ingest.lang import document_lang
from ingest.reflow import reflow, unboxed
from ingest.text import CJK, COLONS, DATED, KIND_WORD, MONTH_ABBR, is_cjk_text, stem
from ingest.types import SourceDoc

TEXT_TYPES = (".txt",)
EXTRACTED_TYPES = {
    ".pdf": pdf_text,
    ".html": html_text,
    ".htm": html_text,
    ".docx": docx_text,
    **dict.fromkeys((".md", ".markdown"), lambda raw, source: markdown_text(decode(raw, source))),
}
SUPPORTED = (*TEXT_TYPES, *EXTRACTED_TYPES)
MAX_BYTES = 20 * 1024 * 1024
MIN_LETTERS = 20  # fewer letters than this is no document (a list of numbers, a stray symbol file)
# Byte-order marks, longest first: UTF-32's little-endian mark starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# File-name words that describe the kind of document, not whose it is.
GENERIC_WORDS = frozenset(
    [
        "user",
        "users",
        "service",
        "services",
        "agreement",
        "agreements",
        "terms",
        "term",
        "of",
        "and",
        "the",
        "privacy",
        "policy",
        "policies",
        "conditions",
        "condition",
        "use",
        "statement",
        "notice",
        "contract",
        "license",
        "licence",
        "eula",
        "tos",
        "nda",
        "data",
        "protection",
        "cookie",
        "cookies",
        "final",
        "draft",
        "copy",
        "en",
        "zh",
        "cn",
        "txt",
        "md",
        "pdf",
        "docx",
        "html",
        "htm",
        "www",
        "com",
        "org",
        "net",
        "v1",
        "v2",
        "version",
        "legal",
        "document",
        "doc",
        # kinds and parts of documents, not names: "mutual-nda", "master-subscription-agreement"
        "mutual",
        "master",
        "subscription",
        "subscriptions",
        "non",
        "disclosure",
        "confidentiality",
        "processing",
        "addendum",
        "order",
        "form",
        "employment",
        "mobile",
        "website",
        "online",
        "platform",
        "customer",
        "customers",
        "saas",
        "msa",
        "dpa",
        "sla",
        "general",
        "standard",
        "template",
        "sample",
        # the same kinds in other languages, as file names spell them (transliterated where needed)
        "nutzungsbedingungen",
        "bedingungen",
        "agb",
        "datenschutz",
        "datenschutzerklaerung",
        "datenschutzerklarung",
        "vertrag",
        "nutzervertrag",
        "generales",
        "politique",
        "confidentialite",
        "utilisation",
        "terminos",
        "condiciones",
        "privacidad",
        "politica",
        "termini",
        "condizioni",
        "polzovatelskoe",
        "soglashenie",
        "politika",
        "konfidentsialnosti",
        "usloviya",
        "utf8",
        "utf16",
    ]
)
# Names that are also everyday words: matched only when written capitalised ("App", not "app").
COMMON_WORDS = frozenset(
    ["app", "apps", "web", "site", "cloud", "shop", "store", "pay", "mail", "chat", "link", "box", "drive", "go", "one"]
)
_LATIN_LETTER = re.compile("[A-Za-z]")
_OTHER_LETTER = re.compile("[\u0370-\u1fff\u2c00-\ufaff]")  # Greek, Cyrillic… CJK: not Latin letters
_PLACES = "上海|北京|深圳|广州|杭州|武汉|南京|成都|重庆|天津|苏州|西安|厦门|香港|台北"
_INDUSTRY = "数字科技|信息技术|网络科技|信息科技|智能科技|电子商务|科技|网络|技术|信息|数字|软件"
_CJK_CHAR = re.compile(f"[{CJK}]")
_COMPANY_RE = re.compile(rf"([{CJK}]{{2,14}}?)(?:股份有限公司|有限责任公司|有限公司|集团)")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and the files inside named folders (sorted; hidden files skipped)."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                # Broken links and pipes are yielded too, so the ingest names them instead of
                # skipping them silently; linked folders are not followed (no loops).
                if not f.is_dir() and not any(part.startswith(".") for part in f.relative_to(p).parts):
                    yield f
        else:
            yield p


def slugify(name: str) -> str:
    """A document's id from its file name, extension included ("terms.pdf" -> "terms-pdf"), so files
    of one name in two formats are two documents; a .txt keeps its bare stem, as ids always were."""
    stem = Path(name).stem if Path(name).suffix.lower() == ".txt" else name
    slug = re.sub(r"[^\w]+", "-", stem.lower(), flags=re.UNICODE).strip("-")
    return slug or "document"


def load_document(path: str | Path) -> SourceDoc:
    """Read one .txt/.md file. Raises LoadError with a one-line reason a person can act on."""
    path = Path(path)
    if not path.exists():
        raise LoadError(f"{path.name}: no such file" + (" (a broken link)" if path.is_symlink() else ""))
    if not path.is_file():
        # A pipe or device would block or never end; only regular files are read.
        raise LoadError(f"{path.name}: not a regular file")
    if path.suffix.lower() not in SUPPORTED:
        raise LoadError(f"{path.name}: unsupported file type {path.suffix or '(none)'!r}; use {KINDS}")
    # Refused before reading: a 300 MB file never goes into memory.
    _check_size(path.stat().st_size, path.name)
    with path.open("rb") as f:
        raw = f.read(MAX_BYTES + 1)  # the file may have grown since stat()
    return parse_bytes(raw, path.name)


def _check_size(n_bytes: int, source: str) -> None:
    if n_bytes > MAX_BYTES:
        raise LoadError(
            f"{source}: too large ({n_bytes / 1024 / 1024:.0f} MiB; the limit is {MAX_BYTES // 1024 // 1024} MiB)"
        )


def decode(raw: bytes, source: str) -> str:
    """The text of a file: UTF-8, or UTF-8/16/32 announced by a byte-order mark (the mark is not text)."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as e:
                raise LoadError(
                    f"{source}: starts as {codec.upper()} but byte {e.start} is not; save it as UTF-8"
                ) from None
    if b"\x00" in raw[:8192]:
        raise LoadError(f"{source}: not a text file (it contains binary data)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise LoadError(f"{source}: not valid UTF-8 (byte {e.start}); save it as UTF-8 and ingest it again") from None


KINDS = "PDF, HTML, DOCX, .txt or .md"


def parse_bytes(
    raw: bytes, source: str, name_as: str | None = None, source_url: str = "", fetched_at: float = 0.0
) -> SourceDoc:
    """Decode (or extract) and describe a document given as bytes (files, uploads, fetched pages).

    `source` is its identity (a file name, or a URL); `name_as`, for a URL, the file-like name that
    says its type and titles it ("kickstarter-terms.html").
    """
    name = name_as or source
    _check_size(len(raw), source)
    if not raw.strip():
        raise LoadError(f"{source}: empty file, nothing to index")
    suffix = Path(name).suffix.lower()
    pages: tuple[int, ...] = ()
    declared = site = ""
    if suffix in EXTRACTED_TYPES:
        extracted = EXTRACTED_TYPES[suffix](raw, source)
        text, pages, declared, site = extracted.text, extracted.pages, extracted.title, extracted.site
        if suffix != ".pdf":  # a page or file written as a PDF's lines, one paragraph each (a PDF's are joined as read)
            text = reflow(text)
    else:
        # A box drawn around some lines loses its frame; lines wrapped at a column read as their paragraphs.
        text = reflow(unboxed(decode(raw, source)))
    if not text.strip():
        raise LoadError(f"{source}: empty file, nothing to index")
    letters = sum(1 for _ in islice(filter(str.isalpha, text), MIN_LETTERS))
    if letters < MIN_LETTERS:
        raise LoadError(f"{source}: no text to index (only {letters} letters; is it a document?)")
    if "\x00" in text:
        raise LoadError(f"{source}: not a text file (it contains binary data)")
    lang = document_lang(text)
    title, aliases = describe(name, text, lang, declared, site)
    return SourceDoc(
        doc_id=slugify(source),
        title=title,
        source=source,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        lang=lang,
        aliases=aliases,
        pages=pages,
        source_url=source_url,
        fetched_at=fetched_at,
    )


def describe(
    source: str, text: str, lang: str = "en", title_hint: str = "", site: str = ""
) -> tuple[str, tuple[str, ...]]:
    """A title and the names a question may use for the document, from its file name and text (or
    the title a web page declares, `title_hint`, before its first line, and the site it declares
    itself part of, `site`: a page saved as "privacy.html" is still asked about as "BoardGameGeek")."""
    words = _file_words(_FILING_LABEL.sub(" ", Path(source).stem), text)
    cased = [_casing_in_text(w, text) for w in words]
    distinctive = [c for w, c in zip(words, cased, strict=True) if not _generic(w)]
    lines = [ln.strip().lstrip("#").strip() for ln in text[:HEAD_CHARS].splitlines() if ln.strip()]

    def titles(line: str) -> bool:
        return (
            0 < len(line) <= 120
            and not line.endswith((".", "。", ";", "；", ",", "，", *COLONS))
            # "1. Introduction", "Effective date: 2024-01-01" are not titles
            and not markers_at(line)
            and not re.search(r"[:：]\s*\S|\d{4}[-/.年]\d{1,2}", line)
            and not DATED.search(line)  # "Last updated on March 31st, 2020"
            and not _ABOUT_THE_DOCUMENT.match(line)  # "Acceptance of the Terms of Service": a heading
            # A file named for its company whose first line is neither about that company nor a kind of
            # document starts with a section ("Introduction", "Summary"), not a title.
            and (
                not distinctive or is_cjk_text(line) or KIND_WORD.search(line) is not None or _shares_word(line, words)
            )
        )

    # "EXHIBIT 10.14" above "OUTSOURCING AGREEMENT": a filing's label, the title under it.
    first = title_hint or next((ln for ln in lines if not _EXHIBIT.fullmatch(ln)), "")
    if not title_hint and not titles(first) and distinctive:
        # A page copied with its site's menu above its title ("Open in app", "Sign in", then "Medium Privacy
        # Policy"): its title is the first line that opens with the names its file gives and names a kind.
        first = next(
            (ln for ln in lines if KIND_WORD.search(ln) and _opens_with(ln, distinctive) and titles(ln)), first
        )
    first_ok = titles(first)
    # Beside a name, a country or language code ("Betterpoints_UK", "terms-US") or a common word the text
    # writes in lower case ("Moves-app") stays in the title but names no document: as names, "uk" and "app"
    # scoped every question that mentions the UK or an app to that document.
    written = [n for n in distinctive if not _unwritten(n, text)]
    named = [n for n in written if len(n) > 2 and n not in COMMON_WORDS and not _everyday(n, text)]
    aliases: list[str] = list(dict.fromkeys(named or written or distinctive))
    # A name the text spreads out ("Dog Breed Info", "Musical.ly") is asked about as its file or web
    # address runs it together too ("dogbreedinfo.com", "Musically").
    aliases += [w for w, c in zip(words, cased, strict=True) if c.lower() != w.lower() and not _generic(w)]
    aliases += [full for d in distinctive if (full := _full_name(d, text))]
    if first_ok and lang == "zh" and is_cjk_text(first):
        title = first  # "悦动记隐私政策"; its name without the kind of document is an alias too
        name = re.sub(_KIND_SUFFIX, "", first)
        if 2 <= len(name) < len(first):
            aliases.append(name)
    elif first_ok and not is_cjk_text(first):
        shown = _title_case(first, named or distinctive) if first.isupper() else first
        # "Privacy Policy" from smm-privacy-policy.txt is "SMM Privacy Policy".
        # A title in another script ("Пользовательское соглашение…") is not missing a transliteration.
        latin_title = _LATIN_LETTER.search(first) is not None and not _OTHER_LETTER.search(first)
        missing = [
            d if d != d.lower() else d.capitalize()
            for d in written
            if latin_title
            and _squash(d) not in _squash(first)
            and (d != d.lower() or d not in COMMON_WORDS)
            and not _abbreviates(d, first)
        ]
        title = " ".join([*missing, shown])
    else:
        kept = [c for w, c in zip(words, cased, strict=True) if w.lower() not in _FILE_JUNK]
        title = " ".join(_file_word(i, c) for i, c in enumerate(kept)) or first[:80]
    if not is_cjk_text(title) and (written := _title_name(title, aliases, text)):
        aliases.append(written)
    aliases += _chinese_names(text) + _acronyms(title, text, aliases)
    name = re.sub(r"(?i)^the\s+", "", site)
    if len(name) >= 3 and name.lower() not in GENERIC_WORDS | COMMON_WORDS:
        aliases.append(name)
    return title, tuple(dict.fromkeys(a for a in aliases if a))


_KIND_SUFFIX = r"(隐私政策|隐私保护政策|隐私声明|用户服务协议|用户协议|服务协议|服务条款|使用条款|许可协议|保密协议|协议|条款|政策|声明|须知|规则)$"
# (A version number, "v2", or a date never reaches it: _file_words drops them.)
_FILE_JUNK = frozenset(
    ["final", "draft", "copy", "en", "zh", "cn", "txt", "md", "version", "utf8", "utf16", "www", "com"]
    + ["org", "net", "html", "htm", "pdf", "docx"]
)
# A file name's date and filing labels name nothing: "Flickr_Terms of Service - April 30",
# "PhoenixNewMediaLtd_20110421_F-1_EX-10.17_…" (a form and an exhibit number, as EDGAR files them).
_MONTH_NAME = re.compile(
    rf"(?i){MONTH_ABBR}|january|february|march|april|june|july|august|september|october|november|december"
)
_VERSION = re.compile(r"(?i)v\d+")  # "gnu-gpl-v3": the version, not a name ("V3 GNU General Public License")
_FILING_LABEL = re.compile(r"(?i)(?<![a-z])(?:ex|f|s)-\d+(?:\.\d+)*(?![a-z0-9])|(?<![a-z0-9.])\d+-[kq](?![a-z])")
HEAD_CHARS = 2000  # where a title stands: a page's header, its menus and the title itself come first
_EXHIBIT = re.compile(r"(?i)(exhibit|annex)\s+[\w.()-]{1,12}")
_SMALL_WORDS = frozenset(["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"])


def _file_word(i: int, word: str) -> str:
    """A file name's word in a title: "Terms of Service", "eBay", "SCRM"."""
    low = word.lower()
    if i and low in _SMALL_WORDS:
        return low
    return word if word != low else word.capitalize()


def _title_case(line: str, names: list[str]) -> str:
    """ "MUTUAL NON-DISCLOSURE AGREEMENT" -> "Mutual Non-Disclosure Agreement"; known names keep their casing."""
    known = {n.lower(): n for n in names}
    out = []
    for i, w in enumerate(line.split()):
        low = w.lower()
        if low in known:
            out.append(known[low])
        elif i and low in _SMALL_WORDS:
            out.append(low)
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


_ABOUT_THE_DOCUMENT = re.compile(
    r"(?i)\s*(?!terms\b|conditions\b)\w+\s+(of|to)\s+((the|these|this|our)\s+)?(terms|agreement|polic(y|ies)|conditions)\b"
)


def _squash(text: str) -> str:
    """Letters and digits only, lower-cased: "washingtonpost" is in "Washington Post Privacy Policy"."""
    return re.sub(r"[\W_]+", "", text).lower()


def _opens_with(line: str, names: list[str]) -> bool:
    """Whether the line starts with these names ("Medium Privacy Policy" with "Medium"), in any order."""
    squashed, opening = _squash(line), "".join(_squash(n) for n in names)
    return all(_squash(n) in squashed[: len(opening)] for n in names)


def _shares_word(line: str, words: list[str]) -> bool:
    squashed = _squash(line)
    return any(len(w) > 2 and _squash(w) in squashed for w in words)


# Of the name's uses, how many must go on with the same word for that to be part of the name: "Khan"
# goes on as "Khan Academy" 122 times in 129, "MaiBang" as "MaiBang Digital" 97 in 97; a name that
# goes on as "… Pro" 7 times in 10, beside "… Notes" and "… Teams", is a product line.
FULL_NAME_SHARE = 0.9


def _abbreviates(word: str, line: str) -> bool:
    """Whether the word is the starts of two or more words of the line in a row, a word's capitals
    starting words of their own: "bgg" of "BoardGameGeek", "wapo" of "The Washington Post"."""
    parts = [p.lower() for w in line.split() for p in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", w)]
    low = word.lower()

    @cache  # a long file name against a long title would otherwise try every split
    def fits(i: int, k: int, two: bool) -> bool:  # low[i:] from parts[k:]; two: two parts used already
        if i == len(low):
            return two
        if k == len(parts):
            return False
        part = parts[k]
        return any(
            fits(i + n, k + 1, two or i > 0)
            for n in range(min(len(part), len(low) - i), 0, -1)
            if part[:n] == low[i : i + n]
        )

    return len(low) >= 2 and any(fits(0, k, False) for k in range(len(parts)))


def _full_name(name: str, text: str) -> str:
    """The name as the text writes it in full, when it nearly always does so: "Khan Academy" for
    "Khan" (a file named khan-privacy.html). A question about "Khan Academy" is then asked without
    the whole name, not with a stray "Academy" pulling it towards every clause that names it."""
    if not name[:1].isupper():
        return ""
    uses = re.findall(rf"(?<![A-Za-z]){re.escape(name)}((?:[ ](?:[A-Z][A-Za-z&'-]*))*)", text)
    longer = Counter(u for u in uses if u)
    if not longer:
        return ""
    rest, _ = longer.most_common(1)[0]
    going_on = sum(1 for u in uses if u.split()[:1] == rest.split()[:1])
    if (
        going_on < 3
        or going_on < FULL_NAME_SHARE * len(uses)
        or set(rest.lower().split()) & (GENERIC_WORDS | COMMON_WORDS)
    ):
        return ""  # "CBS Interactive Services": a word that says what the document is, not whose
    return f"{name}{rest}"


def _acronyms(title: str, text: str, names: list[str]) -> list[str]:
    """The initials of three or more words of the title, from its first word or the first after its
    names, as the text writes them: "MPL" of "Mozilla Public License Version 2.0", "SRR" of "Facebook
    Statement of Rights and Responsibilities" (a question asks "Does the MPL let me…?", and the word
    alone drew it to the one line that says "MPL"). The "GNU Lesser General Public License" mentions
    the "GPL" it is not."""
    named = {w.lower() for n in names for w in n.split()}
    words = re.findall(r"[A-Z][A-Za-z]*", title)
    first = next((i for i, w in enumerate(words) if w.lower() not in named), len(words))
    found = ("".join(w[0] for w in words[i:j]) for i in {0, first} for j in range(i + 3, len(words) + 1))
    # "EULA" says what a document is, not which: it routes as a kind.
    return sorted(
        {a for a in found if not KIND_WORD.fullmatch(a) and re.search(rf"(?<![A-Za-z]){a}(?![A-Za-z])", text)}
    )


def _title_name(title: str, names: list[str], text: str) -> str:
    """The words a title puts before the kind of document, when they write out a name the document
    already has and its text uses beyond the title: "Epic Games" of "Epic Games Privacy Policy", named
    "Epic" by its file. A question about "Epic Games" is then asked without a stray "Games" drawing
    it to the title line. ("Airbnb Updated" of "Airbnb Updated Terms of Service" is no name.)"""
    kind = KIND_WORD.search(title)
    if kind is None:
        return ""
    words = title[: kind.start()].split()
    while words and all(p.lower() in GENERIC_WORDS for p in words[-1].split("-")):
        words.pop()  # "Smartproxy User Service" of "… Agreement" is "Smartproxy"
    if words[:1] and words[0].lower() == "the":
        words.pop(0)
    known = {n.lower() for n in names}
    if len(words) < 2 or not any(w.lower() in known for w in words):
        return ""
    name = " ".join(words)
    return name if len(re.findall(rf"(?i)(?<!\w){re.escape(name)}(?!\w)", text)) >= 2 else ""


def _file_words(stem: str, text: str) -> list[str]:
    """The words of a file name, once each, without dates or versions ("v3"); two joined by a hyphen
    stay one where the text writes them so ("post-gazette.com": "Post-Gazette", not "Post" and "Gazette")."""
    parts = [w for w in re.split(r"[^0-9A-Za-z-]+", stem) if w]
    words: list[str] = []
    for part in parts:
        pieces = [p for p in part.split("-") if p]
        while pieces:
            w = pieces.pop(0)
            if pieces and re.search(rf"(?i)(?<![\w./@-]){re.escape(w)}-{re.escape(pieces[0])}(?![\w-])", text):
                w = f"{w}-{pieces.pop(0)}"
            stamp = w.isdigit() or _MONTH_NAME.fullmatch(w) or _VERSION.fullmatch(w)
            if not stamp and w.lower() not in (x.lower() for x in words):
                words.append(w)
    return _phrased(words, text)


MAX_NAME_WORDS = 4


def _phrased(words: list[str], text: str) -> list[str]:
    """The file name's words, each run of them made one that the text writes as one capitalised name,
    hardly ever writing its words capitalised apart from it (nor going on as a longer name): "App Store"
    of app-store-terms.md, where "App" and "Store" alone scoped every question that said "app" or
    "store". ("Google" of google-maps-terms.md stays a name of its own: the text writes it alone too.)"""
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + MAX_NAME_WORDS), i + 1, -1):
            run = words[i:j]
            if any(_generic(w) or not w.isalnum() for w in run):
                continue
            phrase = r"[ \t]+".join(map(re.escape, run))
            uses = [
                m
                for m in re.finditer(rf"(?i)(?<![A-Za-z]){phrase}(?![a-z])", text)
                if all(w[:1].isupper() for w in m.group(0).split())
            ]
            after = Counter(m.group(1) for u in uses if (m := _NAME_WORD_AFTER.match(text, u.end())))
            if len(uses) < 2 or (after and after.most_common(1)[0][1] >= FULL_NAME_SHARE * len(uses)):
                continue  # "Mozilla Public" is a part of the name "Mozilla Public License"
            inside = {at for m in uses for at in range(m.start(), m.end())}
            if all(_capitalised_apart(w, text, inside) <= (1 - FULL_NAME_SHARE) * len(uses) for w in run):
                out.append(" ".join(run))
                i = j
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _capitalised_apart(word: str, text: str, inside: set[int]) -> int:
    """How often the text writes the word capitalised on its own, outside the spans given (by their
    offsets): not beside another capitalised word ("iTunes Store" is another name, not "Store")."""
    return sum(
        1
        for m in re.finditer(_word_pattern(word), text)
        if m.group(0) != m.group(0).lower()
        and m.start() not in inside
        and not _NEXT_TO_NAME_WORD.search(text[max(0, m.start() - 40) : m.start()])
        and not _NAME_WORD_NEXT.match(text, m.end())
    )


_NAME_WORD_AFTER = re.compile(r"\s+([A-Z]\w*)")
# A word with a capital just before ("iTunes Store"), not one that starts a sentence ("The Store may…")
_NEXT_TO_NAME_WORD = re.compile(r"(?<![A-Za-z])(?!(?:The|A|An|Our|Your|This|These|Its)\s)\w*[A-Z]\w*\s$")
_NAME_WORD_NEXT = re.compile(r"\s\w*[A-Z]")  # ...or just after


def _generic(word: str) -> bool:
    """A file name's word made only of words that say what a document is: "terms", "privacypolicy",
    "termsofservice" (a page saved under its own kind names no one)."""
    low = word.lower().replace("-", "")

    @cache
    def split(i: int) -> bool:
        return i == len(low) or any(low[i:j] in GENERIC_WORDS and split(j) for j in range(len(low), i + 1, -1))

    return split(0)


_IN_ADDRESS = re.compile(r"\.[A-Za-z]|@")  # what follows a name inside a web or e-mail address


def _forms(pattern: str, text: str) -> Counter[str]:
    """How the text writes what the pattern matches, outside web and e-mail addresses: an address writes
    a name as it must ("betterpoints.uk", "support@oculus.com"), not as the brand does ("BetterPoints").
    A site's name written with capitals in running text ("Sci-News.com may collect…") is the brand's."""
    return Counter(
        m.group(0)
        for m in re.finditer(pattern, text)
        if not (m.start() and text[m.start() - 1] in "./@")
        and (not _IN_ADDRESS.match(text, m.end()) or (m.group(0) != m.group(0).lower() and text[m.end()] == "."))
    )


MIN_STEM = 4  # a shorter stem ("us" of "use") starts too many other words


def _unwritten(word: str, text: str) -> bool:
    """A file name's word the text never writes, though it writes the word's stem as an everyday word:
    "refunds" of 1mg-refunds.html beside "a refund". ("bgg" and "wapo", written nowhere, name a site.)"""
    if not word.isalpha() or re.search(_word_pattern(word), text):
        return False
    root = stem(word.lower())
    return len(root) >= MIN_STEM and re.search(rf"(?<![A-Za-z]){re.escape(root)}[a-z]*(?![A-Za-z])", text) is not None


def _everyday(word: str, text: str) -> bool:
    """Whether the text uses a file name's word as an everyday word more than as a name: "maintenance"
    in a maintenance agreement, "games" and "Epic Games" in Epic's policy, "content" and "Program
    Content" in a content licence. A name stands capitalised on its own ("Vimeo may…", "Booking.com");
    as a name these scoped every question that used the word."""
    pattern = _word_pattern(word)
    low = sum(n for form, n in _forms(pattern, text).items() if form == form.lower())
    capitalised = [m.start() for m in re.finditer(pattern, text) if m.group(0) != m.group(0).lower()]
    alone = sum(1 for at in capitalised if not _AFTER_CAPITAL.search(text[max(0, at - 40) : at]))
    # A word the text writes only inside a longer name ("Public" of "Mozilla Public License", named by a
    # file mozilla-public-license.txt) is that name's, not one of its own: as a name, "Is my profile
    # public?" was asked of the licence alone. ("The Verge" is still Verge's own.)
    inside = all(_AFTER_NAME_WORD.search(text[max(0, at - 40) : at]) for at in capitalised)
    return low > alone or bool(capitalised) and inside


_AFTER_CAPITAL = re.compile(r"[A-Z][\w'&.-]*[ ]+$")  # a capitalised word just before
_AFTER_NAME_WORD = re.compile(r"(?<![A-Za-z])(?!(?:The|A|An|Our|Your|This|These|Its)[ ])" + _AFTER_CAPITAL.pattern)


def _word_pattern(word: str) -> str:
    return rf"(?i)(?<![A-Za-z]){re.escape(word)}(?![a-z])"


def _casing_in_text(word: str, text: str) -> str:
    forms = _forms(_word_pattern(word), text)
    if all(f == f.lower() for f in forms) and len(word) >= 6 and word.isalnum():
        # A name that a web address or file name runs together, and the text writes out:
        # "washingtonpost", "The Washington Post"; "boardgamegeek", "BoardGameGeek"; "musically", "Musical.ly";
        # "3dayblinds", "3 Day Blinds".
        spread = r"[ .\-]?".join(map(re.escape, word))
        forms = _forms(rf"(?i)(?<![A-Za-z]){spread}(?![a-z])", text) or forms
    if not forms:
        return word
    if word.lower() in COMMON_WORDS:  # "app" is a word the text uses; "App" one that starts sentences
        best = forms.most_common(1)[0][0]
        return best if best != best.lower() else word
    # The brand's own casing wherever the text has one ("BetterPoints" beside "betterpoints" in running text).
    cased = Counter({f: n for f, n in forms.items() if f != f.lower()})
    return (cased or forms).most_common(1)[0][0]


def _chinese_names(text: str) -> list[str]:
    names: list[str] = []
    for m in _COMPANY_RE.finditer(text):
        # The match can start on a preceding function word ("与脉邦…"); drop it and any place name.
        name = re.sub(rf"^[与和及由是为向在的被对从]?(?:{_PLACES})?", "", m.group(1))
        core = re.sub(rf"(?:{_INDUSTRY})+$", "", name)
        for n in (name, core):
            if len(n) >= 2:
                names.append(n)
    return names


def alias_matches(alias: str, question: str) -> bool:
    """Whether a question names the document by this alias."""
    rx = _alias_pattern(alias)
    return alias in question if rx is None else rx.search(question) is not None


def alias_spans(alias: str, question: str) -> list[tuple[int, int]]:
    """Where a question names the document by this alias."""
    rx = _alias_pattern(alias)
    if rx is None:
        return [(m.start(), m.end()) for m in re.finditer(re.escape(alias), question)]
    return [m.span() for m in rx.finditer(question)]


@lru_cache(maxsize=65_536)
def _alias_pattern(alias: str) -> re.Pattern[str] | None:
    """The alias as a whole-word pattern (None for a Chinese one, matched as a substring). Compiled
    once: every question is checked against every document's aliases, and with thousands of
    documents re's own cache of 512 patterns recompiled them all on every question."""
    if _CJK_CHAR.search(alias):
        return None
    # A name of two letters is matched as written: "US" of US_terms.txt, in lower case, is "us"; so is one
    # of common words only: "App Store", in lower case, is "can an app store my location?".
    if all(w in COMMON_WORDS for w in alias.lower().split()) or len(alias) <= 2:
        return re.compile(rf"(?<![A-Za-z]){re.escape(alias)}(?![A-Za-z])")
    # Otherwise in any case, and as people space it: "Post Gazette" for "Post-Gazette", "Trip Advisor"
    # for "TripAdvisor".
    body = re.sub(r"(?<=[a-z])(?=[A-Z])", "[ ]?", re.escape(alias)).replace(r"\-", "[- ]?")
    return re.compile(rf"(?<![A-Za-z]){body}(?![A-Za-z])", re.IGNORECASE)


def alias_key(text: str) -> str:
    """Lower case without spaces or hyphens: an alias can only match a question whose key holds its key."""
    return re.sub(r"[\s-]+", "", text.lower())
