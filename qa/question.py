"""What a question is about, apart from the words that point at the documents themselves."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ingest.lang import UNDETERMINED, is_chinese, question_lang
from ingest.text import STOPWORDS, tokens
from qa.clause_ref import ClauseRef, asks_to_see, clause_refs
from qa.lexicon import Lexicon, Matches, lexicon, weighted_terms
from qa.values import asked_value

_DOCS = r"(services?|documents?|polic(y|ies)|agreements?|terms|contracts?|companies|platforms?|ones?|providers?|docs?)"
# "which services", "which of these two contracts"; not "what third party services receive…"
_WHICH = rf"\b(which|what)\s+(of\s+(the|these|those)\s+)?((two|three|four|five|several|bundled|indexed)\s+)?(\w+\s+)?{_DOCS}\b"
# "Which of these may end my subscription?": the documents, when a verb follows, not "which of these rights…".
_WHICH_OF_THEM = (
    r"\bwhich\s+of\s+(these|them|those)"
    r"(?=\s+(can|could|may|might|will|would|do|does|did|is|are|has|have|let|lets|allow|allows|say|says)\b)"
)
_MULTI_DOC = re.compile(
    rf"(?i){_WHICH}|{_WHICH_OF_THEM}|\bcompare\b|\bcomparison\b"
    r"|\beach\s+(agreement|policy|document|service|contract)\b|\bboth\b"
    r"|\b(the|these|those|my)\s+(documents|docs|policies|agreements|contracts)\b"
    r"|\ball\s+(the\s+)?(documents|agreements|policies|services|contracts)\b|\bdiffer|\bversus\b|\bvs\.?\b"
    r"|(哪些|哪几份?|哪个|各个?|这些|这两份|这几份)(文件|文档|协议|政策|条款|服务|公司|平台)|分别|比较|对比|各自"
)
# "What changed in the Acme terms?", "what's new since the last version", "协议更新了什么"
_CHANGES = re.compile(
    r"(?i)\bwhat(?:'s|\s+has|\s+have|\s+was|\s+were)?\s+(?:changed|updated)\b|\bwhat'?s\s+new\b|\bwhat\s+is\s+new\b"
    r"|\b(?:changes|changed|different|differences)\s+(?:since|from)\s+(?:the\s+)?(?:last|previous|earlier|old|first)\b"
    r"|\b(?:last|latest|recent)\s+(?:changes|update|updates|revision)\b|\bbetween\s+(?:the\s+)?versions\b"
    r"|更新了什么|改了什么|有什么变化|哪些变化|变更了什么|有何变化"
)
# "Which documents say…", "do these policies mention…": words about the documents, not their topic.
_ABOUT_DOCUMENTS = re.compile(
    rf"(?i){_WHICH}|{_WHICH_OF_THEM}|\b(the|these|those|any|all)\s+(documents?|docs?|polic(y|ies)|agreements?|contracts?)\b"
    r"|\bdocuments?\b|\b(mention|mentions|talk about)\b|(哪些|哪几份?|这些|各个?)(文件|文档|协议|政策)"
)


def wants_several_documents(q: Question, named: Sequence[str]) -> bool:
    """Comparison / cross-document questions get the best clauses of every document."""
    return len(named) >= 2 or q.compares


def topic(question: str) -> str:
    """The question without the words that point at the documents ("Which documents say …")."""
    return _ABOUT_DOCUMENTS.sub(" ", question)


def topic_tokens(question: str) -> tuple[str, ...]:
    """Index tokens of what the question asks about, each once, in order."""
    return tuple(dict.fromkeys(tokens(topic(question))))


@dataclass(frozen=True, eq=False)
class Meaning:
    """The question as the embedding model reads it, with that model, to weigh the sentences of a
    long clause by meaning beside words: a question in a third language ("¿Puedo descargar mis
    datos?") shares no words with English clauses at all."""

    vector: np.ndarray
    encode: Callable[[Sequence[str]], np.ndarray]  # passages -> their vectors, one row each

    def similarity(self, texts: Sequence[str]) -> np.ndarray:
        """The cosine of each text to the question."""
        return self.encode(texts) @ self.vector


@dataclass(frozen=True)
class Question:
    """A question read once where it enters (chain, retriever); every later step takes this value
    and none re-reads the raw text."""

    text: str
    zh: bool  # written in Chinese: searched in Chinese words, answered in Chinese wording
    topic: tuple[str, ...]  # index tokens of what it asks about (not the words naming documents)
    matches: Matches  # what the lexicon makes of it
    weighted: dict[str, float]  # topic tokens at 1, their lexicon siblings at less: what BM25 searches
    value: str | None  # "phone" | "email" | "price" | "duration" when it asks for such a value
    kinds: frozenset[str]  # kinds of document it names ("the NDA" -> {"nda"})
    compares: bool  # it asks across documents ("which policies…", "compare", "哪些协议")
    references: tuple[ClauseRef, ...]  # the clause it may point at ("section 7.4"), to try in order
    to_see: bool  # it asks to see a clause's text ("what does … say")
    changes: bool  # it asks what changed between versions ("what changed in the Acme terms?")
    named: tuple[str, ...] = ()  # ids of the documents it names; set where the index is known (in_scope)
    # The clause type or privacy practice it asks about ("a", "retention"), as the router reads its
    # embedding; set where the question is embedded (chain).
    asks: str | None = None
    lang: str = UNDETERMINED  # ISO 639-1 code ("en", "zh", "es"…), "und" when too short to tell
    meaning: Meaning | None = None  # set where the question is embedded
    # The kinds it names, "the terms" alone among them: that picks between the documents one name gives
    # (a company's privacy policy and its terms), where it can mean nothing else.
    kinds_said: frozenset[str] = frozenset()
    # Its topic without the words that say what kind of document it asks about ("the terms"), which name
    # the document rather than anything in it.
    beyond_kinds: tuple[str, ...] = ()

    def speaks(self, doc_lang: str) -> bool:
        """Whether a document in this language is written in the question's words (as far as one can
        tell: a question too short to place is taken to be), so that words it lacks are missing."""
        if self.lang == UNDETERMINED:
            return doc_lang in (("zh" if self.zh else "en"), "mixed")
        return doc_lang == self.lang or (doc_lang == "mixed" and self.lang in ("en", "zh"))

    def said_in(self, wordings: dict[str, dict]) -> dict:
        """The answer's own words in the question's language, from a table of them by language code
        ("zh", "es"…); English where the table has none."""
        return wordings.get("zh" if self.zh else self.lang, wordings["en"])

    @property
    def third_language(self) -> bool:
        """Written in neither English nor Chinese, the languages the lexicon and the English router
        know ("¿Pueden cerrar mi cuenta?"); a question too short to place is taken to be English."""
        return not self.zh and self.lang not in ("en", UNDETERMINED)

    def in_scope(self, named: Sequence[str]) -> Question:
        return replace(self, named=tuple(named))


def read_question(text: str, lex: Lexicon | None = None) -> Question:
    lex = lex or lexicon()
    topic_ = topic_tokens(text)
    matches = lex.match(text, topic_)
    kinds = frozenset(kinds_asked(text))
    kind_free = set(tokens(without_kinds(text)))
    return Question(
        text,
        is_chinese(text),
        topic_,
        matches,
        weighted_terms(topic_, matches),
        asked_value(text),
        kinds,
        _MULTI_DOC.search(text) is not None,
        clause_refs(text),
        asks_to_see(text),
        _CHANGES.search(text) is not None,
        lang="zh" if is_chinese(text) else question_lang(text),
        kinds_said=kinds | ({"terms"} if _BARE_TERMS.search(text) else set()),
        beyond_kinds=tuple(t for t in topic_ if t in kind_free),
    )


# The same kinds as the European languages a question may be asked in name them (de, fr, es, it, pt).
_PRIVACY_ABROAD = (
    r"|datenschutz(erkl[äa]rung|richtlinie|hinweise?)|politique de (confidentialit[ée]|protection des donn[ée]es)"
    r"|pol[íi]tica de (privacidad|privacidade)|informativa (sulla )?privacy"
)
_TERMS_ABROAD = (
    r"|nutzungsbedingungen|\bAGB\b|gesch[äa]ftsbedingungen|conditions (g[ée]n[ée]rales )?d'utilisation|\bCGU\b"
    r"|t[ée]rminos (y condiciones|de (uso|servicio))|condiciones de uso|termini (di servizio|e condizioni|d'uso)"
    r"|condizioni (generali|d'uso)|termos (de uso|de servi[çc]o|e condi[çc][õo]es)"
)
_NDA_ABROAD = (
    r"|geheimhaltungsvereinbarung|vertraulichkeitsvereinbarung|accord de confidentialit[ée]"
    r"|acuerdo de confidencialidad|accordo di (riservatezza|non divulgazione)|acordo de confidencialidade"
)
_LICENCE_ABROAD = (
    r"|lizenzvertrag|lizenzvereinbarung|contrat de licence|(acuerdo|contrato) de licencia|contratto di licenza"
    r"|(acordo|contrato) de licen[çc]a"
)

# Kinds of document a question may name instead of a company: "the NDA", "the privacy policy", "用户协议".
# (kind, how a question names it, how a document's title shows it, how either names it in the European
# languages above)
_KINDS = [
    (
        "nda",
        r"\bNDAs?\b|non-?disclosure|confidentiality agreement|保密协议",
        r"\bNDA\b|non-?disclosure|confidentiality agreement|保密协议",
        _NDA_ABROAD,
    ),
    (
        "privacy",
        r"privacy (policy|policies|notice|statement)|隐私政策|隐私声明|隐私条款",
        r"privacy|隐私",
        _PRIVACY_ABROAD,
    ),
    ("cookies", r"cookie (policy|notice)", r"cookie (policy|notice)", ""),
    (
        "terms",
        r"terms of (service|use)|\bToS\b|terms and conditions|user agreement|service agreement|用户协议|服务协议|使用条款|服务条款",
        r"terms of (service|use)|terms and conditions|\bterms\b|user agreement|service agreement|用户协议|服务协议|使用条款|服务条款",
        _TERMS_ABROAD,
    ),
    (
        "subscription",
        r"\bMSA\b|subscription agreement|master (services?|subscription) agreement|订阅协议",
        r"\bMSA\b|subscription agreement|master (services?|subscription) agreement|订阅协议",
        "",
    ),
    (
        "dpa",
        r"\bDPA\b|data processing (agreement|addendum)|数据处理协议",
        r"data processing (agreement|addendum)|数据处理协议",
        "",
    ),
    (
        "licence",
        r"\bEULA\b|licen[cs]e agreement|许可协议",
        r"\bEULA\b|licen[cs]e agreement|许可协议",
        _LICENCE_ABROAD,
    ),
    ("employment", r"employment (agreement|contract)|劳动合同", r"employment (agreement|contract)|劳动合同", ""),
]
_KIND_NAMES = {  # (English, Chinese)
    "nda": ("a non-disclosure agreement", "保密协议"),
    "privacy": ("a privacy policy", "隐私政策"),
    "cookies": ("a cookie policy", "Cookie 政策"),
    "terms": ("a terms of service or user agreement", "用户协议或服务条款"),
    "subscription": ("a subscription agreement", "订阅协议"),
    "dpa": ("a data processing agreement", "数据处理协议"),
    "licence": ("a licence agreement", "许可协议"),
    "employment": ("an employment contract", "劳动合同"),
}
# "The terms", not "in terms of" or "the terms of payment".
_BARE_TERMS = re.compile(r"(?<!\bin )\bterms\b(?! of (?!service|use))", re.I)
_KIND_ASKED = [(k, re.compile(q + abroad, re.I)) for k, q, _, abroad in _KINDS]
_KIND_TITLE = [(k, re.compile(t + abroad, re.I)) for k, _, t, abroad in _KINDS]


def kinds_asked(question: str) -> set[str]:
    """The kinds of document a question names ("the NDA" -> {"nda"})."""
    return {k for k, rx in _KIND_ASKED if rx.search(question)}


# Between the kinds a title joins, as one document that is both: "End User License Agreement and Terms
# of Service".
_JOINED = re.compile(r"\s*(and|&|\+|,|/|und|et|y|e|和|及|与)\s*", re.I)


def kinds_of(title: str) -> set[str]:
    """The kinds of document a title shows ("Mutual Non-Disclosure Agreement" -> {"nda"}). Of several,
    the one the title ends with, and those joined to it: "GitHub Global Privacy Control Terms of
    Service" is terms of service, though it says "privacy"."""
    found = sorted((m.start(), m.end(), k) for k, rx in _KIND_TITLE for m in list(rx.finditer(title))[-1:])
    if len(found) < 2:
        return {k for *_, k in found}
    kinds = {found[-1][2]}
    for i in range(len(found) - 2, -1, -1):  # back from the last, while each is joined to the next
        if not _JOINED.fullmatch(title[found[i][1] : found[i + 1][0]]):
            break
        kinds.add(found[i][2])
    return kinds


# The last word of a title that says what kind of document it is: "Maintenance Agreement", "Acceptable Use
# Policy". A question naming "the maintenance agreement" names the document of that title.
_DOCUMENT_NOUNS = frozenset(
    tokens("agreement contract policy terms notice statement licence license conditions addendum guidelines rules")
)
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def without_kinds(text: str) -> str:
    """The text without the kinds of document it names ("the privacy policy", "用户协议", "the terms") and
    the nouns that say what a document is ("agreement")."""
    for _, rx in _KIND_ASKED:
        text = rx.sub(" ", text)

    def noun_cut(m: re.Match[str]) -> str:
        stems = tokens(m.group())
        return " " if stems and stems[0] in _DOCUMENT_NOUNS else m.group()

    return _LATIN_WORD.sub(noun_cut, _BARE_TERMS.sub(" ", text))


def _latin_words(text: str) -> tuple[list[re.Match[str]], list[str]]:
    """The Latin words of a text and their stems, as title phrases are read."""
    found = list(_LATIN_WORD.finditer(text))
    return found, [tokens(m.group(), keep_stopwords=True)[0] for m in found]


def title_phrases(title: str) -> set[tuple[str, ...]]:
    """The phrases a question may name a document by from its title (names taken out): each run of two
    or more of its last words, starting at a word that means something, when the last says what the
    document is ("Program Content License Agreement" -> content license agreement, program content
    license agreement, and license agreement)."""
    words, stems = _latin_words(title)
    if not stems or stems[-1] not in _DOCUMENT_NOUNS:
        return set()
    return {tuple(stems[i:]) for i in range(len(words) - 1) if words[i].group().lower() not in STOPWORDS}


def phrases_in(text: str, longest: int) -> set[tuple[str, ...]]:
    """Every run of two to `longest` words of a text, as title_phrases writes them, and the runs two
    titles joined by "and" or "or" share ("the hosting and maintenance agreements": hosting agreement)."""
    stems = _latin_words(text)[1]
    readings = [stems] + [stems[:i] + stems[i + 2 :] for i in range(1, len(stems) - 2) if stems[i] in ("and", "or")]
    return {tuple(r[i:j]) for r in readings for i in range(len(r)) for j in range(i + 2, min(len(r), i + longest) + 1)}


def phrase_spans(text: str, phrases: Sequence[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Where in the text each of these phrases (as title_phrases writes them) stands."""
    words, stems = _latin_words(text)
    return [
        (words[i].start(), words[i + len(p) - 1].end())
        for p in phrases
        for i in range(len(stems) - len(p) + 1)
        if tuple(stems[i : i + len(p)]) == p
    ]


def kind_name(kind: str, zh: bool = False) -> str:
    en, cn = _KIND_NAMES.get(kind, (kind, kind))
    return cn if zh else en
