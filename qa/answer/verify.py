"""The hard gate between a model's draft and the user: only verified quotes of retrieved clauses pass.

A citation survives only if it names a clause block that was in the model's context and its quote
is found verbatim (whitespace aside) in that block. Its offsets are recomputed from where the quote
was found, so `quote == document_text[start:end]` holds for every citation shown. A sentence left
without a surviving citation is removed (or kept and marked unsupported, when asked for).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.sentences import sentences
from ingest.text import is_cjk_text
from ingest.types import Clause
from qa.answer.draft import Claim, Sentence
from qa.cite import make_citation
from qa.corpus import Snapshot
from qa.types import Citation

MIN_QUOTE = {"en": 12, "zh": 6}  # shorter "quotes" ("the", "是") support nothing
# Words addressed to a model, not to a reader. A document may contain them (it is data), but a
# sentence that carries them never supports an answer: quoting it is what an obedient model would do.
INSTRUCTION = re.compile(
    r"(?i)\b(ignore|disregard|forget)\b.{0,30}\b(instructions?|prompt|rules)\b|\bsystem prompt\b"
    r"|\byou are now\b|\bas an ai\b|忽略.{0,10}(指令|指示|提示)"
)


@dataclass(frozen=True)
class Block:
    """One numbered clause block of the prompt: the exact span of the document the model saw."""

    ref: str  # "C1"
    clause: Clause
    start: int
    end: int


@dataclass(frozen=True)
class Checked:
    text: str
    numbers: tuple[int, ...]  # citation numbers backing the sentence; empty when unsupported


def _normalised(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """text[start:end] with whitespace runs folded to one space, and each char's original index."""
    out, index = [], []
    prev_space = False
    for i in range(start, end):
        ch = text[i]
        if ch.isspace():
            if prev_space or not out:
                continue
            out.append(" ")
            prev_space = True
        else:
            out.append(ch)
            prev_space = False
        index.append(i)
    return "".join(out), index


def locate(text: str, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """Where the quote stands in text[start:end], allowing only whitespace differences."""
    q = " ".join(quote.split())
    if not q:
        return None
    hay, index = _normalised(text, start, end)
    at = hay.find(q)
    if at < 0:
        return None
    return index[at], index[at + len(q) - 1] + 1


_REF = re.compile(r"^\[?\s*[Cc]?\s*(\d+)\s*\]?$")


@dataclass
class Verifier:
    snap: Snapshot
    blocks: list[Block]
    keep_unsupported: bool = False
    citations: list[Citation] = field(default_factory=list)
    removed: Counter[str] = field(default_factory=Counter)
    _numbers: dict[tuple[str, int, int], int] = field(default_factory=dict)

    def block(self, ref: str) -> Block | None:
        ref = ref.strip()
        m = _REF.match(ref)
        for b in self.blocks:
            if (m and b.ref == f"C{m.group(1)}") or ref in (b.ref, b.clause.clause_id):
                return b
        return None

    def claim(self, c: Claim) -> int | None:
        b = self.block(c.clause)
        if b is None:
            self.removed["unknown_clause"] += 1
            return None
        lang = "zh" if is_cjk_text(c.quote) else "en"
        if len(" ".join(c.quote.split())) < MIN_QUOTE[lang]:
            self.removed["quote_too_short"] += 1
            return None
        text = self.snap.docs[b.clause.doc_id].text
        span = locate(text, b.start, b.end, c.quote)
        if span is None:
            self.removed["quote_not_in_clause"] += 1
            return None
        around = " ".join(text[s:e] for s, e in sentences(text, b.start, b.end) if s < span[1] and span[0] < e)
        if INSTRUCTION.search(around):
            self.removed["instruction_text"] += 1
            return None
        key = (b.clause.clause_id, *span)
        if key not in self._numbers:
            n = len(self.citations) + 1
            self._numbers[key] = n
            self.citations.append(make_citation(self.snap, n, b.clause, *span))
        return self._numbers[key]

    def sentence(self, s: Sentence) -> Checked | None:
        """The sentence with its verified citation numbers, or None when it is removed."""
        numbers = tuple(dict.fromkeys(n for n in (self.claim(c) for c in s.claims) if n is not None))
        if not s.text:
            return None
        if not numbers:
            self.removed["sentences"] += 1
            return Checked(s.text, ()) if self.keep_unsupported else None
        return Checked(s.text, numbers)

    def report(self) -> dict[str, int]:
        dropped = sum(v for k, v in self.removed.items() if k != "sentences")
        return {"sentences": self.removed["sentences"], "citations": dropped, **dict(self.removed)}


def render_sentence(c: Checked) -> str:
    marks = "".join(f"[{n}]" for n in c.numbers) if c.numbers else " [unsupported]"
    return f"{c.text} {marks}".replace("  ", " ")
